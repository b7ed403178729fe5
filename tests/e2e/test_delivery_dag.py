"""At most once through Airflow: a Slack webhook that reads the post and answers after the
client's timeout, an SMTP server that keeps the message and stalls after DATA. Each alert reaches
Slack and the mailbox once across the deliver task's retries and the next run; the sends whose
answer never came are `unknown` in `vigie alerts --json`, and operators are told."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.airflow_run import dags_test, vigie_json
from support.corpus_site import serve_corpus
from support.httpserver import LoopbackServer
from support.shared import shared_path
from support.slack_receiver import Answer, SlackReceiver
from support.smtp_server import SmtpServer
from test_monitor_dag import ANALYSTS, _fold, assert_each_once, expected_alerts

from vigie.evaluate import load_corpus

pytestmark = pytest.mark.airflow

OPS = "ops@vigie.test"
TIMEOUT = 2  # the clients' timeout, in the connections
LATE = 5  # seconds the slow servers take to answer, after reading everything


def test_slow_slack_and_stalled_smtp_get_each_alert_once(airflow_home_env, tmp_path: Path) -> None:
    articles = load_corpus(shared_path("eval-dev", "corpus.yaml"))
    expected = expected_alerts(articles)
    with LoopbackServer() as site, SlackReceiver() as slack, SmtpServer() as smtp:
        sources = serve_corpus(site, articles, tmp_path / "sources.yaml")
        slack.script(Answer(delay=LATE))
        smtp.stall(LATE)
        env = dict(
            airflow_home_env,
            VIGIE_HOME=str(tmp_path / "vigie"),
            VIGIE_DATABASE_URL=f"sqlite:///{tmp_path / 'vigie' / 'vigie.db'}",
            VIGIE_SOURCES=str(sources),
            VIGIE_ALLOW_PRIVATE_HOSTS="127.0.0.1",
            VIGIE_ALERT_EMAIL_TO=ANALYSTS,
            VIGIE_OPS_EMAIL_TO=OPS,
            VIGIE_TASK_RETRY_SECONDS="1",
            VIGIE_DELIVERY_RETRY_SECONDS="0",
            AIRFLOW_CONN_VIGIE_SLACK=slack.connection(timeout=TIMEOUT),
            AIRFLOW_CONN_SMTP_DEFAULT=smtp.connection(timeout=TIMEOUT),
        )
        # the first try meets the slow servers and stops; Airflow's retry sends the rest
        assert dags_test(env, tmp_path / "first.log") == 0
        assert dags_test(env, tmp_path / "second.log") == 0
        posts = [_fold(body.get("text", "")) for body in slack.accepted]
        to_analysts = [
            m
            for m, (_, rcpt) in zip(smtp.messages, smtp.envelopes, strict=True)
            if ANALYSTS in rcpt
        ]
        to_ops = [
            m for m, (_, rcpt) in zip(smtp.messages, smtp.envelopes, strict=True) if OPS in rcpt
        ]

    assert_each_once(posts, expected)
    bodies = [_fold(m.get_body(preferencelist=("plain",)).get_content()) for m in to_analysts]
    assert_each_once(bodies, expected)
    log = (tmp_path / "first.log").read_text()
    assert "up_for_retry" in log or "UP_FOR_RETRY" in log, "the deliver task was retried"
    channels = [a["channels"] for a in vigie_json(env, "alerts")]
    unknown = [(name, c) for ch in channels for name, c in ch.items() if c["status"] == "unknown"]
    assert sorted(name for name, _ in unknown) == ["email", "slack"]
    for name, state in unknown:
        assert "no answer after the message was sent" in state["reason"], name
    assert (
        sum(c["status"] == "sent" for ch in channels for c in ch.values()) == 2 * len(expected) - 2
    )
    (notice,) = to_ops
    assert "résultat inconnu" in notice["Subject"]
