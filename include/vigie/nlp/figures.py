"""Figures about the relationship: a number, what it counts, and what the sentence says of it.

A number is a figure only when it counts one of the watch's measure objects ("3 000 soldats",
"60 missiles", "1,5 million de dollars" of aid): years, dates, durations, ages, times,
percentages, ordinals, distances and model names (KN-23) count nothing and are dropped, as is
page furniture ("2 min"). The figure must also be the relationship's: its sentence (or clause)
ties it to the sides (see ``_tied``), so Russian losses in Donetsk or a Japanese exercise in a
relevant article are not figures.

Vague quantities ("des milliers de soldats", "plusieurs centaines") are deliberately not figures:
they have no value to compare, and inventing one would raise false alerts; so are round counts
("une centaine de missiles", "une dizaine d'avions"), as the labelling policy says. A number
inside a period ("depuis 2024") counts nothing, and a noun that also names people at large
("hommes") counts only from the watch's ``min_values`` on ("les deux hommes" are two leaders).

The press often names the counted noun away from its number, and those forms are read too: a
pronoun or a possessive ("Elles seraient 7 500", "en dénombre 160", "Leur nombre a atteint
15 400", "47 d'entre eux") counts the plural noun before it, in the sentence or the one before;
an apposition in parentheses or between dashes counts the noun it follows; a revision ("passé
de 11 000 à 14 000") gives only its new value. A third party named as the source ("selon Kiev",
"le renseignement estonien") is no party to the count.

Pure text rules (no model): the same sentence always gives the same figures, fast.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from vigie.nlp.french import french
from vigie.nlp.numbers import NumberSpan, find_numbers, multiplier
from vigie.nlp.relevance import OTHERS, SideMap, paragraph_numbers, side_map
from vigie.nlp.types import Figure
from vigie.text import fold
from vigie.watch import Watch, compiled, key, pattern_regex, words_regex

_YEAR = r"(?:19|20)\d\d"


@cache
def _period_pattern() -> re.Pattern[str]:
    """When a figure holds ("depuis janvier", "en 2025", "ces derniers mois"): the words from
    data/french.yaml, the months from CLDR."""
    fr = french()
    months, leads = fr.months, fr.period_leads
    return re.compile(
        r"(?<![\w'])(?:"
        rf"entre\s+(?:(?:{months})\s+)?{_YEAR}\s+et\s+(?:(?:{months})\s+)?{_YEAR}"
        rf"|(?:{leads}|{fr.month_leads})\s+"
        rf"(?:le\s+mois\s+d[e']\s*)?(?:{months})(?:\s+(?:et|ou|a)\s+(?:{months}))?"
        rf"(?:\s+{_YEAR})?"
        rf"|(?:{leads})\s+{_YEAR}"
        rf"|(?:{fr.seasons})\s+{_YEAR}"
        rf"|(?:(?:{fr.year_leads})\s+)?l'an(?:nee)?\s+(?:{fr.past_years})"
        rf"|(?:{fr.span_leads})\s+(?:{fr.period_counts}|\d+)\s+(?:{fr.period_units})"
        rf"|(?:{fr.current_periods})|(?:{fr.recent_leads})\s+(?:{fr.recent_units})"
        rf"|depuis\s+le\s+debut\s+de\s+(?:{fr.period_starts})"
        r")(?![\w])"
    )


# A clause ends at punctuation (not a decimal comma) and before words that open another clause.
_CLAUSE_BREAK = re.compile(
    r"(?<!\d),|,(?!\d)|[;:()\[\]«»]|\s[-–—]\s|(?<![\w])(?=dont\s|tandis\s+qu|alors\s+qu|mais\s)"
)
_WORD = re.compile(r"\w+'?|[^\w\s]")


@cache
def _before_backward() -> re.Pattern[str]:
    """A verb between a counted noun and its number ("les pertes s'élèvent à N")."""
    fr = french()
    return re.compile(
        rf"(?:{fr.count_verbs})\s+(?:a\s+|de\s+|des\s+|du\s+)?(?:\w+\s+){{0,2}}$"
        # "ce qui porte leur nombre à 15 000": the count noun between the verb and its value
        rf"|(?:{fr.change_verbs})\s+(?:{fr.count_determiners})\s+(?:{fr.count_nouns})"
        r"(?:\s+total)?\s+a\s+(?:\w+\s+)?$"
        # the verb left out: "le nombre de tués s'élèverait à 4 100, et celui des blessés à 7 900"
        r"|(?:celui|celle|ceux|celles)\s+(?:des?|du|d')\s*\w+(?:\s+\w+){0,2}\s+a\s+$"
    )


_APPROXIMATE = "environ"


@cache
def _subset_lead() -> re.Pattern[str]:
    """ "2 000 tués, dont neuf sapeurs": part of the count before it."""
    return re.compile(rf"(?:{french().subset_leads})\s+(?:\w+\s+){{0,2}}$")


@cache
def _bare_unit() -> re.Pattern[str]:
    """A unit with no commodity of its own ("dont un cargo de 8 000 tonnes", "puis 25 000 t
    supplémentaires"): what an earlier count of the sentence weighed."""
    forms = _alternation(f for fs in french().units.values() for f in fs)
    return re.compile(rf"\s*(?P<form>{forms})(?![\w'])(?!\s*(?:de|d')(?![\w]))")


def _unit_of(text: str) -> str | None:
    """The unit a counted noun or unit word starts with: "tonnes de blé", "t" -> "tonne"."""
    head = text.split(maxsplit=1)[0] if text.strip() else ""
    return next((unit for unit, forms in french().units.items() if head in forms), None)


def _abbreviated(words: list[str]) -> list[str]:
    """Counted nouns with their unit abbreviated too: "tonnes de blé" is also "t de blé"."""
    out = list(words)
    for unit, forms in french().units.items():
        short = [f for f in forms if not f.startswith(unit)]
        for word in words:
            head, _, rest = word.partition(" ")
            if rest and key(head).rstrip("*") == unit:
                out += [f"{form} {rest}" for form in short]
    return out


@cache
def _rate() -> re.Pattern[str]:
    """A count per day or a price per unit, "10 000 obus par jour", "215 dollars la tonne": a
    rate, which the labelling policy leaves optional, not a count of things sent."""
    return re.compile(rf"\s+(?:[\w'-]+\s+){{0,2}}?(?:{french().rate_marks})(?![\w])")


@cache
def _each() -> re.Pattern[str]:
    """ "Chaque lance-roquettes peut tirer 22 roquettes": a count per item, a rate."""
    # ("chaque année" is a period: "verserait chaque année 40 milliards de roubles")
    fr = french()
    return re.compile(
        rf"(?<![\w])(?:{fr.each_words})(?![\w])(?!\s+(?:{fr.period_units}|annee|semaine|nuit))"
    )


@cache
def _price_lead() -> re.Pattern[str]:
    """ "à un prix moyen de 215 dollars": the amount is a price, not money paid."""
    # "Le prix moyen du baril livré serait d'environ 60 dollars"
    # ("au cours de la semaine" is a time)
    return re.compile(rf"(?<![\w])(?<!au )(?:{french().price_leads})\s+(?:[\w']+\s+){{0,6}}$")


@cache
def _group_lead() -> re.Pattern[str]:
    """ "par petits groupes de dix ou quinze hommes": the size of each group, not a count of
    the whole."""
    return re.compile(rf"(?<![\w])(?:{french().group_leads})\s+(?:[\w']+\s+(?:ou|a)\s+)?$")


@cache
def _coordinated() -> re.Pattern[str]:
    """Counts joined to the one before ("onze systèmes … et six hélicoptères"): they share its
    verb."""
    coordinators = french().coordinators
    # ", ainsi que deux batteries": the comma and the coordinator together
    return re.compile(
        rf"(?:\s(?:{coordinators})|,(?:\s+(?:{coordinators}))?)\s+(?P<qualifier>[\w' ]*)$"
    )


# A line of a table written as text, "Obus d'artillerie : 9,2 millions", "Soldats — 11'000".
_TABLE_ROW = re.compile(r"\s*[^\W\d_][^:\n]{1,80}?(?::|\s[-–—])\s*(?:[^\W\d_]+\s+){0,2}\d")


# "300 soldats tués et au moins 2 700 autres blessés": "autres" counts the same noun; so does
# "17 700 soldats, soit 1 200 de plus" (an added batch).
_OTHERS = re.compile(r"\s*(?:autres|de\s+plus)(?![\w])")
# "Sur les 13 000 soldats envoyés, 3 400 auraient été tués": part of the count before it.
_OUT_OF = re.compile(r"\s*sur\s+(?:les|ces|un\s+total\s+(?:\w+\s+)?de)\s")
# "200 000 obus par mois, soit quelque 7 millions au total": the same noun again.
_SOIT = re.compile(r"(?<![\w])soit\s+(?:[\w']+\s+){0,2}$")
# "18 400 ressortissants entrés cette année, contre 13 100 l'an dernier": the same noun, compared.
_CONTRE = re.compile(r"(?<![\w])contre\s+(?:[\w']+\s+){0,2}$")


@cache
def _other_year() -> re.Pattern[str]:
    """A year of its own after a compared count: "contre 13 100 sur l'ensemble de l'année 2025"
    compares two years; "contre 2 700 il y a un mois" only recalls the old estimate."""
    return re.compile(rf"(?<!\d){_YEAR}(?!\d)|l'an(?:nee)?\s+(?:{french().past_years})")


# A number opening a parenthesis counts the noun before it.
_PAREN_LEAD = re.compile(r"\(\s*(?:[\w']+\s+){0,2}$")


@cache
def _count_of() -> re.Pattern[str]:
    """ "a porté à 17 700 le nombre de ses soldats": the counted noun after "le nombre de"."""
    return re.compile(
        rf"\s*(?:{french().count_of})\s+(?:de\s+|d')(?:(?:ses|leurs|des|ces|la|les)\s+)?"
    )


# A list or table line, "- Missiles livrés : 250": the counted noun before the colon.
# ... whose value ends the item: "250 (renseignement ukrainien)", not "18 heures de travail".
_ITEM_VALUE_END = re.compile(r"[ \t]*(?:$|[\n(;.,]|[-•–—]\s)")
# ... or a row run into the sentence before once the page is read ("152 mm. Missiles : 160").
_LIST_LEAD = re.compile(
    r"(?:^|\n|\.\s|\s[-•–—]\s)[ \t]*(?:[-•*–—][ \t]*)?([^:\n]{3,80}?)[ \t]*:[ \t]*$"
)


@cache
def _of() -> re.Pattern[str]:
    """A noun's complement: "les pertes des troupes" counts losses, not troops."""
    fr = french()
    return re.compile(rf"^\s*(?:{fr.complement_words})\s*(?:(?:{fr.complement_determiners})\s*)?$")


@cache
def _recipient() -> re.Pattern[str]:
    """A side named as where things go ("40 000 obus destinés à l'armée russe") is the
    recipient, not whose they are: the clause is still about the sending side's figure."""
    return re.compile(
        rf"(?:(?:{french().recipient_verbs})\s+(?:a|aux)"
        r"|a\s+destination\s+de|vers|pour)\s+(?:l'|la\s+|le\s+|les\s+|des\s+)?"
        r"(?:\w+\s+){0,1}$"
    )


@cache
def _receiver() -> re.Pattern[str]:
    """A side that is the subject of a verb of receiving ("la Russie a reçu 148 missiles") is
    the recipient, like one named after "destinés à": the count is the sending side's."""
    return re.compile(
        rf"\s+(?:(?:{french().avoir_words})\s+)?(?:\w+\s+)?(?:{french().receive_verbs})(?![\w])"
    )


@cache
def _continuing() -> re.Pattern[str]:
    """A sentence whose subject is a pronoun for what the sentence before counted: "94 trains
    … ont quitté Khassan. Ils transportaient 3 900 conteneurs"."""
    return re.compile(rf"^\W*(?:{french().continuing_subjects})\s")


@cache
def _topic() -> re.Pattern[str]:
    """ "à propos des soldats": what a sentence is about, named after a pronoun's count."""
    return re.compile(rf"(?<![\w])(?:{french().topic_leads})\s+(?:de\s+ces|des|de|d')\s*")


@cache
def _change() -> re.Pattern[str]:
    """A change of value, "passé de 11 000 à 14 000": the new value is the figure, the old one
    a reminder of what was known (never a range)."""
    return re.compile(
        rf"(?:{french().change_verbs})\s+(?:[\w']+\s+){{0,3}}de\s*$"  # "a relevé son estimation de"
    )


@cache
def _revision() -> re.Pattern[str]:
    """A revision whose values a comma sets apart from its verb: "a revu à la hausse son
    estimation des pertes nord-coréennes, de 3 000 à 4 700"."""
    return re.compile(rf"(?<![\w])(?:{french().change_verbs})[^.;:!?«»()]{{0,100}}?,\s*de\s*$")


@cache
def _colon_lead() -> re.Pattern[str]:
    """A number right after a colon (a qualifier between): it counts the noun before."""
    return re.compile(rf":\s*(?:(?:{french().anaphor_adverbs})\s+)*$")


@cache
def _anaphor() -> re.Pattern[str]:
    """A number whose counted noun an earlier phrase names, through a pronoun: "Elles seraient
    7 500", "en dénombre quelque 160", "Leur nombre a atteint 15 400", "47 d'entre eux"."""
    fr = french()
    return re.compile(
        # "On estime qu'ils sont quelque 15 000"
        r"(?:^|[^\w']\s*|(?<![\w])qu')"
        r"(?:(?:ils|elles)\s+(?:sont|seraient|etaient|seront|serait|etait|furent)"
        # "Des soldats nord-coréens, il y en a 15 000 en Russie"
        r"|il\s+y\s+en\s+(?:a|aurait|avait|aura|aurait\s+eu|a\s+eu)"
        rf"|en\s+(?:(?:{fr.avoir_words})\s+)?(?:{fr.anaphor_verbs})"
        r"(?:\s+(?:le\s+nombre|le\s+total|l'effectif)\s+a)?)"  # "en estime le nombre à"
        rf"(?:\s+(?:{fr.anaphor_adverbs}))*\s+$"
    )


@cache
def _possessive_count() -> re.Pattern[str]:
    """A count noun with no complement of its own ("Leur nombre", "Le nombre est passé de 2 000
    à 5 200") counts what was named before; "le nombre de réfugiés" counts refugees. A verb of
    change may come first: "…, portant leur nombre total à environ 24 000"."""
    fr = french()
    return re.compile(
        rf"(?:^\W*|(?<![\w])(?={fr.change_verbs}))"  # "Séoul a porté leur nombre à 15 000"
        rf"(?:(?:{fr.change_verbs})\s+)?(?:{fr.count_determiners})\s+(?:{fr.count_nouns})"
        rf"(?![\w])(?!\s*(?:{fr.complement_words})(?![\w]))"
    )


# "Deux des prisonniers", "trois de ces blessés": a part of a set the text already counts.
_PARTITIVE = re.compile(r"\s*(?:des|de\s+ces|de\s+leurs|de\s+ses)\s+")
# "il y en a deux qui …": the ones a relative clause describes.
_SOME_WHO = re.compile(r"\s+qui(?![\w])")
_AMONG_THEM = re.compile(r"\s*d'entre\s+(?:eux|elles)(?![\w])")
# "Parmi eux, environ 1 950 auraient été tués": the pronoun's noun, named before, is counted.
_AMONG_PRONOUN = re.compile(
    r"(?<![\w])parmi\s+(?:eux|elles|ceux-ci|celles-ci)\s*,\s*(?:[\w']+\s+){0,2}$"
)
# "Parmi les blessés, 2 000 auraient été rapatriés": the noun before the comma is counted.
_AMONG_LEAD = re.compile(r"(?<![\w])parmi\s+(?:les|ces)\s+(?P<noun>[\w'\- ]{3,40}?)\s*,\s*$")
# What may follow the noun after "parmi les": nothing, or its complement ("de cette année").
_COMPLEMENT_REST = re.compile(r"(?:\s+(?:de|du|des|d')(?:\s+|(?<=')).*)?")
# A counted noun's complement: "conteneurs de munitions", "caisses d'obus".
_COMPLEMENT = re.compile(r"\s*(?:de|d')\s*")


@cache
def _own_noun() -> re.Pattern[str]:
    """A number with a noun of its own right after it ("- 1 traité, signé en 2024") counts that
    noun, not one before a dash or a parenthesis."""
    return re.compile(rf"\s*(?!(?:{french().own_noun_stop})(?![\w']))[a-z][\w'-]{{2,}}")


@cache
def _possessive() -> re.Pattern[str]:
    """A possessive before the counted noun: "la perte de 58 de ses hommes" counts its owner's
    men."""
    return re.compile(rf"(?<![\w])(?:{french().all_possessives})\s+$")


@cache
def _toll() -> re.Pattern[str]:
    """A toll's participle: "… a frappé un quartier de Kiev, faisant 14 morts": whose dead the
    previous clause says."""
    return re.compile(rf"\W*(?:{french().toll_participles})(?![\w])")


@cache
def _toll_lead() -> re.Pattern[str]:
    """A toll's verb before its count (or the count before it): "a fait 12 morts", "faisant au
    moins 14 blessés", "a fait 12 morts et 40 blessés"."""
    fr = french()
    return re.compile(
        rf"(?<![\w])(?:(?:{fr.avoir_words})\s+(?:\w+\s+)?)?(?:{fr.toll_verbs})\s+"
        r"(?:[\w']+\s+){0,5}$"  # "a fait au moins 12 morts et 40 blessés"
    )


@cache
def _strike() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])(?:{french().strike_nouns})(?![\w])")


def _strike_toll(folded: str, start: int, comp: _Compiled, pair: frozenset[str]) -> bool:
    """Is the count a toll of a strike by one of the sides ("un missile nord-coréen tiré par la
    Russie sur Kiev a fait 12 morts")? Its dead are the strike's targets. A strike of a third
    party ("une frappe ukrainienne sur un camp nord-coréen a fait 200 morts") is not."""
    if not _toll_lead().search(folded, max(0, start - 50), start):
        return False
    strikes = list(_strike().finditer(folded, 0, start))
    return bool(strikes) and _np_side(folded, strikes[-1].end(), comp) in pair


# The longest paragraph read as a heading.
_HEADING_CHARS = 80

_ITEM_BREAK = re.compile(r"\s[-\u2013\u2014\u2022]\s")
_BULLETS = ("-", "•", "*", "–", "—")


@cache
def _locative() -> re.Pattern[str]:
    """A side named as a place where things are or go: "en Russie", "dans la région de Koursk",
    "sur le sol russe", "dans la région russe de Koursk" (a place noun and its demonym)."""
    fr = french()
    return re.compile(
        rf"(?:(?<![\w])(?:{fr.locative_leads})\s+(?:{fr.articles})?(?:(?:{fr.place_nouns})\s+)?"
        rf"|(?<![\w])(?:{fr.place_nouns})\s+(?:[\w-]+\s+)?(?:de\s+|d'|du\s+))$"
    )


# An apposition between dashes counts the noun before it, like a parenthesis.
_DASH_LEAD = re.compile(r"\s[\u2014\u2013-]\s+(?:[\w']+\s+){0,2}$")


@cache
def _next_np() -> re.Pattern[str]:
    """Where the predicate of a counted noun ends: another noun phrase joined by "et" ("600
    soldats meurent et des milliers sont blessés")."""
    fr = french()
    return re.compile(
        rf"\s(?:{fr.next_np_joins})\s+(?:{fr.next_np_starts}|\d|(?:{fr.next_np_words})\s)"
    )


_RANGE_JOIN = re.compile(r"^\s*(?:et|a|-)\s*$")
_RANGE_OPEN = re.compile(r"(?:entre|de)\s*$")


@cache
def _source_stop() -> re.Pattern[str]:
    """Where a figure's source ends ("selon Séoul lundi dans un rapport")."""
    fr = french()
    return re.compile(rf"\s(?:{fr.source_ends}|le \d|{fr.source_days})(?![\w])")


@cache
def _bad_source() -> re.Pattern[str]:
    """A source that starts with one of data/french.yaml's ``not_sources`` is none ("que …")."""
    return re.compile(rf"^(?:{french().not_sources}|t\s)(?![\w])")


@cache
def _source_subject() -> re.Pattern[str]:
    """A third party that is the subject of a verb of telling: "Kiev avance pour sa part un
    bilan de 4 000 morts", "Séoul estime que …" tells the figure, it does not own it. An
    infinitive after the verb ("Kiev affirme avoir perdu 200 hommes") is the subject's deed."""
    fr = french()
    return re.compile(
        rf"\s+(?:(?:pour\s+sa\s+part|de\s+son\s+cote)\s+)?(?:(?:{fr.avoir_words})\s+)?"
        rf"(?:{fr.source_verbs})(?![\w])"
        # "L'Ukraine affirme de son côté avoir perdu 900 hommes": an adjunct before it
        r"(?!(?:\s+[\w']+){0,3}\s+(?:avoir|etre|\w{2,}(?:er|ir|oir))(?![\w]))"
    )


@cache
def _owner_verb() -> re.Pattern[str]:
    """A verb right after its subject ("L'Ukraine a perdu", "Le Japon a déployé"): whoever it
    is owns, loses or sends what the clause then counts."""
    fr = french()
    return re.compile(
        rf"\s+(?:[\w'-]+\s+){{0,2}}?(?:(?:{fr.avoir_words}|{fr.etre_words})\s+)?(?:\w+\s+)?"
        rf"(?:{fr.owner_verbs})(?![\w])"
    )


def _third_party_subject(
    folded: str, mentions: list, offset: int, clause: tuple[int, int], start: int
) -> bool:
    """Is the count's clause a third party's deed: "L'Ukraine a perdu 43 000 soldats", "Séoul
    a envoyé 1 000 obus à Kiev" (no side named between the subject and its count)?"""
    for m in mentions:
        lo, hi = m.start - offset, m.end - offset
        if m.side != OTHERS or not clause[0] <= lo < start:
            continue
        verb = _owner_verb().match(folded, hi)
        if (
            verb
            and verb.end() <= start
            and not any(
                o.side not in (None, OTHERS) and hi <= o.start - offset < start for o in mentions
            )
        ):
            return True
    return False


@dataclass(frozen=True)
class _MeasureRule:
    name: str
    alone: re.Pattern[str] | None
    objects: re.Pattern[str] | None
    cues: list[re.Pattern[str]]
    whole_sentence: bool  # cues looked for in the sentence, not only the clause
    predicates: list[re.Pattern[str]]  # cues that decide first, after the counted noun
    not_with: re.Pattern[str] | None  # words that say the counted are someone else
    side: str | None = None  # whose the counted things are


@dataclass(frozen=True)
class _Compiled:
    objects: re.Pattern[str]  # any counted noun, matched at a position
    measures: list[_MeasureRule]
    by_name: dict[str, _MeasureRule]
    min_values: list[tuple[re.Pattern[str], float]]
    demonyms: re.Pattern[str]
    demonym_side: list[tuple[re.Pattern[str], str]]
    qualifier: re.Pattern[str]
    qualifier_of: dict[str, str]
    additional: re.Pattern[str]
    claim_after: re.Pattern[str]
    claim_before: re.Pattern[str]
    claim_selon: re.Pattern[str]
    source_lead: re.Pattern[str]
    sourced_pair: re.Pattern[str]
    limit: re.Pattern[str] | None
    new_batch: re.Pattern[str]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted((pattern_regex(w) for w in words), key=len, reverse=True))


def _compile(watch: Watch) -> _Compiled:
    leads = french().figure_source_leads
    all_objects: list[str] = []
    measures = []
    for name, m in watch.measures.items():
        all_objects += _abbreviated(m.objects) + m.alone
        objects = re.compile(f"(?:{_alternation(_abbreviated(m.objects))})") if m.objects else None
        alone = re.compile(f"(?:{_alternation(m.alone)})") if m.alone else None
        cues = [words_regex(group) for group in m.cues]
        predicates = [words_regex(group) for group in m.predicates]
        measures.append(
            _MeasureRule(
                name,
                alone,
                objects,
                cues,
                m.cue_scope == "sentence",
                predicates,
                words_regex(m.not_with) if m.not_with else None,
                m.side,
            )
        )
    demonym_side: list[tuple[re.Pattern[str], str]] = []
    for side_name, side in watch.sides.items():
        demonym_side += [(re.compile(pattern_regex(d)), side_name) for d in side.demonyms]
    demonym_side += [(re.compile(pattern_regex(d)), OTHERS) for d in watch.others.demonyms]
    all_demonyms = [*(d for s in watch.sides.values() for d in s.demonyms), *watch.others.demonyms]
    qualifier_of: dict[str, str] = {}
    for phrase, norm in watch.figures.qualifiers.items():
        qualifier_of[key(phrase)] = norm
        if key(phrase).endswith(" de"):
            qualifier_of[key(phrase)[:-3] + " d'"] = norm
    verbs = _alternation(watch.figures.claim_verbs)
    aux = rf"(?:(?:{french().avoir_words})\s+(?:\w+\s+)?)?"
    return _Compiled(
        objects=re.compile(f"(?:{_alternation(all_objects)})(?![\\w])"),
        measures=measures,
        by_name={m.name: m for m in measures},
        min_values=[
            (re.compile(pattern_regex(word)), value)
            for word, value in watch.figures.min_values.items()
        ],
        demonyms=words_regex(all_demonyms),
        demonym_side=demonym_side,
        qualifier=re.compile(
            r"(?<![\w])(?:"
            + "|".join(
                re.escape(q).replace(r"\ ", r"\s+")
                for q in sorted(qualifier_of, key=len, reverse=True)
            )
            + r")\s*$"
        ),
        qualifier_of=qualifier_of,
        additional=words_regex(watch.figures.additional),
        claim_after=re.compile(
            rf",\s*{aux}(?:{verbs})\s+(?:(?:{french().source_days}|dans\s+un\s+\w+|a\s+la\s+presse)\s+)*"
            r"(?P<src>[^,.;:«»()\[\]]+)"
        ),
        claim_before=re.compile(rf"(?P<src>[^,.;:«»()\[\]]+?)\s+{aux}(?:{verbs})\s+(?:que\s|qu')"),
        claim_selon=re.compile(rf"(?<![\w])(?:{leads})\s+(?P<src>[^,.;:«»()\[\]]+)"),
        # a third party named as who tells ("selon Kiev", "le renseignement estonien") is the
        # figure's source, not whose the counted things are
        source_lead=re.compile(
            rf"(?:(?<![\w])(?:{leads})\s+(?:[\w'\-]+\s+){{0,8}}"
            rf"|(?<![\w])(?:{french().source_nouns})(?:\s+[\w'\-]+){{0,3}}\s+)$"
        ),
        # two sources' counts of one noun: "entre 10 000 selon Séoul et 12 400 selon Kiev"
        sourced_pair=re.compile(rf"\s*(?:{leads})\s+[^,;:()]{{1,40}}?\s+(?:et|contre|ou)\s+$"),
        limit=re.compile(
            rf"(?<![\w])(?:{_alternation(watch.figures.limits)})\s+(?:\w+\s+){{0,2}}"
            r"(?:de\s+|d')(?:\w+\s+){0,2}$"
        )
        if watch.figures.limits
        else None,
        new_batch=re.compile(
            rf"(?<![\w])(?:{_alternation(watch.figures.batch_openers)})\s+"
            rf"(?:{_alternation(watch.figures.batch_nouns)})"
            r"(?:\s+[\w'\-]+){0,2}\s+(?:de\s+|d')(?:[\w']+\s+){0,2}$"
        )
        if watch.figures.batch_openers and watch.figures.batch_nouns
        else re.compile(r"(?!)"),
    )


@dataclass
class _Candidate:
    number: NumberSpan
    value_high: float | None
    start: int  # of the number (or range) in the sentence
    obj_start: int
    obj_end: int
    inherited: bool = False
    subset: bool = False  # "dont au moins neuf sapeurs": part of the count before it
    from_previous: bool = False  # the counted noun is in the sentence before ("Elles seraient N")


def _is_year(number: NumberSpan) -> bool:
    """ "2024" with no noun after it is a year: it never takes a noun from elsewhere."""
    return not number.in_words and number.text.isdigit() and 1900 <= number.value <= 2099


def _words_after(folded: str, pos: int, limit: int) -> list[re.Match[str]]:
    out = []
    for match in _WORD.finditer(folded, pos):
        out.append(match)
        if len(out) >= limit:
            break
    return out


def _forward_object(folded: str, end: int, comp: _Compiled) -> tuple[int, int] | None:
    """The counted noun right after a number: "3 000 soldats", "1,5 million de dollars"."""
    pos = end
    count_of = _count_of().match(folded, pos)
    if count_of:
        match = comp.objects.match(folded, count_of.end())
        return (match.start(), match.end()) if match else None
    for skipped in range(3):
        while pos < len(folded) and folded[pos] == " ":
            pos += 1
        match = comp.objects.match(folded, pos)
        if match:
            return match.start(), match.end()
        words = _words_after(folded, pos, 1)
        if not words:
            return None
        word = words[0].group(0).strip("'")
        if word in ("de", "d", "des", "du"):
            pos = words[0].end()
            continue
        if word in ("»", "\u201d", '"') and not skipped:
            # "« près de 6 millions » d'obus": the quote closes before the noun
            pos = words[0].end()
            continue
        if skipped == 2 or word in french().gap_stop or not word.isalpha():
            return None
        pos = words[0].end()
    return None


def _backward_object(
    folded: str, clause_start: int, start: int, comp: _Compiled, revised: bool = False
) -> tuple[int, int] | None:
    """The counted noun before "s'élèvent à N", "est estimé à N": the last one in the clause
    (``revised``: in the sentence before a revision set apart by a comma, which has no verb of
    its own: "… a revu son estimation des pertes, de 3 000 à 4 700")."""
    before = folded[clause_start:start]
    if not revised and not _before_backward().search(before):
        return None
    found = None
    for match in comp.objects.finditer(folded, clause_start, start):
        if match.start() > 0 and folded[match.start() - 1].isalnum():
            continue
        if found is not None and _of().match(folded[found[1] : match.start()]):
            continue  # "les pertes des troupes": the head noun is counted, not its complement
        found = (match.start(), match.end())
    return found


@cache
def _number_of_lead() -> re.Pattern[str]:
    """ "le nombre de missiles": a count noun and what it counts, anywhere in a sentence."""
    return re.compile(
        rf"(?<![\w])(?:{french().count_of})\s+(?:de\s+|d')(?:(?:ses|leurs|des|ces|la|les)\s+)?"
    )


def _number_of(folded: str, end: int, comp: _Compiled) -> tuple[int, int] | None:
    """The noun the last "le nombre de" before ``end`` counts."""
    found = None
    for lead in _number_of_lead().finditer(folded, 0, end):
        match = comp.objects.match(folded, lead.end())
        if match and match.end() <= end:
            found = match.span()
    return found


def _clauses(sentence: str) -> list[tuple[int, int]]:
    cuts = [0, *(m.start() for m in _CLAUSE_BREAK.finditer(sentence)), len(sentence)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _clause_of(clauses: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in clauses:
        if a <= pos < b:
            return a, b
    return clauses[-1]


def _predicate_measure(obj: str, local: str, comp: _Compiled) -> str | None:
    """The measure the counted noun's own predicate says (``local``: after the noun, up to the
    next count or noun phrase). It decides before the clause's cues: "600 soldats déployés aux
    côtés des Russes ont été tués" counts the dead; "tués sur un total de 15 000 militaires
    déployés" counts troops sent, though the clause says "tués"."""
    for rule in comp.measures:
        matches = rule.predicates and rule.objects is not None and rule.objects.fullmatch(obj)
        if matches and all(c.search(local) for c in rule.predicates):
            return rule.name
    return None


def _named_before(obj: str, before: str, comp: _Compiled) -> str | None:
    """The measure a noun earlier in the clause names by itself ("pertes", "victimes"),
    when the counted noun is one it counts: "le bilan … les pertes atteindraient N soldats".
    A participle ("tués") is not such a noun: "600 tués sur un total de 15 000 militaires
    déployés" counts troops sent (the noun's own predicate decides)."""
    for rule in comp.measures:
        if rule.alone is None or rule.objects is None or not rule.objects.fullmatch(obj):
            continue
        if any(
            (m.start() == 0 or not before[m.start() - 1].isalnum())
            and (m.end() == len(before) or not before[m.end()].isalnum())
            and not any(p.search(m.group(0)) for p in rule.predicates)
            for m in rule.alone.finditer(before)
        ):
            return rule.name
    return None


def _clause_measure(
    obj: str, clause: str, sentence: str, comp: _Compiled, np_side: str | None = None
) -> str | None:
    """The first measure whose object and cues (in the clause, or the sentence) match, and
    whose side the counted noun's demonym does not contradict ("ingénieurs russes" are not
    North Korean troops)."""
    for rule in comp.measures:
        if np_side and rule.side and np_side != rule.side:
            continue
        if rule.alone is not None and rule.alone.fullmatch(obj):
            return rule.name
        if rule.objects is None or not rule.objects.fullmatch(obj):
            continue
        scope = sentence if rule.whole_sentence else clause
        if all(c.search(scope) for c in rule.cues):
            return rule.name
    return None


def _counts(measure: str, obj: str, comp: _Compiled) -> bool:
    """Whether ``obj`` is one of the nouns ``measure`` counts."""
    rule = comp.by_name[measure]
    return rule.objects is not None and rule.objects.fullmatch(obj) is not None


def _excluded(measure: str, clause: str, comp: _Compiled) -> bool:
    """ "14 morts et 40 blessés parmi les civils": the counted are not the measure's."""
    rule = comp.by_name[measure]
    return rule.not_with is not None and rule.not_with.search(clause) is not None


def _too_small(obj: str, value: float, comp: _Compiled) -> bool:
    return any(value < least and rx.fullmatch(obj) for rx, least in comp.min_values)


def _np_side(folded: str, obj_end: int, comp: _Compiled) -> str | None:
    """Whose the counted things are, from a demonym right after the noun ("missiles russes")."""
    window_end = obj_end
    for match in _words_after(folded, obj_end, 6):
        word = match.group(0)
        if (not word[0].isalnum() and word != "'") or word.rstrip("'") in french().np_stop:
            break
        window_end = match.end()
    for match in comp.demonyms.finditer(folded, obj_end, window_end):
        for rx, side in comp.demonym_side:
            if rx.fullmatch(match.group(0)):
                return side
    return None


def _source(sentence: str, folded: str, start: int, end: int, comp: _Compiled) -> str | None:
    """Who the sentence says gives the figure: "selon Séoul", ", a affirmé l'état-major…"."""
    spans = []
    for match in comp.claim_selon.finditer(folded):
        spans.append(match.span("src"))
    if not spans:
        for clause_start, clause_end in _clauses(folded):
            if clause_end <= start or clause_start > start:
                continue
            for match in comp.claim_before.finditer(folded, clause_start, start):
                spans.append(match.span("src"))
    if not spans:
        for comma in re.finditer(",", folded[end:]):
            match = comp.claim_after.match(folded, end + comma.start())
            if match:
                spans.append(match.span("src"))
                break
    for a, b in spans:
        stop = _source_stop().search(folded, a, b)
        b = stop.start() if stop else b
        text = sentence[a:b].strip(" '\"")
        if text and not _bad_source().match(fold(text)) and len(text.split()) <= 12:
            return text
    return None


def _period(sentence: str, folded: str, clause: tuple[int, int], pos: int) -> str | None:
    best = None
    for lo, hi in (clause, (0, len(folded))):
        for match in _period_pattern().finditer(folded, lo, hi):
            distance = abs(match.start() - pos)
            if best is None or distance < best[0]:
                best = (distance, match.span())
        if best:
            return sentence[best[1][0] : best[1][1]]
    return None


def _tied(
    measure_side: str | None,
    np_side: str | None,
    clause_sides: frozenset[str],
    sentence_sides: frozenset[str],
    near_sides: frozenset[str],
    previous: frozenset[str],
    pair: frozenset[str],
) -> bool:
    """Is a figure the relationship's? Its clause or sentence must tie it to both sides.

    The counted things must not be someone else's (a demonym of a third party, or of the other
    side than the measure's); a clause naming only the other side is about the other side.
    Accepted: both sides in the sentence; the measure's side in the sentence with the other in
    an adjacent one, unless the clause names a third party ("vers le Japon"); or a sentence
    naming nobody right after one naming both (a continuation).
    """
    if np_side == OTHERS:
        return False
    if measure_side and np_side in pair and np_side != measure_side:
        return False
    if measure_side and np_side == measure_side:
        return True  # "14 prisonniers de guerre nord-coréens" in Ukraine: still the relationship's
    own = clause_sides | ({np_side} if np_side in pair else set())
    if measure_side and (own & pair) and measure_side not in own:
        return False
    sentence = sentence_sides | own
    if pair <= sentence:
        return True
    anchored = measure_side in sentence if measure_side else bool(sentence & pair)
    if measure_side and OTHERS not in sentence_sides and measure_side in near_sides:
        # "Un contingent de 2 400 hommes serait arrivé dans la région de Koursk" after a
        # sentence naming Pyongyang: the receiving side here, the sending side next door
        anchored = anchored or bool(sentence & pair)
    if anchored and OTHERS not in clause_sides and pair <= (sentence | near_sides):
        return True
    return not sentence_sides and pair <= previous


def _head(matches: list[re.Match[str]]) -> re.Match[str] | None:
    """The last counted noun that heads its phrase: in "les obus nord-coréens", "nord-coréens"
    right after "obus" is an adjective, not the noun."""
    for i in range(len(matches) - 1, -1, -1):
        gap = matches[i - 1].string[matches[i - 1].end() : matches[i].start()] if i else "x"
        if not gap.strip() or _COMPLEMENT.fullmatch(gap):
            continue  # "conteneurs de munitions": the container is counted, not what it holds
        return matches[i]
    return None


@cache
def _predicate_lead() -> re.Pattern[str]:
    """An auxiliary right before a word: "ont été tués", "sont blessés" (a predicate)."""
    fr = french()
    return re.compile(rf"(?<![\w])(?:{fr.etre_words}|ete)\s+$")


def _antecedent(
    folded: str, start: int, previous: str, comp: _Compiled
) -> tuple[str, int, int] | None:
    """Where the plural noun a pronoun stands for is: earlier in the sentence, else in the
    previous one ("sentence" or "previous", and its offsets). A singular one ("le renseignement
    militaire") is no antecedent of "ils", "elles", "en" or "leur nombre"."""

    def plural(match: re.Match[str]) -> bool:
        # "7 000 soldats ont été tués ou blessés. Parmi eux, …": a participle after its
        # auxiliary is the predicate, not the noun the pronoun stands for
        return match.group(0)[-1] in "sx" and not _predicate_lead().search(
            match.string, max(0, match.start() - 12), match.start()
        )

    found = _head([m for m in comp.objects.finditer(folded, 0, start) if plural(m)])
    if found:
        return "sentence", found.start(), found.end()
    found = _head([m for m in comp.objects.finditer(previous) if plural(m)])
    if found:
        return "previous", found.start(), found.end()
    # "Nous en comptons 8 300 …, a confié un officier, à propos des soldats nord-coréens": the
    # topic named after the count
    topic = _topic().search(folded, start)
    match = comp.objects.match(folded, topic.end()) if topic else None
    return ("sentence", match.start(), match.end()) if match and plural(match) else None


@cache
def _duration() -> re.Pattern[str]:
    """A unit of time right after a number: an age or a duration counts nothing."""
    return re.compile(rf"\s*(?:{french().period_units}|heures|minutes)(?![\w'])")


@cache
def _length() -> re.Pattern[str]:
    """A unit of length right after a number: a calibre or a distance counts nothing."""
    return re.compile(rf"\s*(?:{french().length_units})(?![\w'])")


@cache
def _aside_end() -> re.Pattern[str]:
    """The verb a subject takes after an aside between commas: ", ont franchi le pont"."""
    fr = french()
    return re.compile(rf",\s*(?:(?:{fr.avoir_words}|{fr.etre_words})\s)")


def _after_aside(
    folded: str, clauses: list[tuple[int, int]], clause: tuple[int, int]
) -> tuple[int, int] | None:
    """The clause holding the verb of a subject that an aside parts from it: the aside is the
    clause (or two) right after the subject's, the verb's clause opens with an auxiliary."""
    index = clauses.index(clause) if clause in clauses else -1
    if index < 0 or not folded.startswith(",", clause[1]):
        return None
    for ahead in clauses[index + 2 : index + 4]:
        if _aside_end().match(folded, ahead[0]):
            return ahead
    return None


@cache
def _sending() -> re.Pattern[str]:
    """A verb of sending ("livré", "envoyé"), whose recipient may go unsaid."""
    return re.compile(rf"(?<![\w])(?:{french().recipient_verbs})(?![\w])")


@cache
def _strength() -> re.Pattern[str]:
    """ "fortes de quelque 50 000": an apposition giving the size of the noun phrase before it."""
    fr = french()
    return re.compile(rf"(?<![\w])(?:{fr.strength_words})\s+(?:de|d')\s*(?:[\w']+\s+){{0,2}}$")


@cache
def _relative_lead() -> re.Pattern[str]:
    """A relative clause after a comma, "…, qui a perdu": its subject is the noun before."""
    return re.compile(r",\s*qui\s")


@cache
def _receiving() -> re.Pattern[str]:
    """A verb of receiving anywhere in a clause ("…, qui a reçu 300 canons")."""
    return re.compile(rf"(?<![\w])(?:{french().receive_verbs})(?![\w])")


def _sent_to_other(folded: str, mentions: list, offset: int, others: frozenset[str]) -> bool:
    """Does the sentence name the other side only as where things go ("à destination de la
    Russie") or as who receives them ("la Russie a reçu")?"""
    named = [m for m in mentions if m.side in others]
    return bool(named) and all(
        _recipient().search(folded, max(0, m.start - offset - 30), m.start - offset)
        or _receiver().match(folded, m.end - offset)
        for m in named
    )


def _owner_clause(folded: str, clause: tuple[int, int], start: int) -> bool:
    """Is the count's clause a relative one whose subject owns it: "…, qui a perdu N"?"""
    return bool(_relative_lead().match(folded, clause[0])) and not _receiving().search(
        folded, clause[0], start
    )


# What parts an apposition from a demonym well before it: a stop, a verb's clause.
_CLAUSE_STOP = re.compile(r"[.;:!?«»()]")


def _np_side_before(folded: str, end: int, comp: _Compiled) -> str | None:
    """Whose the noun phrase right before an apposition is: "les forces russes, fortes de"."""
    lo = max(0, end - 60)
    last = None
    for match in comp.demonyms.finditer(folded, lo, end):
        last = match
    if last is None or _CLAUSE_STOP.search(folded, last.end(), end):
        return None
    return next((side for rx, side in comp.demonym_side if rx.fullmatch(last.group(0))), None)


@dataclass
class _Lead:
    """A counted noun found away from its number."""

    start: int
    end: int
    where: str = "sentence"  # or "previous": the sentence before
    inherited: bool = False
    subset: bool = False


def _lead_object(
    raw: str,
    folded: str,
    clauses: list[tuple[int, int]],
    start: int,
    end: int,
    previous: str,
    candidates: list[_Candidate],
    comp: _Compiled,
    change: bool,
    revised: bool = False,
) -> _Lead | None:
    """The counted noun of a number that has none right after it."""
    if _length().match(folded, end) or _duration().match(folded, end):
        # "Lance-roquettes multiples (240 mm)": a calibre; "âgées de 18 à 24 ans": an age
        return None
    clause_start = _clause_of(clauses, start)[0]
    before = folded[clause_start:start]
    others = (
        _OTHERS.match(folded, end)
        or _subset_lead().search(before)
        or _SOIT.search(folded, max(0, start - 30), start)
        or (
            _CONTRE.search(folded, max(0, start - 30), start)
            and _other_year().search(folded, end, _clause_of(clauses, start)[1])
        )
    )
    whole_of = bool(candidates) and _OUT_OF.match(folded) is not None
    sourced = bool(candidates) and comp.sourced_pair.fullmatch(
        folded, candidates[-1].number.end, start
    )
    if (others or whole_of or sourced) and candidates:
        prev = candidates[-1]
        subset = bool(_subset_lead().search(before)) or whole_of
        return _Lead(prev.obj_start, prev.obj_end, inherited=True, subset=subset)
    unit = _bare_unit().match(folded, end)
    same = [
        c
        for c in candidates
        if unit
        and not c.from_previous
        and _unit_of(folded[c.obj_start : c.obj_end]) == _unit_of(unit.group("form"))
    ]
    if same:
        # "50 000 tonnes de blé, dont un dernier cargo de 8 000 tonnes": the same commodity
        subset = bool(_subset_lead().search(before))
        return _Lead(same[-1].obj_start, same[-1].obj_end, inherited=True, subset=subset)
    among = _AMONG_LEAD.search(folded, max(0, start - 60), start)
    if among:
        # "Parmi les arrivants de cette année, 9 700 …": the noun, with its complement
        match = comp.objects.match(among.group("noun"))
        if match and _COMPLEMENT_REST.fullmatch(among.group("noun"), match.end()):
            return _Lead(among.start("noun"), among.start("noun") + match.end(), subset=True)
    backward = _backward_object(folded, 0 if change else clause_start, start, comp, revised)
    if backward is None and clause_start and _before_backward().search(before):
        # "le nombre de missiles livrés a doublé, pour atteindre près de 300 engins": the noun
        # "le nombre de" names earlier in the sentence
        backward = _number_of(folded, clause_start, comp)
    if backward:
        return _Lead(*backward)
    anaphor = (
        _AMONG_THEM.match(folded, end)
        or _AMONG_PRONOUN.search(folded, max(0, start - 40), start)
        or _anaphor().search(folded, max(0, clause_start - 2), start)
        or (_possessive_count().search(before) and _before_backward().search(before))
    )
    if anaphor and _SOME_WHO.match(folded, end) and "il y en" in str(anaphor.group(0)):
        anaphor = None  # "il y en a deux qui parlent russe": some of them, no count
    if anaphor:
        found = _antecedent(folded, start, previous, comp)
        if found:
            return _Lead(found[1], found[2], where=found[0], subset=found[0] == "sentence")
    lead = _PAREN_LEAD.search(folded, max(0, start - 30), start) or _DASH_LEAD.search(
        raw, max(0, start - 30), start
    )
    if lead and not _own_noun().match(folded, end):
        # "Les obus nord-coréens (4,8 millions selon …)": the noun before the parenthesis
        head = _head([*comp.objects.finditer(folded, max(0, lead.start() - 50), lead.start())])
        if head:
            return _Lead(head.start(), head.end())
    if _ITEM_VALUE_END.match(raw, end):
        item = _LIST_LEAD.search(raw, max(0, start - 120), start)  # bullets fold to spaces
        found = [*comp.objects.finditer(folded, item.start(1), item.end(1))] if item else []
        if found:
            return _Lead(found[0].start(), found[0].end())
    colon = _colon_lead().search(folded, max(0, start - 30), start)
    if colon and colon.start() > 0:
        # "… son estimation des obus livrés à la Russie : 10 millions depuis août 2023": what
        # the (plural) noun before the colon counts
        lo = _clause_of(clauses, colon.start() - 1)[0]
        head = _head([*comp.objects.finditer(folded, lo, colon.start())])
        if head and head.group(0)[-1] in "sx":
            return _Lead(head.start(), head.end())
    return None


def _sentence_figures(
    sentence: str,
    folded: str,
    index: int,
    smap: SideMap,
    offset: int,
    watch: Watch,
    comp: _Compiled,
    previous_text: str = "",
    paragraph_sides: frozenset[str] = frozenset(),
    previous_raw: str = "",
    last_paragraph: frozenset[str] = frozenset(),
    list_sides: frozenset[str] = frozenset(),
    continues: bool = False,
    opens_paragraph: bool = False,
    asked: bool = False,
) -> list[Figure]:
    periods = [m.span() for m in _period_pattern().finditer(folded)]
    numbers = [
        n
        for n in find_numbers(sentence)
        if not any(a <= n.start < b for a, b in periods)
        and not n.approximate  # "une dizaine d'avions": vague, as the labelling policy says
    ]
    clauses = _clauses(sentence)
    candidates: list[_Candidate] = []
    skip_next = False
    for i, number in enumerate(numbers):
        if skip_next:
            skip_next = False
            continue
        if comp.limit is not None and comp.limit.search(
            folded, max(0, number.start - 60), number.start
        ):
            continue  # "le plafond de 500 000 barils": a limit, not a count
        start, high = number.start, None
        end = number.end
        change = revised = False
        if i + 1 < len(numbers):
            nxt = numbers[i + 1]
            joined = _RANGE_JOIN.match(folded[number.end : nxt.start])
            if joined and _change().search(folded, max(0, number.start - 40), number.start):
                # "passé de 11 000 à 14 000": only the new value is a figure
                number, end, skip_next, change = nxt, nxt.end, True, True
            elif joined and _revision().search(folded, max(0, number.start - 120), number.start):
                # "Séoul a revu son estimation des pertes, de 3 000 à 4 700": the same, the
                # revision set apart by a comma
                number, end, skip_next, change = nxt, nxt.end, True, True
                revised = True
            elif joined and (
                _RANGE_OPEN.search(folded[: number.start])
                or folded[number.end : nxt.start].strip() in ("a", "-")
            ):
                high, end, skip_next = nxt.value, nxt.end, True
                scale = multiplier(nxt.text)
                if scale and multiplier(number.text) is None and number.value < 1000:
                    # "entre 4 et 6 millions d'obus": the multiplier of both ends
                    number = replace(number, value=number.value * scale)
                elif number.value < 1000 and nxt.value / 10 <= number.value * 1000 <= nxt.value:
                    # "entre 10 et 12 000 soldats": the thousands of both ends
                    number = replace(number, value=number.value * 1000)
        obj = _forward_object(folded, end, comp)
        if obj and _ITEM_BREAK.search(sentence, end, obj[0]):
            obj = None  # "- Soldats tués : 2 600 - Missiles livrés : 250": the next item's noun
        lead = None
        if obj is None and not _is_year(number):
            lead = _lead_object(
                sentence,
                folded,
                clauses,
                start,
                end,
                previous_text,
                candidates,
                comp,
                change,
                revised,
            )
        if obj is None and lead is None:
            continue
        if lead is None:
            dont = bool(candidates) and bool(
                _subset_lead().search(folded[_clause_of(clauses, start)[0] : start])
            )
            candidates.append(_Candidate(number, high, start, obj[0], obj[1], subset=dont))
            continue
        candidates.append(
            _Candidate(
                number,
                high,
                start,
                lead.start,
                lead.end,
                lead.inherited,
                lead.subset and bool(candidates),
                lead.where == "previous",
            )
        )

    figures = []
    pair = frozenset(watch.sides)
    window = watch.relevance.window
    near: frozenset[str] = frozenset().union(
        *smap.sides[max(0, index - window) : index],
        # a question heading next ("Les Nord-Coréens sont-ils inclus ?") is about what follows
        *(
            s
            for k, s in enumerate(smap.sides[: index + 1 + window])
            if k > index and k not in smap.headings
        ),
        paragraph_sides,  # the sides named earlier in the same paragraph
    )
    if all(
        _locative().search(folded, max(0, m.start - offset - 40), m.start - offset)
        for m in smap.mentions[index]
        if m.side in pair
    ):
        # "Un contingent de 2 400 hommes serait arrivé dans la région de Koursk": a place the
        # previous paragraph's sending side went to
        near = near | last_paragraph
    previous = (smap.sides[index - 1] if index > 0 else frozenset()) | list_sides
    mentions = [
        m
        for m in smap.mentions[index]
        if m.side != OTHERS
        or not (
            comp.source_lead.search(folded, max(0, m.start - offset - 80), m.start - offset)
            or _source_subject().match(folded, m.end - offset)
        )
    ]
    sentence_sides = smap.sides[index]
    if OTHERS in sentence_sides and not any(m.side == OTHERS for m in mentions):
        sentence_sides = sentence_sides - {OTHERS}  # "selon Kiev": a source, not a party
    if continues and not sentence_sides and _continuing().match(folded):
        previous = previous | pair  # "Ils transportaient 3 900 conteneurs": the same sides
    elif continues and not opens_paragraph and not sentence_sides:
        # "… 21 400 conteneurs ont franchi la frontière. Rien qu'en août, 1 300 wagons …": a
        # sentence naming nobody (but its source: "le Pentagone avance « quelque 4 000 tués »,
        # selon un responsable américain") goes on from the one before it in its paragraph,
        # which gave a figure of the relationship
        previous = previous | pair
    # "…, a affirmé le général X, interrogé par un journal de Kyiv": the attribution after the
    # figure names who tells, not whose the counted things are
    tail = comp.claim_after.search(folded)
    tail_start = tail.start() if tail else len(folded)
    told_sides = sentence_sides
    if OTHERS in sentence_sides and not any(
        m.side == OTHERS and m.start - offset < tail_start for m in mentions
    ):
        told_sides = sentence_sides - {OTHERS}
    for n, cand in enumerate(candidates):
        source = previous_text if cand.from_previous else folded
        clause = _clause_of(clauses, cand.start)
        lo = max(clause[0], candidates[n - 1].number.end if n else 0)
        hi = min(clause[1], candidates[n + 1].start if n + 1 < len(candidates) else len(folded))
        if cand.inherited or cand.obj_start < cand.start:
            lo = min(lo, cand.start)
        obj_text = source[cand.obj_start : cand.obj_end]
        if _too_small(obj_text, cand.number.value, comp):
            continue
        noun_end = cand.number.end if cand.from_previous else max(cand.obj_end, cand.number.end)
        local_end = max(hi, noun_end)
        cut = _next_np().search(folded, noun_end, local_end)
        local = folded[noun_end : cut.start() if cut else local_end]
        # "50 000 tonnes de blé …, puis 25 000 tonnes supplémentaires": more of the same
        subset_of = figures[-1].measure if (cand.subset or cand.inherited) and figures else None
        np_side = _np_side(source, cand.obj_end, comp)
        strength = None if cand.from_previous else _strength().search(folded, 0, cand.start)
        if np_side is None and strength:
            # "les forces russes, fortes de quelque 50 000 hommes": the size of the noun before
            np_side = _np_side_before(folded, strength.start(), comp)
        # "les pertes nord-coréennes atteindraient 6 200 soldats depuis leur arrivée"
        named_lo = lo
        if lo == clause[0] and folded.startswith(":", lo):
            named_lo = _clause_of(clauses, max(0, lo - 1))[0]  # "Pertes … : 6 000 hommes"
        measure = _named_before(obj_text, folded[named_lo : cand.start], comp)
        if measure is None:
            # "Le nombre de soldats tués … est passé de", "- Soldats tués : 2 600": the
            # noun's predicate sits between it and a number after it
            own_lead = not (cand.inherited or cand.subset or cand.from_previous)
            between = folded[cand.obj_end : cand.start] if own_lead else ""
            measure = _predicate_measure(obj_text, between, comp) if between else None
        if measure is None:
            measure = _predicate_measure(obj_text, local, comp)
        aside = _after_aside(folded, clauses, clause) if measure is None else None
        if aside is not None and not cut and not cand.from_previous:
            # "Les 5 300 soldats nord-coréens qui, selon Kiev, ont péri": the noun's predicate
            # after an aside between commas
            measure = _predicate_measure(obj_text, folded[aside[0] : aside[1]], comp)
        if measure is None and cand.obj_start < cand.start and not cand.from_previous:
            # "avoir tué 340 soldats et en avoir capturé 7": the pronoun's verb says the measure
            verb = _anaphor().search(folded, max(0, clause[0] - 2), cand.start)
            measure = _predicate_measure(obj_text, verb.group(0), comp) if verb else None
        if measure is None and subset_of is not None and _counts(subset_of, obj_text, comp):
            measure = subset_of  # "2 000 tués, dont neuf sapeurs": nine of the dead
        elif measure is None:
            # "- Chars livrés à la Corée du Nord : 60": the noun's own words before its number
            own_before = cand.obj_start < lo and not (cand.inherited or cand.from_previous)
            text_lo = cand.obj_start if own_before else lo
            if folded.startswith(":", clause[0]) and clause[0] > 0 and text_lo >= clause[0]:
                # "la Russie a transféré à Pyongyang : 14 chasseurs …": the verb before the colon
                text_lo = _clause_of(clauses, clause[0] - 1)[0]
            clause_text = folded[text_lo : max(hi, noun_end)]
            measure = _clause_measure(obj_text, clause_text, folded, comp, np_side)
            joined = n and _coordinated().search(folded, candidates[n - 1].number.end, cand.start)
            if (
                measure is None
                and joined
                and (
                    not joined.group("qualifier") or comp.qualifier.match(joined.group("qualifier"))
                )
            ):
                # "a livré onze systèmes … et six hélicoptères": the verb before the first;
                # ", ainsi que deux batteries": in the first count's clause
                first = _clause_of(clauses, candidates[n - 1].start)[0]
                if folded.startswith(":", first) and first > 0:
                    first = _clause_of(clauses, first - 1)[0]  # a list after a colon
                clause_text = folded[min(clause[0], first) : max(hi, noun_end)]
                measure = _clause_measure(obj_text, clause_text, folded, comp, np_side)
            verb = _after_aside(folded, clauses, clause) if measure is None else None
            if verb is not None and n + 1 == len(candidates):
                # "3.200 tonnes de marchandises, essentiellement des matériaux …, ont franchi le
                # pont": the subject's verb after an aside between commas
                clause_text = folded[lo : max(hi, noun_end)] + " " + folded[verb[0] : verb[1]]
                measure = _clause_measure(obj_text, clause_text, folded, comp, np_side)
        if (
            measure is None
            and (
                cand.from_previous
                or (not sentence_sides and not opens_paragraph)
                # "Ils sont encadrés par 250 officiers du génie nord-coréen": what the sentence
                # before said of its subject ("deux des navires" is a part, no count)
                or (
                    _continuing().match(folded)
                    and not _PARTITIVE.fullmatch(folded, cand.number.end, cand.obj_start)
                )
            )
            and previous_text
        ):
            # "Ce détachement inclurait 1 800 artilleurs": the measure of what it continues
            measure = _clause_measure(obj_text, previous_text, previous_text, comp, np_side)
        rule = comp.by_name[measure] if measure is not None else None
        if (
            rule is not None
            and np_side is None
            and not cand.from_previous
            and _third_party_subject(folded, mentions, offset, clause, cand.start)
        ):
            continue  # "L'Ukraine a perdu 43 000 soldats": the third party's own
        if (
            rule is not None
            and rule.alone is not None
            and rule.alone.fullmatch(obj_text)
            and not (cand.inherited or cand.from_previous)
            and _PARTITIVE.fullmatch(folded, cand.number.end, cand.obj_start)
        ):
            continue  # "Deux des prisonniers veulent rester": a part of a known set, no count
        if (
            rule is not None
            and rule.alone is not None
            and rule.alone.fullmatch(obj_text)
            and not cand.from_previous
            and _strike_toll(folded, cand.start, comp, pair)
        ):
            continue  # the dead of the sides' strike are its targets
        scope_lo = 0 if _toll().match(folded, clause[0]) else clause[0]
        if measure is None or _excluded(measure, folded[scope_lo : clause[1]], comp):
            continue
        if (
            _rate().match(folded, noun_end)
            or _each().search(folded, clause[0], cand.start)
            or _price_lead().search(folded, max(0, cand.start - 70), cand.start)
            or _group_lead().search(folded, max(0, cand.start - 50), cand.start)
        ):
            continue
        if np_side is None and not sentence_sides and index:
            # "L'armée ukrainienne affirme … Elle reconnaît la perte de 58 de ses hommes": a
            # sentence naming nobody, its owner the subject (first named) of the one before
            owner = min(smap.mentions[index - 1], key=lambda m: m.start, default=None)
            if owner is not None and owner.side == OTHERS:
                np_side = OTHERS if _possessive().search(source, 0, cand.obj_start) else None
        clause_sides = frozenset(
            m.side
            for m in mentions
            if m.side
            and clause[0] <= m.start - offset < clause[1]
            and (
                m.side == OTHERS  # "vers le Japon": a third party's target stays named
                or not (
                    _recipient().search(folded, max(0, m.start - offset - 30), m.start - offset)
                    or _receiver().match(folded, m.end - offset)
                )
            )
            and (
                # "sur les chantiers de la région de Moscou": where they are, not whose
                m.side in (OTHERS, watch.measures[measure].side)
                or not _locative().search(folded, max(0, m.start - offset - 40), m.start - offset)
            )
        )
        side = watch.measures[measure].side
        if np_side is None and side and _owner_clause(folded, clause, cand.start):
            # "l'artillerie russe, qui a perdu plus de 4 000 canons": the relative clause's
            # subject, the noun before it, owns what it counts; it receives nothing
            owner = _np_side_before(folded, clause[0], comp)
            if owner is not None and owner != side:
                continue
        near_here = near
        if (
            side in sentence_sides
            and OTHERS not in sentence_sides
            and _sending().search(folded, 0, clause[1])
        ):
            # "Pyongyang aurait en outre livré 40 missiles": sent to the side the paragraph
            # before named with it
            near_here = near | last_paragraph
        elif (
            side
            and not (sentence_sides & {side, OTHERS})
            and _sent_to_other(folded, mentions, offset, pair - {side})
        ):
            # "16 500 conteneurs ont traversé la frontière, chargés de munitions à destination
            # de la Russie": sent to the other side; the sending side is the one the paragraph
            # before named with it
            near_here = near | last_paragraph
        # "— Combien d'obus la Corée du Nord a-t-elle livrés à la Russie ? — « … 12 millions
        # d'obus … »": an interview's answer goes on from its question
        answer = (
            opens_paragraph
            and (
                (pair <= previous and previous_raw.rstrip(" »\u00a0").endswith("?"))
                # "Combien d'obus la Corée du Nord a-t-elle fournis à la Russie ? La question
                # paraît simple …" / "Le renseignement sud-coréen avance … 12 millions d'obus":
                # the paragraph after the one asking answers it
                or (asked and OTHERS not in sentence_sides)
            )
            and not (sentence_sides & pair)
            and OTHERS not in clause_sides
            and np_side is None
        )
        if not answer and not _tied(
            side,
            np_side,
            clause_sides,
            (told_sides if cand.start < tail_start else sentence_sides)
            | (previous if cand.from_previous else frozenset()),
            near_here,
            previous,
            pair,
        ):
            continue
        qualifier = None
        # "passé de près de 2 000 à 5 200": the new value's own qualifier, not the old one's
        before = folded[max(0, cand.number.start - 40) : cand.number.start]
        qual = comp.qualifier.search(before)
        if qual:
            qualifier = comp.qualifier_of.get(" ".join(qual.group(0).split()))
        if cand.value_high is not None:
            qualifier = "entre"
        elif qualifier is None and cand.number.approximate:
            qualifier = _APPROXIMATE
        fig_start = min(cand.start, cand.number.start - (len(qual.group(0)) if qual else 0))
        fig_end = noun_end
        # "trois soldats nord-coréens de plus": the words after the noun's demonym
        demonym = (
            comp.demonyms.match(folded, noun_end + 1)
            if folded[noun_end : noun_end + 1] == " "
            else None
        )
        after = _words_after(folded, demonym.end() if demonym else noun_end, 3)
        tail_end = after[-1].end() if after else noun_end
        added = comp.additional.search(folded, cand.number.end, tail_end)
        # an inherited "autres" counts more of the same noun; "de plus" adds a batch; so does
        # a new contingent ("un deuxième contingent de 11 000 hommes")
        # "3 000 tués et 4 500 autres blessés": others than the dead, not a batch more
        contrast = bool(figures) and figures[-1].measure != measure
        others = bool(added) and added.group(0) == "autres"
        additional = (bool(added) and not (others and (cand.inherited or contrast))) or bool(
            comp.new_batch.search(folded, max(0, fig_start - 60), fig_start)
        )
        # "Le nombre est passé à 5 200" says nothing alone: the sentence naming what it counts
        # comes with it
        lead_in = previous_raw.strip() + " " if cand.from_previous and previous_raw.strip() else ""
        figures.append(
            Figure(
                value=cand.number.value,
                measure=measure,
                object=(previous_raw if cand.from_previous else sentence)[
                    cand.obj_start : cand.obj_end
                ],
                evidence=lead_in + sentence,
                qualifier=qualifier,
                value_high=cand.value_high,
                claimed_by=_source(sentence, folded, fig_start, fig_end, comp),
                period=_period(sentence, folded, clause, cand.start),
                additional=additional,
                span=(len(lead_in) + fig_start, len(lead_in) + fig_end),
            )
        )
    return figures


# A table row's dot leader, "Blessés ........ 3 800": the label before it, the value after it.
_LEADER = re.compile(r"(?:(?<=\s)\.{2,}|\.{4,}|…{2,})[ \t]*(?=[^\s.])")
# ... the value, up to where the next row's label starts once the page runs the rows together
# ("… 3 800 Travailleurs nord-coréens arrivés en Russie .. 15 000").
_LEADER_VALUE = re.compile(
    r"(?:[^\W\d_][\w']*\s+){0,2}?\d{1,3}(?:[ \u00a0\u202f'\u2019.]\d{3})*(?:,\d+)?"
    r"(?![\d]|[ \u00a0\u202f'\u2019.,]\d)"
    r"(?:\s+(?:millions?|milliards?)(?![\w]))?(?:\s*%)?(?:\s+(?:de|d')\s*[^\W\d_][\w-]*)?"
    r"(?P<gap>[ \t]+)(?=[^\s.;,:)])"
)


# A list's items run into one line once the page is read: "- 3 août : … - 22 octobre : …".
_BULLET_LINE = re.compile(r"^[ \t]*[-\u2013\u2014\u2022][ \t][^\n]*", re.MULTILINE)
_RUN_ITEM = re.compile(r"[ \t](?=[-\u2013\u2014\u2022][ \t]+\S)")


def _leader_rows(text: str) -> str:
    """Rows and items as lines: a table whose rows join label and value with a dot leader,
    written as "label : value", each row on its own line; a bulleted list run into one line,
    each item on its own line. The same length, so offsets hold."""
    if not _LEADER.search(text) and not _BULLET_LINE.search(text):
        return text
    chars = list(text)
    for line in _BULLET_LINE.finditer(text):
        for item in _RUN_ITEM.finditer(text, line.start() + 2, line.end()):
            chars[item.start()] = "\n"
    for leader in _LEADER.finditer(text):
        a, b = leader.span()
        chars[a:b] = list(": ".ljust(b - a))
        value = _LEADER_VALUE.match(text, b)
        if value and "\n" not in value.group(0):
            chars[value.start("gap")] = "\n"
    return "".join(chars)


def _table_rows(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """Which sentences are rows of a table written as text: short, "label : value" (or "label —
    value"), next to another such row (on its own line, or run together once the page is read)."""
    alone = [
        end - start <= 160 and bool(_TABLE_ROW.match(text, start, end)) for start, end in spans
    ]
    return [
        row and ((i > 0 and alone[i - 1]) or (i + 1 < len(alone) and alone[i + 1]))
        for i, row in enumerate(alone)
    ]


def _is_heading(sentence: str) -> bool:
    """A paragraph that is a short heading: a question ("Combien de morts ?") or a line without
    a sentence's final stop ("Ce que disent les sources")."""
    line = sentence.strip()
    return 0 < len(line) <= _HEADING_CHARS and (line.endswith("?") or line[-1] not in '.!»"')


def _in_focus(sentence: str, focus_keys: list[str]) -> bool:
    k = key(sentence)
    return any(f in k or k in f for f in focus_keys)


def extract_figures(
    doc_or_sentences: object, watch: Watch, *, focus: list[str] | None = None
) -> list[Figure]:
    """Every figure of the relationship in a text, a spaCy Doc, or a list of sentences.

    With ``focus`` (the new sentences of an updated article), only figures of sentences matching
    one of them are returned; the rest of the text still gives context (the sides nearby).
    """
    if isinstance(doc_or_sentences, str):
        text = doc_or_sentences
    elif hasattr(doc_or_sentences, "text"):
        text = doc_or_sentences.text  # a spaCy Doc or Span
    else:
        text = "\n".join(str(s) for s in doc_or_sentences)  # type: ignore[attr-defined]
    comp = compiled(watch, "figures", _compile)
    original, text = text, _leader_rows(text)
    smap = side_map(text, watch)
    focus_keys = [key(f) for f in focus if key(f)] if focus is not None else None
    folded = fold(text)  # folding keeps offsets: fold once, not once a sentence
    figures: list[Figure] = []
    numbers = paragraph_numbers(text, smap.spans)
    paragraph: frozenset[str] = frozenset()
    last_paragraph: frozenset[str] = frozenset()
    items: frozenset[str] = frozenset()
    counted = False  # the sentence before gave a figure of the relationship
    two_before: frozenset[str] = frozenset()  # the sides of the paragraph before the last
    rows = _table_rows(text, smap.spans)
    heading = False  # the paragraph just closed is a heading ("Combien de morts ?")
    asking = asked = False  # the paragraph (just closed) asks a question naming both sides
    carried: frozenset[str] = frozenset()  # the sides of the section before that heading
    carried_of: dict[int, frozenset[str]] = {}  # each paragraph's carried sides
    for index, (start, end) in enumerate(smap.spans):
        sentence = text[start:end]
        opens = index == 0 or numbers[index] != numbers[index - 1]
        if opens:
            if index:
                # an explainer's heading between two paragraphs names nothing: the paragraph
                # after it goes on from the section before it ("… soldats nord-coréens en
                # Russie. / Combien ? / Quelque 4 500 soldats de plus …")
                closed = [i for i in range(index) if numbers[i] == numbers[index - 1]]
                heading = len(closed) == 1 and _is_heading(text[slice(*smap.spans[closed[0]])])
                before = numbers[index - 1] - 1
                # ... and every paragraph of that section after it, up to the next heading
                carried = (
                    last_paragraph | carried_of.get(before, frozenset())
                    if heading and before >= 0
                    else carried_of.get(numbers[index - 1], frozenset())
                )
                carried_of[numbers[index]] = carried
            two_before, last_paragraph, paragraph = last_paragraph, paragraph, frozenset()
            asked, asking = asking, False
        if sentence.lstrip().startswith(_BULLETS) or rows[index]:
            # a list's items, or a table's rows, continue their lead (the sentence or the
            # paragraph before) and each other: "- Missiles livrés : 250", "Obus : 9,2 millions"
            lead = (
                smap.sides[index - 1] | paragraph | last_paragraph
                if index and not items
                else frozenset()
            )
            list_sides, items = items | lead, items | lead | smap.sides[index]
        else:
            list_sides = items = frozenset()
        previous_span = slice(*smap.spans[index - 1]) if index else slice(0, 0)
        earlier, paragraph = paragraph | carried, paragraph | smap.sides[index]
        if focus_keys is not None and not _in_focus(sentence, focus_keys):
            counted = False
            continue
        found = _sentence_figures(
            sentence,
            folded[start:end],
            index,
            smap,
            start,
            watch,
            comp,
            folded[previous_span],
            earlier,
            text[previous_span],
            last_paragraph,
            list_sides | (carried if opens else frozenset()),
            # "« Ils ont perdu 700 hommes en une semaine »", a paragraph naming nobody after
            # two that named both sides: its pronoun continues them
            counted or (opens and frozenset(watch.sides) <= last_paragraph | two_before),
            opens,
            asked and opens,
        )
        # a question naming both sides: "Combien d'obus la Corée du Nord a-t-elle fournis à
        # la Russie ?"
        asking = asking or (
            sentence.rstrip(" »\u00a0").endswith("?")
            and frozenset(watch.sides) <= smap.sides[index]
        )
        if text is not original:
            # the evidence as the article writes it, dot leaders and all
            raw = original[start:end]
            found = [replace(f, evidence=f.evidence.replace(sentence, raw)) for f in found]
        figures.extend(found)
        counted = bool(found)
    return figures
