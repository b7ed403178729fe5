"""Feeds with a memory: the sources file, and polling feeds politely into Entry rows.

A feed is asked with its validators (ETag, Last-Modified), so an unchanged feed costs one 304 and no
parsing; validators are saved in the same commit as the entries they describe, so a run that fails
while storing asks again next time. A failing feed backs off (growing, jittered delays up to
``max_feed_backoff_hours``), a 410 retires it, a 301/308 moves it; every poll leaves a FeedFetch
row for operators. Each entry gets a stable identity (guid, else link, else a hash of title and
summary), unique per source: a feed repeating a GUID keeps the first item.

The sources file is validated (pydantic) with the offending line named; a source may say how sure
its address is (``verified``, ``note``), be kept unpolled (``enabled: false``) and carry its own
politeness (``min_interval_minutes``). ``check_sources`` asks every listed address once, for an
operator with network (``vigie feeds --check``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urljoin, urlsplit

import feedparser
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.dataclasses import dataclass as validated
from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.config import Settings
from vigie.dates import parse_datetime
from vigie.ingest.http import Fetcher, FetchResult, in_threads
from vigie.retry import next_attempt_in
from vigie.store.models import Entry, FeedFetch, Source

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(minutes=5)
REMOVED_FROM_FILE = "removed from the sources file"
DISABLED_IN_FILE = "disabled in the sources file (enabled: false)"
_FILE_REASONS = (REMOVED_FROM_FILE, DISABLED_IN_FILE)
_MAX_IDENTITY = 500
_MAX_URL = 2000
_FUTURE_SLACK = timedelta(days=1)
# faults that say nothing about the document's structure: a feed with them is still a feed
_SOFT_FAULTS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


# --- the sources file --------------------------------------------------------------------------


class SourcesError(ValueError):
    """The sources file is not what DESIGN.md describes; the message names the file and line."""


_FIELDS = ("name", "url", "language", "enabled", "verified", "note", "min_interval_minutes")


@validated(frozen=True, config=ConfigDict(extra="forbid", str_strip_whitespace=True))
class SourceSpec:
    """One feed as the operator lists it, validated field by field.

    ``verified`` says whether the address was confirmed (a public feed list, a status table, a
    successful ``vigie feeds --check``); ``note`` says on what evidence, or why it is doubted.
    ``enabled: false`` keeps a source in the file without polling it. ``min_interval_minutes``
    is the feed's politeness: it is not asked more often than that, whatever the schedule.
    """

    name: Annotated[str, Field(min_length=1, max_length=300)]
    url: Annotated[str, Field(min_length=1, max_length=2000)]
    language: Annotated[str, Field(min_length=2, max_length=10)] = "fr"
    enabled: bool = True
    verified: bool = True
    note: str | None = None
    min_interval_minutes: Annotated[int, Field(ge=1, le=1440)] | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"url {url!r} is not an http(s) URL")
        return url


class SourcesFile(BaseModel):
    """The sources file as a whole (DESIGN.md, "Sources file"), validated as the watch is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: list[SourceSpec]


Lines = dict[tuple[int | str, ...], int]


def _plain(node: yaml.Node, where: tuple[int | str, ...], lines: Lines) -> Any:
    """The YAML as plain data, scalars as their text (``language: no`` stays "no"), and the
    line of every key and item in ``lines``, so a validation error can name its line."""
    lines.setdefault(where, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key, value in node.value:
            lines[(*where, key.value)] = key.start_mark.line + 1
            out[key.value] = _plain(value, (*where, key.value), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, (*where, n), lines) for n, item in enumerate(node.value)]
    return node.value.strip() or None


_UNKNOWN_KEY = ("extra_forbidden", "unexpected_keyword_argument")


def _problem(error: Any) -> str:
    """One validation error in the words of the sources file."""
    loc, kind = tuple(error["loc"]), error["type"]
    key = str(loc[-1]) if loc else ""
    if not loc:
        return "expected a mapping with a 'sources' list at the top"
    if loc == ("sources",):
        return "'sources' must be a list of {name, url, language}"
    if len(loc) == 2:
        return "each source must be a mapping with name, url and language"
    if kind in _UNKNOWN_KEY:
        if len(loc) == 1:
            return f"unknown key {key!r} (only 'sources' is read)"
        return f"unknown key {key!r} (expected {', '.join(_FIELDS)})"
    if kind == "missing":
        return f"source without {key!r}"
    if kind in ("string_type", "string_too_short"):
        return f"{key!r} must be a non-empty text"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return f"{key!r}: {error['msg']}"


def load_sources(path: Path) -> list[SourceSpec]:
    """The feeds of a sources file (``sources: [{name, url, …}]``), checked line by line."""
    path = Path(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read the sources file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: not valid YAML: {exc}") from exc
    lines: Lines = {}
    data = _plain(root, (), lines) if root is not None else None
    try:
        specs = SourcesFile.model_validate(data).sources
    except ValidationError as exc:
        # an unknown key first: a misspelt key also leaves the right one missing
        error = min(exc.errors(), key=lambda e: e["type"] not in _UNKNOWN_KEY)
        loc = tuple(error["loc"])
        if error["type"] == "missing":
            loc = loc[:-1]  # a missing key is on its source's line
        line = next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), None)
        where = f":{line}" if line else ""
        raise SourcesError(f"{path}{where}: {_problem(error)}") from None
    seen: dict[str, int] = {}
    for number, spec in enumerate(specs):
        line = lines[("sources", number)]
        if spec.url in seen:
            raise SourcesError(
                f"{path}:{line}: url {spec.url!r} already listed on line {seen[spec.url]}"
            )
        seen[spec.url] = line
    return specs


def sync_sources(session: Session, specs: Iterable[SourceSpec]) -> int:
    """Make the store's sources follow the file; returns how many were added.

    History is never deleted: a source dropped from the file (or ``enabled: false``) is
    deactivated (and comes back if listed again), a feed that moved keeps answering to its old
    URL, names and politeness follow the file.
    """
    specs = list(specs)
    listed = {spec.url for spec in specs if spec.enabled}
    known = {s.url: s for s in session.scalars(select(Source))}
    moved = {s.previous_url: s for s in known.values() if s.previous_url}
    added = 0
    for spec in specs:
        source = known.get(spec.url) or moved.get(spec.url)
        if source is None:
            if not spec.enabled:
                continue
            session.add(
                Source(
                    name=spec.name,
                    url=spec.url,
                    language=spec.language,
                    min_interval_minutes=spec.min_interval_minutes,
                )
            )
            added += 1
            continue
        source.name, source.language = spec.name, spec.language
        source.min_interval_minutes = spec.min_interval_minutes
        if spec.enabled and not source.active and source.retired_reason in _FILE_REASONS:
            source.active, source.retired_reason = True, None
    for source in known.values():
        if source.active and source.url not in listed and source.previous_url not in listed:
            disabled = any(
                not s.enabled and s.url in (source.url, source.previous_url) for s in specs
            )
            source.active = False
            source.retired_reason = DISABLED_IN_FILE if disabled else REMOVED_FROM_FILE
    session.commit()
    return added


# --- parsing (pure) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedEntry:
    identity: str
    link: str | None
    title: str | None
    summary: str | None
    published: datetime | None
    note: str | None = None  # what was missing or odd, kept on the Entry row


@dataclass
class ParsedFeed:
    entries: list[ParsedEntry] = field(default_factory=list)
    failure: str | None = None  # why nothing usable came out
    bozo_reason: str | None = None  # what was wrong with a feed still used
    notes: list[str] = field(default_factory=list)


def _published(entry: dict, now: datetime) -> tuple[datetime | None, str | None]:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    raw = entry.get("published") or entry.get("updated")
    when = None
    if parsed:
        try:
            when = datetime(*parsed[:6], tzinfo=UTC)
        except (TypeError, ValueError):
            when = None
    if when is None and raw:
        when = parse_datetime(raw)  # RFC 822 and ISO feedparser missed, French dates
    if when is None:
        return None, f"unreadable date {raw!r}" if raw else "no date in the feed"
    if when > now + _FUTURE_SLACK:
        return None, f"date {when.isoformat()} is in the future: ignored"
    return when, None


def _identity(guid: str, link: str | None, title: str | None, summary: str | None) -> str | None:
    key = guid or link
    if not key:
        if not (title or summary):
            return None
        digest = hashlib.sha256(f"{title or ''}\n{summary or ''}".encode()).hexdigest()
        return f"sha256:{digest}"
    if len(key) > _MAX_IDENTITY:
        return f"sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def _describe_bozo(exc: object) -> str:
    text = f"{type(exc).__name__}: {exc}" if exc else "ill-formed feed"
    return text[:500]


def _looks_like_html(body: bytes, content_type: str | None) -> bool:
    head = body[:2048].lstrip().lower()
    media = (content_type or "").split(";")[0].strip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    return media in ("text/html", "application/xhtml+xml") and not head.startswith(b"<?xml")


def _text(value: object) -> str:
    """Feed text as stored: NUL characters removed (PostgreSQL refuses them in text columns)."""
    return str(value or "").replace("\x00", "")


def _as_xml_type(content_type: str | None) -> str:
    """Read feeds served as text/xml, text/plain or octet-stream as XML (RFC 7303).

    Without this, feedparser follows RFC 3023 and takes text/xml without a charset for US-ASCII,
    which breaks UTF-16 feeds, and flags every text/plain feed; real servers send both.
    """
    media, _, params = (content_type or "").partition(";")
    if media.strip().lower() in ("", "text/xml", "text/plain", "application/octet-stream"):
        return "application/xml" + (f";{params}" if "charset" in params.lower() else "")
    return content_type or "application/xml"


def parse_feed(
    body: bytes, headers: dict[str, str] | None, url: str, now: datetime | None = None
) -> ParsedFeed:
    """Entries of a feed document; bytes and response headers in, never a URL (no I/O here)."""
    now = now or datetime.now(UTC)
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    response_headers["content-type"] = _as_xml_type(response_headers.get("content-type"))
    response_headers["content-location"] = urljoin(
        url, response_headers.get("content-location", "")
    )
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
    except Exception as exc:  # feedparser promises not to raise; a bug there must not stop the run
        log.exception("feedparser raised on %s", url)
        return ParsedFeed(failure=f"feed parser crashed: {type(exc).__name__}: {exc}"[:500])
    fault = parsed.get("bozo_exception") if parsed.get("bozo") else None
    bozo = _describe_bozo(fault) if parsed.get("bozo") else None
    result = ParsedFeed(bozo_reason=bozo)
    if not parsed.entries:
        if _looks_like_html(body, (headers or {}).get("content-type")):
            result.failure = "not a feed: an HTML page was served"
        elif not parsed.get("version"):
            result.failure = f"not a feed: {bozo or 'no RSS or Atom document found'}"
        elif bozo and not isinstance(fault, _SOFT_FAULTS):
            result.failure = f"no entries in an ill-formed feed: {bozo}"
        return result
    seen: set[str] = set()
    duplicates = nameless = undated = 0
    for item in parsed.entries:
        guid = _text(item.get("id")).strip()
        link = _text(item.get("link")).strip() or None
        title = " ".join(_text(item.get("title")).split()) or None
        summary = _text(item.get("summary")) or None
        if not summary and item.get("content"):
            summary = _text(item["content"][0].get("value")) or None
        notes = []
        if link and len(link) > _MAX_URL:
            link, notes = None, ["link longer than 2000 characters: dropped"]
        identity = _identity(guid, link, title, summary)
        if identity is None:
            nameless += 1
            continue
        if identity in seen:
            duplicates += 1
            continue
        seen.add(identity)
        published, date_note = _published(item, now)
        if date_note:
            undated += 1
            notes.append(date_note)
        if not link:
            notes.append("no link in the feed")
        if not title:
            notes.append("no title in the feed")
        result.entries.append(
            ParsedEntry(identity, link, title, summary, published, "; ".join(notes) or None)
        )
    if duplicates:
        result.notes.append(f"{duplicates} repeated GUID(s) ignored, first kept")
    if nameless:
        result.notes.append(f"{nameless} item(s) with no guid, link, title or summary ignored")
    if undated:
        result.notes.append(f"{undated} item(s) without a usable date")
    if not result.entries:
        result.failure = "; ".join(result.notes) or "no usable item"
    return result


# --- back-off (pure) -----------------------------------------------------------------------------


def feed_backoff(
    failures: int,
    settings: Settings,
    rng: random.Random | None = None,
    retry_after: float | None = None,
) -> timedelta:
    """How long a feed rests after ``failures`` failures in a row: doubling, jittered, capped;
    longer when the server asked so (``Retry-After``)."""
    cap = timedelta(hours=settings.max_feed_backoff_hours)
    return next_attempt_in(failures, retry_after, BACKOFF_BASE, cap, jitter=0.15, rng=rng)


# --- polling -------------------------------------------------------------------------------------


@dataclass
class FeedOutcome:
    name: str
    url: str
    outcome: str  # new | unchanged | empty | failed | deferred | resting | retired
    status: int | None = None
    new_entries: int = 0
    reason: str | None = None


@dataclass
class FeedReport:
    """What one polling run did to each feed; ``summary()`` is the line operators read.

    The counters mirror ``feeds`` so that the report's plain numbers travel as they are (XCom).
    """

    feeds: list[FeedOutcome] = field(default_factory=list)
    polled: int = 0
    new: int = 0
    unchanged: int = 0
    empty: int = 0
    failed: int = 0
    deferred: int = 0
    resting: int = 0  # not asked this run: the feed's own minimum interval has not passed
    retired: int = 0
    new_entries: int = 0

    def add(self, outcome: FeedOutcome) -> None:
        self.feeds.append(outcome)
        setattr(self, outcome.outcome, getattr(self, outcome.outcome) + 1)
        self.polled += outcome.outcome not in ("deferred", "resting")
        self.new_entries += outcome.new_entries

    def summary(self) -> str:
        parts = []
        if self.new:
            parts.append(f"{self.new} with new entries ({self.new_entries} entries)")
        if self.unchanged:
            not_modified = sum(
                1 for f in self.feeds if f.outcome == "unchanged" and f.status == 304
            )
            detail = "304" if not_modified == self.unchanged else f"{not_modified} × 304"
            parts.append(f"{self.unchanged} unchanged" + (f" ({detail})" if not_modified else ""))
        if self.empty:
            parts.append(f"{self.empty} empty")
        if self.deferred:
            parts.append(f"{self.deferred} deferred (backing off)")
        if self.resting:
            parts.append(f"{self.resting} resting (their polite interval)")
        for outcome in ("retired", "failed"):
            named = sorted(f"{f.name} ({f.reason})" for f in self.feeds if f.outcome == outcome)
            if named:
                parts.append(f"{len(named)} {outcome}: {', '.join(named)}")
        feeds = f"{len(self.feeds)} feed{'s' if len(self.feeds) != 1 else ''}"
        return f"{feeds}: {', '.join(parts)}" if parts else f"{feeds}: nothing to do"


@dataclass(frozen=True)
class _Job:
    """What a worker thread needs to poll one feed (plain data: no ORM object crosses threads)."""

    source_id: int
    url: str
    etag: str | None
    last_modified: str | None


@dataclass
class _Polled:
    result: FetchResult
    parsed: ParsedFeed | None


def _poll(fetcher: Fetcher, job: _Job, now: datetime) -> _Polled:
    result = fetcher.get(job.url, etag=job.etag, last_modified=job.last_modified, kind="feed")
    if not result.ok or result.status == 304:
        return _Polled(result, None)
    return _Polled(result, parse_feed(result.body, dict(result.headers), result.url, now))


def _resting(source: Source, now: datetime) -> str | None:
    """Why the feed's own politeness says not yet (its ``min_interval_minutes``), or None."""
    if not source.min_interval_minutes or source.last_fetched_at is None:
        return None
    due = source.last_fetched_at + timedelta(minutes=source.min_interval_minutes)
    if due <= now:
        return None
    return f"polled at most every {source.min_interval_minutes} min: next after {due:%H:%M} UTC"


def poll_feeds(
    session: Session,
    settings: Settings,
    *,
    fetcher: Fetcher | None = None,
    now: datetime | None = None,
    workers: int = 4,
) -> FeedReport:
    """Poll every active source that is due; store new entries; one FeedFetch row per source.

    Sources come from the store (``sync_sources`` puts the file there). Network I/O and parsing run
    in ``workers`` threads; every database write happens here, one commit per feed.
    """
    now = now or datetime.now(UTC)
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    report = FeedReport()
    due: list[_Job] = []
    for source in session.scalars(select(Source).where(Source.active).order_by(Source.id)):
        if _resting(source, now):
            report.add(
                FeedOutcome(source.name, source.url, "resting", reason=_resting(source, now))
            )
        elif source.next_attempt_at is not None and source.next_attempt_at > now:
            reason = (
                f"backing off until {source.next_attempt_at:%Y-%m-%d %H:%M} UTC after "
                f"{source.failure_count} failure(s): {source.last_error}"
            )
            session.add(
                FeedFetch(source_id=source.id, fetched_at=now, outcome="deferred", reason=reason)
            )
            report.add(FeedOutcome(source.name, source.url, "deferred", reason=reason))
        else:
            due.append(_Job(source.id, source.url, source.etag, source.last_modified))
    session.commit()
    try:
        for job, polled in in_threads(lambda j: _poll(fetcher, j, now), due, workers):
            report.add(_record(session, settings, job, polled, now))
    finally:
        if own_fetcher:
            fetcher.close()
    for outcome in report.feeds:
        if outcome.outcome in ("failed", "retired"):
            log.warning("feed %s (%s): %s", outcome.name, outcome.url, outcome.reason)
    log.info("%s", report.summary())
    return report


def _record(
    session: Session, settings: Settings, job: _Job, polled: _Polled, now: datetime
) -> FeedOutcome:
    """Write what one poll learnt, in one commit; a failure to store is itself recorded."""
    try:
        outcome = _apply(session, settings, job, polled, now)
        session.commit()
        return outcome
    except Exception as exc:  # one feed's bad luck must not stop the run
        session.rollback()
        log.exception("could not store feed %s", job.url)
        reason = f"could not store entries: {type(exc).__name__}: {exc}"[:500]
        source = session.get(Source, job.source_id)
        _fail(source, settings, reason, polled.result, now)
        session.add(_fetch_row(source, now, "failed", polled.result, 0, reason))
        session.commit()
        return FeedOutcome(source.name, job.url, "failed", polled.result.status, 0, reason)


def _fetch_row(
    source: Source, now: datetime, outcome: str, result: FetchResult, new: int, reason: str | None
) -> FeedFetch:
    return FeedFetch(
        source_id=source.id,
        fetched_at=now,
        outcome=outcome,
        status=result.status,
        new_entries=new,
        reason=reason,
        duration_ms=result.elapsed_ms,
    )


def _apply(
    session: Session, settings: Settings, job: _Job, polled: _Polled, now: datetime
) -> FeedOutcome:
    source = session.get(Source, job.source_id)
    result = polled.result
    source.last_fetched_at = now
    source.last_status = result.status

    def done(outcome: str, new: int = 0, reason: str | None = None) -> FeedOutcome:
        session.add(_fetch_row(source, now, outcome, result, new, reason))
        return FeedOutcome(source.name, source.url, outcome, result.status, new, reason)

    if result.status == 410:
        source.active = False
        source.retired_reason = f"HTTP 410 Gone on {now:%Y-%m-%d}: the publisher removed the feed"
        return done("retired", reason="HTTP 410 Gone")
    failure = result.error if not result.ok else (polled.parsed and polled.parsed.failure)
    if failure:
        _fail(source, settings, failure, result, now)
        return done("failed", reason=failure)
    moved = _follow_move(session, source, result)
    source.failure_count, source.failing_since, source.next_attempt_at = 0, None, None
    source.last_error = None
    source.last_success_at = now
    if result.status == 304:
        return done("unchanged", reason=moved)
    parsed = polled.parsed
    assert parsed is not None  # a 2xx always carries a parse
    new = _add_entries(session, source, parsed.entries, now)
    source.bozo_reason = parsed.bozo_reason
    source.etag = _fits(result.headers.get("etag"), 500)
    source.last_modified = _fits(result.headers.get("last-modified"), 100)
    reason = (
        "; ".join(
            filter(
                None,
                [
                    moved,
                    parsed.bozo_reason and f"ill-formed but used: {parsed.bozo_reason}",
                    *parsed.notes,
                ],
            )
        )
        or None
    )
    if not parsed.entries:
        return done("empty", reason=reason)
    return done("new" if new else "unchanged", new, reason)


def _fits(value: str | None, size: int) -> str | None:
    return value if value and len(value) <= size else None


def _follow_move(session: Session, source: Source, result: FetchResult) -> str | None:
    """A 301/308 moves the feed for good: remember where it was."""
    target = result.permanent_redirect
    if not target or target == source.url:
        return None
    if len(target) > _MAX_URL:
        return f"moved permanently to a URL too long to keep ({len(target)} characters)"
    taken = session.scalar(select(Source.id).where(Source.url == target, Source.id != source.id))
    if taken is not None:
        return f"moved permanently to {target}, already polled as another source"
    source.previous_url, source.url = source.url, target
    source.etag = source.last_modified = None
    return f"moved permanently to {target}"


def _fail(
    source: Source, settings: Settings, reason: str, result: FetchResult, now: datetime
) -> None:
    source.failure_count = (source.failure_count or 0) + 1
    source.failing_since = source.failing_since or now
    source.last_error = reason
    rest = feed_backoff(source.failure_count, settings, retry_after=result.retry_after)
    source.next_attempt_at = now + rest


def _add_entries(
    session: Session, source: Source, entries: list[ParsedEntry], now: datetime
) -> int:
    """Insert the entries not yet stored for this source; returns how many were new."""
    identities = [e.identity for e in entries]
    known: set[str] = set()
    for start in range(0, len(identities), 500):
        chunk = identities[start : start + 500]
        known.update(
            session.scalars(
                select(Entry.identity).where(
                    Entry.source_id == source.id, Entry.identity.in_(chunk)
                )
            )
        )
    new = [e for e in entries if e.identity not in known]
    session.add_all(
        Entry(
            source_id=source.id,
            identity=e.identity,
            link=e.link,
            title=e.title,
            summary=e.summary,
            published=e.published,
            first_seen_at=now,
            status="pending",
            reason=e.note,
        )
        for e in new
    )
    session.flush()
    return len(new)


# --- checking the addresses (vigie feeds --check) -------------------------------------------------


@dataclass(frozen=True)
class SourceCheck:
    """What one source's address answered when asked once, for an operator deciding on it."""

    name: str
    url: str
    verified: bool
    enabled: bool
    ok: bool
    status: int | None
    answer: str  # "RSS feed, 25 items", "HTTP 404 (permanent)", "not a feed: an HTML page…"
    moved_to: str | None = None


def check_sources(
    specs: Iterable[SourceSpec], settings: Settings, *, fetcher: Fetcher | None = None
) -> list[SourceCheck]:
    """Ask every listed address once (enabled or not, no validators) and say what it answered.

    Nothing is stored: this is for an operator with network deciding which addresses to keep.
    """
    specs = list(specs)
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings, retries=0)
    now = datetime.now(UTC)
    checks: dict[str, SourceCheck] = {}
    try:
        for spec, result in in_threads(lambda s: fetcher.get(s.url, kind="feed"), specs, workers=4):
            checks[spec.url] = _checked(spec, result, now)
    finally:
        if own_fetcher:
            fetcher.close()
    return [checks[spec.url] for spec in specs]


def _checked(spec: SourceSpec, result: FetchResult, now: datetime) -> SourceCheck:
    moved = result.permanent_redirect if result.permanent_redirect != spec.url else None
    if not result.ok:
        kind = " (permanent)" if result.permanent else ""
        answer, ok = f"{result.error or f'HTTP {result.status}'}{kind}", False
    else:
        parsed = parse_feed(result.body, dict(result.headers), result.url, now)
        if parsed.failure:
            answer, ok = parsed.failure, False
        else:
            answer, ok = f"a feed, {len(parsed.entries)} items", True
            if parsed.bozo_reason:
                answer += f" (ill-formed but usable: {parsed.bozo_reason})"
    return SourceCheck(
        spec.name, spec.url, spec.verified, spec.enabled, ok, result.status, answer[:300], moved
    )
