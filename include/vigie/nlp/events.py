"""Event types of a relevant article, from the watch's word patterns.

A sentence carries an event when, for one of the event's rules, every word group has a word in
it. Only sentences near the relationship count: a sentence naming a side, or the one right after
it (which often continues it with a pronoun).
"""

from __future__ import annotations

import re

from vigie.nlp.relevance import side_map
from vigie.text import fold
from vigie.watch import Watch, compiled, words_regex

Rules = dict[str, list[list[re.Pattern[str]]]]


def _compile(watch: Watch) -> Rules:
    return {
        name: [[words_regex(group) for group in rule] for rule in rules]
        for name, rules in watch.events.items()
    }


def sentence_events(sentence: str, watch: Watch) -> list[str]:
    """Event types one sentence carries, in the watch's order."""
    return _folded_events(fold(sentence), watch)


def _folded_events(folded: str, watch: Watch) -> list[str]:
    rules = compiled(watch, "events", _compile)
    return [
        name
        for name, alternatives in rules.items()
        if any(all(rx.search(folded) for rx in rule) for rule in alternatives)
    ]


def detect_events(title: str, text: str, watch: Watch) -> list[str]:
    """Event types of an article (title and text), in the watch's order, each once."""
    found: set[str] = set()
    for part in (title, text):
        if not part:
            continue
        smap = side_map(part, watch)
        folded = fold(part)  # folding keeps offsets: fold once, not once a sentence
        for i, (start, end) in enumerate(smap.spans):
            near = smap.sides[i] or (i > 0 and smap.sides[i - 1])
            if near:
                found.update(_folded_events(folded[start:end], watch))
    return [name for name in watch.events if name in found]
