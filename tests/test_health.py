"""Feed health as operators read it: each feed's state, failing ones first, pages it lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from vigie.health import feed_health, long_backoffs
from vigie.store.models import Article, Source

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _source(name: str, **fields: object) -> Source:
    return Source(name=name, url=f"https://{name.lower().replace(' ', '-')}.fr/rss", **fields)


def test_each_feed_gets_its_state_failing_ones_first(session: Session) -> None:
    session.add_all(
        [
            _source("Zeta OK", last_fetched_at=NOW, last_success_at=NOW),
            _source("Beta jamais"),
            _source(
                "Alpha en attente",
                last_fetched_at=NOW,
                failure_count=2,
                failing_since=NOW - timedelta(hours=3),
                next_attempt_at=NOW + timedelta(minutes=30),
                last_status=503,
                last_error="HTTP 503",
            ),
            _source(
                "Gamma en panne",
                last_fetched_at=NOW,
                failure_count=1,
                failing_since=NOW - timedelta(hours=1),
                next_attempt_at=NOW - timedelta(minutes=1),
                last_error="timeout after 20 s",
            ),
            _source("Delta retiré", active=False, retired_reason="410 Gone", last_error="HTTP 410"),
        ]
    )
    session.commit()

    rows = feed_health(session, NOW)

    assert [(r.name, r.state) for r in rows] == [
        ("Delta retiré", "retired"),
        ("Gamma en panne", "failing"),
        ("Alpha en attente", "backing off"),
        ("Beta jamais", "never polled"),
        ("Zeta OK", "ok"),
    ]
    by_name = {r.name: r for r in rows}
    assert by_name["Delta retiré"].last_error == "410 Gone", "a retired feed says why it was"
    assert by_name["Alpha en attente"].last_error == "HTTP 503"
    assert by_name["Alpha en attente"].failure_count == 2
    assert by_name["Alpha en attente"].next_attempt_at == NOW + timedelta(minutes=30)


def test_lost_pages_are_counted_per_feed(session: Session) -> None:
    session.add(_source("Le Soir", last_fetched_at=NOW))
    for n, status in enumerate(["failed", "failed", "skipped", "analysed"]):
        session.add(Article(url=f"https://lesoir.be/{n}", outlet="Le Soir", status=status))
    session.add(Article(url="https://seed/1", outlet="Le Soir", status="failed", baseline=True))
    session.commit()

    (row,) = feed_health(session, NOW)

    assert (row.failed_pages, row.skipped_pages) == (2, 1), "baseline pages are not the feed's"


def test_long_backoffs_are_feeds_failing_longer_than_the_limit(session: Session) -> None:
    session.add_all(
        [
            _source(
                "Ancien",
                last_fetched_at=NOW,
                failure_count=9,
                failing_since=NOW - timedelta(hours=30),
            ),
            _source(
                "Juste",
                last_fetched_at=NOW,
                failure_count=3,
                failing_since=NOW - timedelta(hours=24),
            ),
            _source(
                "Récent",
                last_fetched_at=NOW,
                failure_count=1,
                failing_since=NOW - timedelta(hours=2),
            ),
            _source("Sain", last_fetched_at=NOW, last_success_at=NOW),
        ]
    )
    session.commit()

    assert [h.name for h in long_backoffs(session, NOW, hours=24)] == ["Ancien"]
    assert [h.name for h in long_backoffs(session, NOW, hours=1)] == ["Ancien", "Juste", "Récent"]
