"""The delivery stage against real loopback servers: a Slack webhook receiver and aiosmtpd."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

import pytest
from alert_rows import NOW, RECIPIENTS, add_alert, add_hostile
from sqlalchemy import select
from support.slack_receiver import Answer

from vigie.alerts.outbox import DeliveryError, deliver_pending
from vigie.alerts.serialize import list_alerts
from vigie.store.models import Delivery

OUR_LINK = re.compile(r"<https?://[^<>|\s]+\|[^<>]*>")


def deliveries(session, channel):
    session.expire_all()
    return session.scalars(
        select(Delivery).where(Delivery.channel == channel).order_by(Delivery.alert_id)
    ).all()


def strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def assert_slack_inert(body):
    for text in strings(body):
        outside_links = OUR_LINK.sub("", text)
        assert "<" not in outside_links, text
        assert ">" not in outside_links, text
        assert not re.search(r"&(?!amp;|lt;|gt;)", outside_links), text
        for link in OUR_LINK.findall(text):
            url, _, label = link[1:-1].partition("|")
            assert "|" not in label  # one link, one label: the URL's own | is encoded
            assert not re.search(r"[<>|\s]", url)
            assert url.startswith("https://")
    raw = json.dumps(body, ensure_ascii=False)
    for control in ("<!channel>", "<!here>", "<!everyone>", "<@U0HOSTILE>", "<#C0HOSTILE"):
        assert control not in raw


# --- Slack -----------------------------------------------------------------------------------


def test_slack_receives_block_kit_with_fallback_text(session, settings, slack):
    alert = add_alert(session)

    report = deliver_pending(session, settings(alert_email_to=()), now=NOW)

    [body] = slack.accepted
    assert next(b["type"] for b in body["blocks"]) == "header"
    assert "Nouveau chiffre" in body["text"]
    assert "au moins 3\u202f000 soldats" in body["text"]
    sections = " ".join(b["text"]["text"] for b in body["blocks"] if "text" in b)
    assert "au moins *3 000 soldats* nord-coréens" in sections  # set off in the evidence
    assert "18 février 2026 à 09:40" in json.dumps(body, ensure_ascii=False)
    assert body["unfurl_links"] is False
    [delivery] = deliveries(session, "slack")
    assert (delivery.alert_id, delivery.status, delivery.sent_at) == (alert.id, "sent", NOW)
    assert delivery.claimed_at is None
    assert report.summary() == "slack: 1 sent, 0 pending; email: skipped (no VIGIE_ALERT_EMAIL_TO)"


def test_slack_500_then_recovery_delivers_once(session, settings, slack):
    add_alert(session)
    slack.script(Answer(500, "internal_error"))
    s = settings(alert_email_to=())

    first = deliver_pending(session, s, now=NOW)
    [delivery] = deliveries(session, "slack")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "500" in delivery.reason
    assert delivery.next_attempt_at > NOW
    assert first.failed_channels == ["slack"]
    with pytest.raises(DeliveryError, match="slack"):
        first.raise_if_failed()

    second = deliver_pending(session, s, now=NOW + timedelta(hours=1))
    third = deliver_pending(session, s, now=NOW + timedelta(hours=2))

    assert len(slack.accepted) == 1
    assert [r.status for r in slack.received] == [500, 200]
    assert deliveries(session, "slack")[0].status == "sent"
    second.raise_if_failed()
    assert (second.sent, third.sent) == (1, 0)


def test_slack_429_waits_for_retry_after(session, settings, slack):
    add_alert(session)
    slack.script(Answer(429, "rate_limited", retry_after=120))
    s = settings(alert_email_to=())

    deliver_pending(session, s, now=NOW)
    [delivery] = deliveries(session, "slack")
    assert delivery.status == "pending"
    assert delivery.next_attempt_at == NOW + timedelta(seconds=120)
    assert "429" in delivery.reason

    deliver_pending(session, s, now=NOW + timedelta(seconds=60))  # not due yet
    assert len(slack.received) == 1
    deliver_pending(session, s, now=NOW + timedelta(seconds=121))
    assert len(slack.accepted) == 1


def test_a_retry_after_of_days_waits_an_hour_at_most(session, settings, slack):
    add_alert(session)
    slack.script(Answer(429, "rate_limited", retry_after=2 * 86400))

    deliver_pending(session, settings(alert_email_to=()), now=NOW)

    [delivery] = deliveries(session, "slack")
    assert delivery.next_attempt_at == NOW + timedelta(hours=1)


def test_slack_400_fails_for_good_with_its_reason(session, settings, slack):
    alert = add_alert(session)
    slack.script(Answer(400, "invalid_blocks"))
    s = settings(alert_email_to=())

    report = deliver_pending(session, s, now=NOW)
    again = deliver_pending(session, s, now=NOW + timedelta(days=1))

    [delivery] = deliveries(session, "slack")
    assert delivery.status == "failed"
    assert "400" in delivery.reason
    assert "invalid_blocks" in delivery.reason
    assert len(slack.received) == 1
    assert report.failed == 1
    assert report.failed_channels == []
    assert again.sent == 0
    report.raise_if_failed()
    [row] = list_alerts(session)
    assert row["id"] == alert.id
    assert row["channels"]["slack"] == {
        "status": "failed",
        "reason": delivery.reason,
        "attempts": 1,
    }


def test_a_revoked_webhook_stops_the_channel(session, settings, slack):
    add_alert(session)
    add_alert(session)
    slack.script(Answer(404, "no_service"))

    report = deliver_pending(session, settings(alert_email_to=()), now=NOW)

    first, second = deliveries(session, "slack")
    assert first.status == "failed"
    assert "no_service" in first.reason
    assert (second.status, second.attempts) == ("pending", 0)
    assert report.failed_channels == ["slack"]
    assert len(slack.received) == 1


def test_slack_down_leaves_alerts_pending(session, settings, slack):
    add_alert(session)
    add_alert(session)
    slack.stop()

    report = deliver_pending(session, settings(alert_email_to=()), now=NOW)

    rows = deliveries(session, "slack")
    assert [r.status for r in rows] == ["pending", "pending"]
    assert [r.attempts for r in rows] == [1, 0]  # the channel is left alone once it failed
    assert "unreachable" in rows[0].reason
    assert report.pending == 2
    assert report.failed_channels == ["slack"]


def test_max_attempts_then_failed_for_good(session, settings, slack):
    add_alert(session)
    slack.script(Answer(503, "down"), Answer(503, "still down"))
    s = settings(alert_email_to=(), delivery_max_attempts=2)

    deliver_pending(session, s, now=NOW)
    report = deliver_pending(session, s, now=NOW + timedelta(hours=1))

    [delivery] = deliveries(session, "slack")
    assert delivery.status == "failed"
    assert delivery.attempts == 2
    assert delivery.reason.startswith("gave up after 2 attempts")
    assert report.gave_up == 1
    assert "1 failed for good after the last attempt" in report.summary()
    deliver_pending(session, s, now=NOW + timedelta(days=1))
    assert len(slack.received) == 2


# --- e-mail ----------------------------------------------------------------------------------


def test_email_has_text_and_html_alternatives_in_utf8(session, settings, smtp):
    add_alert(session, kind="declaration")

    report = deliver_pending(session, settings(), now=NOW)

    [msg] = smtp.messages
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["Subject"] == (
        "[Vigie] Nouvelle déclaration : Sergueï Lavrov : « Notre coopération avec Pyongyang "
        "n'a rien de secret » (Le Quotidien d'Exemple)"
    )
    assert msg["From"] == "Vigie <vigie@example.org>"
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    assert "Sergueï Lavrov" in text.get_content()
    assert "« *Notre coopération avec Pyongyang n'a rien de secret* »" in text.get_content()
    assert "<strong>Notre coopération avec Pyongyang n&#39;a rien de secret</strong>" in (
        html.get_content()
    )
    assert "18 février 2026 à 09:40" in html.get_content()
    assert sorted(smtp.envelopes[0][1]) == sorted(RECIPIENTS)
    assert report.summary() == (
        "slack: skipped (no connection vigie_slack); email: 1 sent, 0 pending"
    )


def test_smtp_down_then_up_delivers_once(session, settings, smtp):
    add_alert(session)
    s = settings()
    smtp.stop()

    down = deliver_pending(session, s, now=NOW)
    [delivery] = deliveries(session, "email")
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert "Connection" in delivery.reason or "refused" in delivery.reason.lower()
    assert down.failed_channels == ["email"]

    smtp.start()
    up = deliver_pending(session, s, now=NOW + timedelta(hours=1))
    deliver_pending(session, s, now=NOW + timedelta(hours=2))

    assert len(smtp.messages) == 1
    assert up.sent == 1
    assert deliveries(session, "email")[0].status == "sent"


def test_smtp_refusals_temporary_and_final(session, settings, smtp):
    add_alert(session)
    add_alert(session)
    smtp.refuse("451 4.3.0 try again later")
    s = settings()

    deliver_pending(session, s, now=NOW)
    first, second = deliveries(session, "email")
    assert (first.status, second.status) == ("pending", "pending")
    assert "451" in first.reason

    smtp.refuse("554 5.7.1 message rejected")
    deliver_pending(session, s, now=NOW + timedelta(hours=1))
    first, second = deliveries(session, "email")
    assert first.status == "failed"
    assert "554" in first.reason
    assert second.status == "sent"
    assert len(smtp.messages) == 1


# --- both channels ---------------------------------------------------------------------------


def test_hostile_article_is_inert_in_slack_and_email(session, settings, slack, smtp):
    add_hostile(session, "figure")
    add_hostile(session, "declaration")

    deliver_pending(session, settings(), now=NOW)

    assert len(slack.accepted) == 2
    for body in slack.accepted:
        assert_slack_inert(body)
    shown = json.dumps(slack.accepted, ensure_ascii=False)
    assert "&lt;!channel&gt;" in shown  # shown as text, not dropped
    assert "&lt;script&gt;" in shown

    assert len(smtp.messages) == 2
    for msg in smtp.messages:
        assert msg["Bcc"] is None
        assert "\n" not in msg["Subject"]
        assert "\r" not in msg["Subject"]
        html = msg.get_body(("html",)).get_content()
        assert "<script" not in html
        assert "<b>" not in html
        assert "<!channel>" not in html
        assert "&lt;script&gt;" in html
        assert 'href="javascript' not in html
    for _, rcpts in smtp.envelopes:
        assert sorted(rcpts) == sorted(RECIPIENTS)


def test_a_second_run_sends_nothing(session, settings, slack, smtp):
    add_alert(session)
    add_alert(session, kind="declaration")
    s = settings()

    first = deliver_pending(session, s, now=NOW)
    second = deliver_pending(session, s, now=NOW + timedelta(minutes=15))

    assert (first.sent, second.sent) == (4, 0)
    assert len(slack.received) == 2
    assert len(smtp.messages) == 2
    assert second.summary() == "slack: 0 sent, 0 pending; email: 0 sent, 0 pending"


def test_more_than_digest_over_goes_as_one_digest_per_channel(session, settings, slack, smtp):
    alerts = [add_alert(session, value=1000.0 + i) for i in range(12)]

    report = deliver_pending(session, settings(digest_over=10), now=NOW)

    [body] = slack.accepted
    assert body["blocks"][0]["text"]["text"] == "Vigie · 12 nouvelles alertes"
    text = json.dumps(body, ensure_ascii=False)
    for i in range(12):
        assert f"{1000 + i:,}".replace(",", "\u202f") in text
    [msg] = smtp.messages
    assert msg["Subject"] == "[Vigie] 12 nouvelles alertes"
    assert msg.get_body(("plain",)).get_content().count("\n- ") == 12
    assert report.digests == 2
    assert report.sent == 24
    assert all(d.status == "sent" for d in deliveries(session, "slack"))
    assert len(deliveries(session, "email")) == len(alerts)


def test_a_digest_splits_only_where_slack_limits_force_it(session, settings, slack):
    long_quote = "Nous irons jusqu'au bout, " * 8
    for i in range(150):
        add_alert(session, kind="declaration", quote=f"{long_quote} ({i})", speaker=f"Orateur {i}")

    report = deliver_pending(session, settings(alert_email_to=()), now=NOW)

    assert 1 < len(slack.accepted) == len(slack.received) == report.digests
    seen = []
    for body in slack.accepted:
        assert len(body["blocks"]) <= 50
        assert len(body["text"]) <= 40000
        seen += re.findall(r"Orateur (\d+) :", "\n".join(strings(body["blocks"])))
    assert sorted(map(int, seen)) == list(range(150))
    assert report.sent == 150


def test_long_evidence_is_cut_to_block_kit_limits(session, settings, slack):
    padding = "La situation reste confuse sur le front & à l'arrière. " * 200
    evidence = padding + "Au moins 3 000 soldats sont arrivés. " + padding
    assert len(evidence) > 10_000
    add_alert(session, evidence=evidence)

    deliver_pending(session, settings(alert_email_to=()), now=NOW)

    [body] = slack.accepted  # the receiver refuses anything over Block Kit's limits
    evidence_block = next(
        b for b in body["blocks"] if b.get("text", {}).get("text", "").startswith("&gt;")
    )
    shown = evidence_block["text"]["text"]
    assert len(shown) <= 3000
    assert shown.count("…") == 2
    assert " *3 000 soldats* " in shown


def test_no_connection_is_skipped_and_said(session, settings, caplog):
    add_alert(session)
    caplog.set_level(logging.INFO, logger="vigie.alerts")

    report = deliver_pending(session, settings(), now=NOW)

    assert report.summary() == (
        "slack: skipped (no connection vigie_slack); email: skipped (no connection smtp_default)"
    )
    assert "slack: no connection vigie_slack, skipped" in caplog.text
    assert deliveries(session, "slack") == []
    assert deliveries(session, "email") == []
    report.raise_if_failed()


def test_historical_alerts_are_never_pushed(session, settings, slack):
    add_alert(session, historical=True)
    add_alert(session)

    report = deliver_pending(session, settings(alert_email_to=()), now=NOW)

    assert len(slack.accepted) == 1
    historical, live = deliveries(session, "slack")
    assert historical.status == "skipped"
    assert "historical" in historical.reason
    assert live.status == "sent"
    assert report.historical == 1
    assert "1 historical not pushed" in report.summary()
    states = {row["historical"]: row["channels"]["slack"]["status"] for row in list_alerts(session)}
    assert states == {True: "skipped", False: "sent"}


def test_an_interrupted_send_is_not_repeated(session, settings, slack):
    alert = add_alert(session)
    session.add(Delivery(alert_id=alert.id, channel="slack", claimed_at=NOW - timedelta(hours=1)))
    session.commit()

    report = deliver_pending(session, settings(alert_email_to=()), now=NOW)

    [delivery] = deliveries(session, "slack")
    assert delivery.status == "unknown"
    assert "may have arrived" in delivery.reason
    assert slack.received == []
    assert report.unknown == 1


def test_a_claim_held_by_another_run_is_left_alone(session, settings, slack):
    alert = add_alert(session)
    session.add(Delivery(alert_id=alert.id, channel="slack", claimed_at=NOW - timedelta(seconds=5)))
    session.commit()

    report = deliver_pending(session, settings(alert_email_to=()), now=NOW)

    assert slack.received == []
    assert report.pending == 1
    assert deliveries(session, "slack")[0].claimed_at == NOW - timedelta(seconds=5)


# --- the backfill digest -----------------------------------------------------------------------


def test_two_backfill_runs_digest_an_alert_once(session, settings, slack, monkeypatch):
    """Two days replayed side by side both find the alert: the run that read it just before the
    other sent it claims nothing, though the other run's record has released the claim."""
    from sqlalchemy.orm import sessionmaker

    from vigie.alerts import outbox

    add_alert(session, historical=True)
    since = NOW - timedelta(hours=1)
    read_first = outbox._undigested
    other = sessionmaker(session.get_bind(), expire_on_commit=False)()
    others: list = []

    def read_then_let_the_other_run_finish(*args, **kwargs):
        rows = read_first(*args, **kwargs)
        if not others:
            monkeypatch.setattr(outbox, "_undigested", read_first)
            others.append(
                outbox.deliver_backfill_digest(other, settings(alert_email_to=()), since=since)
            )
        return rows

    monkeypatch.setattr(outbox, "_undigested", read_then_let_the_other_run_finish)
    try:
        late = outbox.deliver_backfill_digest(session, settings(alert_email_to=()), since=since)
    finally:
        other.close()

    [body] = slack.accepted
    assert "3\u202f000" in body["text"]
    assert (others[0].sent, late.sent) == (1, 0)
    [delivery] = deliveries(session, "slack")
    assert (delivery.status, delivery.reason) == ("sent", outbox.DIGESTED_REASON)
