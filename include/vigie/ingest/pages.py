"""From pending feed entries to stored raw pages: every link ends as an Article row.

Each distinct link is fetched once per run and has one Article, whatever became of it, so
``vigie articles --json`` lists every page with its status and reason: ``fetched`` (raw bytes
stored for extraction), ``failed`` (with the reason and the attempts), ``skipped`` (nothing to
read, said why). Entries sharing a link (some podcasts give every item the same one) share it.

Failures are of two kinds. Permanent ones (404, 410 and other client errors, a binary or
oversized body, a gzip bomb, a redirect to a refused address, a redirect loop) end the page for
good: it is never asked for again, even when another feed links to it. Transient ones (timeouts,
5xx, 429, lost connections) are retried on a later run, never the next one: after a growing wait
(``RETRY_BASE`` doubling, or the server's ``Retry-After`` when longer), at most ``MAX_ATTEMPTS``
times. An empty page, or an entry without a link, uses the feed's summary when there is one and
is skipped, with the reason, when there is none. Extraction (``vigie.ingest.extract_stage``)
reads the stored raw page later, or at once when ``vigie.ingest.stream`` runs both stages.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.config import Settings
from vigie.ingest.http import Fetcher, FetchResult, in_threads
from vigie.retry import next_attempt_in
from vigie.store.models import Article, Entry, Source

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
RETRY_BASE = timedelta(minutes=30)
RETRY_CAP = timedelta(hours=24)
SUMMARY_USED = "no link: feed summary used"
NO_LINK = "no link and no summary in the feed"
EMPTY_SUMMARY_USED = "empty page: feed summary used"
EMPTY_SKIPPED = "empty page and no summary in the feed: skipped"
_EMPTY = "empty response body"


@dataclass
class PageFailure:
    url: str
    reason: str
    final: bool  # no more attempts will be made


@dataclass
class PageReport:
    """What one run did; ``summary()`` is the line operators read."""

    entries: int = 0
    fetched: int = 0  # pages downloaded and stored as new articles
    linked: int = 0  # entries whose URL was already an article: linked, not fetched again
    retried: int = 0  # pages whose earlier failure was transient, asked again this run
    from_summary: int = 0  # entries without a link or with an empty page: feed summary used
    skipped: int = 0  # entries without a link or summary, or with an empty page and no summary
    failed: int = 0  # pages that could not be fetched (each link once)
    failures: list[PageFailure] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)  # articles stored for extraction

    def summary(self) -> str:
        parts = [f"{self.fetched} pages fetched"]
        if self.retried:
            parts.append(f"{self.retried} asked again after a transient failure")
        if self.linked:
            parts.append(f"{self.linked} already stored")
        if self.from_summary:
            parts.append(f"{self.from_summary} from the feed summary (no link or empty page)")
        if self.skipped:
            parts.append(f"{self.skipped} skipped (nothing to read)")
        if self.failures:
            given_up = sum(1 for f in self.failures if f.final)
            shown = ", ".join(f"{f.url} ({f.reason})" for f in self.failures[:5])
            more = f" and {self.failed - 5} more" if self.failed > 5 else ""
            later = f", {given_up} given up" if given_up else ""
            parts.append(f"{self.failed} failed{later}: {shown}{more}")
        noun = "entry" if self.entries == 1 else "entries"
        return f"{self.entries} {noun}: {', '.join(parts)}"


def retry_wait(attempts: int, retry_after: float | None) -> timedelta:
    """How long a page rests after its ``attempts``-th transient failure.

    30 minutes, doubling, at most a day; longer when the server's Retry-After asks for more.
    Even the first wait is longer than the monitoring schedule, so the run right after a failure
    never asks again.
    """
    return next_attempt_in(attempts, retry_after, RETRY_BASE, RETRY_CAP)


def _pending(session: Session, limit: int | None) -> list[Entry]:
    query = select(Entry).where(Entry.status == "pending").order_by(Entry.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def _due_retries(session: Session, now: datetime, limit: int | None) -> list[Article]:
    query = (
        select(Article)
        .where(
            Article.status == "failed",
            Article.next_attempt_at.is_not(None),
            Article.next_attempt_at <= now,
        )
        .order_by(Article.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def _summary_page(entry: Entry, language: str) -> bytes:
    """The feed summary as a small HTML document, so extraction reads it like any page."""
    title = html.escape(entry.title or "")
    return (
        f'<!DOCTYPE html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{entry.summary}</article></body></html>"
    ).encode()


def _summary_url(source: Source, entry: Entry) -> str:
    """Where a link-less item lives: its feed, with the item's identity as the fragment."""
    return f"{source.url}#entry={quote(entry.identity, safe='')}"[:2000]


def fetch_pages(
    session: Session,
    settings: Settings,
    *,
    fetcher: Fetcher | None = None,
    limit: int | None = None,
    workers: int = 4,
    now: datetime | None = None,
) -> PageReport:
    """Fetch the pages of pending entries, and of transient failures whose wait is over.

    Downloads run in ``workers`` threads; every database write happens on this thread, one commit
    per page, so an interrupted run keeps what it stored.
    """
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    try:
        run = PageRun.start(session, fetcher, limit=limit, now=now)
        for link, result in in_threads(run.fetch, run.links, workers):
            run.store(link, result)
            session.commit()
    finally:
        if own_fetcher:
            fetcher.close()
    return run.finish()


@dataclass
class PageRun:
    """One run of the page stage, in its steps: ``start`` settles what needs no download and
    lists the links to fetch, ``fetch`` downloads one (from any thread), ``store`` writes its
    result (on the session's thread; the caller commits), ``finish`` logs the run.
    ``fetch_pages`` runs them in turn; ``vigie.ingest.stream`` hands each stored page on to
    extraction as it comes. The pages stored for extraction are ``report.article_ids``, in the
    order they were stored."""

    session: Session
    fetcher: Fetcher
    now: datetime
    report: PageReport
    jobs: dict[str, tuple[list[Entry], Article | None]]
    stored: list[Article] = field(default_factory=list)  # for extraction, in the order stored

    @classmethod
    def start(
        cls,
        session: Session,
        fetcher: Fetcher,
        *,
        limit: int | None = None,
        now: datetime | None = None,
    ) -> PageRun:
        """Read the pending entries: link-less ones use their summary, links already stored are
        shared, the rest (and the retries that are due) are to fetch. Commits."""
        now = now or datetime.now(UTC)
        report = PageReport()
        entries = _pending(session, limit)
        report.entries = len(entries)
        by_link: dict[str, list[Entry]] = {}
        for entry in entries:
            if entry.link:
                by_link.setdefault(entry.link, []).append(entry)
            else:
                _without_link(session, entry, report)
        session.commit()
        jobs: dict[str, tuple[list[Entry], Article | None]] = {}
        known = _articles_at(session, list(by_link))
        for link, group in by_link.items():
            existing = known.get(link)
            if existing is not None:
                for entry in group:
                    _link(entry, existing)
                report.linked += len(group)
            else:
                jobs[link] = (group, None)
        session.commit()
        for article in _due_retries(session, now, limit):
            waiting = list(session.scalars(select(Entry).where(Entry.article_id == article.id)))
            jobs.setdefault(article.url, (waiting, article))
            report.retried += 1
        return cls(session, fetcher, now, report, jobs)

    @property
    def links(self) -> list[str]:
        return list(self.jobs)

    def fetch(self, link: str) -> FetchResult:
        return self.fetcher.get(link, kind="page")

    def store(self, link: str, result: FetchResult) -> tuple[Article, Entry] | None:
        """Write one download's outcome; returns the article stored for extraction, if any, with
        its first feed entry (where extraction takes a fallback title and summary from)."""
        group, article = self.jobs[link]
        stored = _store(self.session, link, group, article, result, self.report, self.now)
        if stored is None:
            return None
        self.stored.append(stored)
        return stored, min(group, key=lambda entry: entry.id)

    def finish(self) -> PageReport:
        self.session.flush()  # pages are stored unflushed: their ids come with the next flush
        self.report.article_ids.extend(article.id for article in self.stored)
        for failure in self.report.failures:
            log.warning("page %s: %s", failure.url, failure.reason)
        log.info("%s", self.report.summary())
        return self.report


def _articles_at(session: Session, links: list[str]) -> dict[str, Article]:
    """The first article stored under each of these links: one query per thousand links."""
    found: dict[str, Article] = {}
    for start in range(0, len(links), 1000):
        rows = session.scalars(
            select(Article).where(Article.url.in_(links[start : start + 1000])).order_by(Article.id)
        )
        for article in rows:
            found.setdefault(article.url, article)
    return found


def _link(entry: Entry, article: Article) -> None:
    """An entry whose link is already an article shares its fate: fetched, failed or skipped."""
    entry.article = article
    if article.status in ("failed", "skipped"):
        entry.status, entry.reason = article.status, article.reason
    else:
        if entry.status == "failed":
            entry.reason = None
        entry.status = "fetched"


def _without_link(session: Session, entry: Entry, report: PageReport) -> None:
    source = entry.source
    used = _from_summary(session, entry, source, _summary_url(source, entry), SUMMARY_USED)
    if used is None:
        article = _article(entry, _summary_url(source, entry), "skipped", NO_LINK)
        session.add(article)
        session.flush()
        entry.article_id = article.id
        report.skipped += 1
    else:
        report.from_summary += 1
        report.article_ids.append(used.id)
    entry.status, entry.reason = "skipped", NO_LINK if used is None else SUMMARY_USED


def _article(entry: Entry, url: str, status: str, reason: str | None) -> Article:
    return Article(
        url=url,
        canonical_url=None,
        outlet=entry.source.name,
        title=entry.title,
        published=entry.published,
        status=status,
        reason=reason,
    )


def _from_summary(
    session: Session, entry: Entry, source: Source, url: str, reason: str
) -> Article | None:
    """The feed summary stored as the page, or None when the feed gave no summary."""
    if not entry.summary or not entry.summary.strip():
        return None
    article = _article(entry, url, "fetched", reason)
    article.raw_content_type = "text/html; charset=utf-8"
    article.raw_fetched_at = datetime.now(UTC)
    article.raw = _summary_page(entry, source.language or "fr")
    session.add(article)
    session.flush()
    entry.article_id, entry.reason = article.id, reason
    return article


def _store(
    session: Session,
    link: str,
    group: list[Entry],
    article: Article | None,
    result: FetchResult,
    report: PageReport,
    now: datetime,
) -> Article | None:
    first = group[0] if group else None
    ok = result.ok and bool(result.body)
    empty = not ok and result.error == _EMPTY
    if article is None:
        if first is None:  # an article retried with no entry left: nothing to attach to
            return None
        if empty:
            return _empty_page(session, link, group, report)
        article = _article(first, link, "failed", None)
        session.add(article)
    article.attempts = (article.attempts or 0) + 1
    if ok:
        article.status, article.reason, article.next_attempt_at = "fetched", None, None
        article.raw = result.body
        article.raw_content_type = (result.content_type or "")[:200] or None
        article.raw_fetched_at = now
        for entry in group:
            entry.attempts = (entry.attempts or 0) + 1
            _link(entry, article)
        report.fetched += 1
        report.linked += max(len(group) - 1, 0)
        return article
    error = result.error or f"HTTP {result.status}"
    final = result.permanent or empty or article.attempts >= MAX_ATTEMPTS
    if result.permanent or empty:
        article.reason, article.next_attempt_at = f"{error} (permanent: not fetched again)", None
    elif final:
        article.reason = f"gave up after {article.attempts} attempts: {error}"
        article.next_attempt_at = None
    else:
        article.next_attempt_at = now + retry_wait(article.attempts, result.retry_after)
        article.reason = (
            f"{error} (attempt {article.attempts} of {MAX_ATTEMPTS}; next after "
            f"{article.next_attempt_at:%Y-%m-%d %H:%M} UTC)"
        )
    article.status = "failed"
    article.reason = article.reason[:2000]
    for entry in group:
        entry.attempts = (entry.attempts or 0) + 1
        _link(entry, article)
    report.failures.append(PageFailure(link, error, final))
    report.failed += 1
    return None


def _empty_page(
    session: Session, link: str, group: list[Entry], report: PageReport
) -> Article | None:
    """A page that answered with nothing: the feed summary when there is one, else skipped.
    Returns the article stored for extraction (the summary), if any."""
    first = group[0]
    article = _from_summary(session, first, first.source, link, EMPTY_SUMMARY_USED)
    if article is None:
        article = _article(first, link, "skipped", EMPTY_SKIPPED)
        session.add(article)
        session.flush()
        report.skipped += 1
    else:
        report.from_summary += 1
    article.attempts = 1
    for entry in group:
        entry.attempts = (entry.attempts or 0) + 1
        entry.article_id = article.id
        entry.status, entry.reason = ("fetched", article.reason)
        if article.status == "skipped":
            entry.status = "skipped"
    return article if article.status == "fetched" else None
