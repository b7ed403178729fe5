"""At most once when the outcome of a send is unknown: a slow or vanishing Slack webhook, an SMTP
server silent after the message; and putting deliveries back in the outbox by hand."""

from __future__ import annotations

import json
from datetime import timedelta

from alert_rows import NOW, add_alert
from sqlalchemy import select
from support.slack_receiver import Answer
from typer.testing import CliRunner

from vigie.alerts.outbox import deliver_pending, requeue
from vigie.alerts.serialize import list_alerts
from vigie.cli import app
from vigie.store.models import Delivery


def rows(session, channel):
    session.expire_all()
    return session.scalars(
        select(Delivery).where(Delivery.channel == channel).order_by(Delivery.alert_id)
    ).all()


def test_a_post_answered_after_the_timeout_is_unknown_and_never_repeated(
    session, settings, slack, monkeypatch
):
    monkeypatch.setenv("AIRFLOW_CONN_VIGIE_SLACK", slack.connection(timeout=1))
    first = add_alert(session)
    add_alert(session)
    slack.script(Answer(delay=2.5))
    s = settings(alert_email_to=())

    report = deliver_pending(session, s, now=NOW)

    slow, waiting = rows(session, "slack")
    assert (slow.alert_id, slow.status, slow.attempts) == (first.id, "unknown", 1)
    assert slow.reason.startswith("Slack: no answer after the message was sent (")
    assert "may have arrived" in slow.reason
    assert slow.claimed_at is None
    assert waiting.status == "pending"  # the channel stopped for this run
    assert report.unknown == 1
    assert report.failed_channels == ["slack"]
    assert "1 with an unknown outcome, not repeated" in report.summary()

    for hours in (1, 2, 3):
        deliver_pending(session, s, now=NOW + timedelta(hours=hours))

    assert len(slack.received) == 2  # the slow one once, then the other one
    assert [r.status for r in rows(session, "slack")] == ["unknown", "sent"]
    shown = {a["id"]: a["channels"]["slack"] for a in list_alerts(session)}
    assert shown[first.id]["status"] == "unknown"
    assert "no answer after the message was sent" in shown[first.id]["reason"]


def test_a_connection_dropped_after_the_post_is_unknown(session, settings, slack):
    add_alert(session)
    slack.script(Answer(reset=True))

    report = deliver_pending(session, settings(alert_email_to=()), now=NOW)
    deliver_pending(session, settings(alert_email_to=()), now=NOW + timedelta(hours=1))

    [delivery] = rows(session, "slack")
    assert delivery.status == "unknown"
    assert len(slack.received) == 1
    assert report.unknown == 1


def test_a_webhook_that_is_down_was_not_sent_and_is_retried(session, settings, slack):
    add_alert(session)
    slack.stop()
    s = settings(alert_email_to=())

    down = deliver_pending(session, s, now=NOW)
    [delivery] = rows(session, "slack")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "nothing sent" in delivery.reason
    assert down.unknown == 0

    slack.start()
    deliver_pending(session, s, now=NOW + timedelta(hours=1))
    assert [r.status for r in rows(session, "slack")] == ["sent"]
    assert len(slack.accepted) == 1


def test_an_smtp_server_silent_after_the_message_is_unknown(session, settings, smtp, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp.connection(timeout=1))
    add_alert(session)
    smtp.stall(2.5)
    s = settings()

    report = deliver_pending(session, s, now=NOW)
    for hours in (1, 2):
        deliver_pending(session, s, now=NOW + timedelta(hours=hours))

    [delivery] = rows(session, "email")
    assert delivery.status == "unknown"
    assert delivery.reason.startswith("SMTP: no answer after the message was sent (")
    assert len(smtp.messages) == 1  # the server kept it: sending again would duplicate it
    assert report.unknown == 1


def test_a_refusal_before_the_message_is_written_stays_certain(session, settings, smtp):
    add_alert(session)
    smtp.refuse("451 4.3.0 try later")

    deliver_pending(session, settings(), now=NOW)

    [delivery] = rows(session, "email")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "451" in delivery.reason


def test_requeued_deliveries_are_sent_once(session, settings, slack, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_VIGIE_SLACK", slack.connection(timeout=1))
    unknown = add_alert(session)
    refused = add_alert(session)
    sent = add_alert(session)
    slack.script(Answer(delay=2), Answer(400, "invalid_blocks"))
    s = settings(alert_email_to=())
    deliver_pending(session, s, now=NOW)
    deliver_pending(session, s, now=NOW + timedelta(minutes=1))
    deliver_pending(session, s, now=NOW + timedelta(minutes=2))
    assert [r.status for r in rows(session, "slack")] == ["unknown", "failed", "sent"]
    assert len(slack.received) == 3

    assert requeue(session, alert_id=sent.id) == []
    by_id = requeue(session, alert_id=refused.id, now=NOW)
    assert [(d.alert_id, d.status) for d in by_id] == [(refused.id, "pending")]
    assert by_id[0].reason.startswith("re-queued by hand at 2026-03-01T12:00:00+00:00 (was failed")
    again = requeue(session, unknown=True)
    assert [d.alert_id for d in again] == [unknown.id]
    assert requeue(session, failed=True) == []

    for minutes in (10, 20):
        deliver_pending(session, s, now=NOW + timedelta(minutes=minutes))

    assert [r.status for r in rows(session, "slack")] == ["sent", "sent", "sent"]
    assert len(slack.received) == 5  # each re-queued alert once more, nothing else


def test_alerts_retry_requeues_by_id_failed_or_unknown(session) -> None:
    failed, unknown, sent = add_alert(session), add_alert(session), add_alert(session)
    for alert, status in ((failed, "failed"), (unknown, "unknown"), (sent, "sent")):
        session.add(Delivery(alert_id=alert.id, channel="slack", status=status, attempts=1))
    session.commit()
    runner = CliRunner()

    def states() -> dict[int, str]:
        rows = json.loads(runner.invoke(app, ["alerts", "--json"]).stdout)
        return {r["id"]: r["channels"]["slack"]["status"] for r in rows}

    assert runner.invoke(app, ["alerts", "retry"]).exit_code == 2
    assert states() == {failed.id: "failed", unknown.id: "unknown", sent.id: "sent"}
    by_id = runner.invoke(app, ["alerts", "retry", "--id", str(sent.id)])
    assert "0 deliveries re-queued" in by_id.output
    unknown_run = runner.invoke(app, ["alerts", "retry", "--unknown"])
    assert f"alert {unknown.id}: slack re-queued" in unknown_run.output
    assert states() == {failed.id: "failed", unknown.id: "pending", sent.id: "sent"}
    runner.invoke(app, ["alerts", "retry", "--failed", "--channel", "slack"])
    assert states() == {failed.id: "pending", unknown.id: "pending", sent.id: "sent"}
