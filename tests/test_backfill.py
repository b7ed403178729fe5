"""Backfill at archive scale, through `vigie backfill`: the dev corpus and real pages in WARC,
folder and JSON Lines archives; facts and attributions whatever the order of the days; a run
killed with SIGKILL finishes on the next; one digest per channel; a live article repeating a
backfilled fact raises nothing. On SQLite, and on PostgreSQL with VIGIE_TEST_DATABASE_URL."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker
from support.archives import ArchiveWriter, write_jsonl
from support.shared import shared_path
from support.slack_receiver import SlackReceiver
from typer.testing import CliRunner

from vigie import pipeline
from vigie.cli import app
from vigie.config import load_settings
from vigie.evaluate import CorpusArticle, load_corpus, page_bytes
from vigie.store.db import dispose_engines, get_engine
from vigie.store.models import Alert, Article, Base, Fact, FactMention

PROJECT = Path(__file__).resolve().parent.parent
VIGIE = Path(sys.executable).parent / "vigie"
FIRST, LAST = date(2025, 12, 1), date(2026, 7, 31)
WINDOW = ["--start", f"{FIRST}", "--end", f"{LAST}"]


@pytest.fixture(scope="module")
def corpus() -> list[CorpusArticle]:
    """The dev corpus, and copies that make order matter: a wire copy of an alerting article
    two days later elsewhere, and an earlier article holding another's quote."""
    articles = load_corpus(shared_path("eval-dev", "corpus.yaml"))
    by_id = {a.id: a for a in articles}
    later = by_id["dev-b1"]
    earlier = by_id["dev-c1"]
    return [
        *articles,
        dataclasses.replace(
            later,
            id="copy-b1",
            url="https://www.relais-du-soir.example/monde/nord-coreens-renforts",
            outlet="Le Relais du soir",
            published=later.published + timedelta(days=2),
        ),
        dataclasses.replace(
            earlier,
            id="early-c1",
            url="https://www.veille-matinale.example/international/poutine-ami-coreen",
            outlet="La Veille matinale",
            published=earlier.published - timedelta(days=1),
        ),
    ]


@pytest.fixture(scope="module")
def irrelevant_pages() -> list[bytes]:
    return [p.read_bytes() for p in sorted(shared_path("real-pages", "fr").glob("*.html"))]


def _records(
    corpus: list[CorpusArticle], pages: list[bytes], filler: int
) -> list[tuple[str, bytes, datetime]]:
    """(url, page, capture date): the corpus articles among ``filler`` irrelevant real pages,
    in capture order, the pages spread over the window."""
    out = [(a.url, page_bytes(a), a.published.astimezone(UTC) + timedelta(hours=1)) for a in corpus]
    span = (LAST - FIRST).days * 24
    for number in range(filler):
        when = datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=UTC)
        when += timedelta(hours=(number * 37) % span)
        out.append((f"https://pages.example/{number % 13}/{number}.html", pages[number % 18], when))
    out.sort(key=lambda r: r[2])
    return out


def _warc(path: Path, records: list[tuple[str, bytes, datetime]]) -> Path:
    with ArchiveWriter(path) as warc:
        for url, body, when in records:
            warc.page(url, body, when)
    return path


def _reset(url: str) -> None:
    """An empty store at ``url`` (PostgreSQL: the shared test database, truncated)."""
    if url.startswith("sqlite"):
        return
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with get_engine(url).begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _store_env(tmp_path: Path, name: str) -> dict[str, str]:
    """The environment of a `vigie` process on a fresh store of its own (SQLite) or on the
    truncated PostgreSQL test database."""
    home = tmp_path / name
    home.mkdir()
    url = os.environ.get("VIGIE_TEST_DATABASE_URL") or f"sqlite:///{home / 'vigie.db'}"
    _reset(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIGIE_", "AIRFLOW_CONN"))}
    env.update(VIGIE_HOME=str(home), VIGIE_DATABASE_URL=url)
    return env


def _backfill(env: dict[str, str], archive: Path, *window: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [VIGIE, "backfill", "--archive", str(archive), *(window or WINDOW), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: killed with its workers
    )


def _finish(process: subprocess.Popen[str]) -> str:
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output[-3000:]
    return " ".join(output.split())


def _session(url: str) -> Session:
    return sessionmaker(get_engine(url), expire_on_commit=False)()


def snapshot(url: str) -> dict[str, Any]:
    """What a replay leaves, as plain data independent of row ids and arrival order."""

    def address(article: Article) -> str:
        return article.canonical_url or article.url

    with _session(url) as session:
        articles = session.scalars(select(Article).where(Article.baseline.is_(False))).all()
        facts = session.scalars(select(Fact)).all()

        def fact_key(fact: Fact) -> tuple:
            return (fact.kind, fact.measure, fact.value, fact.speaker, fact.quote, fact.baseline)

        return {
            "articles": sorted(
                (address(a), a.status, bool(a.relevant), a.published.isoformat()) for a in articles
            ),
            "facts": sorted((*fact_key(f), address(f.article)) for f in facts),
            "mentions": sorted(
                (fact_key(m.fact), address(session.get(Article, m.article_id)))
                for m in session.scalars(select(FactMention))
            ),
            "alerts": sorted(
                (fact_key(a.fact), a.historical) for a in session.scalars(select(Alert))
            ),
        }


def test_replay_finds_the_corpus_facts_and_sends_one_digest(
    db_url: str, corpus, irrelevant_pages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WARC, folder and JSON Lines: the same articles stored, historical alerts for the corpus's
    expected facts, one Slack digest listing them, nothing more on a second replay."""
    records = _records(corpus, irrelevant_pages, filler=40)
    warc = _warc(tmp_path / "crawl.warc.gz", records)
    runner = CliRunner()
    with SlackReceiver() as slack:
        monkeypatch.setenv("AIRFLOW_CONN_VIGIE_SLACK", slack.connection())
        result = runner.invoke(app, ["backfill", "--archive", str(warc), *WINDOW])
        assert result.exit_code == 0, result.output
        assert len(slack.accepted) == 1, "one digest, not one post per alert"
        digest = slack.accepted[0]["text"]
        again = runner.invoke(app, ["backfill", "--archive", str(warc), *WINDOW])
        assert again.exit_code == 0, again.output
        assert f"{len(records)} skipped as already done" in " ".join(again.output.split())
        assert len(slack.accepted) == 1, "a second replay sends nothing"

    alerts = json.loads(runner.invoke(app, ["alerts", "--json"]).stdout)
    assert alerts
    assert all(a["historical"] for a in alerts)
    assert all(a["channels"]["slack"]["status"] == "sent" for a in alerts)
    # each expected fact once, though the copies repeat two of them
    expected_values = sorted({f.value for a in corpus for f in a.figures})
    assert sorted(a["value"] for a in alerts if a["kind"] == "figure") == expected_values
    speakers = sorted({d.speaker for a in corpus for d in a.declarations})
    assert sorted(a["speaker"] for a in alerts if a["kind"] == "declaration") == speakers
    assert f"Vigie · {len(alerts)} nouvelles alertes" in digest
    by_url = {a["article_url"] for a in alerts}
    copy = next(a for a in corpus if a.id == "copy-b1")
    assert not any(copy.url.split("?")[0] in u for u in by_url), "the later copy holds nothing"
    early = next(a for a in corpus if a.id == "early-c1")
    assert any(early.url in u for u in by_url), "the earlier article holds the quote"

    articles = json.loads(runner.invoke(app, ["articles", "--json"]).stdout)
    replayed = [a for a in articles if not a["baseline"]]
    assert len(replayed) == len(records)
    real = [a for a in replayed if a["url"].startswith("https://pages.example/")]
    assert real
    assert all(a["status"] == "irrelevant" for a in real)
    assert all(a["reason"].startswith("relevance gate on the raw page") for a in real)
    expected = snapshot(db_url)

    # the same pages as a folder of saved pages and as a JSON Lines export: the same store
    folder = tmp_path / "saved"
    folder.mkdir()
    lines = []
    for number, (url, body, when) in enumerate(records):
        comment = f"<!-- saved from url=({len(url):04d}){url} -->\n".encode()
        page = folder / f"{number:03d}.html"
        page.write_bytes(comment + body)
        os.utime(page, (when.timestamp(), when.timestamp()))
        lines.append({"url": url, "html": body.decode("utf-8"), "published": when.isoformat()})
    export = write_jsonl(tmp_path / "export.jsonl", lines)
    for archive in (folder, export):
        _reset(db_url)
        dispose_engines()
        store = tmp_path / f"store-{archive.name}"
        url = db_url if not db_url.startswith("sqlite") else f"sqlite:///{store / 'vigie.db'}"
        monkeypatch.setenv("VIGIE_DATABASE_URL", url)
        monkeypatch.setenv("VIGIE_BACKFILL_DIGEST", "false")
        result = runner.invoke(app, ["backfill", "--archive", str(archive), *WINDOW])
        assert result.exit_code == 0, result.output
        assert snapshot(url)["facts"] == expected["facts"], archive.name
        assert snapshot(url)["alerts"] == expected["alerts"], archive.name


def test_killed_backfill_finishes_on_the_next_run(
    db_url: str, corpus, irrelevant_pages, tmp_path: Path
) -> None:
    """SIGKILL after a few hundred records, the same command again: the store is the one an
    uninterrupted run leaves, and the second run says what it skipped as already done."""
    archive = _warc(tmp_path / "big.warc.gz", _records(corpus, irrelevant_pages, filler=400))
    whole = _store_env(tmp_path, "whole")
    _finish(_backfill(whole, archive))
    expected = snapshot(whole["VIGIE_DATABASE_URL"])
    dispose_engines()

    killed = _store_env(tmp_path, "killed")
    url = killed["VIGIE_DATABASE_URL"]
    process = _backfill(killed, archive)
    stored = 0
    deadline = time.monotonic() + 300
    while stored < 200 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
        with _session(url) as session:
            stored = session.scalar(select(func.count(Article.id))) or 0
    assert process.poll() is None, "the run ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    with _session(url) as session:
        done = session.scalar(select(func.count(Article.id)).where(Article.baseline.is_(False)))
    assert 0 < done < len(expected["articles"])

    output = _finish(_backfill(killed, archive))
    skipped = int(output.split(" skipped as already done")[0].rsplit(" ", 1)[-1])
    assert skipped == done, output
    assert snapshot(url) == expected


def test_order_free_forwards_backwards_halves_and_live_after(
    db_url: str, corpus, irrelevant_pages, tmp_path: Path
) -> None:
    """Forwards, backwards, and two halves of the window in two concurrent processes: the same
    facts attributed to the same articles. Replaying again adds nothing; a live article that
    repeats a backfilled fact raises nothing."""
    records = _records(corpus, irrelevant_pages, filler=60)
    forwards = _warc(tmp_path / "forwards.warc.gz", records)
    backwards = _warc(tmp_path / "backwards.warc.gz", records[::-1])

    env = _store_env(tmp_path, "forwards")
    _finish(_backfill(env, forwards))
    expected = snapshot(env["VIGIE_DATABASE_URL"])
    assert expected["alerts"], "the corpus has new facts"
    dispose_engines()

    env = _store_env(tmp_path, "backwards")
    _finish(_backfill(env, backwards))
    assert snapshot(env["VIGIE_DATABASE_URL"]) == expected
    dispose_engines()

    env = _store_env(tmp_path, "halves")
    url = env["VIGIE_DATABASE_URL"]
    # the store made and the baseline read once, as a first run would leave them: two processes
    # creating one store at the same instant is not what this test is about
    pipeline.baseline(load_settings(env))
    middle = date(2026, 3, 15)
    first = _backfill(env, backwards, "--start", f"{FIRST}", "--end", f"{middle}")
    second = _backfill(
        env, forwards, "--start", f"{middle + timedelta(days=1)}", "--end", f"{LAST}"
    )
    _finish(first)
    _finish(second)
    assert snapshot(url) == expected

    again = _finish(_backfill(env, forwards))
    assert f"{len(records)} skipped as already done" in again
    assert snapshot(url) == expected

    # a live article, later, in its own words, repeating a backfilled figure: no alert
    live = dataclasses.replace(
        next(a for a in corpus if a.id == "dev-b1"),
        url="https://www.quotidien-direct.example/monde/renforts-pyongyang",
        outlet="Le Quotidien direct",
        title="Nouveaux renforts nord-coréens pour Moscou",
        text=(
            "Séoul affirme que Pyongyang a dépêché au moins 3 000 soldats supplémentaires en "
            "Russie au début de l'année.\n\nLe Kremlin n'a pas commenté ces informations, que "
            "la Corée du Nord n'a ni confirmées ni démenties. Les deux pays sont liés depuis 2024 "
            "par un traité de défense mutuelle."
        ),
        published=datetime(2026, 8, 20, 9, tzinfo=UTC),
    )
    settings = load_settings(env)
    with _session(url) as session:
        alerts_before = session.scalar(select(func.count(Alert.id)))
        article = Article(
            url=live.url,
            status="fetched",
            raw_content_type="text/html; charset=utf-8",
            raw_fetched_at=live.published,
        )
        article.raw = page_bytes(live)
        session.add(article)
        session.commit()
        live_id = article.id
    pipeline.extract(settings)
    pipeline.dedup(settings)
    pipeline.analyse(settings)
    with _session(url) as session:
        assert session.scalar(select(func.count(Alert.id))) == alerts_before
        live_article = session.get(Article, live_id)
        assert (live_article.status, live_article.relevant) == ("analysed", True)
        mentioned = session.scalars(
            select(Fact.value).join(FactMention).where(FactMention.article_id == live_id)
        ).all()
        assert 3000 in mentioned, "the figure is known: a corroboration, not a new fact"


@pytest.fixture(autouse=True)
def _forget_engines() -> Iterator[None]:
    """Each test reaches several stores: no pooled connection outlives it."""
    yield
    dispose_engines()
