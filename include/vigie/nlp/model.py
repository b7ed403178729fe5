"""spaCy, loaded once per process, and the watch's actors made single PER tokens.

fr_core_news_md reads "Kim Jong Un" as PER "Kim Jong" ("Un" taken for the article) and splits a
sentence after it. Every known spelling of an actor is therefore merged into one token and preset
as a PER entity before ``ner`` runs (the recogniser keeps preset entities), with
``token._.actor`` set to the canonical name. This is the entity-ruler idea, driven by the same
accent- and hyphen-insensitive gazetteer as the relevance gate.

Declarations need the parser (subjects), the morphologizer (parts of speech, gender,
negation, verb forms) and ``ner`` (speakers outside the watch). Nothing reads lemmas (speech
verbs are matched by word form) or fine-grained tags, so the lemmatizer is not loaded, and of
the attribute ruler only its three rules for whitespace tokens are kept, applied by a small
component of ours: the ruler applies each match through ``doc.retokenize()``, which cost a
twentieth of the pipeline's time for nothing but setting a few attributes on blank tokens.

Speed (bench/analyse.py): thinc multiplies matrices with BLIS by default, which on this
machine's CPUs runs the networks at about half the speed of numpy's OpenBLAS; OpenBLAS,
however, spreads each product over every core, and the waiting threads cost more CPU time than
they save. The model is therefore loaded on numpy's OpenBLAS limited to one thread (for the
whole process): the same annotations, and the networks take about 45 % less CPU time.

The French tokenizer's ``token_match`` (words such as "New-York" or "entr'ouvert" kept whole) is
one regular expression of 1.4 million characters, tried on every piece of every word: it was an
eighth of the pipeline's time. Each of its alternatives needs a hyphen or an elision mark, so a
piece without either is answered at once by a one-class expression, and the big one runs only on
the pieces that could match: the same tokens, the tokenizer about three times faster.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator

import spacy
from spacy.lang.fr.punctuation import ELISION, HYPHENS
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
    nlp.replace_pipe("attribute_ruler", "vigie_blank_tokens")
    if nlp.tokenizer.token_match is not None:
        nlp.tokenizer.token_match = hyphen_or_elision_first(nlp.tokenizer.token_match)
    return nlp


_HYPHEN_OR_ELISION = re.compile(f"(?iu)[{HYPHENS}{ELISION}]").search


def hyphen_or_elision_first(token_match: Callable[[str], object]) -> Callable[[str], object]:
    """``token_match``, tried only on pieces holding a hyphen or an elision mark (see above)."""

    def match(piece: str) -> object:
        return token_match(piece) if _HYPHEN_OR_ELISION(piece) else None

    return match


@Language.component("vigie_blank_tokens")
def blank_tokens(doc: Doc) -> Doc:
    """The attribute ruler's rules for whitespace, the only ones anything here reads.

    A blank token is SPACE with an empty analysis, keeping a dependency label only as "dep"; a
    token the tagger called SPACE that is not blank becomes X.
    """
    for token in doc:
        if token.is_space:
            if token.dep_:
                token.dep_ = "dep"
            token.tag_ = token.pos_ = "SPACE"
            token.set_morph(None)
        elif token.pos_ == "SPACE":
            token.tag_ = token.pos_ = "X"
            token.set_morph(None)
    return doc


def mark_actors(doc: Doc, watch: Watch) -> Doc:
    """Merge each actor mention into one token, preset it as PER, set ``token._.actor``.

    Short names ("Kim") count only when the actor is named in full somewhere in the text.
    """
    hits = gazetteer(watch).find(fold(doc_text(doc)))
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
    ents, marked = [], []
    for span in kept:
        merged = doc.char_span(span.start_char, span.end_char, label="PER")
        if merged is None:
            continue
        for token in merged:
            token._.actor = actor_of[(span.start_char, span.end_char)]
            marked.append(token.i)
        ents.append(Span(doc, merged.start, merged.end, label="PER"))
    doc.ents = ents
    doc.user_data[ACTOR_TOKENS] = marked
    return doc


# Where ``mark_actors`` lists the tokens it gave an actor (the pipeline merges no tokens after
# it, so the indexes hold): reading ``token._.actor`` on every token cost as much as the rest
# of ``parse`` outside the model.
ACTOR_TOKENS = "vigie_actor_tokens"


def _proper_nouns(doc: Doc) -> Doc:
    """An actor's merged name is a proper noun, whatever the tagger guessed ("ADV" happens)."""
    for i in doc.user_data.get(ACTOR_TOKENS, ()):
        doc[i].pos_ = "PROPN"
    return doc


# Where ``parse`` keeps the doc's text: ``Doc.text`` joins every token anew on each call.
TEXT = "vigie_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, as kept by ``parse`` (a doc keeps its text whatever is merged)."""
    text = doc.user_data.get(TEXT)
    return text if text is not None else doc.text


def _make_doc(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc.user_data[TEXT] = text
    return doc


def parse(text: str, watch: Watch) -> Doc:
    """One text through the pipeline, actors merged first."""
    nlp = get_nlp()
    return _proper_nouns(nlp(mark_actors(_make_doc(nlp, text), watch)))


def parse_many(texts: Iterable[str], watch: Watch, batch_size: int = 16) -> Iterator[Doc]:
    """Many texts through ``nlp.pipe`` (faster than one by one), actors merged first."""
    nlp = get_nlp()
    docs = (mark_actors(_make_doc(nlp, text), watch) for text in texts)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield _proper_nouns(doc)
