"""How the plugin's pages say amounts, dates and delivery states to French readers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vigie.views.french import amount, channel_state, day, percent, short_day, when

NBSP = "\u00a0"
NNBSP = "\u202f"  # CLDR French groups digits with a narrow no-break space


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((3_000_000, None, "plus de", "obus"), f"plus de 3{NBSP}millions d'obus"),
        ((2_000_000, None, None, "soldats"), f"2{NBSP}millions de soldats"),
        ((2500, None, None, "soldats"), f"2{NNBSP}500 soldats"),
        ((10_000, 12_000, None, "obus"), f"10{NNBSP}000 à 12{NNBSP}000 obus"),
        ((1_500_000, None, "environ", "hommes"), f"environ 1,5{NBSP}million d'hommes"),
        ((60, None, "au moins", "missiles"), "au moins 60 missiles"),
    ],
)
def test_amounts_read_as_in_the_alerts(args, expected) -> None:
    assert amount(*args) == expected


def test_an_increment_says_so() -> None:
    assert amount(4000, None, "au moins", "soldats", True) == (
        f"au moins 4{NNBSP}000 soldats supplémentaires"
    )


def test_dates_are_paris_time_in_words() -> None:
    assert when(datetime(2026, 3, 14, 8, 30, tzinfo=UTC)) == "14 mars 2026 à 09:30"  # CET
    assert when("2026-08-03T07:00:00+00:00") == "3 août 2026 à 09:00"  # CEST
    assert when(None) == "date inconnue"
    assert day("2026-03-01") == "1er mars 2026"
    assert short_day("2026-12-06") == "6 déc."


def test_delivery_states_in_french() -> None:
    sent = channel_state("slack", {"status": "sent", "at": "2026-03-14T08:31:00+00:00"})
    assert sent == "Slack : envoyée le 14 mars 2026 à 09:31"
    failed = channel_state("email", {"status": "failed", "reason": "HTTP 500", "attempts": 3})
    assert failed == "e-mail : en échec (HTTP 500), 3 essais"
    assert channel_state("slack", {"status": "pending"}) == "Slack : en attente"
    assert percent(0.25) == f"25{NBSP}%"
    assert percent(None) == "—"
