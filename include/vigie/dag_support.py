"""What the three DAG files share: task defaults, the stage wrapper, the failure callback.

A DAG file is a table of contents: its stages in order, their pools and documentation. How a
task retries and what it runs are said once, here. Parsing a DAG file reads no setting and
imports no stage: settings are read by the stage, in the worker. Two values are the exception
because they are part of the DAG the dag-processor stores and the scheduler applies, not of any
run: the monitor's schedule (`VIGIE_SCHEDULE`) and the tasks' first retry delay
(`VIGIE_TASK_RETRY_SECONDS`); they are read through ``config.DagSettings``, which knows no
other, so a wrong value elsewhere cannot break a DAG file.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from airflow.sdk import get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException

from vigie.config import load_dag_settings
from vigie.ops import notify_failure

log = logging.getLogger("vigie")

HTTP_POOL = "vigie_http"


def monitor_schedule() -> str | None:
    """The monitor's cron schedule: `VIGIE_SCHEDULE`, every 15 minutes by default, ``none`` for
    runs only when triggered."""
    return load_dag_settings().schedule


def default_args(*, execution_timeout: timedelta) -> dict[str, Any]:
    """Every Vigie task's defaults: three retries from `VIGIE_TASK_RETRY_SECONDS` [60] doubling up
    to 20 minutes, operators told of each failure; only the time a task may take differs."""
    return {
        "owner": "vigie",
        "retries": 3,
        "retry_delay": timedelta(seconds=load_dag_settings().task_retry_seconds),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=20),
        "execution_timeout": execution_timeout,
        "on_failure_callback": notify_failure,
    }


def _pipeline_stage(name: str, kwargs: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    def run() -> dict[str, Any]:
        from vigie import pipeline  # in the worker: the stages' imports are heavy

        return getattr(pipeline, name)(**kwargs)

    return run


def stage(
    name: str,
    display_name: str,
    doc: str,
    *,
    call: str | None = None,
    run: Callable[[], dict[str, Any]] | None = None,
    stage_kwargs: dict[str, Any] | None = None,
    **task_kwargs: Any,
) -> Any:
    """The task ``name`` of the current DAG, whose output (counts) is returned for wiring.

    It runs ``run`` or, by default, ``vigie.pipeline.<call or name>(**stage_kwargs)``; ``doc`` is
    its documentation in the UI; ``task_kwargs`` (pool, execution_timeout…) go to Airflow."""
    body = run or _pipeline_stage(call or name, stage_kwargs or {})
    return task(
        task_id=name, task_display_name=display_name, doc_md=inspect.cleandoc(doc), **task_kwargs
    )(body)()


def backfill_window(context: Any) -> tuple[date, date]:
    """The days a backfill run replays: its data interval, end excluded."""
    start = context["data_interval_start"].date()
    end = (context["data_interval_end"] - timedelta(seconds=1)).date()
    return start, end


def replay_archive() -> dict[str, Any]:
    """The backfill's archive stage: the run's `archive` param, else `VIGIE_ARCHIVE` of the worker;
    with neither the run is skipped, not failed."""
    from pathlib import Path

    from vigie import pipeline
    from vigie.config import load_settings

    context = get_current_context()
    path = context["params"].get("archive") or load_settings().archive
    if not path:
        raise AirflowSkipException("no archive: set the run's `archive` param or VIGIE_ARCHIVE")
    start, end = backfill_window(context)
    log.info("replaying %s from %s to %s", path, start, end)
    return pipeline.archive(Path(path), start, end)


def backfill_digest() -> dict[str, Any]:
    """The backfill's last stage: one digest per channel of what this run found."""
    from vigie import pipeline

    context = get_current_context()
    start, end = backfill_window(context)
    return pipeline.backfill_digest(context["dag_run"].start_date, start, end)
