"""Every DAG imports cleanly, is documented and configured, and parsing does no heavy work."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
HEAVY = ("spacy", "trafilatura", "vigie.store.models", "vigie.nlp", "feedparser", "datasketch")


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR), known_pools={"default_pool", "vigie_http"})


def test_no_import_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert {"vigie_monitor", "vigie_backfill", "vigie_maintenance"} <= set(dagbag.dag_ids)


def test_no_unknown_pools(dagbag) -> None:
    assert not [w for w in dagbag.dag_warnings if "pool" in str(w).lower()]


@pytest.mark.parametrize("dag_id", ["vigie_monitor", "vigie_backfill", "vigie_maintenance"])
def test_dag_is_documented_and_configured(dagbag, dag_id: str) -> None:
    dag = dagbag.dags[dag_id]
    assert dag.tags
    assert "vigie" in dag.tags
    assert dag.doc_md
    assert len(dag.doc_md) > 100
    assert dag.catchup is False
    assert dag.schedule is not None
    assert dag.max_active_runs is not None
    for task in dag.tasks:
        assert task.owner == "vigie", task.task_id
        assert task.retries >= 1, task.task_id
        assert task.retry_exponential_backoff, task.task_id
        assert task.execution_timeout is not None, task.task_id
        assert task.doc_md, f"{dag_id}.{task.task_id} has no doc_md"
        assert task.on_failure_callback, task.task_id


def test_monitor_runs_stages_in_order(dagbag) -> None:
    dag = dagbag.dags["vigie_monitor"]
    order = ["baseline", "feeds", "pages", "extract", "dedup", "analyse", "deliver"]
    for before, after in itertools.pairwise(order):
        assert dag.get_task(after).upstream_task_ids == {before}
    assert dag.get_task("feeds").pool == "vigie_http"
    assert dag.get_task("pages").pool == "vigie_http"


def test_schedule_is_a_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("VIGIE_SCHEDULE", "*/5 * * * *")
    bag = DagBag(dag_folder=str(DAGS_DIR / "vigie_monitor.py"))
    assert bag.dags["vigie_monitor"].schedule == "*/5 * * * *"
    monkeypatch.setenv("VIGIE_SCHEDULE", "none")
    bag = DagBag(dag_folder=str(DAGS_DIR / "vigie_monitor.py"))
    assert bag.dags["vigie_monitor"].schedule is None, "none: triggered runs only"


PROBE = """
import json, sys, time
from unittest import mock
def refuse(*a, **k):
    raise AssertionError("parse time must not reach the database or a connection")
import airflow.sdk
with mock.patch("airflow.sdk.BaseHook.get_connection", refuse), \\
     mock.patch("airflow.sdk.Variable.get", refuse), \\
     mock.patch("vigie.store.db.get_engine", refuse):
    t0 = time.perf_counter()
    import importlib.util
    for path in sys.argv[1:]:
        spec = importlib.util.spec_from_file_location("dagfile", path)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    elapsed = time.perf_counter() - t0
print(json.dumps({"modules": sorted(sys.modules), "seconds": elapsed}))
"""


def test_parsing_is_light() -> None:
    """Importing the DAG files loads no NLP, no extraction, no store models, and is quick."""
    files = [str(p) for p in sorted(DAGS_DIR.glob("*.py"))]
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *files], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    loaded = [m for m in result["modules"] if m.startswith(HEAVY)]
    assert loaded == []
    assert result["seconds"] < 2.0, f"DAG files took {result['seconds']:.2f} s to import"
