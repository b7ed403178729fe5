"""The stages, as the DAGs and the command line call them.

Each stage opens its own session, does its work through the stage module, logs one line an
operator can read, and returns a small dict of counts (what XCom carries: never article text).
Heavy modules (trafilatura, spaCy) are imported inside the stages, never at import time, so the
DAG files that import this module stay light.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any

from vigie.config import Settings, load_settings
from vigie.store.db import session_scope

log = logging.getLogger("vigie")


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


def extract(settings: Settings | None = None, *, limit: int | None = None) -> dict[str, Any]:
    """Extract text, metadata, canonical URL and language from stored pages."""
    from vigie.ingest.extract import extract_pending

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
    """Relevance gate, then events, figures and declarations; new facts become pending alerts."""
    from vigie.analysis import analyse_pending

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        report = analyse_pending(session, settings, historical=historical, limit=limit)
        return _done("analyse", report)


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
    path: Path, start: date | None, end: date | None, settings: Settings | None = None
) -> dict[str, Any]:
    """Store the pages of an archive dated within [start, end], for a backfill."""
    from vigie.ingest.archives import ingest_archive

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        return _done("archive", ingest_archive(session, path, start=start, end=end))


def cycle(settings: Settings | None = None) -> list[dict[str, Any]]:
    """One monitoring cycle outside Airflow, in stage order (used by `vigie run`)."""
    settings = settings or load_settings()
    return [stage(settings) for stage in (baseline, feeds, pages, extract, dedup, analyse, deliver)]


def maintenance(settings: Settings | None = None) -> dict[str, Any]:
    """Prune the raw-page cache, refresh statistics, list feeds in long back-off."""
    from datetime import UTC, datetime

    from vigie.maintenance import run_maintenance

    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        return _done("maintenance", run_maintenance(session, settings, datetime.now(UTC)))
