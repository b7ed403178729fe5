"""The extraction stage: stored raw pages ("fetched" articles) → extraction → the store.

``extract_pending`` is what the Airflow task runs: every article waiting with status "fetched"
is extracted (``vigie.ingest.extract.extract_page``, in worker processes when asked) and stored
back with its text, metadata, language and status. Storing settles what the page's address
means: the first article to hold a canonical URL keeps it, and a later copy is deduplication's
question (``vigie.dedup.claim_canonicals``, ``settle_second_copy``). ``vigie.ingest.stream``
feeds the same storing with pages as they are fetched.
"""

from __future__ import annotations

import gc
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.config import Settings
from vigie.dedup import canonical_holders, claim_canonicals, settle_second_copy
from vigie.ingest.extract import Extracted, extract_page, warm_up
from vigie.store.models import Article, Entry, decompress_raw

BATCH = 32
OUTLET_CHARS = 300  # the size of Article.outlet
URL_CHARS = 2000  # the size of Article.canonical_url
T = TypeVar("T")


@dataclass
class ExtractReport:
    """What one run of the extraction stage did (plain data: XCom carries its counts)."""

    examined: int = 0
    new: int = 0
    skipped: int = 0
    failed: int = 0
    duplicates: int = 0
    updates: int = 0
    summary_fallbacks: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        line = (
            f"extracted {self.examined} pages: {self.new} new, {self.skipped} skipped, "
            f"{self.failed} failed, {self.duplicates} second copies ({self.updates} updates), "
            f"{self.summary_fallbacks} from summaries"
        )
        if self.reasons:
            top = ", ".join(f"{reason} ×{n}" for reason, n in self.reasons.most_common(3))
            line += f"; {top}"
        return line


@dataclass(frozen=True)
class ExtractJob:
    """What a worker process needs to extract one stored page: plain data, cheap to ship."""

    raw_compressed: bytes | None  # as stored (``Article.raw``): a fifth of the page to ship
    url: str
    content_type: str | None
    fallback_title: str | None
    fallback_summary: str | None
    language_gate: bool


def run_job(job: ExtractJob) -> Extracted:
    """Extract one job's page (in a worker process, or here)."""
    return extract_page(
        decompress_raw(job.raw_compressed) or b"",
        job.url,
        job.content_type,
        fallback_title=job.fallback_title,
        fallback_summary=job.fallback_summary,
        language_gate=job.language_gate,
    )


def job_for(article: Article, entry: Entry | None, language_gate: bool) -> ExtractJob:
    """The job of a stored article; its feed entry gives the fallback title and summary."""
    return ExtractJob(
        raw_compressed=article.raw_compressed,
        url=article.url,
        content_type=article.raw_content_type,
        fallback_title=(entry.title if entry else None) or article.title,
        fallback_summary=entry.summary if entry else None,
        language_gate=language_gate,
    )


def done_now(function: Callable[..., T], *args: Any) -> Future[T]:
    """``function(*args)`` run here, as a finished future: the path without worker processes
    looks like the path with them (an exception is kept for ``result()``, as a worker's is)."""
    future: Future[T] = Future()
    try:
        future.set_result(function(*args))
    except Exception as exc:
        future.set_exception(exc)
    return future


def pending_ids(session: Session, limit: int | None = None) -> list[int]:
    """The articles waiting for extraction (status "fetched"), oldest first."""
    query = select(Article.id).where(Article.status == "fetched").order_by(Article.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def entries_for(session: Session, article_ids: Sequence[int]) -> dict[int, Entry]:
    """The first feed entry of each of these articles (pages without one are absent)."""
    rows = session.scalars(
        select(Entry).where(Entry.article_id.in_(article_ids)).order_by(Entry.id)
    )
    found: dict[int, Entry] = {}
    for entry in rows:
        found.setdefault(entry.article_id, entry)
    return found


def extract_pending(
    session: Session,
    settings: Settings,
    *,
    limit: int | None = None,
    workers: int = 1,
    language_gate: bool = True,
) -> ExtractReport:
    """Extract every article waiting with status "fetched" (at most ``limit``).

    ``workers`` > 1 runs the pure extraction in that many processes while this one writes the
    store. Each batch is committed, so a crash loses at most one batch and a re-run goes on from
    there (only "fetched" rows are read: the stage is idempotent). ``language_gate``: see
    ``extract_page``.
    """
    del settings  # nothing to configure yet; the signature is the one every stage has
    ids = pending_ids(session, limit)
    return extract_articles(session, ids, workers=workers, language_gate=language_gate)


def extract_articles(
    session: Session, ids: Sequence[int], *, workers: int = 1, language_gate: bool = True
) -> ExtractReport:
    """Extract the given articles (those still "fetched"): the one path for feeds, seeds and
    archives. With a pool, the next batch is extracted while this process stores the last one."""
    with long_lived_frozen():
        return _extract(session, ids, workers, language_gate)


@contextmanager
def long_lived_frozen() -> Iterator[None]:
    """What lives before the stage (modules, mappings, the session) is not garbage: frozen, it is
    not walked again by each of the many collections extraction triggers (a tenth of the stage's
    CPU time in bench/ingest.py), nor copied into forked workers by them. Left alone when someone
    else (Airflow before forking a task) froze objects already."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _extract(
    session: Session, ids: Sequence[int], workers: int, language_gate: bool
) -> ExtractReport:
    report = ExtractReport()
    pool: Executor | None = None
    if workers > 1 and len(ids) > 1:
        warm_up(model=False)  # the code once, here: the workers inherit it
        pool = ProcessPoolExecutor(max_workers=workers)
    in_flight: deque[tuple[list[Article], dict[int, Entry], list[Future[Extracted]]]] = deque()

    def store_oldest() -> None:
        articles, entries, futures = in_flight.popleft()
        pages = [(a, future.result()) for a, future in zip(articles, futures, strict=True)]
        store_extracted(session, pages, report, entries)
        session.commit()

    try:
        for batch in _batches(list(ids), BATCH):
            articles = list(
                session.scalars(
                    select(Article)
                    .where(Article.id.in_(batch), Article.status == "fetched")
                    .order_by(Article.id)
                )
            )
            entries = entries_for(session, batch)
            jobs = [job_for(a, entries.get(a.id), language_gate) for a in articles]
            submit = pool.submit if pool else done_now
            in_flight.append((articles, entries, [submit(run_job, job) for job in jobs]))
            if len(in_flight) > 1 or pool is None:
                store_oldest()
        while in_flight:
            store_oldest()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return report


def store_extracted(
    session: Session,
    pages: Sequence[tuple[Article, Extracted]],
    report: ExtractReport,
    entries: Mapping[int, Entry] | None = None,
) -> None:
    """Store what extraction made of these pages: text, metadata, status, canonical URL, second
    copies. The articles are "fetched" rows of this session (``entries``: their feed entries,
    see ``entries_for``), extracted here, in workers, or by the backfill's screening, in the
    order given; the caller commits."""
    entries = entries or {}
    articles = [article for article, _ in pages]
    identities = [_identity(a, extracted, entries.get(a.id)) for a, extracted in pages]
    claimed = canonical_holders(session, identities)
    whys = [_apply(a, extracted, entries.get(a.id), report) for a, extracted in pages]
    holders = claim_canonicals(session, list(zip(articles, identities, strict=True)), claimed)
    for (article, extracted), holder, why in zip(pages, holders, whys, strict=True):
        if holder is not None:
            copy = settle_second_copy(
                article, holder, extracted.text, extracted.title, extracted.language
            )
            report.duplicates += copy is not None
            report.updates += copy == "update"
        _count(report, article, why)
    session.flush()


def _identity(article: Article, extracted: Extracted, entry: Entry | None) -> str:
    """The address that identifies the article: its canonical URL, as the page states it."""
    if entry is not None and not entry.link:
        # built from a link-less feed item: its stored address is its only identity (cleaning
        # would drop the fragment that tells such items of one feed apart)
        return article.url
    return (extracted.canonical_url or article.url)[:URL_CHARS]


def _given_date_source(article: Article, entry: Entry | None) -> str:
    if entry is not None and entry.published is not None:
        return "feed"
    if article.baseline:
        return "seed text"
    return "archive record"


def _settle_date(
    article: Article, entry: Entry | None, extracted: Extracted, notes: list[str]
) -> None:
    """Page date first (it is the article's own); the date given with the page when the page has
    none, or when it names the same day with less precision."""
    given = entry.published if entry is not None and entry.published else article.published
    page = extracted.published
    if page is None:
        if given is not None:
            notes.append(f"date from {_given_date_source(article, entry)} (page has none)")
        article.published = given
    elif not extracted.published_precise and given is not None and given.date() == page.date():
        article.published = given
    else:
        article.published = page


def _apply(
    article: Article, extracted: Extracted, entry: Entry | None, report: ExtractReport
) -> str | None:
    """Put what extraction found into ``article``; returns why it is not new (None if it is)."""
    report.examined += 1
    # a note left by the stage that stored the page (e.g. "no link: feed summary used") stays
    notes = [n for n in (article.reason, extracted.reason) if n]
    article.text = extracted.text
    article.title = extracted.title or article.title
    article.author = extracted.author or article.author
    article.language = extracted.language
    if not article.outlet:
        outlet = extracted.site or urlsplit(article.url).hostname
        article.outlet = outlet[:OUTLET_CHARS] if outlet else None
    _settle_date(article, entry, extracted, notes if extracted.text else [])
    if extracted.used_summary:
        report.summary_fallbacks += 1
    if extracted.language not in (None, "fr"):
        score = f"{extracted.language_score:.2f}" if extracted.language_score is not None else "?"
        status, why = "skipped", f"language {extracted.language} ({score}), not French"
    elif extracted.text is None:
        status, why = "failed", extracted.reason or "no text in the page"
    else:
        status, why = "new", None
    article.status = status
    article.reason = "; ".join(dict.fromkeys([why, *notes] if why else notes)) or None
    return why


def _count(report: ExtractReport, article: Article, why: str | None) -> None:
    """Count the article under the status it ended with (a second copy is counted apart)."""
    if article.status == "new":
        report.new += 1
    elif article.status == "skipped":
        report.skipped += 1
        report.reasons["not French"] += 1
    elif article.status == "failed":
        report.failed += 1
        report.reasons[(why or "failed").split(";")[0]] += 1
