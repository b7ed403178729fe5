"""Fetch and extract at once: pages go to extraction workers as they arrive.

The Airflow tasks keep their boundaries in the store: the page task stores raw pages
(``vigie.ingest.pages.fetch_pages``), the extraction task extracts the pending ones
(``vigie.ingest.extract_stage.extract_pending``). A one-shot cycle (``vigie run``) and the bench
need not wait for the last download before the first extraction, so here the two overlap:

    fetch threads ──▶ pages stored raw ──▶ bounded queue ──▶ extraction processes ──▶ one writer

Downloads run in threads, extraction in ``workers`` processes (trafilatura is CPU-bound and holds
the interpreter lock), and this thread alone writes the store, through the same functions as the
two stages, so the stored results are theirs: each page is stored raw and committed as it
arrives, then its extraction is stored in the order the pages were, as ``extract_pending``
would store it. At most ``QUEUE_PER_WORKER`` pages per worker wait or are in extraction; while
that many are, no new download starts, so memory stays bounded however many pages are due.
Articles left "fetched" by an earlier run are extracted first.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from vigie.config import Settings
from vigie.ingest.extract import Extracted, warm_up
from vigie.ingest.extract_stage import (
    ExtractReport,
    entries_for,
    job_for,
    long_lived_frozen,
    pending_ids,
    run_job,
    store_extracted,
)
from vigie.ingest.http import Fetcher, FetchResult
from vigie.ingest.pages import PageReport, PageRun
from vigie.store.models import Article, Entry

QUEUE_PER_WORKER = 8
COMMIT_EVERY = 32  # pages and extractions stored between two commits, at most
STORE_EVERY = 4  # finished extractions stored together while others are still running


@dataclass
class IngestReport:
    """What one streaming run did: the page stage's report and the extraction stage's."""

    pages: PageReport
    extraction: ExtractReport

    def summary(self) -> str:
        return f"{self.pages.summary()}; {self.extraction.summary()}"


def fetch_and_extract(
    session: Session,
    settings: Settings,
    *,
    fetcher: Fetcher | None = None,
    limit: int | None = None,
    fetch_workers: int = 4,
    workers: int = 1,
    language_gate: bool = True,
    now: datetime | None = None,
) -> IngestReport:
    """Fetch the pages of pending entries (as ``fetch_pages``) and extract each as it is stored
    (as ``extract_pending``), downloads and extraction overlapping."""
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    fork = multiprocessing.get_context("fork")
    warm_up(model=False)  # the code once, here: the workers forked below inherit it
    try:
        with (
            long_lived_frozen(),
            ProcessPoolExecutor(max(1, workers), mp_context=fork) as pool,
        ):
            # forks every worker now, before any download thread exists
            pool.submit(warm_up)
            run = PageRun.start(session, fetcher, limit=limit, now=now)
            extraction = _Extraction(session, pool, language_gate, max(1, workers))
            extraction.add(pending_ids(session))
            _overlap(run, extraction, fetch_workers)
    finally:
        if own_fetcher:
            fetcher.close()
    return IngestReport(run.finish(), extraction.report)


class _Extraction:
    """The extraction side: pages handed to the pool in the order they were stored, and their
    results written back in that order."""

    def __init__(
        self, session: Session, pool: ProcessPoolExecutor, language_gate: bool, workers: int
    ) -> None:
        self.session = session
        self.pool = pool
        self.language_gate = language_gate
        self.bound = QUEUE_PER_WORKER * workers
        # pages to extract: stored by this run (the row and its first feed entry), or the id of
        # one an earlier run left
        self.waiting: deque[tuple[Article, Entry] | int] = deque()
        self.running: deque[tuple[Article, Entry | None, Future[Extracted]]] = deque()
        self.report = ExtractReport()

    def add(self, pages: Iterable[tuple[Article, Entry] | int]) -> None:
        self.waiting.extend(pages)

    @property
    def full(self) -> bool:
        return len(self.waiting) + len(self.running) >= self.bound

    @property
    def idle(self) -> bool:
        return not self.waiting and not self.running

    def submit(self) -> None:
        """Hand waiting pages to the workers, keeping at most ``bound`` in extraction."""
        count = min(len(self.waiting), self.bound - len(self.running))
        if count <= 0:
            return
        pages = [self.waiting.popleft() for _ in range(count)]
        left = [page for page in pages if isinstance(page, int)]
        entries = entries_for(self.session, left) if left else {}
        for page in pages:
            if isinstance(page, int):
                article, entry = self.session.get(Article, page), entries.get(page)
            else:
                article, entry = page
            if article is None or article.status != "fetched":
                continue
            job = job_for(article, entry, self.language_gate)
            self.running.append((article, entry, self.pool.submit(run_job, job)))

    def head(self) -> Iterator[Future[Extracted]]:
        """The extraction to wait for: the oldest still running, since results are stored in
        order."""
        for _, _, future in self.running:
            if not future.done():
                yield future
                return

    def store_done(self) -> int:
        """Store the finished extractions at the head of the queue, ``STORE_EVERY`` or more at
        once while others run (each store costs the writer a flush and a savepoint, whatever
        its size); returns how many."""
        ready = 0
        for _, _, future in self.running:
            if not future.done():
                break
            ready += 1
        if ready == 0 or (ready < STORE_EVERY and ready < len(self.running)):
            return 0
        done: list[tuple[Article, Entry | None, Extracted]] = []
        for _ in range(ready):
            article, entry, future = self.running.popleft()
            done.append((article, entry, future.result()))
        self.session.flush()  # the pages were stored unflushed: this gives them their ids
        entries = {article.id: entry for article, entry, _ in done if entry is not None}
        pages = [(article, extracted) for article, _, extracted in done]
        store_extracted(self.session, pages, self.report, entries)
        return len(pages)


def _overlap(run: PageRun, extraction: _Extraction, fetch_workers: int) -> None:
    """The writer's loop: start downloads while the queue has room, store each page as it
    arrives and queue it for extraction, store extractions as they finish.

    Commits come every ``COMMIT_EVERY`` pages and extractions stored, and whenever no
    extraction is running (the loop then waits on downloads, which may be slow, or is done): a
    commit per page would cost the writer more than the page (SQLite syncs the disk at each),
    and a crash loses at most what was not committed, which the next run does again."""
    links = iter(run.links)
    fetching: dict[Future[FetchResult], str] = {}
    uncommitted = 0
    with ThreadPoolExecutor(max(1, fetch_workers), thread_name_prefix="vigie-fetch") as threads:
        while True:
            extraction.submit()
            while len(fetching) < 2 * fetch_workers and not extraction.full:
                link = next(links, None)
                if link is None:
                    break
                fetching[threads.submit(run.fetch, link)] = link
            uncommitted += extraction.store_done()
            if uncommitted and (uncommitted >= COMMIT_EVERY or not extraction.running):
                run.session.commit()
                uncommitted = 0
            if not fetching and extraction.idle:
                return
            wait([*fetching, *extraction.head()], return_when=FIRST_COMPLETED)
            for future in [f for f in fetching if f.done()]:
                stored = run.store(fetching.pop(future), future.result())
                uncommitted += 1
                if stored is not None:
                    extraction.add([stored])
