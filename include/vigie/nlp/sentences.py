"""A cheap French sentence splitter, shared by the gate, events and figures.

Rule-based on purpose: it runs before (and without) spaCy, and gives the same sentences to every
stage so that "the same sentence" means the same thing in relevance, events and figures.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "m",
    "mm",
    "mme",
    "mmes",
    "mlle",
    "dr",
    "pr",
    "st",
    "ste",
    "gen",
    "col",
    "cf",
    "etc",
    "av",
    "j.-c",
    "no",
    "n°",
    "vol",
    "p",
    "env",
}

_BOUNDARY = re.compile(r"(?<=[.!?…])(?:\s?[»”\"])?\s+(?=[«“\"(\[]?\s?[A-ZÀ-ÖØ-Þ0-9])")
_PARAGRAPH = re.compile(r"\n\s*")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``; paragraphs and lines always split."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for part in _PARAGRAPH.split(text):
        start = text.index(part, pos) if part else pos
        pos = start + len(part)
        cut = start
        for match in _BOUNDARY.finditer(part):
            end = start + match.start()
            before = text[cut:end].rstrip('»”" ')
            last_word = re.split(r"[\s(]", before[:-1])[-1].lower() if before else ""
            if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
                continue
            end = start + match.start() + len(match.group(0).rstrip())
            _add(spans, text, cut, end)
            cut = start + match.end()
        _add(spans, text, cut, pos)
    return spans


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings."""
    return [text[s:e] for s, e in split_sentences(text)]
