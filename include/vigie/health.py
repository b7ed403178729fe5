"""Feed health: which feed fails, since when and why — for operators, without reading code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.store.models import Source


@dataclass(frozen=True)
class FeedHealth:
    name: str
    url: str
    state: str  # ok | failing | backing off | retired | never polled
    last_success_at: datetime | None
    failing_since: datetime | None
    failure_count: int
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    bozo_reason: str | None
    failed_pages: int = 0  # pages of this feed that could not be fetched (`vigie articles`)
    skipped_pages: int = 0  # pages with nothing to read (no link, empty page, no summary)


def _state(source: Source, now: datetime) -> str:
    if not source.active:
        return "retired"
    if source.last_fetched_at is None:
        return "never polled"
    if source.failure_count:
        if source.next_attempt_at and source.next_attempt_at > now:
            return "backing off"
        return "failing"
    return "ok"


def feed_health(session: Session, now: datetime) -> list[FeedHealth]:
    """Every feed, failing ones first, then by name."""
    from vigie.articles import page_problem_counts

    sources = session.scalars(select(Source)).all()
    problems = page_problem_counts(session)
    rows = [
        FeedHealth(
            name=s.name,
            url=s.url,
            state=_state(s, now),
            last_success_at=s.last_success_at,
            failing_since=s.failing_since,
            failure_count=s.failure_count,
            next_attempt_at=s.next_attempt_at,
            last_status=s.last_status,
            last_error=s.retired_reason if not s.active else s.last_error,
            bozo_reason=s.bozo_reason,
            failed_pages=problems.get((s.name, "failed"), 0),
            skipped_pages=problems.get((s.name, "skipped"), 0),
        )
        for s in sources
    ]
    order = {"retired": 0, "failing": 1, "backing off": 2, "never polled": 3, "ok": 4}
    return sorted(rows, key=lambda r: (order[r.state], r.name.lower()))


def long_backoffs(session: Session, now: datetime, *, hours: int) -> list[FeedHealth]:
    """Feeds failing for longer than ``hours``: what the maintenance DAG lists."""
    return [
        h
        for h in feed_health(session, now)
        if h.failing_since is not None and (now - h.failing_since).total_seconds() > hours * 3600
    ]
