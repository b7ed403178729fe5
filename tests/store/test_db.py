"""The store's engine: migrated on first use, idempotently, even by two processes at once."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from vigie.store import db
from vigie.store.models import Article, Base, Source, utcnow

HEAD = sorted(p.stem.split("_")[0] for p in (db.MIGRATIONS_DIR / "versions").glob("0*.py"))[-1]


def _version(url: str) -> str:
    with db.get_engine(url).connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def test_a_new_store_is_migrated_to_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'vigie.db'}"
    engine = db.get_engine(url)
    assert (tmp_path / "deep" / "vigie.db").is_file(), "its folder is made"
    assert _version(url).startswith(HEAD)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    assert db.get_engine(url) is engine, "one engine per URL per process"


def test_migrating_again_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'vigie.db'}"
    with db.session_scope(url) as session:
        session.add(Source(name="Le Monde", url="https://www.lemonde.fr/rss.xml"))
    before = _version(url)
    db.migrate(db.get_engine(url))
    db.dispose_engines()
    assert _version(url) == before
    with db.session_scope(url) as session:
        assert [s.name for s in session.scalars(select(Source))] == ["Le Monde"]


def test_a_failed_session_is_rolled_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'vigie.db'}"

    def failing_stage() -> None:
        with db.session_scope(url) as session:
            session.add(Source(name="RFI", url="https://www.rfi.fr/fr/rss"))
            session.flush()
            raise RuntimeError("the stage failed")

    with pytest.raises(RuntimeError):
        failing_stage()
    with db.session_scope(url) as session:
        assert session.scalars(select(Source)).all() == []


def test_sqlite_store_shares_one_file_safely(tmp_path: Path) -> None:
    """WAL and a busy timeout: what lets the workers of one machine share the file; commits
    that do not wait for the disk."""
    url = f"sqlite:///{tmp_path / 'vigie.db'}"
    with db.get_engine(url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_times_come_back_aware_in_utc(session) -> None:
    """Stored times read back timezone-aware in UTC on SQLite as on PostgreSQL."""
    when = datetime(2026, 3, 1, 13, 0, tzinfo=UTC)
    session.add(Article(url="https://a.fr/1", canonical_url="https://a.fr/1", published=when))
    session.commit()
    session.expire_all()
    stored = session.scalars(select(Article)).one()
    assert stored.published == when
    assert stored.published.utcoffset() == timedelta(0)
    assert utcnow().tzinfo is not None


def _open(url: str, start: multiprocessing.synchronize.Barrier) -> None:
    start.wait(60)
    db.get_engine(url)


@pytest.mark.parametrize("attempt", range(3))
def test_two_processes_opening_a_new_store_at_once(tmp_path: Path, attempt: int) -> None:
    """Both migrate the same brand-new file at the same instant: both succeed, one schema."""
    url = f"sqlite:///{tmp_path / 'vigie.db'}"
    context = multiprocessing.get_context("fork")
    start = context.Barrier(3)
    workers = [context.Process(target=_open, args=(url, start)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert _version(url).startswith(HEAD)


def test_raw_pages_are_kept_compressed(session) -> None:
    page = b"<html><p>" + b"Pyongyang " * 500 + b"</p></html>"
    article = Article(url="https://a.fr/2", status="fetched")
    article.raw = page
    session.add(article)
    session.commit()
    session.expire_all()
    stored = session.scalars(select(Article)).one()
    assert stored.raw == page
    assert len(stored.raw_compressed) < len(page) / 10
    stored.raw = None
    assert stored.raw_compressed is None
    assert stored.raw is None
