"""Text as every stage sees it: one fold, one quote finder, one sentence splitter.

Relevance, figures, declarations, deduplication, novelty and the scorer all read sentences and
compare words; when each had its own splitter and normaliser they saw different sentences.
Everything here is model-free and cheap.

Folding (comparison forms, from the most to the least faithful):
- ``squash``: spaces collapsed (no-break ones included), nothing else;
- ``normalise``: NFKC, typography unified (quotes, dashes, spaces), lower case; accents kept:
  what duplicate detection compares;
- ``fold``: lower case, accents dropped, dashes and odd spaces made spaces, *same length* as the
  input, so offsets found in folded text are offsets in the original: what rules match on;
- ``fold_words``: ``fold`` with spaces collapsed; ``fold_quote``: words only, punctuation gone.

Quotes (``find_quotes``) are paired by typography:
- « » and ‹ › open and close by their shape; they nest (a stack), and « … » may hold “ ” or "…".
- " “ ” „ are read by context, not by shape, because French copy misuses them (``d'”agression”``
  opens with a closing mark): a mark opens when a word follows it and a space, an apostrophe or an
  opening bracket precedes it; it closes when a word precedes it and a space or punctuation
  follows. When both hold, it closes the quote the stack has open, else opens one.
- A quote does not cross a line break, except by the press convention for long quotes: a
  paragraph left open whose next paragraph starts with the same opening mark continues it, or
  with the closing one before a word (« … ¶» Ce que …, the older French convention), or, for
  a dialogue inside « », with a dash opening the next line's reply (« — Question ? ¶— Réponse. »).
- A quote still open at a line break it cannot cross is dropped (never guessed), and the quotes
  it held count on their own.
Only outermost quotes are returned; inner ones stay in their text.

Sentences (``sentence_spans``) are cut around quotes, never through them: spaCy's splitter is
unreliable around « » (a closing » can become a sentence of its own). Abbreviations that end
with a dot without ending a sentence are data (``data/abbreviations.yaml``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from vigie.resources import load_data

# --- folding -----------------------------------------------------------------------------------

_DASHES = "-‐‑‒–—―−"
_APOSTROPHES = "’‘ʼ`´"
_SPACES = "\u00a0\u202f\u2009\u2007\u200a"


class _FoldTable(dict[int, str]):
    """ord → folded character, filled on first sight: ``str.translate`` does the loop in C."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def _fold_char(char: str) -> str:
    if char in _DASHES or char in _SPACES:
        return " "
    if char in _APOSTROPHES:
        return "'"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base[0] if base else char


def fold(text: str) -> str:
    """Lowercase, strip accents, turn dashes and odd spaces into spaces, keep the length.

    Same length as ``text``, so offsets found in the folded text are offsets in the original.
    """
    if len(text) < _LONG:
        return text.translate(_FOLD_TABLE)
    return _fold_long(text)


# A whole article is folded a dozen times (gate, model, figures, events, declarations), a
# character at a time in a dict: the last few long texts are kept folded.
_LONG = 500


@lru_cache(maxsize=16)
def _fold_long(text: str) -> str:
    return text.translate(_FOLD_TABLE)


def fold_words(text: str) -> str:
    """``fold`` with one space between words: what comparisons of short phrases see."""
    return " ".join(fold(text).split())


_NON_WORD = re.compile(r"[^\w']+")


@lru_cache(maxsize=4096)
def fold_quote(text: str) -> str:
    """Words only, folded: « », commas and dots dropped, apostrophes split.

    Cached: a known quote is compared with every new quote of its speaker."""
    return " ".join(_NON_WORD.sub(" ", fold(text)).replace("'", " ").split())


def squash(text: str) -> str:
    """Collapse every run of spaces (no-break ones included) and trim."""
    return " ".join(text.split())


_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2039": '"', "\u203a": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200b": "",
        "\u2026": "...",
    }
)  # fmt: skip
_QUOTE_SPACING = re.compile(r'\s*"\s*')


def normalise(text: str) -> str:
    """Text as compared for duplicates: NFKC, unified typography, single spaces, lower case."""
    text = unicodedata.normalize("NFKC", text or "").translate(_TYPOGRAPHY)
    return squash(_QUOTE_SPACING.sub(' " ', text)).casefold()


# --- quotes ------------------------------------------------------------------------------------
_OPEN = {"«": "»", "‹": "›"}
_CLOSE = {"»": "«", "›": "‹"}
_AMBIGUOUS = frozenset('"“”„‟＂')
_BEFORE_OPEN = frozenset("([{'’«‹—–-/:") | _AMBIGUOUS
_AFTER_CLOSE = frozenset(".,;:!?)]}»›…'’-—–") | _AMBIGUOUS
_TERMINAL = frozenset(".!?…")
DIALOGUE_DASHES = "—–"  # dashes opening a dialogue's lines
_MARKS = re.compile('[\n«»‹›"“”„‟＂]')
_WORD = re.compile(r"\w")
_CANDIDATE = re.compile(r"[\n.!?…]")  # where a sentence may end


@dataclass(frozen=True)
class QuoteSpan:
    """One outermost quote: offsets in the text and its normalised words."""

    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark
    text: str  # the quoted words: marks, continuation marks and extra spaces removed
    mark: str  # the opening mark as written

    @property
    def words(self) -> int:
        return word_count(self.text)


@dataclass
class _Open:
    mark: str
    pos: int
    continuations: list[int] = field(default_factory=list)  # offsets of repeated opening marks
    inner: list[QuoteSpan] = field(default_factory=list)  # closed quotes nested in this one


def word_count(text: str) -> int:
    """Words as a reader counts them: space-separated runs holding a letter or a digit."""
    return sum(1 for w in text.split() if _WORD.search(w))


def _is_space(char: str) -> bool:
    return char.isspace()


def _can_open(prev: str, nxt: str) -> bool:
    return (
        not _is_space(nxt) and nxt != "" and (prev == "" or _is_space(prev) or prev in _BEFORE_OPEN)
    )


def _can_close(prev: str, nxt: str) -> bool:
    return (
        prev != "" and not _is_space(prev) and (nxt == "" or _is_space(nxt) or nxt in _AFTER_CLOSE)
    )


def _span(text: str, opened: _Open, end: int) -> QuoteSpan:
    pieces = []
    cursor = opened.pos + 1
    for cont in opened.continuations:
        pieces.append(text[cursor:cont])
        cursor = cont + 1
    pieces.append(text[cursor : end - 1])
    return QuoteSpan(opened.pos, end, squash(" ".join(pieces)), text[opened.pos])


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every outermost quote in ``text``, in order (rules in the module docstring)."""
    found: list[QuoteSpan] = []
    stack: list[_Open] = []

    def close(depth: int, end: int) -> None:
        opened = stack[depth]
        for dropped in stack[depth + 1 :]:  # inner quotes left open: forget them
            opened.inner.extend(dropped.inner)
        del stack[depth:]
        if stack:
            stack[-1].inner.append(_span(text, opened, end))
        else:
            found.append(_span(text, opened, end))

    def drop_all() -> None:
        orphans: list[QuoteSpan] = []
        for opened in stack:
            orphans.extend(opened.inner)
        stack.clear()
        found.extend(sorted(orphans, key=lambda q: q.start))

    n = len(text)
    skip_to = 0
    for mark in _MARKS.finditer(text):  # only marks and line breaks matter: jump between them
        i = mark.start()
        if i < skip_to:
            continue
        char = text[i]
        if char == "\n":
            if stack:
                j = i
                while j < n and text[j].isspace():
                    j += 1
                opener = stack[0].mark
                recall = (  # "» Ce que …": the old closing mark of a continued quote
                    opener in _OPEN
                    and text[j : j + 1] == _OPEN[opener]
                    and text[j + 1 : j + 2].isspace()
                    and _WORD.match(text[j + 1 :].lstrip()[:1]) is not None
                )
                dialogue = (  # "« — Vous les avez vus ? ¶— Trop près. »": the next reply
                    opener == "«"
                    and text[j : j + 1] in DIALOGUE_DASHES
                    and text[j + 1 : j + 2].isspace()
                    and text[stack[0].pos + 1 :].lstrip()[:1] in DIALOGUE_DASHES
                )
                if j < n and (text[j] == opener or recall or dialogue) and opener in _OPEN:
                    del stack[1:]
                    stack[0].continuations.append(j)
                    skip_to = j + 1
                    continue
                drop_all()
        elif char in _OPEN:
            stack.append(_Open(char, i))
        elif char in _CLOSE:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth].mark == _CLOSE[char]:
                    close(depth, i + 1)
                    break
        elif char in _AMBIGUOUS:
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < n else ""
            opening = _can_open(prev, nxt)
            closing = _can_close(prev, nxt)
            inside = stack and stack[-1].mark in _AMBIGUOUS
            if closing and inside:
                close(len(stack) - 1, i + 1)
            elif opening:
                stack.append(_Open(char, i))
    drop_all()
    found.sort(key=lambda q: q.start)
    return found


# --- sentences ----------------------------------------------------------------------------------


def _ends_sentence(text: str, dot: int) -> bool:
    """Whether the terminal mark at ``dot`` ends a sentence (not "M." nor an initial)."""
    if text[dot] != ".":
        return True
    j = dot
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    word = text[j:dot]
    return not (fold(word) in abbreviations() or (len(word) == 1 and word.isupper()))


def _starts_sentence(text: str, j: int) -> bool:
    """Whether spaces then a sentence opening (capital, digit, quote, dash, a hyphen then a
    space) follow ``j``."""
    k = j
    while k < len(text) and text[k] in " \t\u00a0\u202f":
        k += 1
    if k == j or k >= len(text):
        return False
    head = text[k]
    if head == "-":  # "… jamais ». - Décembre 2025 : …": a list's items run into one line
        return k + 1 < len(text) and text[k + 1] in " \u00a0"
    return head.isupper() or head.isdigit() or head in _OPEN or head in _AMBIGUOUS or head in "—–"


@cache
def abbreviations() -> frozenset[str]:
    """Words (folded, without their dot) that do not end a sentence (data/abbreviations.yaml)."""
    return frozenset(fold(str(w)) for w in load_data("abbreviations.yaml")["abbreviations"])


def _glued_sentence(text: str, dot: int, j: int) -> bool:
    """ "…de la RPDC.Elle a assuré": pages that run sentences together without a space. Only
    after a word of two letters or more, before a capitalised word: not "M.Lavrov" (an
    abbreviation), not "U.S.A." nor "3.000"."""
    if j != dot + 1 or text[dot] != "." or j + 1 >= len(text):
        return False
    if not (text[j].isupper() and text[j + 1].islower()):
        return False
    k = dot
    while k > 0 and text[k - 1].isalpha():
        k -= 1
    return dot - k >= 2 and fold(text[k:dot]) not in abbreviations()


def sentence_spans(text: str, quotes: list[QuoteSpan] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence; never inside a quote, always at a line break.

    A sentence ends at . ! ? … (after any closing marks) followed by a space and a capital, a
    digit or an opening mark, or at a dot glued to a capitalised word ("RPDC.Elle"); a quote
    ending with such a mark and followed by a capital ends one too. Offsets are trimmed of
    surrounding spaces. ``quotes``: ``find_quotes(text)`` when the caller has it already.
    """
    if quotes is None:
        quotes = find_quotes(text)
    inside = bytearray(len(text))
    for q in quotes:
        inside[q.start + 1 : q.end - 1] = b"\x01" * (q.end - q.start - 2)
    closing_at = {q.end - 1 for q in quotes if q.text[-1:] in _TERMINAL}
    candidates = sorted({m.start() for m in _CANDIDATE.finditer(text)} | closing_at)
    cuts: list[int] = []
    n = len(text)
    done = 0  # candidates before this offset were consumed by a run of closing marks
    for i in candidates:
        if i < done or (inside[i] and i not in closing_at):
            continue
        if text[i] == "\n":
            cuts.append(i)
        elif i in closing_at or _ends_sentence(text, i):
            j = i + 1
            while j < n and (text[j] in _TERMINAL or text[j] in _CLOSE or text[j] in '”")'):
                j += 1
            if _starts_sentence(text, j) or _glued_sentence(text, i, j):
                cuts.append(j)
            done = j
    bounds: list[tuple[int, int]] = []
    start = 0
    for cut in [*cuts, n]:
        a, b = start, cut
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            bounds.append((a, b))
        start = cut
    return bounds


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings, in order."""
    return [text[a:b] for a, b in sentence_spans(text)]
