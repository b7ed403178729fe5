"""Dates in and out: one reader for every date Vigie meets, one writer for French readers.

Reading covers ISO 8601 (feeds' Atom, JSON exports, corpora), RFC 822 (RSS, HTTP headers) and
French as newsrooms write it ("14 mars 2026", "3 févr. 2026 à 10h30", "mar., 13 sept. 2022
16:41:30 +0000") through ``dateparser``; month names come from CLDR through ``babel``, not from a
table typed here. Writing ("14 mars 2026 à 09:30", Paris time) goes through ``babel`` too.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, tzinfo
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_month_names

PARIS = ZoneInfo("Europe/Paris")
LOCALE = "fr_FR"
_HAS_TIME = re.compile(r"\d\s*[:h]\s*\d\d")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _unaccented(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )


def _month_table() -> dict[str, int]:
    names = get_month_names("wide", locale=LOCALE)
    table = {}
    for number, name in names.items():
        table[name.lower()] = number
        table.setdefault(_unaccented(name.lower()), number)  # "fevrier", "aout", "decembre"
    return table


FRENCH_MONTHS: dict[str, int] = _month_table()
"""Full French month names (and their unaccented spellings) → month number, from CLDR."""


@cache
def _parser(zone: str) -> Any:
    from dateparser.date import DateDataParser  # loaded on first use: it reads its locale data

    return DateDataParser(
        languages=["fr", "en"],
        settings={
            "REQUIRE_PARTS": ["day", "month", "year"],  # "14 mars" alone is not a date
            "RETURN_AS_TIMEZONE_AWARE": True,
            "TIMEZONE": zone,
            "DATE_ORDER": "DMY",
            "PARSERS": ["absolute-time"],  # "hier soir" or a bare number is not a date
        },
    )


def _midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def parse_datetime(
    value: str | date | datetime | None, *, default_tz: tzinfo = UTC
) -> datetime | None:
    """``value`` as an aware datetime, or None when it holds no full date.

    The offset written stays; a time without one is read in ``default_tz`` (Paris for French
    pages); a day without a time is midnight UTC, as the store keeps a page's bare day.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=default_tz)
    if isinstance(value, date):
        return _midnight_utc(value)
    text = " ".join(str(value).split())
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        if _ISO_DAY.fullmatch(text):
            return _midnight_utc(parsed)
        return parse_datetime(parsed, default_tz=default_tz)
    try:
        parsed = parsedate_to_datetime(text)  # RFC 822 ("Sat, 14 Mar 2026 09:30:00 GMT")
    except (TypeError, ValueError, IndexError):
        pass
    else:
        return parse_datetime(parsed, default_tz=default_tz)
    found = _parser(str(default_tz)).get_date_data(text).date_obj
    if found is None:
        return None
    if not _HAS_TIME.search(text):
        return _midnight_utc(found.date())
    return found


# --- writing, for French readers ---------------------------------------------------------------


def format_day(value: date) -> str:
    """``14 mars 2026``, ``1er mars 2026`` (French writes the first of the month as an ordinal)."""
    first = "1er" if value.day == 1 else str(value.day)
    month_year = format_datetime(datetime(value.year, value.month, 1), "MMMM y", locale=LOCALE)
    return f"{first} {month_year}"


def format_short_day(value: date) -> str:
    """``14 mars``, ``3 févr.``: a chart's axis."""
    return format_datetime(datetime(value.year, value.month, value.day), "d MMM", locale=LOCALE)


def format_when(when: datetime | None) -> str:
    """``18 février 2026 à 09:40`` in Paris time, or ``date inconnue``."""
    if when is None:
        return "date inconnue"
    local = when.astimezone(PARIS)
    return f"{format_day(local.date())} à {format_datetime(local, 'HH:mm', locale=LOCALE)}"
