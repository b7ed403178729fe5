"""Airflow's own files for the end-to-end tests that run `airflow dags test` (one per module)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def airflow_home_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose AIRFLOW_HOME is a fresh, migrated temp folder; no VIGIE_* set."""
    home = tmp_path_factory.mktemp("airflow")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "VIGIE_"))}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(PROJECT / "dags"),
        AIRFLOW__CORE__PLUGINS_FOLDER=str(PROJECT / "plugins"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        PATH=f"{BIN}:{os.environ['PATH']}",
    )
    subprocess.run([BIN / "airflow", "db", "migrate"], env=env, check=True, capture_output=True)
    return env
