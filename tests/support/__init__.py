"""Test helpers shared across areas: loopback servers (HTTP, Slack, SMTP) and their fixtures."""
