"""spaCy, loaded once per process, and the watch's actors made single PER tokens.

fr_core_news_md reads "Kim Jong Un" as PER "Kim Jong" ("Un" taken for the article) and splits a
sentence after it. Every known spelling of an actor is therefore merged into one token and preset
as a PER entity before ``ner`` runs (the recogniser keeps preset entities), with
``token._.actor`` set to the canonical name. This is the entity-ruler idea, driven by the same
accent- and hyphen-insensitive gazetteer as the relevance gate.

Declarations need the parser (subjects), the morphologizer (parts of speech, gender,
negation, verb forms) and ``ner`` (speakers outside the watch). Nothing reads lemmas (speech
verbs are matched by word form) or fine-grained tags, so the lemmatizer is not loaded and the
attribute ruler keeps only its rules for whitespace tokens, not those copying POS to TAG.

Speed (bench/analyse.py): thinc multiplies matrices with BLIS by default, which on this
machine's CPUs runs the networks at about half the speed of numpy's OpenBLAS; OpenBLAS,
however, spreads each product over every core, and the waiting threads cost more CPU time than
they save. The model is therefore loaded on numpy's OpenBLAS limited to one thread (for the
whole process): the same annotations, and the networks take about 45 % less CPU time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

from vigie.nlp.relevance import gazetteer, resolve_short
from vigie.text import fold
from vigie.watch import Watch

MODEL = "fr_core_news_md"
UNUSED_PIPES = ("lemmatizer",)

_lock = threading.Lock()
_nlp: Language | None = None

if not Token.has_extension("actor"):
    Token.set_extension("actor", default=None)


def get_nlp() -> Language:
    """The French pipeline, loaded on first use and shared by the whole process."""
    global _nlp
    with _lock:
        if _nlp is None:
            _nlp = _load()
        return _nlp


def _load() -> Language:
    """The pipeline on one OpenBLAS thread, without the parts nothing reads (see above)."""
    threadpool_limits(limits=1, user_api="blas")
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(MODEL, exclude=list(UNUSED_PIPES))
    ruler = nlp.get_pipe("attribute_ruler")
    kept = [p for p in ruler.patterns if set(p["attrs"]) != {"TAG"}]
    ruler.clear()
    ruler.add_patterns(kept)
    return nlp


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


def _proper_nouns(doc: Doc) -> Doc:
    """An actor's merged name is a proper noun, whatever the tagger guessed ("ADV" happens)."""
    for token in doc:
        if token._.actor is not None:
            token.pos_ = "PROPN"
    return doc


def parse(text: str, watch: Watch) -> Doc:
    """One text through the pipeline, actors merged first."""
    nlp = get_nlp()
    return _proper_nouns(nlp(mark_actors(nlp.make_doc(text), watch)))


def parse_many(texts: Iterable[str], watch: Watch, batch_size: int = 16) -> Iterator[Doc]:
    """Many texts through ``nlp.pipe`` (faster than one by one), actors merged first."""
    nlp = get_nlp()
    docs = (mark_actors(nlp.make_doc(text), watch) for text in texts)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield _proper_nouns(doc)
