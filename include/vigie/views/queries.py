"""Every query behind the plugin's pages and JSON API: bounded, indexed, plain data out.

Alerts are paged by keyset on (publication, fact id), newest first, so page 2 000 costs what page 1
costs; the filters are conditions on indexed columns or a correlated EXISTS, never a Python loop
over the whole table. Alerts come out in DESIGN.md's JSON shape (``alert_to_dict``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Select,
    String,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, aliased

from vigie.alerts.serialize import alert_to_dict, eager_alerts, view_of
from vigie.articles import article_to_dict
from vigie.dates import PARIS
from vigie.health import feed_health
from vigie.store.models import (
    Alert,
    Article,
    Delivery,
    Fact,
    FactMention,
    FeedFetch,
    Source,
    UTCDateTime,
)

KINDS = ("figure", "declaration")
CHANNELS = ("slack", "email")
STATUSES = ("pending", "sent", "failed", "skipped")
EVENT_TYPES = (
    "troop_deployment", "casualties", "arms_transfer", "economic_aid", "labor",
    "agreement", "meeting", "diplomatic_exchange", "statement", "weapons_test",
)  # fmt: skip
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_POINTS = 5000
CHART_POINTS = 1000
TABLE_POINTS = 100
COUNT_CAP = 1_000
STORY_LIMIT = 50


class BadRequest(ValueError):
    """A filter or cursor that cannot be understood: the page says which, the API answers 400."""


# --- alerts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertFilters:
    """What the alerts page and ``/api/alerts`` filter on; None means no condition."""

    kind: str | None = None
    speaker: str | None = None
    measure: str | None = None
    event: str | None = None
    outlet: str | None = None
    channel: str | None = None
    status: str | None = None
    historical: bool | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, raw: dict[str, str | None]) -> AlertFilters:
        """From query parameters (strings, empty meaning unset); BadRequest names the bad one."""
        value = {
            k: (v.strip() if isinstance(v, str) and v.strip() else None) for k, v in raw.items()
        }
        for name, allowed in (
            ("kind", KINDS),
            ("event", EVENT_TYPES),
            ("channel", CHANNELS),
            ("status", STATUSES),
        ):
            if value.get(name) is not None and value[name] not in allowed:
                raise BadRequest(f"{name}: {value[name]!r} is not one of {', '.join(allowed)}")
        historical = value.get("historical")
        if historical not in (None, "live", "historical", "true", "false"):
            raise BadRequest(f"historical: {historical!r} is not live or historical")
        days = {name: parse_day(value.get(name), name) for name in ("since", "until")}
        return cls(
            kind=value.get("kind"),
            speaker=value.get("speaker"),
            measure=value.get("measure"),
            event=value.get("event"),
            outlet=value.get("outlet"),
            channel=value.get("channel"),
            status=value.get("status"),
            historical=None if historical is None else historical in ("historical", "true"),
            since=days["since"],
            until=days["until"],
        )

    def params(self) -> dict[str, str]:
        """The filters as query parameters, for the next page's link."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name == "historical":
                value = "historical" if value else "live"
            out[f.name] = str(value)
        return out


@dataclass(frozen=True)
class AlertPage:
    """One page: each entry's ``json`` (DESIGN.md shape), ``view`` (what messages render from)
    and ``article_id``; the next page's cursor (None on the last page); the matching count."""

    entries: list[dict[str, Any]]
    next_cursor: str | None
    total: int
    total_exact: bool = True


def _paris_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_cursor(cursor: str | None) -> tuple[datetime | None, int] | None:
    """``<publication in µs since 1970, or 'none'>~<fact id>``: where the previous page ended
    (digits only, so it travels in a URL as is)."""
    if not cursor:
        return None
    when, _, fact_id = cursor.rpartition("~")
    try:
        published = None if when == "none" else EPOCH + timedelta(microseconds=int(when))
        return published, int(fact_id)
    except (ValueError, OverflowError) as exc:
        raise BadRequest(f"cursor: {cursor!r} is not a cursor this API gave") from exc


def _cursor(published: datetime | None, fact_id: int) -> str:
    if published is None:
        return f"none~{fact_id}"
    return f"{(published - EPOCH) // timedelta(microseconds=1)}~{fact_id}"


def _filtered(filters: AlertFilters, query: Select) -> Select:
    """``query`` (over alerts joined to their facts) narrowed by every filter set."""
    if filters.kind:
        query = query.where(Fact.kind == filters.kind)
    if filters.speaker:
        query = query.where(Fact.speaker == filters.speaker)
    if filters.measure:
        query = query.where(Fact.measure == filters.measure)
    if filters.outlet or filters.event:
        query = query.join(Article, Article.id == Fact.article_id)
        if filters.outlet:
            query = query.where(Article.outlet == filters.outlet)
        if filters.event:
            # events is a JSON list of identifiers: its text holds the quoted name
            query = query.where(
                cast(Article.events, String).contains(f'"{filters.event}"', autoescape=True)
            )
    if filters.historical is not None:
        query = query.where(Alert.historical.is_(filters.historical))
    if filters.channel or filters.status:
        # from the deliveries' index: a rare state ("failed") is a short list of alerts
        delivered = select(Delivery.alert_id)
        if filters.status:
            delivered = delivered.where(Delivery.status == filters.status)
        if filters.channel:
            delivered = delivered.where(Delivery.channel == filters.channel)
        query = query.where(Alert.id.in_(delivered))
    if filters.since:
        query = query.where(Fact.published >= _paris_midnight(filters.since))
    if filters.until:
        query = query.where(Fact.published < _paris_midnight(filters.until + timedelta(days=1)))
    return query


def alert_page(
    session: Session,
    filters: AlertFilters,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    *,
    count: bool = True,
) -> AlertPage:
    """One page of alerts, newest publication first, and the cursor of the next page."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    base = select(Alert.id, Fact.published, Fact.id).join(Fact, Fact.id == Alert.fact_id)
    query = _filtered(filters, base)
    after = parse_cursor(cursor)
    if after is not None:
        published, fact_id = after
        if published is None:
            query = query.where(Fact.published.is_(None), Fact.id < fact_id)
        else:
            bound = bindparam("after_published", published, type_=UTCDateTime())
            query = query.where(
                or_(
                    tuple_(Fact.published, Fact.id) < tuple_(bound, fact_id),
                    Fact.published.is_(None),
                )
            )
    query = query.order_by(Fact.published.desc().nulls_last(), Fact.id.desc()).limit(limit + 1)
    rows = session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    by_id = {
        a.id: a for a in session.scalars(eager_alerts().where(Alert.id.in_([r[0] for r in rows])))
    }
    ordered = [by_id[r[0]] for r in rows]
    total, exact = -1, True
    if count:
        total, exact = _count(session, filters)
    return AlertPage(
        entries=[
            {"json": alert_to_dict(a), "view": view_of(a), "article_id": a.fact.article_id}
            for a in ordered
        ],
        next_cursor=_cursor(rows[-1][1], rows[-1][2]) if more else None,
        total=total,
        total_exact=exact,
    )


def _count(session: Session, filters: AlertFilters) -> tuple[int, bool]:
    """How many alerts match, exact up to COUNT_CAP: beyond it the count would cost a scan of
    every alert for a number nobody reads to the unit ("plus de 1 000")."""
    if filters == AlertFilters():
        return session.scalar(select(func.count()).select_from(Alert)) or 0, True
    matching = _filtered(filters, select(Alert.id).join(Fact, Fact.id == Alert.fact_id))
    capped = matching.limit(COUNT_CAP + 1).subquery()
    total = session.scalar(select(func.count()).select_from(capped)) or 0
    return min(total, COUNT_CAP), total <= COUNT_CAP


@dataclass(frozen=True)
class FilterChoices:
    """The values the alerts page offers in its drop-down lists."""

    speakers: list[str]
    measures: list[str]
    outlets: list[str]


def filter_choices(session: Session) -> FilterChoices:
    """Speakers, measures and outlets present among the facts (indexed distinct reads)."""
    speakers = session.scalars(
        select(Fact.speaker).distinct().where(Fact.speaker.is_not(None)).order_by(Fact.speaker)
    ).all()
    measures = session.scalars(
        select(Fact.measure).distinct().where(Fact.measure.is_not(None)).order_by(Fact.measure)
    ).all()
    outlets = session.scalars(
        select(Article.outlet)
        .distinct()
        .where(Article.outlet.is_not(None), Article.baseline.is_(False))
        .order_by(Article.outlet)
    ).all()
    return FilterChoices(list(speakers), list(measures), list(outlets))


# --- figures over time -----------------------------------------------------------------------


def figure_points(
    session: Session,
    measure: str,
    since: date | None = None,
    until: date | None = None,
    limit: int = CHART_POINTS,
) -> list[dict[str, Any]]:
    """The reported values of one measure, newest first: each with its article and outlet, and
    whether the baseline held it (the reference points) or an alert announced it."""
    query = (
        select(Fact, Article.id, Article.outlet, Article.title, Article.url, Article.canonical_url)
        .join(Article, Article.id == Fact.article_id)
        .add_columns(Alert.id)
        .outerjoin(Alert, Alert.fact_id == Fact.id)
        .where(Fact.kind == "figure", Fact.measure == measure, Fact.value.is_not(None))
    )
    if since:
        query = query.where(Fact.published >= _paris_midnight(since))
    if until:
        query = query.where(Fact.published < _paris_midnight(until + timedelta(days=1)))
    limit = max(1, min(limit, MAX_POINTS))
    query = query.order_by(Fact.published.desc().nulls_last(), Fact.id.desc()).limit(limit)
    out = []
    for fact, article_id, outlet, title, url, canonical, alert_id in session.execute(query):
        out.append(
            {
                "fact_id": fact.id,
                "value": _number(fact.value),
                "value_high": _number(fact.value_high),
                "qualifier": fact.qualifier,
                "object": fact.object,
                "additional": bool(fact.additional),
                "claimed_by": fact.claimed_by,
                "published": fact.published.isoformat() if fact.published else None,
                "baseline": bool(fact.baseline),
                "alert_id": alert_id,
                "evidence": fact.evidence,
                "article": {
                    "id": article_id,
                    "url": canonical or url,
                    "outlet": outlet,
                    "title": title,
                },
            }
        )
    return out


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


# --- articles --------------------------------------------------------------------------------


def _fact_dict(fact: Fact, alert_id: int | None, first: Article | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "fact_id": fact.id,
        "kind": fact.kind,
        "evidence": fact.evidence,
        "published": fact.published.isoformat() if fact.published else None,
        "baseline": bool(fact.baseline),
        "alert_id": alert_id,
        "first_article": {"id": first.id, "outlet": first.outlet, "title": first.title}
        if first is not None
        else None,
    }
    if fact.kind == "figure":
        out |= {
            "value": _number(fact.value),
            "value_high": _number(fact.value_high),
            "measure": fact.measure,
            "object": fact.object,
            "qualifier": fact.qualifier,
            "additional": bool(fact.additional),
            "claimed_by": fact.claimed_by,
        }
    else:
        out |= {"speaker": fact.speaker, "quote": fact.quote}
    return out


def article_detail(session: Session, article_id: int) -> dict[str, Any] | None:
    """An article in DESIGN.md's shape, with its story, the facts it carried and its text."""
    article = session.get(Article, article_id)
    if article is None:
        return None
    original = session.get(Article, article.duplicate_of_id) if article.duplicate_of_id else None
    story = []
    if article.story_id is not None:
        story = session.scalars(
            select(Article)
            .where(Article.story_id == article.story_id, Article.id != article.id)
            .order_by(Article.published.desc().nulls_last(), Article.id.desc())
            .limit(STORY_LIMIT)
        ).all()
    first = aliased(Article)
    new = session.execute(
        select(Fact, Alert.id)
        .outerjoin(Alert, Alert.fact_id == Fact.id)
        .where(Fact.article_id == article.id)
        .order_by(Fact.id)
    ).all()
    known = session.execute(
        select(Fact, Alert.id, first)
        .join(FactMention, FactMention.fact_id == Fact.id)
        .join(first, first.id == Fact.article_id)
        .outerjoin(Alert, Alert.fact_id == Fact.id)
        .where(FactMention.article_id == article.id, Fact.article_id != article.id)
        .order_by(Fact.id)
    ).all()
    copies = session.scalars(
        select(Article).where(Article.duplicate_of_id == article.id).order_by(Article.id).limit(50)
    ).all()
    return {
        "article": article_to_dict(article, original),
        "duplicate_of_id": original.id if original is not None else None,
        "story": [article_to_dict(a) for a in story],
        "duplicates": [article_to_dict(a) for a in copies],
        "new_facts": [_fact_dict(f, alert_id, article) for f, alert_id in new],
        "known_facts": [_fact_dict(f, alert_id, orig) for f, alert_id, orig in known],
        "text": article.text,
    }


# --- feeds -----------------------------------------------------------------------------------


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def feed_overview(session: Session, now: datetime, days: int = 14) -> list[dict[str, Any]]:
    """Every feed, failing first: last fetch and status, share of 304s, entries per day, error
    count, back-off and last error, from the sources rows and the polls of the last ``days``."""
    start = (now - timedelta(days=days - 1)).date()
    window = datetime.combine(start, time(0), tzinfo=UTC)
    day = func.date(FeedFetch.fetched_at)
    per_day = session.execute(
        select(
            FeedFetch.source_id,
            day,
            func.count(),
            func.sum(case((FeedFetch.status == 304, 1), else_=0)),
            func.sum(FeedFetch.new_entries),
            func.sum(case((FeedFetch.outcome == "failed", 1), else_=0)),
        )
        .where(FeedFetch.fetched_at >= window)
        .group_by(FeedFetch.source_id, day)
    ).all()
    stats: dict[int, dict[str, Any]] = {}
    for source_id, when, polls, not_modified, entries, failed in per_day:
        row = stats.setdefault(source_id, {"polls": 0, "not_modified": 0, "failed": 0, "days": {}})
        row["polls"] += polls
        row["not_modified"] += not_modified or 0
        row["failed"] += failed or 0
        row["days"][_day(when)] = int(entries or 0)
    sources = {s.url: s for s in session.scalars(select(Source))}
    calendar = [(start + timedelta(days=i)).isoformat() for i in range(days)]
    out = []
    for health in feed_health(session, now):
        source = sources[health.url]
        row = stats.get(source.id, {"polls": 0, "not_modified": 0, "failed": 0, "days": {}})
        out.append(
            {
                "name": health.name,
                "url": health.url,
                "state": health.state,
                "last_fetched_at": _iso(source.last_fetched_at),
                "last_success_at": _iso(health.last_success_at),
                "last_status": health.last_status,
                "failing_since": _iso(health.failing_since),
                "failure_count": health.failure_count,
                "backoff_until": _iso(health.next_attempt_at)
                if health.next_attempt_at and health.next_attempt_at > now
                else None,
                "last_error": health.last_error,
                "bozo_reason": health.bozo_reason,
                "polls": row["polls"],
                "share_304": round(row["not_modified"] / row["polls"], 4) if row["polls"] else None,
                "failed_polls": row["failed"],
                "entries_per_day": [{"day": d, "entries": row["days"].get(d, 0)} for d in calendar],
            }
        )
    return out


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def parse_day(raw: str | None, name: str) -> date | None:
    """A YYYY-MM-DD query parameter, or None when empty."""
    if not raw or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise BadRequest(f"{name}: {raw!r} is not a date (YYYY-MM-DD)") from exc


def known_measures(session: Session, labelled: Sequence[str]) -> list[str]:
    """Measures with reported values, most reported first, then the watch's other measures."""
    counted = session.execute(
        select(Fact.measure, func.count())
        .where(Fact.measure.is_not(None))  # only figures have one: the index alone answers
        .group_by(Fact.measure)
        .order_by(func.count().desc(), Fact.measure)
    ).all()
    seen = [measure for measure, _ in counted]
    return seen + [m for m in labelled if m not in seen]
