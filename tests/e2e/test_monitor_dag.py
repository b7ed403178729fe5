"""End to end through Airflow itself: the dev corpus served as feeds and pages on loopback,
`airflow dags test vigie_monitor`, and alerts arriving at a loopback Slack receiver and SMTP server.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.corpus_site import serve_corpus
from support.httpserver import LoopbackServer
from support.shared import shared_path
from support.slack_receiver import Answer, SlackReceiver
from support.smtp_server import SmtpServer

from vigie.evaluate import CorpusArticle, load_corpus

pytestmark = pytest.mark.airflow

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "e2e" / "hostile_corpus.yaml"
ANALYSTS = "analystes@vigie.test"


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u00a0", " ").replace("\u202f", " "))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, list[CorpusArticle]]]:
    articles = load_corpus(shared_path("eval-dev", "corpus.yaml"))
    with LoopbackServer() as server:
        yield serve_corpus(server, articles, tmp_path / "sources.yaml"), articles


@pytest.fixture
def channels() -> Iterator[tuple[SlackReceiver, SmtpServer]]:
    with SlackReceiver() as slack, SmtpServer() as smtp:
        yield slack, smtp


def run_cycle(env: dict[str, str], tmp_path: Path, sources: Path, slack, smtp) -> int:
    """One `airflow dags test vigie_monitor` over the loopback site; its exit status."""
    run_env = dict(
        env,
        VIGIE_HOME=str(tmp_path / "vigie"),
        VIGIE_DATABASE_URL=f"sqlite:///{tmp_path / 'vigie' / 'vigie.db'}",
        VIGIE_SOURCES=str(sources),
        VIGIE_ALLOW_PRIVATE_HOSTS="127.0.0.1",
        VIGIE_ALERT_EMAIL_TO=ANALYSTS,
        VIGIE_TASK_RETRY_SECONDS="1",
        VIGIE_DELIVERY_RETRY_SECONDS="0",
        AIRFLOW_CONN_VIGIE_SLACK=slack.connection(),
        AIRFLOW_CONN_SMTP_DEFAULT=smtp.connection(),
    )
    done = subprocess.run(
        [BIN / "airflow", "dags", "test", "vigie_monitor"],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    (tmp_path / f"cycle-{len(list(tmp_path.glob('cycle-*')))}.log").write_text(
        done.stdout + done.stderr
    )
    return done.returncode


def expected_alerts(articles: list[CorpusArticle]) -> list[tuple[str, str]]:
    """(kind, what to look for) for every alert the corpus expects."""
    out = [("figure", f"{int(f.value):,}".replace(",", " ")) for a in articles for f in a.figures]
    out += [("declaration", d.quote[:40]) for a in articles for d in a.declarations]
    return out


def slack_texts(slack: SlackReceiver) -> list[str]:
    return [_fold(body.get("text", "")) for body in slack.accepted]


def mail_bodies(smtp: SmtpServer) -> list[str]:
    return [_fold(m.get_body(preferencelist=("plain",)).get_content()) for m in smtp.messages]


def assert_each_once(texts: list[str], expected: list[tuple[str, str]]) -> None:
    """Each expected alert is the headline (first line) of exactly one message."""
    assert len(texts) == len(expected), texts
    for _, needle in expected:
        pattern = re.compile(rf"(?<!\d)(?<!\d ){re.escape(_fold(needle))}(?!\d)")
        headlines = [re.sub(r"<[^>]*>", "", t.splitlines()[0]) for t in texts]
        hits = [h for h in headlines if pattern.search(h)]
        assert len(hits) == 1, f"{needle!r} arrived {len(hits)} times"


def test_every_expected_alert_arrives_once_then_nothing(
    airflow_home_env, site, channels, tmp_path: Path
) -> None:
    sources, articles = site
    slack, smtp = channels
    assert run_cycle(airflow_home_env, tmp_path, sources, slack, smtp) == 0
    expected = expected_alerts(articles)
    assert_each_once(slack_texts(slack), expected)
    assert_each_once(mail_bodies(smtp), expected)
    assert all(ANALYSTS in rcpt_tos for _, rcpt_tos in smtp.envelopes)

    assert run_cycle(airflow_home_env, tmp_path, sources, slack, smtp) == 0
    assert len(slack.accepted) == len(expected), "a second run sent something again"
    assert len(smtp.messages) == len(expected)


def test_slack_down_then_up_and_smtp_down_then_up_deliver_once(
    airflow_home_env, site, channels, tmp_path: Path
) -> None:
    sources, articles = site
    slack, smtp = channels
    expected = expected_alerts(articles)
    slack.script(*[Answer(500, "internal_error")] * 3)
    smtp.stop()
    status = run_cycle(airflow_home_env, tmp_path, sources, slack, smtp)
    # Airflow retried `deliver`: Slack recovered within the retries, SMTP did not.
    assert status != 0
    assert_each_once(slack_texts(slack), expected)
    assert smtp.messages == []
    smtp.start()
    assert run_cycle(airflow_home_env, tmp_path, sources, slack, smtp) == 0
    assert_each_once(mail_bodies(smtp), expected)
    assert_each_once(slack_texts(slack), expected)


def test_hostile_title_and_text_arrive_inert(airflow_home_env, channels, tmp_path: Path) -> None:
    articles = load_corpus(HOSTILE)
    slack, smtp = channels
    with LoopbackServer() as server:
        sources = serve_corpus(server, articles, tmp_path / "sources.yaml")
        assert run_cycle(airflow_home_env, tmp_path, sources, slack, smtp) == 0
    assert len(slack.accepted) == len(expected_alerts(articles))
    posted = json.dumps(slack.accepted, ensure_ascii=False)
    for live in (
        "<!channel>",
        "<!here>",
        "<!everyone>",
        "<@U0HOSTILE>",
        "<https://evil",
        "<script",
    ):
        assert live not in posted, live
    assert "&lt;!channel&gt;" in posted
    for message in smtp.messages:
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "<script" not in html
        assert "&lt;script&gt;" in html
        assert "\n" not in message["Subject"]
        assert "\r" not in message["Subject"]


def test_backfill_dag_replays_a_day_of_archive_without_pushing(
    airflow_home_env, channels, tmp_path: Path
) -> None:
    """`vigie_backfill` over 2026-02-10: of the archive's three articles only that day's is
    replayed; it gives a historical alert, recorded in the store, listed in the run's digest."""
    slack, _ = channels
    archive = Path(__file__).resolve().parents[1] / "fixtures" / "cli" / "archive_february.jsonl"
    store = tmp_path / "vigie"
    env = dict(
        airflow_home_env,
        VIGIE_HOME=str(store),
        VIGIE_DATABASE_URL=f"sqlite:///{store / 'vigie.db'}",
        AIRFLOW_CONN_VIGIE_SLACK=slack.connection(),
    )
    done = subprocess.run(
        [
            BIN / "airflow",
            "dags",
            "test",
            "vigie_backfill",
            "2026-02-11",  # a daily run at 02-11 00:00 replays the day before: 02-10
            "-c",
            json.dumps({"archive": str(archive)}),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    alerts = subprocess.run(
        [BIN / "vigie", "alerts", "--json"], env=env, capture_output=True, text=True, check=True
    )
    (alert,) = json.loads(alerts.stdout)
    assert "2 outside the window" in done.stdout
    assert alert["historical"] is True
    assert alert["value"] == 2500
    (digest,) = slack.accepted  # one digest at the end of the run, never the alert on its own
    assert "Vigie · 1 nouvelles alertes" in digest["text"]
    assert alert["channels"]["slack"]["status"] == "sent"
