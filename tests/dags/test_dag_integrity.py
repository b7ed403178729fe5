"""Every DAG imports cleanly, is documented and configured, and parsing does no heavy work."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from vigie.config import DagSettings

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_IDS = ["vigie_monitor", "vigie_backfill", "vigie_maintenance"]
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


def test_task_retry_delay_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("VIGIE_TASK_RETRY_SECONDS", "7")
    bag = DagBag(dag_folder=str(DAGS_DIR))
    delays = {t.retry_delay for d in bag.dags.values() for t in d.tasks}
    assert delays == {timedelta(seconds=7)}


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_operators_hear_of_failed_runs(dagbag, dag_id: str) -> None:
    from vigie.ops import notify_failure

    assert dagbag.dags[dag_id].on_failure_callback in (notify_failure, [notify_failure])


def test_every_task_shares_the_defaults(dagbag) -> None:
    """One set of retry rules for the three DAGs: a task differs only by its time limit."""
    from vigie.ops import notify_failure

    rules = {
        (t.owner, t.retries, t.retry_delay, t.retry_exponential_backoff, t.max_retry_delay)
        for dag_id in DAG_IDS
        for t in dagbag.dags[dag_id].tasks
    }
    assert rules == {("vigie", 3, timedelta(seconds=60), True, timedelta(minutes=20))}
    callbacks = {
        repr(t.on_failure_callback) for dag_id in DAG_IDS for t in dagbag.dags[dag_id].tasks
    }
    assert callbacks in ({repr(notify_failure)}, {repr([notify_failure])})


def test_task_ids_and_wiring_are_kept(dagbag) -> None:
    backfill = dagbag.dags["vigie_backfill"]
    order = ["baseline", "archive", "dedup", "analyse", "digest"]
    for before, after in itertools.pairwise(order):
        assert backfill.get_task(after).upstream_task_ids == {before}
    assert [t.task_id for t in dagbag.dags["vigie_maintenance"].tasks] == ["maintain"]
    assert backfill.params["archive"] == "", "VIGIE_ARCHIVE is read by the task, not the parser"


@pytest.mark.parametrize(
    ("dag_id", "task_id", "call", "kwargs"),
    [
        ("vigie_monitor", "dedup", "dedup", {}),
        ("vigie_monitor", "pages", "pages", {}),
        ("vigie_backfill", "analyse", "analyse", {"historical": True}),
        ("vigie_maintenance", "maintain", "maintenance", {}),
    ],
)
def test_a_stage_task_runs_its_pipeline_function(
    dagbag, monkeypatch: pytest.MonkeyPatch, dag_id: str, task_id: str, call: str, kwargs: dict
) -> None:
    """The wrapper calls its stage of ``vigie.pipeline`` in the worker and returns its counts."""
    from vigie import pipeline

    calls = []
    monkeypatch.setattr(pipeline, call, lambda **kw: calls.append(kw) or {"summary": call})
    assert dagbag.dags[dag_id].get_task(task_id).python_callable() == {"summary": call}
    assert calls == [kwargs]


PROBE = """
import json, os, sys, time
from unittest import mock
def refuse(*a, **k):
    raise AssertionError("parse time must not reach the database, a connection or the settings")
class Recording(type(os.environ)):  # who reads which VIGIE_* variable
    read = set()
    def _record(self, key):
        frame = sys._getframe(2)
        while "collections" in frame.f_code.co_filename or frame.f_code.co_filename == os.__file__:
            frame = frame.f_back
        if str(key).startswith("VIGIE_"):
            Recording.read.add((key, frame.f_code.co_filename))
    def __getitem__(self, key):
        self._record(key)
        return super().__getitem__(key)
    def __contains__(self, key):
        self._record(key)
        return super().__contains__(key)
import airflow.sdk
with mock.patch("airflow.sdk.BaseHook.get_connection", refuse), \\
     mock.patch("airflow.sdk.Variable.get", refuse), \\
     mock.patch("vigie.config.load_settings", refuse), \\
     mock.patch("vigie.store.db.get_engine", refuse):
    os.environ.__class__ = Recording
    t0 = time.perf_counter()
    import importlib.util
    for path in sys.argv[1:]:
        spec = importlib.util.spec_from_file_location("dagfile", path)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    elapsed = time.perf_counter() - t0
print(json.dumps({"modules": sorted(sys.modules), "seconds": elapsed,
                  "vigie_env": sorted(Recording.read)}))
"""


def _probe(env: dict[str, str] | None = None) -> dict:
    files = [str(p) for p in sorted(DAGS_DIR.glob("*.py"))]
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *files], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_parsing_is_light() -> None:
    """Importing the DAG files loads no NLP, no extraction, no store models, and is quick."""
    result = _probe()
    loaded = [m for m in result["modules"] if m.startswith(HEAVY)]
    assert loaded == []
    assert result["seconds"] < 2.0, f"DAG files took {result['seconds']:.2f} s to import"


def test_parsing_reads_no_settings() -> None:
    """The settings loader refuses (the probe patches it) and parsing still succeeds; the only
    variables read are the two that shape a DAG, whatever the others hold."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    env.update(
        VIGIE_HOME="/nonexistent/vigie",
        VIGIE_DATABASE_URL="nonsense://",
        VIGIE_DIGEST_OVER="many",
        VIGIE_FETCH_TIMEOUT_SECONDS="soon",
        VIGIE_ARCHIVE="/nonexistent.warc",
        VIGIE_WATCH="/nonexistent.yaml",
    )
    project = DAGS_DIR.parent
    code = (str(project / "dags"), str(project / "include"))
    ours = {key for key, where in _probe(env)["vigie_env"] if where.startswith(code)}
    assert ours == set(), "the DAG files and vigie read no variable themselves"
    assert set(DagSettings.model_fields) == {"schedule", "task_retry_seconds"}


def test_a_bad_retry_delay_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from vigie.dag_support import default_args

    monkeypatch.setenv("VIGIE_TASK_RETRY_SECONDS", "soon")
    with pytest.raises(ValueError, match="VIGIE_TASK_RETRY_SECONDS"):
        default_args(execution_timeout=timedelta(minutes=1))
