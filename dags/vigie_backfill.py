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

from datetime import datetime, timedelta

from airflow.sdk import CronDataIntervalTimetable, Param, chain, dag

from vigie.dag_support import (
    backfill_digest,
    default_args,
    notify_failure,
    replay_archive,
    stage,
)


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
    default_args=default_args(execution_timeout=timedelta(hours=2)),
    on_failure_callback=notify_failure,
    params={
        "archive": Param(
            "",
            type="string",
            title="Archive",
            description="Path of a WARC file, a folder of saved pages or a JSON Lines export; "
            "empty: `VIGIE_ARCHIVE` of the worker.",
        )
    },
)
def vigie_backfill() -> None:
    chain(
        stage(
            "baseline",
            "Référence (seeds)",
            """Makes sure the baseline is in the store before anything is compared with it.""",
        ),
        stage(
            "archive",
            "Archive",
            """Replays the archive's pages dated within this run's data interval: the relevance
            gate on each raw page, extraction of those that pass; pages stored earlier are skipped.

            With no archive configured the run is skipped, not failed: the DAG is scheduled only
            so that `airflow backfill create` has intervals to replay.
            **On failure**: check the `archive` param; bad records are counted, not raised.""",
            run=replay_archive,
        ),
        stage(
            "dedup",
            "Doublons",
            """Marks duplicates against the baseline and everything stored.""",
        ),
        stage(
            "analyse",
            "Analyse (historique)",
            """Analyses the replayed articles; new facts become historical alerts, not pushed.""",
            stage_kwargs={"historical": True},
        ),
        stage(
            "digest",
            "Résumé (digest)",
            """One digest per channel of the historical alerts this run found; never one by one.""",
            run=backfill_digest,
        ),
    )


vigie_backfill()
