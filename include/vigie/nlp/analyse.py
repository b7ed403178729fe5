"""The analyser: relevance first (cheap, no model), then events, figures and declarations.

spaCy is loaded only when the first relevant article arrives, so a stream of irrelevant news
costs a regex per article. Only declarations read spaCy's doc, and only when the text holds a
quote: a relevant article without one is not parsed at all (events and figures are text rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from vigie.nlp.events import detect_events
from vigie.nlp.figures import extract_figures
from vigie.nlp.model import parse, parse_many
from vigie.nlp.relevance import Verdict, in_passages, judge
from vigie.nlp.types import Analysis, Declaration, Figure
from vigie.text import find_quotes, fold_quote, word_count
from vigie.watch import Watch

HEADLINE_WORDS = 4  # a title's quote this long is words someone said, not a label

if TYPE_CHECKING:
    from spacy.tokens import Doc


def _body(title: str, text: str) -> str:
    """The text spaCy and the figures see: the title as the first line, then the article."""
    return f"{title.strip()}\n{text}" if title.strip() else text


def _dedupe(figures: list[Figure], title: str) -> list[Figure]:
    """One figure per (value, measure): the article's sentence is better evidence than the title,
    or than a sentence of it ("DIRECT. Guerre en Ukraine : sept soldats …" is two)."""
    head = title.strip()
    body_first = sorted(
        figures, key=lambda f: bool(f.evidence.strip()) and f.evidence.strip() in head
    )
    seen: set[tuple[float, str, float | None]] = set()
    kept = []
    for figure in body_first:
        k = (figure.value, figure.measure, figure.value_high)
        if k not in seen:
            seen.add(k)
            kept.append(figure)
    order = {id(f): i for i, f in enumerate(figures)}
    return sorted(kept, key=lambda f: order[id(f)])


def _in_passages(
    declarations: list[Declaration], text: str, passages: tuple[tuple[int, int], ...]
) -> list[Declaration]:
    """A mixed article's declarations in its passages on the relationship, and those that go on
    from one of them: the same speaker's answer to the next question (an interview)."""
    kept, previous = [], None
    for declaration in sorted(declarations, key=lambda d: _position(d.evidence, text)):
        inside = in_passages(declaration.evidence, text, passages)
        if inside or (
            previous is not None
            and declaration.speaker is not None
            and declaration.speaker == previous.speaker
            and _after_question(text, _position(declaration.evidence, text))
        ):
            kept.append(declaration)
            previous = declaration
        else:
            previous = None
    return kept


def _headlined(declaration: Declaration, title: str) -> bool:
    """Whether the title quotes the declaration ("Sur le front, « les Nord-Coréens avancent
    … »" above "« Les Nord-Coréens avancent … », raconte-t-il"): the words an article puts in
    its headline are its subject, wherever it says them."""
    if declaration.speaker is None:  # the title's own copy, nobody's
        return False
    said = f" {fold_quote(declaration.quote)} "
    return any(
        word_count(q.text) >= HEADLINE_WORDS and f" {fold_quote(q.text)} " in said
        for q in find_quotes(title or "")
    )


def _after_question(text: str, start: int) -> bool:
    """Whether the paragraph before offset ``start`` is a question (« — C'est-à-dire ? »)."""
    before = text[:start].rstrip()
    paragraphs = [p for p in before.split("\n") if p.strip()]
    return bool(paragraphs) and start > 0 and paragraphs[-1].rstrip(" »\u00a0").endswith("?")


def _position(evidence: str, text: str) -> int:
    found = text.find(evidence)
    return found if found >= 0 else -1


class Analyser:
    """Analyses articles for one watch (see ``vigie.analysis`` for how results are stored)."""

    def __init__(self, watch: Watch) -> None:
        self.watch = watch

    def gate(self, title: str, text: str) -> tuple[bool, str]:
        """The cheap relevance decision and its reason: no model runs."""
        verdict = judge(title or "", text or "", self.watch)
        return verdict.relevant, verdict.reason

    def analyse(self, title: str, text: str, *, focus: list[str] | None = None) -> Analysis:
        """Relevance, then (if relevant) events, figures and declarations of one article.

        ``focus``: the new sentences of an update or near duplicate; figures come only from
        them, while relevance and context come from the whole text.
        """
        verdict = judge(title or "", text or "", self.watch)
        if not verdict.relevant:
            return Analysis(relevant=False, reason=verdict.reason)
        body = _body(title or "", text or "")
        doc = parse(body, self.watch) if find_quotes(body) else None
        return self._finish(verdict, title or "", text or "", body, doc, focus)

    def analyse_many(
        self,
        items: Iterable[tuple[str, str]],
        batch_size: int = 16,
    ) -> Iterator[Analysis]:
        """``analyse`` over (title, text) pairs, in order, batching spaCy over relevant ones."""
        pending: list[tuple[int, str, str, Verdict]] = []
        results: dict[int, Analysis] = {}
        count = 0
        for count, (title, text) in enumerate(items, start=1):
            verdict = judge(title or "", text or "", self.watch)
            if verdict.relevant:
                pending.append((count, title or "", text or "", verdict))
            else:
                results[count] = Analysis(relevant=False, reason=verdict.reason)
        bodies = [_body(t, x) for _, t, x, _ in pending]
        quoted = [bool(find_quotes(body)) for body in bodies]
        docs = parse_many(
            [body for body, q in zip(bodies, quoted, strict=True) if q],
            self.watch,
            batch_size=batch_size,
        )
        for (index, title, text, verdict), body, q in zip(pending, bodies, quoted, strict=True):
            doc = next(docs) if q else None
            results[index] = self._finish(verdict, title, text, body, doc, None)
        for index in range(1, count + 1):
            yield results.pop(index)

    def _finish(
        self,
        verdict: Verdict,
        title: str,
        text: str,
        body: str,
        doc: Doc | None,
        focus: list[str] | None,
    ) -> Analysis:
        figures = _dedupe(extract_figures(body, self.watch, focus=focus), title)
        declarations = self._declarations(doc)
        if verdict.passages is not None:  # a mixed article: only its passages on the relationship
            figures = [f for f in figures if in_passages(f.evidence, text, verdict.passages)]
            declarations = _in_passages(declarations, text, verdict.passages)
        if verdict.outsiders is not None:
            declarations = [
                d
                for d in declarations
                if self.watch.resolve_name(d.speaker or "") is not None
                or in_passages(d.evidence, text, verdict.outsiders)
                or _headlined(d, title)
            ]
        return Analysis(
            relevant=True,
            reason=verdict.reason,
            events=detect_events(title, text, self.watch),
            figures=figures,
            declarations=declarations,
        )

    def _declarations(self, doc: Doc | None) -> list[Declaration]:
        """No doc: the text holds no quote, so no declaration (see the module docstring)."""
        if doc is None:
            return []
        from vigie.nlp.declarations import extract_declarations

        return extract_declarations(doc, self.watch)
