"""The stages, as the DAGs and the command line call them.

Each stage opens its own session, does its work through the stage module, logs one line an
operator can read, and returns a small dict of counts (what XCom carries: never article text).
Heavy modules (trafilatura, spaCy) are imported inside the stages, never at import time, so the
DAG files that import this module stay light.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from vigie.config import Settings, load_settings
from vigie.store.db import get_engine, session_scope

log = logging.getLogger("vigie")
# Any fixed 64-bit number (not dedup's): the PostgreSQL advisory lock of the analysis.
ANALYSIS_LOCK_KEY = 0x56_49_47_49_45_41_4E_41
ANALYSIS_BATCH = 50


def _counts(report: Any) -> dict[str, Any]:
    """What XCom carries: the report's numbers and its summary line, nothing bulky."""
    out: dict[str, Any] = {"summary": report.summary()}
    if is_dataclass(report):
        for key, value in asdict(report).items():
            if isinstance(value, int | float | str):
                out[key] = value
    return out


def _done(stage: str, report: Any) -> dict[str, Any]:
    counts = _counts(report)
    log.info("%s: %s", stage, counts["summary"])
    return counts


def baseline(settings: Settings | None = None) -> dict[str, Any]:
    """Ingest seeds/ (idempotent: a second run adds nothing) so novelty always knows it."""
    from vigie.ingest.seeds import ingest_seeds

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        return _done("baseline", ingest_seeds(session, settings.seeds_dir))


def feeds(settings: Settings | None = None) -> dict[str, Any]:
    """Sync the sources file into the store and poll every feed that is due."""
    from vigie.ingest.feeds import load_sources, poll_feeds, sync_sources

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        sync_sources(session, load_sources(settings.sources_file))
        session.commit()
        return _done("feeds", poll_feeds(session, settings))


def pages(settings: Settings | None = None) -> dict[str, Any]:
    """Fetch the pages of new entries; raw bytes are stored for extraction."""
    from vigie.ingest.pages import fetch_pages

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        return _done("pages", fetch_pages(session, settings))


def ingest(settings: Settings | None = None, *, workers: int | None = None) -> dict[str, Any]:
    """Fetch the pages of new entries and extract each as it arrives (``workers`` extraction
    processes, one per core by default): the page and extraction stages at once, for a cycle
    outside Airflow."""
    from vigie.ingest.stream import fetch_and_extract

    settings = settings or load_settings()
    workers = workers or os.cpu_count() or 1
    with session_scope(settings.database_url) as session:
        report = fetch_and_extract(session, settings, workers=workers)
        log.info("ingest: %s", report.summary())
        return {
            "summary": report.summary(),
            "pages": _counts(report.pages),
            "extract": _counts(report.extraction),
        }


def extract(settings: Settings | None = None, *, limit: int | None = None) -> dict[str, Any]:
    """Extract text, metadata, canonical URL and language from stored pages."""
    from vigie.ingest.extract_stage import extract_pending

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        return _done("extract", extract_pending(session, settings, limit=limit))


def dedup(settings: Settings | None = None, *, limit: int | None = None) -> dict[str, Any]:
    """Mark exact and near duplicates; group the rest into stories."""
    from vigie.dedup import dedup_pending

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        return _done("dedup", dedup_pending(session, settings, limit=limit))


def analyse(
    settings: Settings | None = None, *, historical: bool = False, limit: int | None = None
) -> dict[str, Any]:
    """Relevance gate, then events, figures and declarations; new facts become pending alerts.

    One analysis at a time across processes (``analysis_lock``): two backfills, or a backfill
    and the monitor, would otherwise both find a fact new and both record it. The lock is taken
    per batch of ``ANALYSIS_BATCH`` articles, so a long backfill never holds up the monitor."""
    from vigie.analysis import AnalysisReport, analyse_pending

    settings = settings or load_settings()
    total = AnalysisReport()
    while True:
        handled = total.analysed + total.failed
        batch = ANALYSIS_BATCH if limit is None else min(ANALYSIS_BATCH, limit - handled)
        if batch <= 0:
            break
        with analysis_lock(settings), session_scope(settings.database_url) as session:
            report = analyse_pending(session, settings, historical=historical, limit=batch)
        total.add(report)
        if report.analysed + report.failed < batch:
            break
    return _done("analyse", total)


@contextmanager
def analysis_lock(settings: Settings) -> Iterator[None]:
    """Hold the store's analysis lock: a PostgreSQL advisory lock, or a lock file beside the
    SQLite store. The analysis compares each fact with those stored, so only one process may
    decide at a time (the comparison and the insert are not one statement)."""
    url = settings.database_url
    if url.startswith("sqlite:///"):
        lock_path = Path(url.removeprefix("sqlite:///") + ".analysis.lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    if not url.startswith("postgresql"):
        yield
        return
    with get_engine(url).connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ANALYSIS_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ANALYSIS_LOCK_KEY})
            connection.commit()


def deliver(settings: Settings | None = None) -> dict[str, Any]:
    """Send pending alerts per channel; raises when a channel is down so Airflow retries."""
    from vigie.alerts.outbox import deliver_pending

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        report = deliver_pending(session, settings)
        counts = _done("deliver", report)
    if report.failed or report.gave_up:
        from vigie.ops import notify_operators

        subject = f"Vigie : {report.failed + report.gave_up} alerte(s) en échec définitif"
        notify_operators(
            subject,
            f"{subject}, plus réessayées ({report.summary()}). Motifs : `vigie alerts --json`.",
        )
    if report.unknown:
        from vigie.ops import notify_operators

        subject = f"Vigie : {report.unknown} envoi(s) d'alerte au résultat inconnu"
        notify_operators(
            subject,
            f"{subject} : le message est parti mais aucune réponse n'est venue ; il a peut-être "
            f"été reçu et ne sera pas renvoyé automatiquement ({report.summary()}). Détails : "
            "`vigie alerts --json` ; renvoyer : `vigie alerts retry --unknown`.",
        )
    report.raise_if_failed()
    return counts


def archive(
    path: Path,
    start: date | None,
    end: date | None,
    settings: Settings | None = None,
    *,
    workers: int = 1,
    progress: Callable[[Any], None] | None = None,
) -> dict[str, Any]:
    """Replay the pages of an archive dated within [start, end]: the relevance gate on each raw
    page, extraction of those that pass (``workers`` processes), irrelevant ones settled."""
    from vigie.ingest.archives import ingest_archive

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        report = ingest_archive(
            session,
            path,
            start=start,
            end=end,
            settings=settings,
            workers=workers,
            progress=progress,
        )
        return _done("archive", report)


def backfill_digest(
    since: datetime,
    start: date | None = None,
    end: date | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """The end of a backfill run (begun at ``since``, replaying [start, end]): at most one digest
    per channel of the historical alerts it found (``VIGIE_BACKFILL_DIGEST=false``: none)."""
    from vigie.alerts.outbox import deliver_backfill_digest

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        report = deliver_backfill_digest(session, settings, since=since, start=start, end=end)
        if report.channels:
            return _done("digest", report)
    why = "off (VIGIE_BACKFILL_DIGEST)" if not settings.backfill_digest else "nothing new found"
    log.info("digest: none, %s", why)
    return {"summary": f"no digest: {why}", "digests": 0, "sent": 0}


def cycle(settings: Settings | None = None) -> list[dict[str, Any]]:
    """One monitoring cycle outside Airflow, in stage order (used by `vigie run`): pages are
    extracted as they are fetched (``ingest``), where the Airflow tasks store them in between."""
    settings = settings or load_settings()
    return [stage(settings) for stage in (baseline, feeds, ingest, dedup, analyse, deliver)]


def maintenance(settings: Settings | None = None) -> dict[str, Any]:
    """Prune the raw-page cache, refresh statistics, list feeds in long back-off."""
    from datetime import UTC, datetime

    from vigie.maintenance import run_maintenance

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        return _done("maintenance", run_maintenance(session, settings, datetime.now(UTC)))
