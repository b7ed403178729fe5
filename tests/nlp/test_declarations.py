"""Declarations: which quotes count and who said them, on the analyser's own spaCy docs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from spacy.language import Language

from vigie.nlp.declarations import extract_declarations
from vigie.nlp.model import parse
from vigie.nlp.types import Declaration
from vigie.watch import Watch

CASES = yaml.safe_load(
    (Path(__file__).parent.parent / "fixtures" / "nlp" / "declarations_cases.yaml").read_text(
        encoding="utf-8"
    )
)["cases"]


def _declarations(text: str, watch: Watch) -> list[Declaration]:
    return extract_declarations(parse(text, watch), watch)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_declarations_and_speakers(case: dict, nlp_model: Language, watch: Watch) -> None:
    found = _declarations(case["text"], watch)
    assert [{"speaker": d.speaker, "how": d.how, "quote": d.quote} for d in found] == case["expect"]


def test_evidence_holds_the_quote_at_its_span(nlp_model: Language, watch: Watch) -> None:
    text = (
        "Sergueï Lavrov est arrivé à Pyongyang. « Nous ne céderons pas aux pressions », a lancé "
        "Sergueï Lavrov, « ni aujourd'hui ni demain ». Il repart lundi."
    )
    (declaration,) = _declarations(text, watch)
    assert declaration.evidence.startswith("« Nous ne céderons")
    assert declaration.evidence.endswith("demain ».")
    start, end = declaration.span
    assert declaration.evidence[start:end] == (
        "« Nous ne céderons pas aux pressions », a lancé Sergueï Lavrov, « ni aujourd'hui ni demain »"
    )


def test_evidence_spans_the_sentences_of_a_long_quote(nlp_model: Language, watch: Watch) -> None:
    text = "Avant. « Un traité. Il tiendra. Personne ne l'empêchera », a assuré Vladimir Poutine. Après."
    (declaration,) = _declarations(text, watch)
    assert declaration.evidence == (
        "« Un traité. Il tiendra. Personne ne l'empêchera », a assuré Vladimir Poutine."
    )


def test_text_without_quotes_gives_nothing(nlp_model: Language, watch: Watch) -> None:
    assert _declarations("Vladimir Poutine a reçu Kim Jong Un à Moscou.", watch) == []


def test_every_declaration_says_how_its_speaker_was_found(
    nlp_model: Language, watch: Watch
) -> None:
    hows = {d.how for case in CASES for d in _declarations(case["text"], watch)}
    assert hows == {"name", "title", "pronoun", "entity", "none"}
