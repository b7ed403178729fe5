"""Is a figure or a declaration already known? Pure comparisons, no store.

The rules (tolerances, qualifier classes, fuzzy thresholds) live in ``data/novelty.yaml``, which
a deployment may replace from ``VIGIE_HOME``; this module applies them. Functions accept anything
shaped like a figure or a quote, so the same code compares an extractor's
:class:`~vigie.nlp.types.Figure` with a stored ``Fact`` row.

Priority follows DESIGN.md principle 7: the baseline is known from the start, whatever its dates;
beyond it the earliest publication holds a fact, an undated article coming after every dated one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from rapidfuzz import fuzz

from vigie.resources import load_data
from vigie.text import fold_quote, fold_words


class FigureLike(Protocol):
    measure: str | None
    value: float | None
    value_high: float | None
    qualifier: str | None
    additional: bool


@dataclass(frozen=True)
class Rules:
    """The comparison rules, as read from ``data/novelty.yaml``."""

    window: float  # a figure within this share of a known one of its measure is known
    qualifiers: dict[str, str]  # normalised qualifier word(s) -> class
    contained_threshold: float
    reworded_threshold: float
    min_word_share: float
    previously_known_limit: int


@cache
def load_rules() -> Rules:
    """Read the rules once per process."""
    data: dict[str, Any] = load_data("novelty.yaml")
    qualifiers = {
        fold_words(word): cls for cls, words in data["qualifiers"].items() for word in words
    }
    decl = data["declaration"]
    return Rules(
        window=float(data["figure_window"]),
        qualifiers=qualifiers,
        contained_threshold=float(decl["contained_threshold"]),
        reworded_threshold=float(decl["reworded_threshold"]),
        min_word_share=float(decl["min_word_share"]),
        previously_known_limit=int(data["previously_known_limit"]),
    )


# --- figures -----------------------------------------------------------------------------------


def qualifier_class(qualifier: str | None, rules: Rules | None = None) -> str:
    """``exact``, ``approximate``, ``lower_bound``, ``upper_bound`` or ``unknown``."""
    if not qualifier or not qualifier.strip():
        return "exact"
    rules = rules or load_rules()
    q = fold_words(qualifier)
    if q in rules.qualifiers:
        return rules.qualifiers[q]
    prefixes = [w for w in rules.qualifiers if q.startswith(w + " ") or q.startswith(w + "'")]
    if prefixes:
        return rules.qualifiers[max(prefixes, key=len)]
    return "unknown"


def value_interval(value: float, value_high: float | None = None) -> tuple[float, float]:
    """The values a figure states: its value, or the range it spans. Qualifiers do not widen it."""
    low, high = sorted((value, value if value_high is None else value_high))
    return low, high


def candidate_range(figure: FigureLike) -> tuple[float, float]:
    """Bounds any compatible figure's value (or range end) must reach: a cheap store pre-filter."""
    window = load_rules().window
    low, high = value_interval(figure.value or 0.0, figure.value_high)
    return low / (1 + window) * (1 - 1e-9), high * (1 + window) * (1 + 1e-9)


def figures_compatible(a: FigureLike, b: FigureLike) -> bool:
    """Same measure, both increments or both totals, and values within the window (2 %): two
    ranges that overlap, or a point within the window of a range's end.

    The window is taken on the larger of the two values, so the test is symmetric.
    """
    if a.measure != b.measure or bool(a.additional) != bool(b.additional):
        return False
    if a.value is None or b.value is None:
        return False
    window = load_rules().window
    if (a.value_high is None) != (b.value_high is None):
        # a range states its two ends, not the values between them: after "de 4 à 12
        # millions" (sources that disagree), Seoul's "10 millions" is still news; "12 millions"
        # is one of its ends
        point, spread = (a, b) if a.value_high is None else (b, a)
        return any(
            abs(point.value - end) <= window * max(abs(point.value), abs(end), 1e-9) * (1 + 1e-9)
            for end in (spread.value, spread.value_high)
            if end is not None
        )
    a_low, a_high = value_interval(a.value, a.value_high)
    b_low, b_high = value_interval(b.value, b.value_high)
    gap = max(a_low - b_high, b_low - a_high, 0.0)
    return gap <= window * max(abs(a_high), abs(b_high), 1e-9) * (1 + 1e-9)


# --- declarations ------------------------------------------------------------------------------


def quote_covered(new: str, known: str) -> bool:
    """Does a known quote already say ``new``? A part, a rewording or a slightly longer version.

    A short known fragment never covers a whole new sentence that contains it: the rewording and
    lengthening test asks the shorter quote to hold a fair share of the longer one's words.
    """
    rules = load_rules()
    q, k = fold_quote(new), fold_quote(known)
    if not q or not k:
        return False
    if len(q) <= len(k) and fuzz.partial_ratio(q, k) >= rules.contained_threshold:
        return True
    q_words, k_words = len(q.split()), len(k.split())
    share = min(q_words, k_words) / max(q_words, k_words)
    return share >= rules.min_word_share and fuzz.token_set_ratio(q, k) >= rules.reworded_threshold


# --- priority and fingerprints -----------------------------------------------------------------


def priority(baseline: bool, published: datetime | None, tie: str = "") -> tuple:
    """Sort key of who holds a fact: baseline first, then earliest publication, undated last.

    ``tie`` (the article's address) settles equal dates the same way whatever the arrival order.
    """
    return (not baseline, published is None, published or datetime.min, tie)


def _digest(*parts: object) -> str:
    return hashlib.sha256(
        "\x1f".join("" if p is None else str(p) for p in parts).encode()
    ).hexdigest()


def _number(value: float | None) -> str | None:
    return None if value is None else format(float(value), ".6g")


def figure_fingerprint(figure: FigureLike) -> str:
    """Identity of a figure fact: what it counts and how, not where it was read."""
    return _digest(
        "figure",
        figure.measure,
        _number(figure.value),
        _number(figure.value_high),
        qualifier_class(figure.qualifier),
        bool(figure.additional),
    )


def declaration_fingerprint(speaker: str | None, quote: str) -> str:
    """Identity of a declaration fact: who said it and the folded words."""
    return _digest("declaration", fold_words(speaker) if speaker else "", fold_quote(quote))
