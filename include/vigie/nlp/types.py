"""Plain results of the analysis: what extractors return and novelty compares."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    """A number about the relationship, classified into one of the watch's measures."""

    value: float
    measure: str  # a measure key of the watch, e.g. "troops_sent"
    object: str  # the counted noun as written, e.g. "soldats"
    evidence: str  # the whole sentence
    qualifier: str | None = None  # normalised: "au moins", "plus de", "environ", …
    value_high: float | None = None  # upper bound of a range ("entre 10 000 et 12 000")
    claimed_by: str | None = None  # "Séoul", "le renseignement sud-coréen", …
    period: str | None = None  # "en 2024", "depuis juin 2024", …
    additional: bool = False  # "3 000 soldats supplémentaires / de plus": an increment
    span: tuple[int, int] | None = None  # offsets of the figure's words in ``evidence``


@dataclass(frozen=True)
class Declaration:
    """A direct quote and who said it (``speaker`` None: unattributed, never alerted)."""

    quote: str
    evidence: str  # the sentence(s) holding the quote
    speaker: str | None = None  # canonical name from the watch, or a PER entity's name
    how: str = "none"  # name | title | pronoun | entity | none
    span: tuple[int, int] | None = None  # offsets of the quote in ``evidence``


@dataclass
class Analysis:
    """Everything the analysis concludes about one article."""

    relevant: bool
    reason: str  # why relevant or not, for the article's record
    events: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
