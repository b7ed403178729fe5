"""Which lines are page furniture or credits, never article text: one list, for every stage.

The list is ``data/boilerplate.yaml``. Extraction drops these lines from the text it stores;
deduplication ignores them when it compares texts and looks for new sentences. One predicate for
both, so a line one stage treats as noise is noise for the other too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from vigie.resources import load_data
from vigie.text import normalise

_EDGE_PUNCTUATION = " .,;:!?\"'()[]-*•|"


@dataclass(frozen=True)
class _Boilerplate:
    lines: frozenset[str]
    prefixes: tuple[str, ...]
    pattern: re.Pattern[str]


@cache
def _boilerplate() -> _Boilerplate:
    data = load_data("boilerplate.yaml")
    return _Boilerplate(
        lines=frozenset(normalise(line).strip(_EDGE_PUNCTUATION) for line in data["lines"]),
        prefixes=tuple(normalise(p) for p in data["prefixes"]),
        pattern=re.compile("|".join(f"(?:{p})" for p in data["patterns"]), re.I),
    )


def is_boilerplate(line: str) -> bool:
    """True for credit, navigation and cross-link lines ("(Avec AFP)", "Lire aussi…") and for
    blank ones."""
    known = _boilerplate()
    key = normalise(line).strip(_EDGE_PUNCTUATION)
    return (
        not key
        or key in known.lines
        or key.startswith(known.prefixes)
        or bool(known.pattern.search(" ".join(line.split())))
    )


def strip_boilerplate(text: str) -> str:
    """``text`` without its boilerplate lines."""
    return "\n".join(line for line in (text or "").splitlines() if not is_boilerplate(line))
