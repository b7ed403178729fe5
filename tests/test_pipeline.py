"""The stages as the DAGs call them, over a small news site on loopback: each returns a small
dict of counts with its summary line (what XCom carries), and a second cycle adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support.corpus_site import serve_corpus
from support.httpserver import LoopbackServer

from vigie import pipeline
from vigie.evaluate import load_corpus
from vigie.store.db import session_scope
from vigie.store.models import Article

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "e2e" / "hostile_corpus.yaml"
STAGES = ("baseline", "feeds", "pages", "extract", "dedup", "analyse", "deliver")


@pytest.fixture
def site(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    articles = load_corpus(HOSTILE)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with LoopbackServer() as server:
        sources = serve_corpus(server, articles, tmp_path / "sources.yaml")
        monkeypatch.setenv("VIGIE_SOURCES", str(sources))
        monkeypatch.setenv("VIGIE_SEEDS_DIR", str(seeds))
        monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
        monkeypatch.setenv("VIGIE_ALERT_EMAIL_TO", "")
        monkeypatch.delenv("AIRFLOW_CONN_VIGIE_SLACK", raising=False)
        yield db_url, articles


def _articles(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count(Article.id))) or 0


def test_each_stage_returns_counts_and_a_summary(site) -> None:
    url, articles = site
    results = {name: getattr(pipeline, name)() for name in STAGES}

    for name, result in results.items():
        assert isinstance(result["summary"], str), name
        assert result["summary"], name
        assert all(isinstance(v, int | float | str) for v in result.values()), name
        assert len(json.dumps(result)) < 2000, f"{name} hands XCom more than counts"
    assert _articles(url) == len(articles), "every linked page became an article"
    assert any(isinstance(v, int) and v > 0 for v in results["feeds"].values())

    again = {name: getattr(pipeline, name)() for name in STAGES}
    assert _articles(url) == len(articles), "a second cycle adds nothing"
    assert set(again) == set(STAGES)


def test_maintenance_returns_counts(db_url: str) -> None:
    result = pipeline.maintenance()
    assert isinstance(result["summary"], str)
    assert result["summary"]
    assert all(isinstance(v, int | float | str) for v in result.values())
