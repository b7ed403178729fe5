"""Alerts built by inserting rows, as the analysis stage leaves them (used by the alert tests)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from vigie.store.models import Alert, Article, Fact, FactMention

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "alerts"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
RECIPIENTS = ("analyste@example.org", "veille@example.org")
_serial = itertools.count(1)


def add_alert(
    session: Session,
    *,
    kind: str = "figure",
    historical: bool = False,
    article: dict[str, Any] | None = None,
    previously_known: list[Any] | None = None,
    mentions: list[dict[str, Any]] | None = None,
    **fact: Any,
) -> Alert:
    """An article, its fact and the pending alert, committed, as the analysis would leave them."""
    n = next(_serial)
    art = Article(
        **{
            "url": f"https://www.exemple.fr/international/article-{n}.html?utm_source=rss",
            "canonical_url": f"https://www.exemple.fr/international/article-{n}.html",
            "outlet": "Le Quotidien d'Exemple",
            "title": f"Article d'essai n° {n}",
            "published": datetime(2026, 2, 18, 8, 40, tzinfo=UTC),
            "status": "analysed",
            "events": ["troop_deployment"],
        }
        | (article or {})
    )
    session.add(art)
    session.flush()
    if kind == "figure":
        defaults = {
            "value": 3000.0,
            "measure": "troops_sent",
            "object": "soldats",
            "qualifier": "au moins",
            "claimed_by": "Séoul",
            "evidence": "Selon Séoul, au moins 3 000 soldats nord-coréens sont arrivés en Russie.",
        }
    else:
        defaults = {
            "speaker": "Sergueï Lavrov",
            "quote": "Notre coopération avec Pyongyang n'a rien de secret",
            "evidence": "« Notre coopération avec Pyongyang n'a rien de secret », a déclaré "
            "Sergueï Lavrov à la télévision.",
        }
    values = defaults | fact
    row = Fact(
        fingerprint=f"fp-{n}",
        kind=kind,
        article_id=art.id,
        published=art.published,
        **values,
    )
    session.add(row)
    session.flush()
    session.add(FactMention(fact_id=row.id, article_id=art.id, outlet=art.outlet))
    for i, mention in enumerate(mentions or []):
        other = Article(
            url=f"https://autre.example/{n}-{i}",
            canonical_url=f"https://autre.example/{n}-{i}",
            outlet=mention["outlet"],
            status="analysed",
        )
        session.add(other)
        session.flush()
        session.add(FactMention(fact_id=row.id, article_id=other.id, outlet=mention["outlet"]))
    alert = Alert(fact_id=row.id, historical=historical, previously_known=previously_known or [])
    session.add(alert)
    session.commit()
    return alert


def add_hostile(session: Session, kind: str) -> Alert:
    """The hostile fixture article, as a figure or a declaration alert."""
    data = yaml.safe_load((FIXTURES / "hostile_article.yaml").read_text(encoding="utf-8"))
    article = dict(data["article"])
    article["published"] = datetime.fromisoformat(article["published"])
    article["canonical_url"] = article["url"] + f"&kind={kind}"
    return add_alert(
        session,
        kind=kind,
        article=article,
        previously_known=data["previously_known"],
        mentions=data["mentions"],
        **data[kind],
    )
