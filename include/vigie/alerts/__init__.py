"""Delivery of alerts from the outbox: Slack and e-mail."""
