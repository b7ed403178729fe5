"""One reader for every date Vigie meets, one writer for French readers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from vigie.dates import (
    FRENCH_MONTHS,
    PARIS,
    format_day,
    format_short_day,
    format_when,
    parse_datetime,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14T09:30:00Z", datetime(2026, 3, 14, 9, 30, tzinfo=UTC)),
        ("2026-03-14T09:30:00+01:00", datetime(2026, 3, 14, 8, 30, tzinfo=UTC)),
        ("2026-03-14 09:30", datetime(2026, 3, 14, 8, 30, tzinfo=UTC)),  # Paris, winter
        ("2026-07-14T09:30", datetime(2026, 7, 14, 7, 30, tzinfo=UTC)),  # Paris, summer
        ("Sat, 14 Mar 2026 09:30:00 GMT", datetime(2026, 3, 14, 9, 30, tzinfo=UTC)),
        ("Sat, 14 Mar 2026 09:30:00 +0100", datetime(2026, 3, 14, 8, 30, tzinfo=UTC)),
        ("mar., 13 sept. 2022 16:41:30 +0200", datetime(2022, 9, 13, 14, 41, 30, tzinfo=UTC)),
        ("3 févr. 2026 à 10h30", datetime(2026, 2, 3, 9, 30, tzinfo=UTC)),
        ("lundi 2 mars 2026 - 08:12", datetime(2026, 3, 2, 7, 12, tzinfo=UTC)),
        ("14 août 2026 10:00", datetime(2026, 8, 14, 8, 0, tzinfo=UTC)),
    ],
)
def test_times_read_with_their_offset_else_in_the_default_zone(text, expected):
    parsed = parse_datetime(text, default_tz=PARIS)
    assert parsed is not None
    assert parsed.tzinfo is not None
    assert parsed == expected


@pytest.mark.parametrize("text", ["2026-03-14", "14 mars 2026", "14/03/2026", "14 MARS 2026"])
def test_a_bare_day_is_midnight_utc_whatever_the_default_zone(text):
    assert parse_datetime(text, default_tz=PARIS) == datetime(2026, 3, 14, tzinfo=UTC)


def test_the_first_of_the_month_and_unaccented_months():
    assert parse_datetime("1er mars 2026 à 14h05", default_tz=PARIS) == datetime(
        2026, 3, 1, 13, 5, tzinfo=UTC
    )
    assert parse_datetime("12 fevrier 2026") == datetime(2026, 2, 12, tzinfo=UTC)


def test_naive_times_take_the_default_zone():
    assert parse_datetime("2026-03-14T09:30") == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    naive = datetime(2026, 3, 14, 9, 30)
    assert parse_datetime(naive, default_tz=PARIS) == datetime(2026, 3, 14, 8, 30, tzinfo=UTC)
    zoned = datetime(2026, 3, 14, 9, 30, tzinfo=timezone(timedelta(hours=9)))
    assert parse_datetime(zoned, default_tz=PARIS) is zoned
    assert parse_datetime(date(2026, 3, 14)) == datetime(2026, 3, 14, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [None, "", "   ", "hier soir", "il y a 3 heures", "14 mars", "1700000000", "31 juin 2026"],
)
def test_no_full_date_is_none(text):
    assert parse_datetime(text) is None


def test_month_names_come_from_cldr_with_unaccented_spellings():
    assert FRENCH_MONTHS["janvier"] == 1
    assert FRENCH_MONTHS["février"] == FRENCH_MONTHS["fevrier"] == 2
    assert FRENCH_MONTHS["août"] == FRENCH_MONTHS["aout"] == 8
    assert FRENCH_MONTHS["décembre"] == FRENCH_MONTHS["decembre"] == 12
    assert len(set(FRENCH_MONTHS.values())) == 12


def test_french_display_in_paris_time():
    assert format_when(datetime(2026, 3, 14, 8, 30, tzinfo=UTC)) == "14 mars 2026 à 09:30"
    assert format_when(datetime(2026, 7, 31, 22, 5, tzinfo=UTC)) == "1er août 2026 à 00:05"
    assert format_when(None) == "date inconnue"
    assert format_day(date(2026, 2, 18)) == "18 février 2026"
    assert format_day(date(2026, 3, 1)) == "1er mars 2026"
    assert format_short_day(date(2026, 2, 3)) == "3 févr."
    assert format_short_day(date(2026, 5, 9)) == "9 mai"
