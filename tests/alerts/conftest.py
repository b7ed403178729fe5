"""Loopback Slack and SMTP servers, and settings to deliver with."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from alert_rows import RECIPIENTS
from support.slack_receiver import SlackReceiver
from support.smtp_server import SmtpServer

from vigie.config import Settings, load_settings


@pytest.fixture(autouse=True)
def _no_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the machine has configured, a test starts with no channel at all."""
    monkeypatch.delenv("AIRFLOW_CONN_VIGIE_SLACK", raising=False)
    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    monkeypatch.delenv("VIGIE_ALERT_EMAIL_TO", raising=False)


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlackReceiver]:
    with SlackReceiver() as receiver:
        monkeypatch.setenv("AIRFLOW_CONN_VIGIE_SLACK", receiver.connection())
        yield receiver


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", server.connection())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(db_url: str) -> Callable[..., Settings]:
    """Settings on the test store; keyword arguments override fields (e-mail on by default)."""

    def make(**overrides: Any) -> Settings:
        return load_settings().model_copy(update={"alert_email_to": RECIPIENTS} | overrides)

    return make
