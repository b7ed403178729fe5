"""French numbers as news writes them: "11 000", "11.000", "12'500", "1,5 million", "quinze mille".

Only the number is read here; whether it counts something (and what) is decided in figures.py.
Digits glued to letters or punctuation (KN-23, 13/07/2025, 13:43, 2e, 20,5%) are not read as
free-standing numbers. Swiss thousands ("12'500", "1’500") and Belgian and Swiss tens
("septante", "huitante", "nonante") are read like the French ones. "Une centaine", "un millier"
are read as approximate (100, 1000); a bare plural "des milliards" is vague and read as nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

_GROUP_SEP = "[ \u00a0\u202f\u2009.'\u2019\u02bc]"
# "1.5 million": a decimal point, read only before "million(s)" / "milliard(s)" (a dot before
# three digits groups thousands: "11.000").
_DIGITS = (
    rf"\d+\.\d{{1,2}}(?=\s+(?:de\s+)?(?:millions?|milliards?)(?![\w]))"
    rf"|\d{{1,3}}(?:{_GROUP_SEP}\d{{3}})+(?:,\d+)?(?![\d])|\d+(?:,\d+)?"
)
_MULTIPLIERS = {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9}
_ENDS_MULTIPLIED = re.compile(r"(?:mille|millions?|milliards?)$", re.IGNORECASE)
_MULT = (
    r"(?:\s+(?:de\s+)?)?(?P<mult>mille|millions?|milliards?)(?![\w])"
    # "1 million et demi", "deux milliards et demi": half of the multiplier more
    r"(?P<half>\s+et\s+demi(?![\w]))?"
)
_HALF = (
    r"(?P<whalf>(?:(?<=million)|(?<=millions)|(?<=milliard)|(?<=milliards))"
    r"\s+et\s+demi(?![\w]))?"
)

_UNITS = (  # noqa: SIM905
    "zero un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize vingt vingts trente quarante cinquante soixante septante huitante octante "
    "nonante cent cents"
).split()
_BIG = ["mille", "million", "millions", "milliard", "milliards"]
_WORD = r"(?:" + "|".join(sorted(_UNITS + _BIG, key=len, reverse=True)) + r")"
_WORDS = rf"{_WORD}(?:(?:[\s\-]+et[\s\-]+|[\s\-]+){_WORD})*"
# "une centaine (de milliers)": a round count said to be approximate.
_ROUND = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "millier": 1000,
}
_ROUND_MULT = {"milliers": 1e3, "millions": 1e6, "milliards": 1e9}
_APPROX = (
    rf"une?\s+(?P<round>{'|'.join(_ROUND)})"
    r"(?:\s+de\s+(?P<rmult>milliers|millions|milliards)(?![\w]))?"
)

# A percentage or a ratio is no count: "20 %", "septante pour cent" (whose "cent" is no number
# either), "deux fois plus".
NUMBER_RE = re.compile(
    # "septante pour cent", "un tué pour trois blessés": no number in words after "pour" (a
    # percentage, a ratio); "pour 1 500 soldats" is one
    rf"(?<![\w/:,.\-])(?!(?<=pour )[^\W\d])(?:(?P<digits>{_DIGITS})(?:{_MULT})?"
    rf"|(?P<approx>{_APPROX})|(?P<words>{_WORDS}){_HALF})"
    r"(?![\w/:]|[.,]\d|\s?%|-\w|\s+pour\s?(?:cent|mille)(?![\w])|\s+fois(?![\w]))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NumberSpan:
    """A number found in a text: where it is and what it is worth."""

    start: int
    end: int
    value: float
    text: str
    in_words: bool = False
    approximate: bool = False  # "une centaine": about 100


def _digits_value(digits: str) -> float | None:
    if re.fullmatch(r"\d+\.\d{1,2}", digits):
        return float(digits)  # "1.5 million"
    compact = re.sub(_GROUP_SEP, "", digits) if re.search(rf"\d{_GROUP_SEP}\d", digits) else digits
    try:
        return float(compact.replace(",", "."))
    except ValueError:
        return None


def _words_value(words: str) -> float | None:
    cleaned = " ".join(words.lower().replace("-", " ").split())
    if cleaned in ("un", "une", "et"):
        return None  # an article, not a count
    if cleaned.split()[0] in ("millions", "milliards"):
        return None  # "des milliards de roubles": vague, no value to compare
    try:
        return float(text2num(cleaned, "fr"))
    except ValueError:
        return None


def find_numbers(text: str) -> list[NumberSpan]:
    """Every free-standing number in ``text``, in order, with its value."""
    found = []
    for match in NUMBER_RE.finditer(text):
        approximate = False
        if match.group("approx"):
            value = float(_ROUND[match.group("round").lower()])
            if match.group("rmult"):
                value *= _ROUND_MULT[match.group("rmult").lower()]
            in_words = approximate = True
        elif match.group("digits"):
            value = _digits_value(match.group("digits"))
            mult = match.group("mult")
            if value is not None and mult:
                value *= _MULTIPLIERS[mult.lower()]
                if match.group("half"):
                    value += _MULTIPLIERS[mult.lower()] / 2
            in_words = False
        else:
            value = _words_value(match.group("words"))
            in_words = True
            if value is not None and match.group("whalf"):
                last = match.group("words").lower().split()[-1]
                value += _MULTIPLIERS.get(last, 0) / 2
        if value is None:
            continue
        found.append(
            NumberSpan(match.start(), match.end(), value, match.group(0), in_words, approximate)
        )
    return found


def parse_number(text: str) -> float | None:
    """The value of ``text`` when it is exactly one number ("11 000", "dix mille"), else None."""
    stripped = text.strip()
    numbers = find_numbers(stripped)
    if len(numbers) == 1 and numbers[0].start == 0 and numbers[0].end == len(stripped):
        return numbers[0].value
    return None


def multiplier(text: str) -> float | None:
    """The multiplier a number's text ends with ("6 millions": 1e6; "6 000": None), for a
    range whose ends share it ("entre 4 et 6 millions")."""
    match = _ENDS_MULTIPLIED.search(text)
    return _MULTIPLIERS[match.group(0).lower()] if match else None
