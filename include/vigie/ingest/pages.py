"""From pending feed entries to stored raw pages (Article rows with status "fetched").

Each distinct link is fetched once per run, and never again once an Article holds that exact URL:
entries sharing a link (some podcasts give every item the same one) share the article. A failed
fetch is retried on the next runs, up to three attempts, its reason kept on the entry. An entry
without a link still reaches analysts when the feed gave a summary: that summary becomes the
article, marked as such. Extraction (``vigie.ingest.extract``) reads the raw page later.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from vigie.config import Settings
from vigie.ingest.http import Fetcher, FetchResult, in_threads
from vigie.store.models import Article, Entry, Source

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
SUMMARY_USED = "no link: feed summary used"
NO_LINK = "no link and no summary in the feed"


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
    from_summary: int = 0  # entries without a link whose feed summary became the article
    skipped: int = 0  # entries without a link or summary
    failed: int = 0  # pages that could not be fetched (each link once)
    failures: list[PageFailure] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)  # articles created this run

    def summary(self) -> str:
        parts = [f"{self.fetched} pages fetched"]
        if self.linked:
            parts.append(f"{self.linked} already stored")
        if self.from_summary:
            parts.append(f"{self.from_summary} from the feed summary (no link)")
        if self.skipped:
            parts.append(f"{self.skipped} skipped (no link, no summary)")
        if self.failures:
            given_up = sum(1 for f in self.failures if f.final)
            shown = ", ".join(f"{f.url} ({f.reason})" for f in self.failures[:5])
            more = f" and {self.failed - 5} more" if self.failed > 5 else ""
            later = f", {given_up} given up" if given_up else ""
            parts.append(f"{self.failed} failed{later}: {shown}{more}")
        noun = "entry" if self.entries == 1 else "entries"
        return f"{self.entries} {noun}: {', '.join(parts)}"


def _due(session: Session, limit: int | None) -> list[Entry]:
    query = (
        select(Entry)
        .where(
            or_(
                Entry.status == "pending",
                and_(Entry.status == "failed", Entry.attempts < MAX_ATTEMPTS),
            )
        )
        .order_by(Entry.id)
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
) -> PageReport:
    """Fetch the pages of pending entries (and of failed ones with attempts left) into articles.

    Downloads run in ``workers`` threads; every database write happens on this thread, one commit
    per page, so an interrupted run keeps what it stored.
    """
    fetcher = fetcher or Fetcher(settings)
    report = PageReport()
    entries = _due(session, limit)
    report.entries = len(entries)
    by_link: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.link:
            by_link.setdefault(entry.link, []).append(entry)
        else:
            _without_link(session, entry, report)
    session.commit()
    to_fetch = []
    for link, group in by_link.items():
        existing = session.scalar(select(Article.id).where(Article.url == link).limit(1))
        if existing is not None:
            for entry in group:
                _fetched(entry, existing)
            report.linked += len(group)
        else:
            to_fetch.append(link)
    session.commit()
    for link, result in in_threads(lambda url: fetcher.get(url, kind="page"), to_fetch, workers):
        _store(session, by_link[link], result, report)
        session.commit()
    for failure in report.failures:
        log.warning("page %s: %s", failure.url, failure.reason)
    log.info("%s", report.summary())
    return report


def _without_link(session: Session, entry: Entry, report: PageReport) -> None:
    entry.status = "skipped"
    if not entry.summary or not entry.summary.strip():
        entry.reason = NO_LINK
        report.skipped += 1
        return
    source = entry.source
    article = Article(
        url=_summary_url(source, entry),
        canonical_url=None,
        outlet=source.name,
        title=entry.title,
        published=entry.published,
        status="fetched",
        reason=SUMMARY_USED,
        raw_content_type="text/html; charset=utf-8",
        raw_fetched_at=datetime.now(UTC),
    )
    article.raw = _summary_page(entry, source.language or "fr")
    session.add(article)
    session.flush()
    entry.article_id, entry.reason = article.id, SUMMARY_USED
    report.from_summary += 1
    report.article_ids.append(article.id)


def _fetched(entry: Entry, article_id: int) -> None:
    """Link an entry to its article; a past failure's reason goes, the feed's notes stay."""
    if entry.status == "failed":
        entry.reason = None
    entry.article_id, entry.status = article_id, "fetched"


def _store(session: Session, group: list[Entry], result: FetchResult, report: PageReport) -> None:
    first = group[0]
    if not result.ok or not result.body:
        reason = result.error or f"HTTP {result.status}"
        for entry in group:
            entry.attempts = (entry.attempts or 0) + 1
            entry.status = "failed"
            final = entry.attempts >= MAX_ATTEMPTS
            entry.reason = (
                f"gave up after {entry.attempts} attempts: {reason}" if final else reason
            )[:2000]
        report.failures.append(PageFailure(first.link or "", reason, final))
        report.failed += 1
        return
    article = Article(
        url=first.link,
        canonical_url=None,
        outlet=first.source.name,
        title=first.title,
        published=first.published,
        status="fetched",
        raw_content_type=(result.content_type or "")[:200] or None,
        raw_fetched_at=datetime.now(UTC),
    )
    article.raw = result.body
    session.add(article)
    session.flush()
    for entry in group:
        entry.attempts = (entry.attempts or 0) + 1
        _fetched(entry, article.id)
    report.fetched += 1
    report.linked += len(group) - 1
    report.article_ids.append(article.id)
