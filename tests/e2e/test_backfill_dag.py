"""`airflow backfill create` as the README says, through a real scheduler: `airflow standalone`
on a temporary AIRFLOW_HOME (SQLite, LocalExecutor, an ephemeral port), stopped at the end."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.airflow_run import airflow_env
from support.slack_receiver import SlackReceiver

pytestmark = pytest.mark.airflow

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ARCHIVE = PROJECT / "tests" / "fixtures" / "cli" / "archive_february.jsonl"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _airflow(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [BIN / "airflow", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if check:
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done


@pytest.fixture
def scheduler(
    tmp_path: Path, migrated_airflow_db: Path
) -> Iterator[tuple[dict[str, str], SlackReceiver]]:
    """Airflow's scheduler, DAG processor and API server on loopback, with Vigie's settings."""
    port = _free_port()
    store = tmp_path / "vigie"
    with SlackReceiver() as slack:
        home = tmp_path / "airflow"
        home.mkdir()
        shutil.copyfile(migrated_airflow_db, home / "airflow.db")
        env = airflow_env(home)
        env.update(
            AIRFLOW__CORE__EXECUTOR="LocalExecutor",
            AIRFLOW__CORE__PARALLELISM="4",
            AIRFLOW__API__HOST="127.0.0.1",
            AIRFLOW__API__PORT=str(port),
            AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://127.0.0.1:{port}/execution/",
            AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC="2",
            AIRFLOW_CONN_VIGIE_SLACK=slack.connection(),
            VIGIE_HOME=str(store),
            VIGIE_DATABASE_URL=f"sqlite:///{store / 'vigie.db'}",
            VIGIE_ARCHIVE=str(ARCHIVE),
            VIGIE_SCHEDULE="none",
        )
        _airflow(env, "pools", "set", "vigie_http", "4", "HTTP fetches")
        _airflow(env, "dags", "reserialize")  # the DAGs in the database before anything asks
        log = (tmp_path / "standalone.log").open("w")
        process = subprocess.Popen(
            [BIN / "airflow", "standalone"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for_api(port, process)
            yield env, slack
        finally:
            os.killpg(process.pid, signal.SIGINT)
            try:  # standalone seldom stops its children within a minute: nothing here to keep
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            with contextlib.suppress(ProcessLookupError):  # what standalone left of its group
                os.killpg(process.pid, signal.SIGKILL)
            log.close()


def _wait_for_api(port: int, process: subprocess.Popen) -> None:
    """Tasks report to the API server: nothing is queued before it answers."""
    deadline = time.monotonic() + 180
    while True:
        assert process.poll() is None, "airflow standalone stopped"
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=5
            ) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        assert time.monotonic() < deadline, "the API server never answered"
        time.sleep(2)


def _runs(env: dict[str, str]) -> list[dict]:
    done = _airflow(env, "dags", "list-runs", "vigie_backfill", "-o", "json", check=False)
    text = done.stdout[done.stdout.find("[") :] if "[" in done.stdout else "[]"
    return json.loads(text) if done.returncode == 0 else []


def test_airflow_backfill_create_replays_each_day(scheduler) -> None:
    env, slack = scheduler
    deadline = time.monotonic() + 240
    while _airflow(env, "dags", "unpause", "vigie_backfill", check=False).returncode != 0:
        assert time.monotonic() < deadline, "the DAG processor never stored vigie_backfill"
        time.sleep(3)
    window = ("--from-date", "2026-02-10", "--to-date", "2026-02-11")
    for _ in range(5):  # Airflow's SQLite database is briefly locked while the scheduler writes
        created = _airflow(
            env, "backfill", "create", "--dag-id", "vigie_backfill", *window, check=False
        )
        if created.returncode == 0 or "database is locked" not in created.stdout + created.stderr:
            break
        time.sleep(3)
    assert created.returncode == 0, created.stderr[-2000:]
    deadline = time.monotonic() + 420
    while True:
        backfill = [r for r in _runs(env) if r["run_id"].startswith("backfill__")]
        if len(backfill) == 2 and all(r["state"] in ("success", "failed") for r in backfill):
            break
        assert time.monotonic() < deadline, backfill
        time.sleep(5)
    assert [r["state"] for r in backfill] == ["success", "success"]

    alerts = subprocess.run(
        [BIN / "vigie", "alerts", "--json"], env=env, capture_output=True, text=True, check=True
    )
    (alert,) = json.loads(alerts.stdout)
    assert (alert["value"], alert["historical"]) == (2500, True)
    articles = subprocess.run(
        [BIN / "vigie", "articles", "--json"], env=env, capture_output=True, text=True, check=True
    )
    replayed = {a["title"]: a["status"] for a in json.loads(articles.stdout) if not a["baseline"]}
    assert replayed == {
        "Pyongyang aurait envoyé 2 500 soldats de plus en Russie cet hiver": "new",
        "Le XV de France s'impose à Cardiff": "irrelevant",
    }, "each day's run replayed its day, not the May article"
    (digest,) = slack.accepted
    assert "2 500" in digest["text"].replace("\xa0", " ").replace("\u202f", " ")
    assert alert["channels"]["slack"]["status"] == "sent"
