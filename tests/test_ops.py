"""Operators hear about failures through the providers' notifiers; maintenance does its chores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from support.slack_receiver import SlackReceiver
from support.smtp_server import SmtpServer

from vigie.config import load_settings
from vigie.maintenance import run_maintenance
from vigie.ops import failure_message, notify_failure
from vigie.store.models import Article, Source


def _context(error: str) -> dict:
    ti = SimpleNamespace(dag_id="vigie_monitor", task_id="deliver")
    return {"ti": ti, "run_id": "scheduled__2026-03-01", "exception": RuntimeError(error)}


def test_failure_message_names_the_task_and_keeps_braces_literal() -> None:
    subject, body = failure_message(_context("slack down {{ boom }}"))
    assert subject == "Vigie : échec de vigie_monitor.deliver"
    assert body.endswith("slack down {{ boom }}")


def test_operators_are_told_on_slack_and_by_email(monkeypatch: pytest.MonkeyPatch) -> None:
    with SlackReceiver() as slack, SmtpServer() as smtp:
        monkeypatch.setenv("AIRFLOW_CONN_VIGIE_OPS_SLACK", slack.connection())
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp.connection())
        monkeypatch.setenv("VIGIE_OPS_EMAIL_TO", "astreinte@vigie.test")
        notify_failure(_context("channel slack down {{ x }} <b>"))
        assert len(slack.accepted) == 1
        assert "vigie_monitor.deliver" in slack.accepted[0]["text"]
        assert "{{ x }}" in slack.accepted[0]["text"], "exception text is not a template"
        assert [rcpt for _, rcpt in smtp.envelopes] == [["astreinte@vigie.test"]]
        html = smtp.messages[0].get_body(("html",)).get_content()
        assert "down {{ x }} &lt;b&gt;</p>" in html, "escaped by the template, braces kept"


def test_nobody_configured_means_nobody_told(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_VIGIE_OPS_SLACK", raising=False)
    monkeypatch.delenv("VIGIE_OPS_EMAIL_TO", raising=False)
    notify_failure(_context("boom"))
    assert "nobody (none configured)" in caplog.text


def test_maintenance_prunes_old_pages_and_lists_long_backoffs(session, db_url: str) -> None:
    now = datetime.now(UTC)
    old = Article(
        url="https://a.example/1",
        canonical_url="https://a.example/1",
        status="analysed",
        raw_fetched_at=now - timedelta(days=45),
    )
    old.raw = b"<html>old</html>"
    waiting = Article(
        url="https://a.example/2", status="fetched", raw_fetched_at=now - timedelta(days=45)
    )
    waiting.raw = b"<html>not yet extracted</html>"
    fresh = Article(
        url="https://a.example/3",
        canonical_url="https://a.example/3",
        status="analysed",
        raw_fetched_at=now - timedelta(days=2),
    )
    fresh.raw = b"<html>fresh</html>"
    session.add_all(
        [
            old,
            waiting,
            fresh,
            Source(
                name="Le Soir",
                url="https://www.lesoir.be/rss",
                failure_count=9,
                failing_since=now - timedelta(days=3),
                last_error="HTTP 503",
                last_fetched_at=now,
            ),
            Source(
                name="RTS",
                url="https://www.rts.ch/rss",
                failure_count=1,
                failing_since=now - timedelta(hours=1),
                last_error="timeout",
                last_fetched_at=now,
            ),
        ]
    )
    session.commit()
    report = run_maintenance(session, load_settings(), now)
    session.expire_all()
    assert report.pruned_pages == 1
    assert old.raw is None
    assert waiting.raw is not None, "a page waiting for extraction is kept"
    assert fresh.raw is not None
    assert [line.split(" (")[0] for line in report.long_backoff] == ["Le Soir"]
    assert "HTTP 503" in report.summary()
