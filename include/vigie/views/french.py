"""How the pages say things to French readers: amounts, dates (Paris time), states, labels.

Built on the alert messages' own helpers (``vigie.alerts.render``) so a figure reads the same in
Slack, in an e-mail and in the Airflow UI: "plus de 3 millions d'obus", "2 500 soldats",
"14 mars 2026 à 09:30".
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.numbers import format_percent

from vigie.alerts.render import clean, format_number
from vigie.dates import LOCALE, PARIS, format_day, format_short_day, format_when, parse_datetime

ARTICLE_STATUS = {
    "new": "nouveau",
    "duplicate": "doublon",
    "irrelevant": "hors sujet",
    "skipped": "ignoré",
    "failed": "en échec",
}
FEED_STATE = {
    "ok": "en bonne santé",
    "failing": "en échec",
    "backing off": "en pause après échecs",
    "retired": "retiré",
    "never polled": "jamais interrogé",
}
CHANNEL_NAME = {"slack": "Slack", "email": "e-mail"}
KIND = {"figure": "chiffre", "declaration": "déclaration"}
_VOWELS = "aeiouyhàâäéèêëîïôöûüœæAEIOUYHÀÂÄÉÈÊËÎÏÔÖÛÜŒÆ"


def _of(noun: str) -> str:
    """``de`` or ``d'`` before a noun, as in "3 millions d'obus", "2 millions de soldats"."""
    return f"d'{noun}" if noun[:1] in _VOWELS else f"de {noun}"


def amount(
    value: float | None,
    value_high: float | None = None,
    qualifier: str | None = None,
    obj: str | None = None,
    additional: bool = False,
) -> str:
    """A figure as it is read: ``plus de 3 millions d'obus``, ``2 500 soldats``, ``10 000 à
    12 000 obus``, ``4 000 soldats supplémentaires``."""
    if value is None:
        number = "?"
    elif value_high is not None and value_high != value:
        number = f"{format_number(value)} à {format_number(value_high)}"
    else:
        number = format_number(value)
    noun = clean(obj)
    if noun and number.endswith(("million", "millions", "milliard", "milliards")):
        noun = _of(noun)
    extra = "supplémentaires" if additional else ""
    return " ".join(p for p in (clean(qualifier), number, noun, extra) if p)


def when(value: datetime | str | None) -> str:
    """``14 mars 2026 à 09:30`` (Paris time), from a datetime or an ISO string."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        return format_when(parsed) if parsed else clean(value)
    return format_when(value)


def day(value: date | str) -> str:
    """``14 mars 2026``."""
    return format_day(date.fromisoformat(value[:10]) if isinstance(value, str) else value)


def short_day(value: str) -> str:
    """``14 mars`` for a chart's axis."""
    return format_short_day(date.fromisoformat(value[:10]))


def paris(value: str | None) -> str | None:
    """An ISO instant as Paris wall-clock time (``2026-03-14 09:30``) for a chart's time axis."""
    parsed = parse_datetime(value)
    return f"{parsed.astimezone(PARIS):%Y-%m-%d %H:%M}" if parsed else None


def percent(share: float | None) -> str:
    """``25 %`` (no-break space, as CLDR writes French percentages)."""
    return "—" if share is None else format_percent(share, locale=LOCALE)


def integer(value: int) -> str:
    return format_number(value)


def channel_state(name: str, state: dict[str, Any]) -> str:
    """``Slack : envoyée le 14 mars 2026 à 09:31`` / ``e-mail : en échec (HTTP 500), 3 essais``."""
    channel = CHANNEL_NAME.get(name, name)
    status = state.get("status")
    if status == "sent":
        return f"{channel} : envoyée le {when(state.get('at'))}"
    if status == "failed":
        attempts = state.get("attempts") or 0
        tries = f", {attempts} essai{'s' if attempts > 1 else ''}" if attempts else ""
        return f"{channel} : en échec ({clean(state.get('reason')) or 'raison inconnue'}){tries}"
    if status == "skipped":
        return f"{channel} : non poussée ({clean(state.get('reason'))})"
    return f"{channel} : en attente"


def outlet(name: str | None, baseline: bool = False) -> str:
    """An outlet by its name; a seed without one is the reference corpus, not "seed"."""
    text = clean(name)
    if baseline and text in ("", "seed"):
        return "corpus de référence"
    return text or "média inconnu"
