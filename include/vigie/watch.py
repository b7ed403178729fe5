"""The watch: everything Vigie knows about one relationship, loaded from a YAML file.

Actors and their spellings, titles, the two sides' places and demonyms, the relevance rule, the
event patterns and the measures figures are classified into are data, so a new actor, title or
measure, or a new pair of countries, needs a new line or a new file, not new code.

Word patterns (in events, measures, others) are matched on folded text (see ``fold``): a ``*``
ending a word matches any ending ("envoy*" → envoyé, envoyés, envoyer), a space matches any run
of spaces or hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from vigie.config import load_settings
from vigie.text import fold

OTHER_SIDE = "other"
T = TypeVar("T")


@lru_cache(maxsize=8192)  # names and words are looked up over and over
def key(text: str) -> str:
    """A lookup key: folded, "œ" spelled "oe", spaces collapsed, trimmed."""
    return " ".join(fold(text).replace("œ", "oe").replace("æ", "ae").split())


def pattern_regex(word: str) -> str:
    """Regex (on folded text) for one word pattern: ``*`` = any ending, space = spaces/hyphens."""
    parts = []
    for part in key(word).split(" "):
        body = re.escape(part.rstrip("*")).replace("oe", "(?:oe|œ)")
        parts.append(body + (r"\w*" if part.endswith("*") else ""))
    return r"\s+".join(parts)


def words_regex(words: list[str]) -> re.Pattern[str]:
    """One regex matching any of ``words`` as whole words on folded text (longest first)."""
    alternatives = sorted((pattern_regex(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Side(_Model):
    """One side of the relationship and the words that evoke it."""

    label: str
    places: list[str] = Field(default_factory=list)
    demonyms: list[str] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)
    # How a function is tied to this side after its noun: "de Pyongyang", "du Kremlin" (the
    # demonyms serve too: "le leader nord-coréen"). Used to spell out actors' roles.
    complements: list[str] = Field(default_factory=list)

    @property
    def all_terms(self) -> list[str]:
        return [*self.places, *self.demonyms, *self.terms]


class Role(_Model):
    """A function an actor holds for a side: ``function`` is a key of the watch's functions."""

    function: str
    side: str


class Actor(_Model):
    """A person whose words matter, with every spelling and title that names them."""

    name: str
    side: str
    gender: Literal["m", "f"]
    aliases: list[str] = Field(default_factory=list)
    titles: list[str] = Field(default_factory=list)
    role: str | None = None
    # Functions held, each spelled out with the side's demonyms and complements into titles
    # ("l'homme fort de Pyongyang", "le chef du Kremlin"): unique holders only.
    roles: list[Role] = Field(default_factory=list)
    # Short names ("Kim") are ambiguous alone: they count only once the full name was seen.
    short_names: list[str] = Field(default_factory=list)

    @field_validator("gender", mode="before")
    @classmethod
    def _gender(cls, value: Any) -> Any:
        if value not in ("m", "f"):
            raise ValueError("must be m or f")
        return value

    @property
    def names(self) -> list[str]:
        """The full name and its unambiguous variants."""
        return [self.name, *self.aliases]


class ImpliedSide(_Model):
    """A sentence that names a side without its word: "1 300 soldats nord-coréens blessés
    lors de la bataille de Glouchkovo" names Russia, whose war they fight."""

    side: str
    # Every group must have a word in the sentence.
    words: list[list[str]]


class ShortForm(_Model):
    """A side's short name that only the context makes one: "le Nord" is North Korea in a text
    that speaks of Seoul (matched with its capital, on the text as written)."""

    side: str
    words: list[str]
    # One of these words somewhere in the text (folded word patterns).
    context: list[str]


class Relevance(_Model):
    """An article is relevant when the two sides are linked, not merely both named.

    A link is a sentence naming both sides, or two adjacent sentences (``window``) naming one
    each (across a paragraph break, only when one of them holds a figure, or a quote naming a
    side). Relevant: a link in the title, or at least ``min_links`` links in the text; or one
    linked passage with a figure or a quote (a mixed article: only that passage's facts count).
    """

    window: int = Field(default=1, ge=0)
    min_links: int = Field(default=2, ge=1)
    title_link: bool = True
    # Words that look like a side's but are not ("Corée du Sud", "sud-coréen"): matched first,
    # they hide the shorter side term inside them.
    neutral: list[str] = Field(default_factory=list)
    implied: list[ImpliedSide] = Field(default_factory=list)
    # Words before a side's name that make it a point of comparison or a landmark, not a party:
    # "à la différence de Pyongyang", "près des côtes de la Corée du Nord"; ``openings`` only
    # at a sentence's start ("Comme la Corée du Nord avant lui, Téhéran …").
    references: list[str] = Field(default_factory=list)
    opening_references: list[str] = Field(default_factory=list)
    # Words of an apposition that describes someone else by a side: "Minsk, proche allié de
    # Moscou, …" names Belarus, not Russia as a party (unless what it describes names a side).
    descriptions: list[str] = Field(default_factory=list)
    short_forms: list[ShortForm] = Field(default_factory=list)


class Measure(_Model):
    """What a figure counts: the counted nouns and the words that must surround them."""

    label: str
    objects: list[str]
    # Every group must have one word in the figure's clause (empty: the object suffices).
    cues: list[list[str]] = Field(default_factory=list)
    # Counted nouns that say the measure by themselves ("2 000 morts", "4 000 pertes").
    alone: list[str] = Field(default_factory=list)
    # The side the counted things belong to ("dprk" soldiers); a demonym of the other side or of
    # a third party on the object rejects the figure.
    side: str | None = None
    # Where the cues are looked for: the figure's own clause (which tells "3 000 tués et 5 000
    # blessés" apart), or its whole sentence (a verb of sending often opens a list of counts).
    cue_scope: Literal["clause", "sentence"] = "clause"
    # Words that, in the counted noun's own predicate (after it: "600 soldats déployés … ont
    # été tués"), decide the measure ahead of cues elsewhere in the clause. Same form as cues.
    predicates: list[list[str]] = Field(default_factory=list)
    # Words that, in the figure's clause, say the counted are someone else ("parmi les civils").
    not_with: list[str] = Field(default_factory=list)


class Declarations(_Model):
    """Words that tie a quote to its speaker (see ``vigie.nlp.declarations``)."""

    # Speech verbs as word patterns on the verb's form: "martel*" for "« … », a martelé X".
    attribution_verbs: list[str] = Field(default_factory=list)
    # Words introducing a source besides data/french.yaml's source_leads ("selon X", "d'après
    # X"): "Pour X, « … »" (sentence start only), "selon les mots de X".
    source_prepositions: list[str] = Field(default_factory=list)
    # Words before a title that make it a former one ("l'ancien président russe").
    former_words: list[str] = Field(default_factory=list)
    # Subjects that name nobody ("un analyste"): their quotes are kept, unattributed.
    anonymous_sources: list[str] = Field(default_factory=list)
    # Subject pronouns and the gender of the person they stand for.
    pronouns: dict[str, Literal["m", "f"]] = Field(default_factory=dict)
    # Words before a short name that say who is meant without the full name ("M. Kim",
    # "le président Kim"): honorifics with the gender they require, and gender-free titles.
    honorifics: dict[str, Literal["m", "f"]] = Field(default_factory=dict)
    title_words: list[str] = Field(default_factory=list)
    # Nouns naming what someone does ("députée", "porte-parole", "chercheuse"): capitalised words
    # right after one are a name ("la députée sud-coréenne Han Mi-rae").
    person_roles: list[str] = Field(default_factory=list)
    # Nouns that describe a person without a role ("ce fils de marin", "le quadragénaire",
    # "notre interlocuteur"): such a description far from any name stands for the one person
    # it can be (nlp/declarations.py).
    person_epithets: list[str] = Field(default_factory=list)
    # A description's noun and the narrower roles it may stand for: "le diplomate" after
    # "l'ambassadeur de Russie, X" is X.
    role_kinds: dict[str, list[str]] = Field(default_factory=dict)
    # What opens an interview's answer paragraph ("— « … »", "R : « … »"): its quote is the
    # interviewee's, the person the introduction names.
    answer_marks: list[str] = Field(default_factory=list)
    # Endings of feminine role nouns ("ambassadrice", "chercheuse"): the tagger often misses
    # them, and a pronoun after the name must fit.
    feminine_endings: list[str] = Field(default_factory=list)
    # Platforms and media a speaker writes on, which the recogniser may run into a name.
    media_names: list[str] = Field(default_factory=list)
    # Family names written first (Korean, Chinese): "M. Pak" after "Pak Chol Min" is that
    # person, and "Kang Myong Il" is one name even where "Il" reads as a pronoun.
    family_names_first: list[str] = Field(default_factory=list)


class Figures(_Model):
    """Words around a figure: how sure, who claims it, which words add to a known count."""

    # Words before a number → the normalised qualifier ("quelque" → "environ").
    qualifiers: dict[str, str] = Field(default_factory=dict)
    claim_verbs: list[str] = Field(default_factory=list)
    additional: list[str] = Field(default_factory=list)
    # Counted nouns that also name people at large, figures only from a value on: "les deux
    # hommes" are two leaders, "11 000 hommes" a contingent.
    min_values: dict[str, float] = Field(default_factory=dict)
    # Nouns whose number is a limit or a reference, not a count of what happened: "le plafond
    # de 500 000 barils", "un quota de 2 000 travailleurs".
    limits: list[str] = Field(default_factory=list)
    # A new batch before its count ("un deuxième contingent de 11 000 hommes") adds to a known
    # total, like "supplémentaires": an opener word, then a batch noun.
    batch_openers: list[str] = Field(default_factory=list)
    batch_nouns: list[str] = Field(default_factory=list)


class Watch(_Model):
    """One relationship under watch (see the module docstring)."""

    name: str
    description: str = ""
    language: str = "fr"
    sides: dict[str, Side]
    actors: list[Actor] = Field(default_factory=list)
    others: Side = Field(default_factory=lambda: Side(label="others"))
    relevance: Relevance = Field(default_factory=Relevance)
    events: dict[str, list[list[list[str]]]] = Field(default_factory=dict)
    measures: dict[str, Measure] = Field(default_factory=dict)
    figures: Figures = Field(default_factory=Figures)
    declarations: Declarations = Field(default_factory=Declarations)
    # Functions by the phrases that name them ("chef de la diplomatie"), for actors' roles.
    functions: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_references(self) -> Watch:
        if len(self.sides) != 2:
            raise ValueError(f"sides: a watch has exactly two sides, got {len(self.sides)}")
        if OTHER_SIDE in self.sides:
            raise ValueError(f"sides: '{OTHER_SIDE}' is reserved for actors of neither side")
        for i, actor in enumerate(self.actors):
            if actor.side not in self.sides and actor.side != OTHER_SIDE:
                raise ValueError(
                    f"actors[{i}].side: '{actor.side}' is not one of "
                    f"{sorted(self.sides)} or '{OTHER_SIDE}'"
                )
            for j, role in enumerate(actor.roles):
                if role.function not in self.functions:
                    raise ValueError(
                        f"actors[{i}].roles[{j}].function: '{role.function}' is not one of "
                        f"the watch's functions {sorted(self.functions)}"
                    )
                if role.side not in self.sides:
                    raise ValueError(f"actors[{i}].roles[{j}].side: '{role.side}' is not a side")
        for name, measure in self.measures.items():
            if measure.side is not None and measure.side not in self.sides:
                raise ValueError(f"measures.{name}.side: '{measure.side}' is not a side")
        for name, rules in self.events.items():
            for j, rule in enumerate(rules):
                if not rule or not all(rule):
                    raise ValueError(f"events.{name}[{j}]: a rule needs non-empty word groups")
        seen: dict[str, str] = {}
        for actor in self.actors:
            for spelling in [*actor.names, *actor.short_names]:
                k = key(spelling)
                if seen.setdefault(k, actor.name) != actor.name:
                    raise ValueError(f"actors: '{spelling}' names both {seen[k]} and {actor.name}")
        return self

    @property
    def actor_index(self) -> dict[str, Actor]:
        """Folded spelling (name, alias or short name) → actor."""
        return _indexes(self)[0]

    @property
    def title_index(self) -> dict[str, Actor]:
        """Folded title without its article ("dirigeant nord coreen") → actor."""
        return _indexes(self)[1]

    def resolve_name(self, text: str) -> Actor | None:
        """The actor a name designates, ignoring accents, case and hyphens."""
        return self.actor_index.get(key(text))

    def resolve_title(self, text: str) -> Actor | None:
        """The actor a title designates ("le chef de l'Etat russe"), article optional."""
        return self.title_index.get(_strip_article(key(text)))

    def side_of(self, actor: Actor) -> Side | None:
        return self.sides.get(actor.side)


_ARTICLE = re.compile(r"^(?:(?:le|la|les|du|de la|au|a la)\s+|(?:de )?l'\s*)")


def _strip_article(folded: str) -> str:
    return _ARTICLE.sub("", folded, count=1).strip()


_COMPILED: dict[tuple[int, str], tuple[Watch, Any]] = {}


def compiled(watch: Watch, name: str, build: Callable[[Watch], T]) -> T:
    """``build(watch)``, computed once per watch object (watches are frozen)."""
    entry = _COMPILED.get((id(watch), name))
    if entry is None or entry[0] is not watch:
        entry = (watch, build(watch))
        _COMPILED[(id(watch), name)] = entry
    return entry[1]


def _indexes(watch: Watch) -> tuple[dict[str, Actor], dict[str, Actor]]:
    return compiled(watch, "indexes", _build_indexes)


def role_titles(watch: Watch, role: Role) -> list[str]:
    """A role spelled out: each phrase of its function with each demonym and complement of its
    side ("dirigeant nord-coréen", "chef de la diplomatie russe", "ministre russe de la
    Défense", "homme fort de Pyongyang")."""
    side = watch.sides[role.side]
    out = []
    for phrase in watch.functions[role.function]:
        head, sep, tail = phrase.partition(" de ")
        for demonym in side.demonyms:
            out.append(f"{phrase} {demonym}")
            if sep:
                out.append(f"{head} {demonym} de {tail}")
        out += [f"{phrase} {complement}" for complement in side.complements]
    return out


def _build_indexes(watch: Watch) -> tuple[dict[str, Actor], dict[str, Actor]]:
    names: dict[str, Actor] = {}
    titles: dict[str, Actor] = {}
    for actor in watch.actors:
        for spelling in [*actor.names, *actor.short_names]:
            names[key(spelling)] = actor
        for title in actor.titles:
            titles.setdefault(_strip_article(key(title)), actor)
    # Titles spelled out from roles name their holder only when no one else holds them.
    holders: dict[str, set[str]] = {}
    by_name = {actor.name: actor for actor in watch.actors}
    for actor in watch.actors:
        for role in actor.roles:
            for title in role_titles(watch, role):
                holders.setdefault(_strip_article(key(title)), set()).add(actor.name)
    for title, who in holders.items():
        if len(who) == 1:
            titles.setdefault(title, by_name[next(iter(who))])
    return names, titles


class WatchError(ValueError):
    """A watch file that cannot be used, with the file and the offending key named."""


def _loc(parts: tuple[int | str, ...]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top)"


def _parse(path: Path) -> Watch:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WatchError(f"watch {path.name}: cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise WatchError(f"watch {path.name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise WatchError(f"watch {path.name}: expected a mapping at the top")
    try:
        return Watch.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            loc = _loc(err["loc"])
            problems.append(msg if loc == "(top)" else f"{loc}: {msg}")
        raise WatchError(f"watch {path.name}: " + "; ".join(problems)) from None


@lru_cache(maxsize=16)
def _load_cached(path: Path, mtime_ns: int) -> Watch:
    return _parse(path)


def load_watch(path: Path | None = None) -> Watch:
    """Load and validate a watch file (default: the operator's ``VIGIE_WATCH``), cached per file."""
    path = Path(path or load_settings().watch_file).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise WatchError(f"watch {path.name}: cannot read: {exc.strerror or exc}") from exc
    return _load_cached(path, mtime)
