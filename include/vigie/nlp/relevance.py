"""The cheap relevance gate: is an article about the relationship of the two sides?

Most news is not; this decides with one compiled regex over folded text, before any model runs.
Naming both sides somewhere is not enough: they must be linked (see ``Relevance`` in watch.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from vigie.nlp.french import french
from vigie.text import QuoteSpan, find_quotes, fold, sentence_spans
from vigie.watch import OTHER_SIDE, Watch, compiled, key, pattern_regex, words_regex

NEUTRAL = "neutral"
OTHERS = "others"


@dataclass(frozen=True)
class Mention:
    """A gazetteer hit: a side's word, an actor's name, another party, or a neutral word."""

    start: int
    end: int
    side: str | None  # a side key, OTHERS, or None (neutral)
    actor: str | None = None  # canonical actor name
    short: bool = False  # an ambiguous short name ("Kim"): valid once the full name was seen


class Gazetteer:
    """Every word of a watch that names a side, an actor or a third party, in one regex."""

    def __init__(self, watch: Watch) -> None:
        entries: dict[str, tuple[str | None, str | None, bool]] = {}
        patterns: list[tuple[str, str]] = []

        def add(word: str, side: str | None, actor: str | None = None, short: bool = False) -> None:
            k = key(word)
            if k not in entries:
                entries[k] = (side, actor, short)
                patterns.append((pattern_regex(word), k))

        for word in watch.relevance.neutral:
            add(word, None)
        for actor in watch.actors:
            side = OTHERS if actor.side == OTHER_SIDE else actor.side
            for name in actor.names:
                add(name, side, actor.name)
            for name in actor.short_names:
                add(name, side, actor.name, short=True)
        for name, side in watch.sides.items():
            for word in side.all_terms:
                add(word, name)
        for word in watch.others.all_terms:
            add(word, OTHERS)
        # Longest alternatives first, so "Corée du Sud" wins over "Corée", "Kim Jong Un" over "Kim".
        # No capture groups: they make Python's regex engine twenty times slower here.
        patterns.sort(key=lambda p: len(p[0]), reverse=True)
        self._regex = re.compile(r"(?<![\w])(?:" + "|".join(p for p, _ in patterns) + r")(?![\w])")
        self._entries = entries
        self._gender = {actor.name: actor.gender for actor in watch.actors}
        d = watch.declarations
        self._honorifics = {key(h): g for h, g in d.honorifics.items()}
        introducers = [re.escape(key(h)) for h in d.honorifics] + [
            pattern_regex(w) for w in d.title_words
        ]
        self._introducer = (
            re.compile(r"(?<![\w.])(?P<word>" + "|".join(introducers) + r")\s*$")
            if introducers
            else None
        )
        self._prefixes = [(re.compile(p), entries[k]) for p, k in patterns if p.endswith(r"\w*")]
        rel = watch.relevance
        references = [
            *(rf"(?<![\w]){pattern_regex(w)}" for w in rel.references),
            *(rf"(?:^|[.!?\n]\s*){pattern_regex(w)}" for w in rel.opening_references),
        ]
        self._reference = (
            re.compile(rf"(?:{'|'.join(references)})\s*(?:la\s+|le\s+|les\s+|l')?$")
            if references
            else None
        )
        descriptions = "|".join(pattern_regex(w) for w in rel.descriptions)
        self._description = (
            re.compile(
                rf"(?:^|[.!?\n])(?P<head>[^.!?\n,]*),\s*(?:[\w'-]+\s+){{0,2}}"
                rf"(?:{descriptions})\s*(?:la\s+|le\s+|l')?$"
            )
            if descriptions
            else None
        )

    def _entry(self, text: str) -> tuple[str | None, str | None, bool]:
        entry = self._entries.get(key(text))
        if entry is None:
            entry = next(e for rx, e in self._prefixes if rx.fullmatch(text))
        return entry

    def find(self, folded: str) -> list[Mention]:
        """Every mention in already-folded text (short names unresolved, unless introduced).

        The last texts' answers are kept: the gate, the model, the figures and the events each
        scan the same article (the regex is most of the gate's time)."""
        return list(self._found(folded))

    @lru_cache(maxsize=16)  # noqa: B019 -- one gazetteer per watch, kept for the process
    def _found(self, folded: str) -> tuple[Mention, ...]:
        return tuple(self._scan(folded))

    def _scan(self, folded: str) -> list[Mention]:
        out: list[Mention] = []
        for match in self._regex.finditer(folded):
            if self._reference and self._reference.search(
                folded, max(0, match.start() - 40), match.start()
            ):
                continue  # "à la différence de Pyongyang": a point of comparison, no party
            side, actor, short = self._entry(match.group(0))
            if short and actor is not None and self._introduced(folded, match.start(), actor):
                short = False
            if side is not None and self._describes(folded, match, out):
                continue  # "Minsk, proche allié de Moscou, …": Belarus described, no party
            out.append(Mention(match.start(), match.end(), side, actor, short))
        return out

    def _describes(self, folded: str, match: re.Match[str], before: list[Mention]) -> bool:
        """Whether a side is named in an apposition describing what precedes it ("Minsk,
        proche allié de Moscou,"), when that names no side ("Pyongyang, allié de Moscou," is
        the relationship itself)."""
        if self._description is None or not folded.startswith(",", match.end()):
            return False
        found = self._description.search(folded, max(0, match.start() - 120), match.start())
        if found is None:
            return False
        head = found.start("head"), found.end("head")
        return not any(head[0] <= m.start < head[1] and m.side is not None for m in before)

    def _introduced(self, folded: str, start: int, actor: str) -> bool:
        """ "M. Kim", "le président Kim": a short name after an honorific of the actor's gender
        or a title word names its actor without the full name."""
        if self._introducer is None:
            return False
        found = self._introducer.search(folded, max(0, start - 30), start)
        if found is None:
            return False
        gender = self._honorifics.get(found.group("word"))
        return gender is None or gender == self._gender.get(actor)


def gazetteer(watch: Watch) -> Gazetteer:
    """The compiled gazetteer of ``watch`` (built once per watch)."""
    return compiled(watch, "gazetteer", Gazetteer)


def _implied_rules(watch: Watch) -> list[tuple[str, list[re.Pattern[str]]]]:
    return [(rule.side, [words_regex(g) for g in rule.words]) for rule in watch.relevance.implied]


def implied_sides(folded: str, watch: Watch) -> frozenset[str]:
    """The sides a sentence names without their words (``Relevance.implied``)."""
    rules = compiled(watch, "implied", _implied_rules)
    return frozenset(side for side, groups in rules if all(g.search(folded) for g in groups))


def _short_forms(watch: Watch) -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    return [
        (
            form.side,
            re.compile(
                r"(?<![\w])(?:" + "|".join(re.escape(w) for w in form.words) + r")"
                r"(?![\w\-])(?!\s+(?:de|du|des|d')(?![\w]))"
            ),
            words_regex(form.context),
        )
        for form in watch.relevance.short_forms
    ]


def short_form_mentions(text: str, folded: str, watch: Watch) -> list[Mention]:
    """Mentions by a short form the context makes a side's ("le Nord" beside Seoul)."""
    out = []
    for side, words, context in compiled(watch, "short_forms", _short_forms):
        if words.search(text) and context.search(folded):
            out += [Mention(m.start(), m.end(), side) for m in words.finditer(text)]
    return out


def resolve_short(mentions: list[Mention], seen_actors: set[str]) -> list[Mention]:
    """Drop short names whose actor was never named in full, and neutral words."""
    return [m for m in mentions if m.side is not None and (not m.short or m.actor in seen_actors)]


@dataclass(frozen=True)
class SideMap:
    """Which sides each sentence of a text names: the input to linking and to figures."""

    spans: list[tuple[int, int]]
    sides: list[frozenset[str]]
    mentions: list[list[Mention]]
    # sentences that are a paragraph of their own ending with "?": an explainer's heading
    # ("Les Nord-Coréens sont-ils inclus ?"), about what follows it, not what comes before
    headings: frozenset[int] = frozenset()


def side_map(text: str, watch: Watch, seen_actors: set[str] | None = None) -> SideMap:
    """Split ``text`` into sentences and say which sides (and others) each names.

    ``seen_actors``: the actors named in full, which short names need (by default, those of
    ``text``). The maps of the last texts are kept, so callers must not change one: the gate,
    the figures and the events each map the same article.
    """
    if seen_actors is None:
        mentions = gazetteer(watch).find(fold(text))
        seen_actors = {m.actor for m in mentions if m.actor and not m.short}
    return compiled(watch, "side_maps", _side_maps)(text, frozenset(seen_actors))


def _side_maps(watch: Watch) -> Callable[[str, frozenset[str]], SideMap]:
    """``_side_map`` for one watch, remembering the last texts' maps."""

    @lru_cache(maxsize=16)
    def cached(text: str, seen_actors: frozenset[str]) -> SideMap:
        return _side_map(text, watch, seen_actors)

    return cached


def _side_map(text: str, watch: Watch, seen_actors: frozenset[str]) -> SideMap:
    folded = fold(text)
    mentions = resolve_short(gazetteer(watch).find(folded), set(seen_actors))
    extra = short_form_mentions(text, folded, watch)
    if extra:
        mentions = sorted([*mentions, *extra], key=lambda m: m.start)
    spans = sentence_spans(text)
    per_sentence: list[list[Mention]] = [[] for _ in spans]
    i = 0
    for mention in mentions:
        while i < len(spans) and spans[i][1] <= mention.start:
            i += 1
        if i < len(spans) and spans[i][0] <= mention.start:
            per_sentence[i].append(mention)
    sides = [
        frozenset(m.side for m in ms if m.side is not None)
        | (implied_sides(folded[a:b], watch) if ms else frozenset())
        for ms, (a, b) in zip(per_sentence, spans, strict=True)
    ]
    return SideMap(spans, sides, per_sentence, _headings(text, spans))


def _headings(text: str, spans: list[tuple[int, int]]) -> frozenset[int]:
    """The sentences alone in their paragraph that ask a question (see ``SideMap.headings``)."""
    numbers = paragraph_numbers(text, spans)
    return frozenset(
        index
        for index, (a, b) in enumerate(spans)
        if (index == 0 or numbers[index - 1] != numbers[index])
        and (index + 1 == len(spans) or numbers[index + 1] != numbers[index])
        and text[a:b].rstrip(" »\u00a0").endswith("?")
    )


def paragraph_numbers(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """The paragraph each sentence belongs to (a line break between two sentences parts them)."""
    numbers, current = [], 0
    for index, (start, _) in enumerate(spans):
        if index and "\n" in text[spans[index - 1][1] : start]:
            current += 1
        numbers.append(current)
    return numbers


def count_links(sides: list[frozenset[str]], pair: frozenset[str], window: int) -> int:
    """Sentences naming both sides, plus runs of ≤ window+1 adjacent sentences that share them."""
    return len(links_of(sides, pair, window))


def links_of(
    sides: list[frozenset[str]],
    pair: frozenset[str],
    window: int,
    apart: Callable[[int, int], bool] | None = None,
) -> list[tuple[int, int]]:
    """Each link as the (first, last) sentence indices it spans (see ``count_links``);
    ``apart(i, j)``: sentences that cannot link (see ``_factless_break``)."""
    links = []
    for i, names in enumerate(sides):
        if pair <= names:
            links.append((i, i))
            continue
        if names & pair:
            for j in range(i + 1, min(i + window + 1, len(sides))):
                if pair <= sides[j]:
                    break
                if pair <= (names | sides[j]) and not (apart and apart(i, j)):
                    links.append((i, j))
                    break
    return links


def _fact_words(watch: Watch) -> re.Pattern[str]:
    """A number right before a counted noun of any measure ("180 nouveaux missiles")."""
    objects = sorted(
        (pattern_regex(o) for m in watch.measures.values() for o in [*m.objects, *m.alone]),
        key=len,
        reverse=True,
    )
    number = rf"\d[\d\s.,'’]*|(?:{french().number_words})\b[\w\s-]*"
    return re.compile(rf"(?:{number})\s+(?:\w+\s+){{0,2}}(?:{'|'.join(objects)})(?![\w])")


def carries_fact(text: str, watch: Watch) -> bool:
    """Whether a passage holds what could be a figure or a declaration: a quote, or a number
    before a counted noun. Cheap: one regex, no model."""
    if any(mark in text for mark in '«“"'):
        return True
    return compiled(watch, "fact_words", _fact_words).search(fold(text)) is not None


def _factless_break(text: str, smap: SideMap, watch: Watch) -> Callable[[int, int], bool]:
    """Two sentences a paragraph break parts link only through a fact on a side in one of
    them: a figure, or a quote whose own words name a side (« … la Russie … », a répondu X. /
    X avait annoncé …). A side named outside such a fact, then the other side in the next
    paragraph, is two topics (« … », a déclaré l'entraîneur nord-coréen. / La Russie ne
    participera pas au tournoi)."""
    numbers: list[int] | None = None
    quotes: list[QuoteSpan] | None = None

    def factual(k: int) -> bool:
        nonlocal quotes
        a, b = smap.spans[k]
        if compiled(watch, "fact_words", _fact_words).search(fold(text[a:b])):
            return True
        if quotes is None:
            quotes = find_quotes(text)
        return any(
            q.start <= m.start < q.end
            for q in quotes
            if a <= q.start < b
            for m in smap.mentions[k]
            if m.side is not None
        )

    def apart(i: int, j: int) -> bool:
        nonlocal numbers
        if numbers is None:
            numbers = paragraph_numbers(text, smap.spans)
        if numbers[i] != numbers[j] and j in smap.headings:
            return True  # a question heading opens what follows: it links with its answer
        return numbers[i] != numbers[j] and not (factual(i) or factual(j))

    return apart


def _continued(last: int, window: int, text: str, smap: SideMap, numbers: list[int]) -> int:
    """The last sentence of what continues a link: up to ``window`` more sentences, within its
    paragraph (a quote or a figure in the next paragraph is the article's own topic again: a
    list of threats, then a minister on something else), or past a question into its answer
    (an interview)."""
    end = last
    while end + 1 < len(numbers) and end < last + window:
        if numbers[end + 1] != numbers[end]:
            a, b = smap.spans[end]
            if not text[a:b].rstrip(" »\u00a0").endswith("?"):
                break
        end += 1
    return end


def _opening(text: str, spans: list[tuple[int, int]], numbers: list[int]) -> int:
    """The paragraph of the lead: the first, or the second after a dateline ("Khassan
    (Primorié), de notre envoyé spécial."), a first paragraph of one short sentence that says
    where the article comes from and by whom."""
    if len(numbers) < 2 or numbers[1] != 1:
        return 0
    first = fold(text[spans[0][0] : spans[0][1]]).strip()
    if len(first) > 100:
        return 0
    ends = french().dateline_ends
    return 1 if re.search(rf"(?:{ends})\W*$", first) else 0


@dataclass(frozen=True)
class Verdict:
    """The gate's decision, its reason, and where a mixed article speaks of the relationship.

    ``passages``: None when the article as a whole is about the relationship (a link in the
    title, the lead or its first paragraph, or ``min_links`` links); for a mixed article (a
    link in a later passage only), the character ranges of ``text`` whose paragraphs link the
    sides, where its facts about the relationship are (see ``in_passages``).
    """

    relevant: bool
    reason: str
    passages: tuple[tuple[int, int], ...] | None = None
    # an article relevant by a one-sided title and a later link: the passages where a person
    # outside the watch speaks of the relationship (the watch's actors count anywhere)
    outsiders: tuple[tuple[int, int], ...] | None = None


def is_relevant(title: str, text: str, watch: Watch) -> tuple[bool, str]:
    """The gate (see ``judge``): whether the article is relevant, and why."""
    verdict = judge(title, text, watch)
    return verdict.relevant, verdict.reason


def judge(title: str, text: str, watch: Watch) -> Verdict:
    """The gate: relevant when the sides are linked in the title, the lead, or often enough.

    The title counts as the sentence just before the text, so a title naming one side and a
    first sentence naming the other are linked; a link in the title or the first sentence (the
    lead) is enough, elsewhere ``min_links`` are needed. A title naming one side is itself
    evidence that the article is about that side, so one link fewer is needed in the text (the
    lead may be page furniture, "Publié le …", and the link come in the next sentence).
    """
    rule = watch.relevance
    pair = frozenset(watch.sides)
    labels = " et ".join(side.label for side in watch.sides.values())
    whole = f"{title}\n{text}" if title else text
    folded_all = fold(whole)
    hits = gazetteer(watch).find(folded_all) + short_form_mentions(whole, folded_all, watch)
    if not any(h.side in pair for h in hits):
        return Verdict(False, "aucun des deux côtés nommé")
    seen = {h.actor for h in hits if h.actor and not h.short}
    named = {h.side for h in resolve_short(hits, seen)}
    if not pair <= named:
        named |= {
            s for a, b in sentence_spans(whole) for s in implied_sides(folded_all[a:b], watch)
        }
    if not pair <= named:
        only = ", ".join(sorted(watch.sides[s].label for s in named & pair))
        return Verdict(False, f"un seul côté nommé ({only})")
    title_map = side_map(title, watch, seen) if title else SideMap([], [], [])
    text_map = side_map(text, watch, seen)
    title_sides = frozenset().union(*title_map.sides) if title_map.sides else frozenset()
    if rule.title_link and pair <= title_sides:
        return Verdict(True, f"titre liant {labels}")
    numbers = paragraph_numbers(text, text_map.spans)
    opening = _opening(text, text_map.spans, numbers)  # the lead's paragraph
    sequence = [title_sides, *text_map.sides[numbers.index(opening) if opening else 0 :]]
    lead = count_links(sequence[:2], pair, rule.window)
    if rule.title_link and lead:
        return Verdict(True, f"titre et chapô liant {labels}")
    found = links_of(text_map.sides, pair, rule.window, _factless_break(text, text_map, watch))
    links = len(found)
    needed = rule.min_links
    if rule.title_link and title_sides & pair:
        needed = max(1, needed - 1)
    if links >= needed and needed >= rule.min_links:
        return Verdict(True, f"{links} liens entre {labels} dans le texte")
    passages = []  # every linked passage, with the answer it continues into
    for first, last in found:
        last = _continued(last, rule.window, text, text_map, numbers)
        passages.append((first, last))
    paragraphs: dict[int, list[int]] = {}  # and each paragraph naming both, further apart
    for index, number in enumerate(numbers):
        paragraphs.setdefault(number, []).append(index)
    linked = [
        (indexes[0], indexes[-1])
        for indexes in paragraphs.values()
        if pair <= frozenset().union(*(text_map.sides[i] for i in indexes))
    ]
    spans = text_map.spans

    def ranges() -> tuple[tuple[int, int], ...]:
        """The passages widened to their whole paragraphs."""
        out = set()
        for first, last in [*passages, *linked]:
            a = min(i for i, n in enumerate(numbers) if n == numbers[first])
            b = max(i for i, n in enumerate(numbers) if n == numbers[last])
            out.add((spans[a][0], spans[b][1]))
        return tuple(sorted(out))

    if links >= needed:
        # the title names one side, the text links them: about the relationship; but when the
        # link comes after the first paragraph, what outsiders say elsewhere is the article's
        # other topic ("Les touristes russes reviennent à Djerba", Russians in North Korea
        # further on: the Tunisian minister speaks of Djerba)
        lead = any(numbers[i] <= opening for i, _ in passages)
        reason = f"titre nommant un côté et {links} lien(s) entre {labels} dans le texte"
        if lead or links >= rule.min_links:
            return Verdict(True, reason)
        # from the first linked paragraph on, and in a paragraph naming the side the title
        # does not, the article speaks of the relationship; a later paragraph naming the
        # title's side only beside a third party is back on the article's own topic, that
        # side's other relations ("Le marché russe …, nos concurrents chinois", an analyst on a
        # carmaker's Russian plant)
        first = numbers[passages[0][0]]
        missing = pair - title_sides
        outsiders = []
        for number, indexes in paragraphs.items():
            sides = frozenset().union(*(text_map.sides[i] for i in indexes))
            named = pair & sides
            title_only = bool(named) and named <= title_sides and OTHERS in sides
            if missing & named or (number >= first and not title_only):
                outsiders.append((spans[indexes[0]][0], spans[indexes[-1]][1]))
        return Verdict(True, reason, outsiders=tuple(outsiders))
    for first, last in passages:  # a mixed article: one passage with a figure or a quote
        if carries_fact(text[spans[first][0] : spans[last][1]], watch):
            # linked in its first paragraph, the article is about the relationship throughout
            lead = any(numbers[i] <= opening for i, _ in passages)
            reason = f"passage liant {labels} avec un chiffre ou une citation"
            return Verdict(True, reason, None if lead else ranges())
    for first, last in linked:
        if carries_fact(text[spans[first][0] : spans[last][1]], watch):
            return Verdict(
                True, f"paragraphe nommant {labels} avec un chiffre ou une citation", ranges()
            )
    return Verdict(False, f"{labels} nommés mais liés {links} fois (minimum {needed})")


def in_passages(evidence: str, text: str, passages: tuple[tuple[int, int], ...]) -> bool:
    """Whether ``evidence`` (a sentence of ``text``) lies in one of a mixed article's passages:
    a figure or a quote elsewhere in it (a mayor on local history, a trader on grain, a mother
    on her son) is the article's other topic, not a fact about the relationship."""
    start = text.find(evidence)
    while start >= 0:
        if any(a <= start < b for a, b in passages):
            return True
        start = text.find(evidence, start + 1)
    return False
