"""Shared fixtures: a fresh store per test, on SQLite or on VIGIE_TEST_DATABASE_URL."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from support.shared import shared_path

from vigie.store.db import get_engine
from vigie.store.models import Base

# Airflow writes its config where AIRFLOW_HOME points: never the developer's ~/airflow in tests.
os.environ.setdefault("AIRFLOW_HOME", str(Path(tempfile.gettempdir()) / "vigie-test-airflow"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")

PROJECT_DIR = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
pytest_plugins = ["support.fixtures"]  # http_server, loopback_settings


def _reset_postgres(url: str) -> None:
    engine = get_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated, empty store; VIGIE_DATABASE_URL and VIGIE_HOME point at it."""
    url = os.environ.get("VIGIE_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'vigie.db'}"
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    monkeypatch.setenv("VIGIE_DATABASE_URL", url)
    if not url.startswith("sqlite"):
        _reset_postgres(url)
    else:
        get_engine(url)
    return url


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    """A session on the fresh store, closed (not committed) at the end."""
    s = sessionmaker(get_engine(db_url), expire_on_commit=False)()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared``: skipped without it, failed in CI (`CI=true`)."""
    return shared_path()
