"""Alerts that fail for good are told to operators by the deliver stage, not only logged."""

from __future__ import annotations

import pytest
from alert_rows import add_alert
from support.slack_receiver import Answer, SlackReceiver

from vigie import pipeline


def test_a_refused_alert_reaches_the_operators(
    session, slack: SlackReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_alert(session, value=3000, measure="troops_sent", object="soldats")
    slack.script(Answer(400, "invalid_payload"))
    with SlackReceiver() as ops:
        monkeypatch.setenv("AIRFLOW_CONN_VIGIE_OPS_SLACK", ops.connection())
        counts = pipeline.deliver()
        assert counts["failed"] == 1
        (notice,) = ops.accepted
    assert "échec définitif" in notice["text"]
    assert "1 failed" in notice["text"]


def test_nothing_is_told_when_everything_is_sent(
    session, slack: SlackReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_alert(session, value=3000, measure="troops_sent", object="soldats")
    with SlackReceiver() as ops:
        monkeypatch.setenv("AIRFLOW_CONN_VIGIE_OPS_SLACK", ops.connection())
        assert pipeline.deliver()["sent"] == 1
        assert ops.accepted == []
