"""
### Vigie — entretien quotidien

Prunes stored raw pages older than `VIGIE_RAW_CACHE_DAYS` (30 by default; extracted text stays),
refreshes the database's planner statistics, and lists the feeds failing for longer than
`VIGIE_MAX_FEED_BACKOFF_HOURS` (24) in its log line, so operators can fix or retire them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag

from vigie.dag_support import default_args, notify_failure, stage


@dag(
    dag_id="vigie_maintenance",
    dag_display_name="Vigie — entretien",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["vigie", "maintenance"],
    doc_md=__doc__,
    default_args=default_args(execution_timeout=timedelta(minutes=30)),
    on_failure_callback=notify_failure,
)
def vigie_maintenance() -> None:
    stage(
        "maintain",
        "Entretien",
        """Prunes old raw pages, runs ANALYZE, lists feeds in long back-off.

        **On failure**: re-run; nothing here loses extracted data.""",
        call="maintenance",
    )


vigie_maintenance()
