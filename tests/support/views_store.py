"""A store filled by the real pipeline for the plugin's tests: the dev corpus plus a hostile
article served as feeds and pages on loopback, a feed that answers HTTP 500, alerts delivered to
a loopback Slack receiver, and one `vigie eval` result recorded.

    info = fill_store(tmp_path)   # VIGIE_* must point at the store before (see the fixtures)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from sqlalchemy import text

from support.corpus_site import serve_corpus
from support.httpserver import LoopbackServer, Reply
from support.shared import shared_path
from support.slack_receiver import SlackReceiver
from vigie import pipeline
from vigie.config import load_settings
from vigie.evaluate import load_corpus
from vigie.store.db import get_engine
from vigie.store.models import Base

PROJECT = Path(__file__).resolve().parents[2]
HOSTILE = PROJECT / "tests" / "fixtures" / "e2e" / "hostile_corpus.yaml"
ARCHIVE = PROJECT / "tests" / "fixtures" / "views" / "archive_winter.jsonl"
BROKEN_FEED = "Le Flux Cassé"


def empty_store(url: str) -> None:
    """A migrated store with no row (PostgreSQL: every table truncated)."""
    engine = get_engine(url)
    if engine.dialect.name != "sqlite":
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@dataclass(frozen=True)
class FilledStore:
    database_url: str
    hostile_title: str
    broken_feed: str
    slack_posts: int


def fill_store(work: Path) -> FilledStore:
    """One monitoring cycle over the corpus, then a backfill of a small archive."""
    articles = load_corpus(shared_path("eval-dev", "corpus.yaml")) + load_corpus(HOSTILE)
    sources = work / "sources.yaml"
    with LoopbackServer() as server, SlackReceiver() as slack:
        serve_corpus(server, articles, sources)
        broken = server.add("/feeds/casse.xml", Reply(status=500, body=b"<h1>panne</h1>"))
        listed = yaml.safe_load(sources.read_text())
        listed["sources"].append({"name": BROKEN_FEED, "url": broken, "language": "fr"})
        sources.write_text(yaml.safe_dump(listed, allow_unicode=True))
        env = {
            "VIGIE_SOURCES": str(sources),
            "VIGIE_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
            "VIGIE_DELIVERY_RETRY_SECONDS": "0",
            "AIRFLOW_CONN_VIGIE_SLACK": slack.connection(),
        }
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            settings = load_settings()
            pipeline.cycle(settings)
            # a backfill over an archive: its alert is historical, never pushed one by one
            pipeline.archive(ARCHIVE, date(2026, 1, 1), date(2026, 1, 31), settings)
            pipeline.extract(settings)
            pipeline.dedup(settings)
            pipeline.analyse(settings, historical=True)
            pipeline.deliver(settings)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        posts = len(slack.accepted)
    hostile = load_corpus(HOSTILE)[0].title
    return FilledStore(load_settings().database_url, hostile, BROKEN_FEED, posts)
