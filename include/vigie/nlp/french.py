"""French function words the rules read (data/french.yaml, overridable from ``VIGIE_HOME``).

Month names are not among them: they come from CLDR through ``vigie.dates``, like every date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from vigie.dates import FRENCH_MONTHS
from vigie.resources import load_data
from vigie.text import fold


@dataclass(frozen=True)
class French:
    """The lists of ``data/french.yaml``, as sets and regex alternations."""

    clitics: frozenset[str]
    avoir: frozenset[str]
    avoir_words: str  # the same, as an alternation: "a", "ont", "aurait" before a participle
    complements: frozenset[str]
    complement_words: str  # the same, as an alternation
    describing: frozenset[str]
    demonyms: re.Pattern[str]  # "le président français": a people besides the watch's
    first_person: frozenset[str]  # "notre sécurité": a fragment of speech, not a label
    demonstratives: frozenset[str]  # "cette spécialiste": points back whatever it says
    possessives: frozenset[str]
    all_possessives: str  # with other_possessives, as an alternation
    place_prepositions: frozenset[str]
    last_named: dict[str, str]  # "ce dernier": the person named last, and its gender
    time_words: frozenset[str]
    negations: frozenset[str]
    institutions: frozenset[str]
    litotes: frozenset[str]
    speech_nouns: frozenset[str]  # "rendre hommage": a verb with such an object speaks
    adjunct: re.Pattern[str]
    claiming: re.Pattern[str]
    months: str  # an alternation of CLDR's names, folded, for the period patterns
    source_days: str
    source_ends: str
    source_leads: frozenset[str]  # the words that introduce a source: "selon", "d'apres"
    figure_source_leads: str  # with citing_leads, as an alternation
    own_noun_stop: str  # with source_leads, as an alternation
    articles: str  # each with what follows it: "la\s+", "l'"
    # the rules' vocabulary: stop words as sets, the rest as regex alternations (_words)
    gap_stop: frozenset[str]
    np_stop: frozenset[str]
    count_verbs: str
    recipient_verbs: str
    receive_verbs: str
    continuing_subjects: str
    topic_leads: str
    source_nouns: str
    source_verbs: str
    owner_verbs: str
    each_words: str
    toll_verbs: str
    strike_nouns: str
    change_verbs: str
    anaphor_verbs: str
    anaphor_adverbs: str
    toll_participles: str
    place_nouns: str
    subset_leads: str
    count_of: str
    units: dict[str, tuple[str, ...]]  # a unit and its written forms: "tonne": tonnes, t
    rate_marks: str
    price_leads: str
    group_leads: str
    length_units: str
    strength_words: str
    etre_words: str
    not_sources: str
    period_leads: str
    month_leads: str
    seasons: str
    past_years: str
    period_counts: str
    period_units: str
    period_starts: str
    year_leads: str
    span_leads: str
    current_periods: str
    recent_leads: str
    recent_units: str
    locative_leads: str
    complement_determiners: str
    count_determiners: str
    count_nouns: str
    next_np_joins: str
    next_np_starts: str
    next_np_words: str
    coordinators: str
    name_particles: str  # a declaration's speaker names (case-sensitive, as written)
    name_prefixes: str
    adjective_endings: tuple[str, ...]
    number_words: str  # relevance: a count in words
    dateline_ends: str  # relevance: a first paragraph that is a dateline, not the lead
    role_qualifiers: re.Pattern[str]  # "(le colonel) à la retraite": still the person's role
    possessive_sources: re.Pattern[str]  # "À ses yeux, « … »": the possessive's person speaks
    narrative_infinitives: re.Pattern[str]  # "Et d'ajouter : « … »": the last speaker goes on
    exchange_nouns: frozenset[str]  # "le dialogue s'engage : « … »": no speaker
    head_roles: frozenset[str]  # "chef du bureau": no other role than "diplomate"
    writing_nouns: frozenset[str]  # "publie une tribune de X": the piece's author speaks
    dative_complements: frozenset[str]  # "le commissaire aux droits humains, X"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", " ") for w in sorted(words, key=len, reverse=True))


def _words(words: list[str]) -> str:
    """An alternation in the order given: a final ``*`` is any ending, a space any spaces."""
    return "|".join(
        r"\s+".join(
            re.escape(part.removesuffix("*")) + r"\w*" * part.endswith("*") for part in w.split()
        )
        for w in words
    )


def _then_next(words: list[str]) -> str:
    """``_words``, each followed by the spaces before the next word, none after an apostrophe."""
    return "|".join(_words([w]) + ("" if w.endswith("'") else r"\s+") for w in words)


_WORD_LISTS = (
    "count_verbs", "recipient_verbs", "receive_verbs", "continuing_subjects", "topic_leads",
    "source_nouns", "source_verbs", "owner_verbs", "each_words", "toll_verbs", "strike_nouns",
    "change_verbs", "anaphor_verbs", "anaphor_adverbs", "toll_participles", "place_nouns",
    "subset_leads", "count_of", "not_sources", "period_leads", "month_leads", "seasons",
    "past_years", "period_counts", "period_units", "period_starts", "name_particles",
    "number_words", "year_leads", "span_leads", "current_periods", "recent_leads", "recent_units",
    "locative_leads", "complement_determiners", "count_determiners", "count_nouns",
    "next_np_joins", "next_np_starts", "next_np_words", "coordinators", "rate_marks",
    "price_leads", "group_leads", "length_units", "strength_words", "etre_words", "dateline_ends",
)  # fmt: skip


@cache
def french() -> French:
    """The lists, loaded once per process."""
    data = load_data("french.yaml")
    apostrophes = {w.replace("'", "’") for w in data["clitics"] + data["complements"] if "'" in w}
    times = _alternation(data["adjunct_times"])
    demonyms = [fold(w) for w in data.get("demonyms", [])] or ["\x00"]
    return French(
        clitics=frozenset(data["clitics"]) | apostrophes,
        avoir=frozenset(data["avoir"]),
        avoir_words=_alternation(data["avoir"]),
        complements=frozenset(data["complements"]) | apostrophes,
        complement_words=_words(data["complements"]),
        describing=frozenset(data["describing"] + data["possessives"]),
        demonstratives=frozenset(data.get("demonstratives", [])),
        first_person=frozenset(data.get("first_person", [])),
        demonyms=re.compile(rf"(?<!\w)(?:{_words(demonyms)})(?!\w)"),
        possessives=frozenset(data["possessives"]),
        all_possessives=_words(data["possessives"] + data["other_possessives"]),
        place_prepositions=frozenset(data["place_prepositions"]),
        last_named=dict(data["last_named"]),
        time_words=frozenset(data["time_words"]),
        negations=frozenset(data["negations"]),
        institutions=frozenset(data["institutions"]),
        litotes=frozenset(data["litotes"]),
        speech_nouns=frozenset(data["speech_nouns"]),
        adjunct=re.compile(
            rf"(?:{_alternation(data['adjuncts'])}"
            rf"|(?:ce |cette |le |la )?(?:{times})(?: (?:matin|soir|midi|apres midi))?)"
            r"(?![\w])[\s,]*"
        ),
        claiming=re.compile(rf"(?:{_alternation(data['claiming'])})\b"),
        months=_alternation(list(dict.fromkeys(fold(name) for name in FRENCH_MONTHS))),
        source_days=_alternation(data["source_days"]),
        source_ends=_alternation(data["source_ends"]),
        source_leads=frozenset(data["source_leads"]),
        figure_source_leads=_alternation(data["source_leads"] + data["citing_leads"]),
        own_noun_stop=_words(data["source_leads"] + data["own_noun_stop"]),
        articles=_then_next(data["articles"]),
        gap_stop=frozenset(data["gap_stop"]),
        np_stop=frozenset(data["np_stop"]),
        units={unit: tuple(forms) for unit, forms in data["units"].items()},
        name_prefixes=_words(data["name_prefixes"]).replace("'", "['’]"),
        adjective_endings=tuple(data["adjective_endings"]),
        role_qualifiers=re.compile(
            rf"(?:{_words(data.get('role_qualifiers', [])) or '(?!)'})(?![\w])"
        ),
        possessive_sources=re.compile(
            rf"\s*(?:{_alternation(data.get('possessive_sources', [])) or '(?!)'})\s*,"
        ),
        exchange_nouns=frozenset(data.get("exchange_nouns", [])),
        head_roles=frozenset(data.get("head_roles", [])),
        writing_nouns=frozenset(data.get("writing_nouns", [])),
        dative_complements=frozenset(data.get("dative_complements", [])),
        narrative_infinitives=re.compile(
            rf"\s*(?:{_alternation(data.get('narrative_infinitives', [])) or '(?!)'})"
            r"(?:(?<=')|\s+)(?P<verb>\w+)\s*:?\s*$"
        ),
        **{name: _words(data[name]) for name in _WORD_LISTS},
    )
