"""Alerts as plain data: the JSON shape of DESIGN.md and the view the messages are rendered from.

``list_alerts`` loads every alert with its fact, article, mentions and deliveries in a fixed number
of queries (eager ``selectinload``), so ``vigie alerts --json`` stays fast over thousands.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from vigie.alerts.render import AlertView
from vigie.store.models import Alert, Delivery, Fact


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _number(value: float | None) -> int | float | None:
    """3000.0 reads 3000 in JSON; 2.5 stays 2.5."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _corroboration(fact: Fact) -> tuple[list[str], int]:
    """Outlets (first article's first, then in the order they reported it) and article count."""
    first = fact.article
    articles = {first.id} if first is not None else set()
    outlets = [first.outlet] if first is not None and first.outlet else []
    for mention in sorted(fact.mentions, key=lambda m: m.id):
        articles.add(mention.article_id)
        if mention.outlet and mention.outlet not in outlets:
            outlets.append(mention.outlet)
    return outlets, len(articles)


def view_of(alert: Alert) -> AlertView:
    """Everything a message shows about ``alert``, read from its fact and first article."""
    fact = alert.fact
    article = fact.article
    outlets, count = _corroboration(fact)
    return AlertView(
        id=alert.id,
        kind=fact.kind,
        article_url=(article.canonical_url or article.url) if article else None,
        outlet=article.outlet if article else None,
        title=article.title if article else None,
        published=fact.published or (article.published if article else None),
        evidence=fact.evidence or "",
        events=tuple((article.events or []) if article else ()),
        value=fact.value,
        value_high=fact.value_high,
        measure=fact.measure,
        object=fact.object,
        qualifier=fact.qualifier,
        claimed_by=fact.claimed_by,
        period=fact.period,
        additional=bool(fact.additional),
        speaker=fact.speaker,
        quote=fact.quote,
        previously_known=tuple(alert.previously_known or ()),
        outlets=tuple(outlets),
        articles=count,
        historical=bool(alert.historical),
    )


def channel_state(delivery: Delivery) -> dict[str, Any]:
    """``pending`` | ``sent`` with its time | ``failed`` with reason and attempts.

    ``skipped`` (with its reason) marks a historical alert a channel never pushes; ``unknown``
    (with its reason and attempts) a send that may have arrived and is never repeated by itself.
    """
    if delivery.status == "sent":
        return {"status": "sent", "at": _iso(delivery.sent_at)}
    if delivery.status in ("failed", "unknown"):
        return {
            "status": delivery.status,
            "reason": delivery.reason,
            "attempts": delivery.attempts,
        }
    if delivery.status == "skipped":
        return {"status": "skipped", "reason": delivery.reason}
    return {"status": "pending"}


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """The Alert JSON shape of DESIGN.md."""
    view = view_of(alert)
    out: dict[str, Any] = {
        "id": view.id,
        "kind": view.kind,
        "article_url": view.article_url,
        "outlet": view.outlet,
        "published": _iso(view.published),
        "evidence": view.evidence,
        "events": list(view.events),
    }
    if view.kind == "figure":
        out |= {
            "value": _number(view.value),
            "measure": view.measure,
            "object": view.object,
            "qualifier": view.qualifier,
            "claimed_by": view.claimed_by,
        }
    else:
        out |= {"speaker": view.speaker, "quote": view.quote}
    out |= {
        "previously_known": list(view.previously_known),
        "corroboration": {"outlets": list(view.outlets), "articles": view.articles},
        "historical": view.historical,
        "channels": {
            d.channel: channel_state(d) for d in sorted(alert.deliveries, key=lambda d: d.channel)
        },
    }
    return out


def eager_alerts() -> Select:
    """A select of alerts with everything serialisation and rendering touch, loaded eagerly."""
    return select(Alert).options(
        selectinload(Alert.fact).selectinload(Fact.article),
        selectinload(Alert.fact).selectinload(Fact.mentions),
        selectinload(Alert.deliveries),
    )


def list_alerts(session: Session) -> list[dict[str, Any]]:
    """Every alert, newest first, as DESIGN.md's JSON shape (``vigie alerts --json``)."""
    query = eager_alerts().order_by(Alert.created_at.desc(), Alert.id.desc())
    return [alert_to_dict(a) for a in session.scalars(query)]
