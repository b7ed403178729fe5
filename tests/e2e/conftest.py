"""Airflow's own files for the end-to-end tests that run `airflow dags test` (one per module).

`airflow db migrate` costs seconds of CPU each time; it runs once per session, and each module
starts from a copy of that freshly migrated, empty database (it holds no secrets: the copy's
Airflow writes its own airflow.cfg)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from support.airflow_run import BIN, airflow_env


@pytest.fixture(scope="session")
def migrated_airflow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Airflow's SQLite database, migrated once for the session: copy it, never write to it."""
    home = tmp_path_factory.mktemp("airflow-template")
    subprocess.run(
        [BIN / "airflow", "db", "migrate"], env=airflow_env(home), check=True, capture_output=True
    )
    return home / "airflow.db"


@pytest.fixture(scope="module")
def airflow_home_env(
    tmp_path_factory: pytest.TempPathFactory, migrated_airflow_db: Path
) -> dict[str, str]:
    """An environment whose AIRFLOW_HOME is a fresh temp folder holding a migrated database."""
    home = tmp_path_factory.mktemp("airflow")
    shutil.copyfile(migrated_airflow_db, home / "airflow.db")
    return airflow_env(home)
