"""The Alert JSON shape of DESIGN.md, and listing thousands of alerts without N+1 queries."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from alert_rows import add_alert
from sqlalchemy import event

from vigie.alerts.serialize import alert_to_dict, list_alerts
from vigie.store.models import Alert, Delivery

FIGURE_KEYS = {
    "id", "kind", "article_url", "outlet", "published", "evidence", "events", "value", "measure",
    "object", "qualifier", "claimed_by", "previously_known", "corroboration", "historical",
    "channels",
}  # fmt: skip
DECLARATION_KEYS = (FIGURE_KEYS - {"value", "measure", "object", "qualifier", "claimed_by"}) | {
    "speaker",
    "quote",
}


def test_a_figure_alert_has_exactly_the_design_shape(session):
    known = [{"value": 1500.0, "qualifier": "environ", "object": "soldats", "baseline": True}]
    alert = add_alert(
        session,
        value=3000.0,
        previously_known=known,
        mentions=[{"outlet": "Le Journal d'Ailleurs"}, {"outlet": "Le Journal d'Ailleurs"}],
    )

    data = alert_to_dict(alert)

    assert set(data) == FIGURE_KEYS
    assert data["id"] == alert.id
    assert data["kind"] == "figure"
    assert data["value"] == 3000
    assert isinstance(data["value"], int)
    assert (data["measure"], data["object"], data["qualifier"]) == (
        "troops_sent",
        "soldats",
        "au moins",
    )
    assert data["claimed_by"] == "Séoul"
    assert data["article_url"].endswith(".html")
    assert "utm_source" not in data["article_url"]  # the canonical address
    assert data["published"] == "2026-02-18T08:40:00+00:00"
    assert data["events"] == ["troop_deployment"]
    assert data["previously_known"] == known
    assert data["corroboration"] == {
        "outlets": ["Le Quotidien d'Exemple", "Le Journal d'Ailleurs"],
        "articles": 3,
    }
    assert data["historical"] is False
    assert data["channels"] == {}
    json.dumps(data)  # plain JSON all the way down


def test_a_declaration_alert_has_speaker_and_quote_only(session):
    alert = add_alert(session, kind="declaration", historical=True)

    data = alert_to_dict(alert)

    assert set(data) == DECLARATION_KEYS
    assert data["speaker"] == "Sergueï Lavrov"
    assert data["quote"].startswith("Notre coopération")
    assert data["historical"] is True


def test_channel_states(session):
    sent_at = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    alert = add_alert(session)
    other = add_alert(session)
    session.add_all(
        [
            Delivery(
                alert_id=alert.id, channel="slack", status="sent", attempts=1, sent_at=sent_at
            ),
            Delivery(
                alert_id=alert.id, channel="email", status="failed", attempts=5, reason="SMTP 550"
            ),
            Delivery(
                alert_id=other.id, channel="slack", status="pending", attempts=2, reason="500"
            ),
        ]
    )
    session.commit()
    session.expire_all()

    first, second = (alert_to_dict(session.get(Alert, a.id)) for a in (alert, other))

    assert first["channels"] == {
        "email": {"status": "failed", "reason": "SMTP 550", "attempts": 5},
        "slack": {"status": "sent", "at": "2026-03-01T09:00:00+00:00"},
    }
    assert second["channels"] == {"slack": {"status": "pending"}}


def test_list_alerts_is_newest_first_in_a_fixed_number_of_queries(session):
    def queries_for_listing() -> tuple[int, list[dict]]:
        statements = []
        engine = session.get_bind()
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            session.expire_all()
            rows = list_alerts(session)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements), rows

    for _ in range(30):
        alert = add_alert(session, mentions=[{"outlet": "Autre"}])
        session.add(Delivery(alert_id=alert.id, channel="slack"))
    session.commit()
    few, rows = queries_for_listing()
    for _ in range(60):
        add_alert(session, kind="declaration", mentions=[{"outlet": "Autre"}])
    many, rows = queries_for_listing()

    assert few == many <= 6
    assert len(rows) == 90
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)
