"""Running the DAGs and the `vigie` command as subprocesses, for the end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parents[2]


def airflow_env(home: Path) -> dict[str, str]:
    """This process's environment with AIRFLOW_HOME at ``home``, the project's DAGs and plugins,
    and no AIRFLOW_* or VIGIE_* variable of the caller's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "VIGIE_"))}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(PROJECT / "dags"),
        AIRFLOW__CORE__PLUGINS_FOLDER=str(PROJECT / "plugins"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        PATH=f"{BIN}:{os.environ['PATH']}",
    )
    return env


def dags_test(env: dict[str, str], log: Path, dag_id: str = "vigie_monitor") -> int:
    """One `airflow dags test`; its output kept in ``log``; its exit status."""
    done = subprocess.run(
        [BIN / "airflow", "dags", "test", dag_id],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    log.write_text(done.stdout + done.stderr)
    return done.returncode


def vigie_json(env: dict[str, str], *args: str) -> list[dict]:
    """What `vigie ARGS --json` prints, parsed."""
    done = subprocess.run(
        [BIN / "vigie", *args, "--json"], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)
