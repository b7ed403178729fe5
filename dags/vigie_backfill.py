"""
### Vigie — rejeu d'archives

Replays an archive (WARC file, folder of saved pages, JSON Lines export) over past dates: each
run replays the archive's pages dated within its data interval (one day), cheap first: the
relevance gate on each raw page, extraction only for the few that pass; then deduplicates and
analyses them like the monitor does. Alerts it finds are **historical**: recorded, never pushed
one by one; the run ends with at most one digest per channel (`VIGIE_BACKFILL_DIGEST=false`:
none).

Run it with `airflow backfill create --dag-id vigie_backfill --from-date 2026-01-01
--to-date 2026-03-31` with `VIGIE_ARCHIVE` set (or the archive path in the runs' params). Days
run in parallel up to `max_active_runs`, in any order: facts are judged as of publication time.
A failed or retried task goes on where it stopped (pages already stored are skipped). Outside
Airflow: `vigie backfill --archive PATH --start … --end …`.
"""

from __future__ import annotations

import logging
import os
from datetime import date, datetime, timedelta

from airflow.sdk import CronDataIntervalTimetable, Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException

from vigie.ops import notify_failure

log = logging.getLogger("vigie")

default_args = {
    "owner": "vigie",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
    "execution_timeout": timedelta(hours=2),
    "on_failure_callback": notify_failure,
}


@dag(
    dag_id="vigie_backfill",
    dag_display_name="Vigie — rejeu d'archives",
    # one run per day, its data interval that day: the window each backfill run replays
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=2,
    tags=["vigie", "backfill"],
    doc_md=__doc__,
    default_args=default_args,
    params={
        "archive": Param(
            os.environ.get("VIGIE_ARCHIVE", ""),
            type="string",
            title="Archive",
            description="Path of a WARC file, a folder of saved pages or a JSON Lines export.",
        )
    },
)
def vigie_backfill() -> None:
    @task(task_display_name="Référence (seeds)")
    def baseline() -> dict:
        """Makes sure the baseline is in the store before anything is compared with it."""
        from vigie import pipeline

        return pipeline.baseline()

    @task(task_display_name="Archive")
    def archive() -> dict:
        """Replays the archive's pages dated within this run's data interval: the relevance gate
        on each raw page, extraction of those that pass; pages stored earlier are skipped.

        With no archive configured the run is skipped, not failed: the DAG is scheduled only
        so that `airflow backfill create` has intervals to replay.
        **On failure**: check the `archive` param; bad records are counted, not raised."""
        from pathlib import Path

        from vigie import pipeline

        context = get_current_context()
        path = context["params"]["archive"]
        if not path:
            raise AirflowSkipException("no archive: set the run's `archive` param or VIGIE_ARCHIVE")
        start, end = _window(context)
        log.info("replaying %s from %s to %s", path, start, end)
        return pipeline.archive(Path(path), start, end)

    @task(task_display_name="Doublons")
    def dedup() -> dict:
        """Marks duplicates against the baseline and everything stored."""
        from vigie import pipeline

        return pipeline.dedup()

    @task(task_display_name="Analyse (historique)", execution_timeout=timedelta(hours=2))
    def analyse() -> dict:
        """Analyses the replayed articles; new facts become historical alerts, not pushed."""
        from vigie import pipeline

        return pipeline.analyse(historical=True)

    @task(task_display_name="Résumé (digest)")
    def digest() -> dict:
        """One digest per channel of the historical alerts this run found; never one by one."""
        from vigie import pipeline

        context = get_current_context()
        start, end = _window(context)
        return pipeline.backfill_digest(context["dag_run"].start_date, start, end)

    baseline() >> archive() >> dedup() >> analyse() >> digest()


def _window(context: dict) -> tuple[date, date]:
    """The days this run replays: its data interval, end excluded."""
    start = context["data_interval_start"].date()
    end = (context["data_interval_end"] - timedelta(seconds=1)).date()
    return start, end


vigie_backfill()
