"""Direct quotes and who said them, found on the spaCy doc of a whole article.

Quotes come from ``vigie.text.find_quotes`` (typography, not spaCy's sentences); spaCy gives the
parts of speech, entities, morphology and subjects used to name the speaker.

Which quotes are declarations (decided on our own test sentences, for analysts' attention):
- a quote that is a whole clause: it starts its sentence (or follows a colon, or "Selon X,"),
  and nothing but an attribution follows it: « Nous vaincrons ensemble demain », a lancé X. It
  needs ``MIN_WORDS`` words like any quote (the labelling policy: 1–3 words never count);
- a quote inside a sentence when it is speech, not a label: at least ``MIN_WORDS`` (4) words
  with a verb (X a dit que « les deux pays feront face ensemble »), or ``LONG_FRAGMENT`` (8)
  words. Scare quotes and labels (« sans réserve », « fraternité éternelle », X a qualifié le
  traité de « pilier de notre sécurité commune », soutenir Moscou « jusqu'à la victoire
  complète ») are not returned at all: in the seeds such verbless fragments are what outlets
  reword from one article to the next, so as alerts they would mostly be noise;
- a quote cut by an incise (« … », a-t-il ajouté, « … ») is one declaration, its parts joined
  with " … ", by the incise's speaker. Other fragments of one sentence are judged one by one
  (never merged): the short ones drop out, the long ones stand alone.
- Headlines are sentences like any other: « Poutine : « … » » is the colon form, and a label in
  a headline (« Kim vante « une amitié de fer » avec Moscou ») is no declaration; a
  headline quote that is speech (« Kim promet « nous serons toujours à vos côtés » ») is one
  (see below for its repetition in the body);
- an incise the writer left inside the marks (« Absurde, explique X, toxicologue. La suite »,
  « Je suis inquiet, glisse-t-il », « …, a déclaré le leader nord-coréen. Et que … ») is cut
  out of the quote, parts joined the same way, with the speaker's appositions and relative
  clauses (« Ces renforts, a expliqué à la sortie le député X, du Parti démocrate, qui siège
  à la commission, sont destinés … »); when the incise ends a sentence and both parts
  have ``MIN_WORDS`` words, they are two declarations (two sentences of speech).

Who said it: the first of these that names a person wins; failing that, the first that found a
subject naming nobody; failing that, nobody:
1. an incise inside or between the quote's parts;
2. the incise right after the quote: « … », a déclaré X / a-t-elle écrit / selon X / d'après X.
   In that place any verb counts when its subject follows it (« … », a réagi X, a-t-il raillé,
   s'inquiète-t-elle), and the
   subject may come after adjuncts (a déclaré mardi à l'AFP X), but not a name right after a
   preposition (lors d'un entretien avec Y); a role naming nobody gives the name apposed after
   its complements (a déclaré le vice-gouverneur chargé du tourisme, X; assure le colonel à la
   retraite X; estime l'un des auteurs, le chercheur X);
3. the lead of the sentence: X a déclaré (que) « … », X : « … », Selon X, « … », Pour X, « … »,
   Comme l'a expliqué X, « … »; before a colon, the lead's subject speaks, not a person named
   as its object (X a fait l'éloge de Y : « … » is X's); a gerund speaks for its verb's subject
   (X a ouvert le débat en dénonçant « … »), a verb made speech by its object too (X a rendu
   hommage aux « … »); a thing before an incise is the quote's subject, not its speaker (Les
   sanctions, a martelé l'élue X, « … »);
4. a speech verb later in the same sentence;
5. for a quote standing alone as a sentence with none of these, its neighbours: a declaration
   in the previous sentence whose speech it continues, that sentence's speech verb or closing
   colon, or (same paragraph only) its subject (« X s'est montré offensif. « … » »); else the
   next sentence when it claims the quote (« … » C'est par ces mots que X a …).
   A colon lead without a speech verb gives its subject too (X a été clair : « … »).
Within one article, a quote whose words all recur in a longer quote by the same speaker (a
headline's shortened version) is dropped: one declaration, not two.
Speech verbs are the watch's word patterns, matched on the word's form, not its lemma (so a
pipeline without spaCy's lemmatizer works the same). A negated verb (X n'a jamais dit « … »,
n'a rien dit) names nobody; a lone "ne" is expletive (avant que X ne tranche) and a negated
litotes affirms (n'a pas hésité à parler de « … »). A wire dateline (SÉOUL, 3 mai (AFP) -) or a
live blog's timestamp (14h45 — ) opening a line is no part of its sentence. A body's speech verb
whose object is a written piece gives the piece's author (Le Chosun Ilbo publie une tribune de
son éditorialiste X : « … »); a source phrase after a verb that is no speech verb gives the quote
after it (un entretien qui s'est déroulé, selon l'agence, « … »: the agency's, nobody's).
The speech verb nearest the quote speaks for it, unless its subject is a thing and a speech
verb governs it (X a rétorqué que … et que la coopération relevait « … » is X's); "lui a
répondu X" has X, not the dative "lui", as subject; a relative "qui" speaks for the person just
before it; a body "par la voix de" a person gives that person's words, an institution's colon
comment nobody's.
The subject found is a watch actor's name or short name (``how`` "name"; "X et Y": the first;
a short name counts when the full name was given or an honorific or title word introduces it,
"M. Kim", "le président Kim"), a watch title or a title spelled out from an actor's role ("le
chef du Kremlin", "l'homme fort de Pyongyang"; ``title``), a PER entity outside the watch
(``entity``, full name when it was given earlier, honorific dropped; a surname alone, "M. Kim"
or "M. Namgung", names its latest bearer), or a pronoun (``pronoun``, "a-t-il", "il a",
"selon elle"). A description ("le ministre", "la chercheuse", "son homologue": someone else
than the last speaker) names the person its noun describes, read in that person's apposition
only, and never a watch actor of the other gender; "l'ancien ministre" describes who was one
(a former title of the watch's, "ancien ministre" by the name), "le ministre" who is one.
A pronoun stands for a person named before it, outside quotes, whose gender fits: the last one
that was a subject or a speaker in this sentence or the previous one, else the last one named
(so "X a téléphoné à Y. « … », a-t-il dit" is X's), never a name seen only as a noun's
complement ("le régime de X"), and an earlier sentence's complement only when nobody else fits.
Gender comes from the watch for actors, otherwise the article or honorific before the name,
otherwise spaCy's morphology; a person of unknown gender fits either pronoun. An anonymous
source (« un analyste »), an organisation or a title the watch does not know (« le Premier
ministre japonais ») is a subject too: the declaration is returned with ``speaker`` None
(stored, never alerted), and a later « a-t-il ajouté » refers to it, not to someone named
further back.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from spacy.symbols import NOUN, PROPN
from spacy.tokens import Doc, Span, Token

from vigie.nlp.french import french
from vigie.nlp.model import doc_text
from vigie.nlp.relevance import gazetteer
from vigie.nlp.types import Declaration
from vigie.text import (
    DIALOGUE_DASHES as _DIALOGUE_DASHES,
)
from vigie.text import QuoteSpan, find_quotes, fold, sentence_spans, squash, word_count
from vigie.watch import Actor, Watch, key, pattern_regex, words_regex

MIN_WORDS = 4  # an embedded quote shorter than this is a scare quote, not a declaration
LONG_FRAGMENT = 8  # an embedded quote this long is speech even without a verb
JOINER = " … "  # between the parts of a quote cut by an incise
_INCISE_ENDS = frozenset({",", ".", ";", ":", "!", "?"})
_SENTENCE_ENDS = frozenset({".", ";", "!", "?", "…"})
_INCISE_MAX_TOKENS = 20  # an incise longer than this is running text, not an interruption
_SOURCE_MAX_TOKENS = 6  # "pour reprendre l'expression de"
_TAIL_VERB_WINDOW = 6  # tokens after the comma within which the incise's verb must come
_VERB_GROUP = frozenset({"AUX", "ADV", "PART"})
_GENDERS = {"Masc": "m", "Fem": "f"}
# Words run together by the extraction ("Chirac àJean-Paul", "RPDC.Elle"), not a capital inside
# a capitalised name ("MacAllister", "DeSantis").
_GLUED = re.compile(r"(?<![\w'’-])[a-zà-ÿ]+[A-ZÀ-Þ]|\w{2}[.!?][A-ZÀ-Þ][a-zà-ÿ]")
_WORD_RUN = re.compile(r"\w+")
_WORD_BREAK = re.compile(r"[\s.;:!?]")
# A wire story's dateline before its first sentence: "SÉOUL, 16 novembre (AFP) - ".
_DATELINE = re.compile(
    r"(?:[A-ZÀ-Þ][A-ZÀ-Þ'’ .-]+|[A-ZÀ-Þ][\w'’ .-]{1,30}(?=[^\n]{0,30}\())"
    r"(?:,[^\n()–—]{1,30}?)?(?:\s*\([^()\n]{1,20}\))?\s*[-–—]\s+"
)
# A live blog's timestamp opening an entry: "14h45 — ", "9 h 05 - ", "[10:42] ".
# A noun phrase with its article, after a person's verb: whom or what the verb is about.
_OBJECT_PHRASE = re.compile(r"(?<![\w'])(?:le|la|l'|les|un|une|son|sa|ses|du|au|aux|des)\s*[\w-]+")
# A dialogue's line opening: a dash at the start or after a line's end ("… ? — Trop près.").
_DIALOGUE_LINE = re.compile(r"(?:^|(?<=[.?!…»\n]))\s*[—–]\s+")
_TIMESTAMP = re.compile(r"\[?\d{1,2}\s?[h:]\s?\d{2}\]?\s*(?:[-–—:|]\s+|(?<=\])\s*)")
# Where a name's apposition ends: the next person of a list ("…, et le député …").
_NEXT_PERSON = re.compile(r"[.;]\s|,?\s+et\s+(?:le|la|l['’]|les|un|une)\b")
# Tokens that cannot start a subject noun phrase, and end one.
_NOT_A_SUBJECT = frozenset({"VERB", "AUX", "CCONJ", "SCONJ", "PRON", "ADV", "ADP"})


@cache
def _name_start() -> re.Pattern[str]:
    """A name starts with a capital, after particles ("von der Heyden", "de La Fayette",
    "al-Assad"): data/french.yaml's ``name_prefixes`` and ``name_particles``."""
    fr = french()
    return re.compile(rf"(?:{fr.name_prefixes}|(?:{fr.name_particles})\s)*[A-ZÀ-Þ]")


@dataclass(frozen=True)
class _Mention:
    """A person (or a source naming nobody) mentioned at ``start``..``end`` of the text."""

    start: int
    end: int
    speaker: str | None
    how: str  # name | title | entity | none
    gender: str | None  # "m", "f" or None when unknown
    subject: bool = False  # the grammatical subject of its clause


@dataclass(frozen=True)
class _Attribution:
    mention: _Mention | None  # None: no attribution found at all
    pronoun: bool = False
    written: bool = False  # a piece's author, quoted by someone else: no speaker of the scene


class _Article:
    """One doc's quotes, sentences and mentions, with the watch's words compiled."""

    def __init__(self, doc: Doc, watch: Watch) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.watch = watch
        words = _words(watch)
        self.verbs = words.verbs
        self.prepositions = words.prepositions
        self.pronouns = words.pronouns
        self.anonymous = words.anonymous
        self.pos: list[int] = doc.to_array("POS").tolist()
        self.quotes = find_quotes(self.text)
        self.sentences = [
            (start + _timestamp(self.text, start), end)
            for start, end in sentence_spans(self.text, self.quotes)
        ]
        self.quoted = bytearray(len(self.text))
        for q in self.quotes:
            self.quoted[q.start : q.end] = b"\x01" * (q.end - q.start)
        self.mentions = self._mentions()
        # starts of mentions found speaking → where they last spoke
        self.spoke: dict[int, int] = {}

    def tokens_tagged(self, pos: int) -> list[Token]:
        """The tokens of one part of speech (``spacy.symbols``), in order: picked from an array,
        which spares building a Token for each of the doc's words."""
        return [self.doc[i] for i, tag in enumerate(self.pos) if tag == pos]

    # --- mentions -------------------------------------------------------------------------

    def _mentions(self) -> list[_Mention]:
        found: list[_Mention] = []
        full_names: list[str] = []
        seen_actors: set[str] = set()
        named: list[tuple[Span, Actor | None]] = []
        for ent in self.doc.ents:
            breaks = [t.i - ent.start for t in ent if "\n" in t.text]
            if breaks:  # "… les soldats de Kim¶Grand reporter …": a headline's last word
                if not breaks[0]:
                    continue
                ent = ent[: breaks[0]]
            actor = self._actor(ent.text)
            if actor is None and ent.label_ != "PER":
                opening = self._person_opening(ent)
                if opening is not None:
                    named.append((opening, None))
                continue
            named.append((ent if actor is not None else self._with_hyphened(ent), actor))
        covered = {t.i for ent, _ in named for t in ent}
        for span in [*self._names_after_roles(covered), *self._names_before_roles(covered)]:
            named.append((span, None))
            covered |= {t.i for t in span}
        for token in self.tokens_tagged(PROPN):
            if token.i not in covered:
                actor = self._actor(token.text)
                if actor is not None:
                    named.append((self.doc[token.i : token.i + 1], actor))
        for span, actor in named:
            if actor is not None and key(span.text) not in _short_keys(actor):
                seen_actors.add(actor.name)
        titles = _words(self.watch).titles
        title_mentions = []
        if titles is not None:
            folded = fold(self.text)
            former = _words(self.watch).former
            for match in titles.finditer(folded):
                actor = self.watch.title_index.get(key(match.group(0)))
                if former is not None and former.search(
                    folded, max(0, match.start() - 20), match.start()
                ):
                    continue  # "l'ancien chef de l'État russe": not the holder
                if self.text[match.start() - 1 : match.start()] == "-":
                    continue  # "le vice-ministre russe des Affaires étrangères": not the minister
                if actor is not None:
                    seen_actors.add(actor.name)
                    title_mentions.append(
                        _Mention(
                            match.start(),
                            match.end(),
                            actor.name,
                            "title",
                            actor.gender,
                            self._is_subject(match.start(), match.end()),
                        )
                    )
        words = _words(self.watch)
        for span, actor in sorted(named, key=lambda item: item[0].start_char):
            if actor is not None and key(span.text) in _short_keys(actor):
                longer = self._name_run(span)  # "Kim Yong-bok" is not "Kim"
                if longer is not None:
                    span, actor = longer, None
                else:
                    namesake = _namesake(span.text, found, actor)
                    if namesake is not None:  # "Kim Hyok-chan … a déclaré M. Kim"
                        found.append(
                            replace(
                                namesake,
                                start=span.start_char,
                                end=span.end_char,
                                subject=_subject_span(span),
                            )
                        )
                        continue
            if actor is not None:
                introduced = span[0]._.actor is not None  # "M. Kim": marked by the model
                short = key(span.text) in _short_keys(actor)
                if short and actor.name not in seen_actors and not introduced:
                    continue
                found.append(
                    _Mention(
                        span.start_char,
                        span.end_char,
                        actor.name,
                        "name",
                        actor.gender,
                        _subject_span(span),
                    )
                )
                continue
            text = _person_name(span.text, words.honorifics, words.media, words.person_roles)
            if text is None or self._is_watch_term(span.text) or self._rubric(span):
                continue
            if self._body_name(span) or self._participle_opening(span):
                continue
            if self._place(text):
                continue
            name = _full_name(text, full_names, words.family_first)
            if name == text:
                full_names.append(name)
            start = span.start_char
            if fold(span.text.split()[0]) in words.media:  # the name starts after the platform
                start += span.text.find(text.split()[0])
            found.append(
                _Mention(
                    start,
                    span.end_char,
                    name,
                    "entity",
                    _gender_of(span, words),
                    subject=_subject_span(span),
                )
            )
        # "l'ambassadeur russe à Pyongyang, Oleg Vassilenko": a title whose apposed name is
        # someone outside the watch names that person (a new holder), not the watch's actor
        apposed = {m.start for m in found if m.how == "entity"}
        found.extend(
            m
            for m in title_mentions
            if (after := re.match(r"\s*,\s*", self.text[m.end :])) is None
            or m.end + after.end() not in apposed
        )
        found = self._headline_surnames(self._given_names(found))
        found.extend(self._surnames(found, covered))
        found = self._same_gender(found)
        found.extend(self._anonymous_subjects())
        found.sort(key=lambda m: (m.start, -m.end))
        return found

    def _place(self, name: str) -> bool:
        """ "vers Soumy" after "la région de Soumy": a name the text gives as a place's
        (data/french.yaml's ``place_nouns``) is no person's."""
        pattern = rf"(?<!\w)(?:{french().place_nouns})\s+(?:de\s+|d'){re.escape(fold(name))}(?!\w)"
        return re.search(pattern, fold(self.text)) is not None

    def _body_name(self, span: Span) -> bool:
        """ "l'agence Yonhap", "le collectif Tumen Watch": a name right after a body's noun
        (data/french.yaml's ``institutions``, past its adjectives) is the body's, not a
        person's."""
        doc = self.doc
        for i in range(span.start - 1, max(0, span.start - 3), -1):
            if not doc[i].is_lower:
                return False
            if (  # "le général d'armée Pierre X": a role's complement, not a body
                fold(doc[i].text) in french().institutions
                and (doc[i - 1].pos_ == "DET" or fold(doc[i - 1].text) in ("du", "au"))
            ):
                return True
            if doc[i].pos_ != "ADJ":  # "l'institut coréen Asan"
                return False
        return False

    def _participle_opening(self, span: Span) -> bool:
        """ "Interrogée sur le rôle de …, la cheffe de la diplomatie a jugé": a participle
        opening its sentence before a preposition or a comma, capitalised there, is no name."""
        doc = self.doc
        if (
            len(span) != 1
            or span.start_char != self.sentence_start(span.start_char)
            or span.end >= len(doc)
        ):
            return False
        after = doc[span.end]
        if span.text.endswith(("é", "ée", "és", "ées")):
            return after.pos_ == "ADP" or after.text == ","
        # "Présentant le texte, le vice-ministre …": a present participle and its object
        return span.text.endswith("ant") and after.pos_ in ("DET", "ADP", "PRON")

    def _rubric(self, span: Span) -> bool:
        """ "Budget de la Défense : la Chambre adopte …": words with a complement opening a
        line before a colon that no quote follows are a heading's topic, not a person (a
        speaker's colon, "Poutine : « … »", is followed by the quote)."""
        line = self.text.rfind("\n", 0, span.start_char) + 1
        after = self.text[span.end_char :].lstrip(" \u00a0")
        return (
            not self.text[line : span.start_char].strip()
            and after.startswith(":")
            and not after[1:].lstrip(" \u00a0").startswith(("«", '"', "“"))
            and any(t.lower_ in french().complements for t in span[1:])
        )

    def _with_hyphened(self, ent: Span) -> Span:
        """An entity with the rest of a compound name the recogniser cut at a hyphen:
        "Olena Kravets" + "-Bondar", "Karl-" + "Heinz von der Heyden"; or, for a family name
        written first, at a given name's syllable that is also a French word: "Kang Myong Il"."""
        doc = self.doc
        start = ent.start
        while (
            start >= 2
            and doc[start - 1].text == "-"
            and not doc[start - 1].whitespace_
            and not doc[start - 2].whitespace_
            and _capitalised(doc[start - 2])
        ):
            start -= 2  # "Karl-" before "Heinz von der Heyden"
        end = ent.end
        while (
            end + 1 < len(doc)
            and doc[end].text == "-"
            and not doc[end - 1].whitespace_
            and not doc[end].whitespace_
            and doc[end + 1].text[:1].isalpha()  # "Il-hwan": a Korean given name's second part
        ):
            end += 2
        family_first = _words(self.watch).family_first
        if (  # "Kang Myong" + "Il": a Korean name's third part the recogniser read as a word
            end - start == 2
            and end < len(doc)
            and fold(doc[start].text) in family_first
            and "-" not in doc[start + 1].text  # "Kim Soo-jin" is whole
            and doc[end - 1].whitespace_
            and _capitalised(doc[end])
            and doc[end].text.isalpha()
            and not self.quoted[doc[end].idx]
        ):
            end += 1
        return doc[start:end]

    def _person_opening(self, ent: Span) -> Span | None:
        """ "Olena Kravets-Bondar dirige …": a first name and a compound surname opening a
        sentence as its verb's subject are a person's, though the recogniser read a place."""
        doc = self.doc
        span = self._with_hyphened(ent)
        after = doc[span.end] if span.end < len(doc) else None
        person = (
            ent.label_ in ("LOC", "MISC")
            and len(span) >= 3
            and any(t.text == "-" and not doc[t.i - 1].whitespace_ for t in span[2:])
            and all(_capitalised(t) or t.text == "-" for t in span)
            and span.start_char == self.sentence_start(span.start_char)
            and after is not None
            and after.pos_ == "VERB"
            and "Fin" in after.morph.get("VerbForm")
            and not self._is_watch_term(span.text)
        )
        return span if person else None

    def _same_gender(self, found: list[_Mention]) -> list[_Mention]:
        """One person, one gender: "Mme Dumoulin" says what "Claire Dumoulin" (read as
        masculine by the tagger) is."""
        sure: dict[str, str] = {}
        seen: dict[str, set[str]] = {}
        for m in found:
            first = fold(self.text[m.start : m.end].split()[0]) if m.end > m.start else ""
            if m.speaker and m.gender and first in _words(self.watch).honorifics:
                sure[m.speaker] = m.gender
            span = self.tokens(m.start, m.end) if m.how == "entity" else None
            strong = _gender_of(span, _words(self.watch), weak=False) if span else None
            if m.speaker and strong:
                seen.setdefault(m.speaker, set()).add(strong)
        # "avec Yannick L." (no clue) then "Yannick L., député": the one gender an article, a
        # role or a participle gave anywhere (not the tagger's guess on a name)
        for speaker, genders in seen.items():
            if speaker not in sure and len(genders) == 1:
                sure[speaker] = next(iter(genders))
        # "Lindqvist-Aubert" after "Sofia Lindqvist-Aubert": a surname alone says nothing of
        # the gender its given name told
        full: dict[str, str] = {}
        for m in found:
            if m.how != "entity" or not m.speaker or not m.gender or m.speaker in full:
                continue
            if self.text[m.start : m.end] == m.speaker:
                full[m.speaker] = m.gender
        found = [
            replace(m, gender=full[m.speaker])
            if m.how == "entity"
            and m.speaker in full
            and m.speaker not in sure
            and " " not in self.text[m.start : m.end]
            else m
            for m in found
        ]
        return [
            replace(m, gender=sure[m.speaker]) if m.speaker in sure and m.how == "entity" else m
            for m in found
        ]

    def _name_run(self, span: Span) -> Span | None:
        """The longer name a short actor name starts ("Kim" in "Kim Yong-bok"), if any."""
        doc = self.doc
        end = span.end
        while end < len(doc) and end - span.end < 4:
            token = doc[end]
            glued = token.text == "-" and not doc[end - 1].whitespace_ and end + 1 < len(doc)
            if glued:
                end += 2
            elif _capitalised(token) and token.pos_ == "PROPN" and not self.quoted[token.idx]:
                end += 1
            else:
                break
        if end == span.end or self.watch.resolve_name(doc[span.start : end].text) is not None:
            return None
        return doc[span.start : end]

    def _headline_surnames(self, found: list[_Mention]) -> list[_Mention]:
        """ "Général Coustal : « … »" above "le général Pierre-Henri Coustal": a surname alone
        in the headline names the one person the body gives in full with it."""
        headline = self.text.find("\n")
        if headline < 0:
            return found
        out = list(found)
        for m in found:
            name = m.speaker or ""
            if m.how != "entity" or " " in name or m.start >= headline or not name:
                continue
            full = {
                o.speaker
                for o in found
                if o.how == "entity"
                and o.start > headline
                and fold(o.speaker or "").endswith(" " + fold(name))
            }
            if len(full) == 1:
                person = full.pop()
                out = [replace(o, speaker=person) if o.speaker == name else o for o in out]
        return out

    def _given_names(self, found: list[_Mention]) -> list[_Mention]:
        """ "Olena Savtchouk, 33 ans, …" missed by the recogniser, then "Mme Savtchouk": a
        surname alone names the person written in full before it (a capitalised given name the
        parser reads as a proper noun before the same surname), who is mentioned there too."""
        out = list(found)
        for m in found:
            name = m.speaker or ""
            if m.how != "entity" or not name or " " in name or not name[:1].isupper():
                continue
            full, places = None, []
            for match in re.finditer(
                rf"(?<![\w'’-])([A-ZÀ-Þ][\w-]+) {re.escape(name)}(?![\w-])", self.text
            ):
                span = self.tokens(match.start(1), match.end(1))
                if (
                    span is None
                    or match.start() >= m.start
                    or self.quoted[match.start()]
                    or span[0].pos_ != "PROPN"
                    or fold(span.text) in _words(self.watch).honorifics
                    or any(o.start <= match.start() < o.end for o in found)
                ):
                    continue
                full = full or f"{match.group(1)} {name}"
                if full == f"{match.group(1)} {name}":
                    places.append(match)
            if full is None:
                continue
            out = [replace(o, speaker=full) if o.speaker == name else o for o in out]
            for match in places:
                span = self.tokens(match.start(), match.end())
                out.append(
                    _Mention(
                        match.start(),
                        match.end(),
                        full,
                        "entity",
                        m.gender,
                        subject=span is not None and _subject_span(span),
                    )
                )
        return out

    def _surnames(self, found: list[_Mention], covered: set[int]) -> list[_Mention]:
        """ "Pavel Ivanov … Ivanov estime": a surname alone, missed by the recogniser, names the
        person given in full before it."""
        people = [
            (m, _surnames_of(fold(m.speaker or ""), _words(self.watch).family_first))
            for m in found
            if m.how == "entity" and " " in (m.speaker or "")
        ]
        out: list[_Mention] = []
        if not people:  # no full name to complete: spare the walk over every token
            return out
        for token in self.doc:
            if token.i in covered or not _capitalised(token) or self.quoted[token.idx]:
                continue
            word = fold(token.text)
            same = [m for m, surnames in people if m.end <= token.idx and word in surnames]
            if same and not any(m.start <= token.idx < m.end for m in found):
                last = same[-1]
                subject = token.dep_.startswith("nsubj")
                out.append(
                    _Mention(
                        token.idx,
                        token.idx + len(token),
                        last.speaker,
                        "entity",
                        last.gender,
                        subject,
                    )
                )
        return out

    def _anonymous_subjects(self) -> list[_Mention]:
        """ "Un diplomate européen … se montre prudent. Selon lui, « … »": a source naming
        nobody is a subject a later pronoun can stand for (the quote is then nobody's)."""
        anonymous = _words(self.watch).anonymous
        if anonymous is None:
            return []
        out = []
        for match in anonymous.finditer(fold(self.text)):
            start, end = match.span()
            lead = fold(self.text[self.sentence_start(start) : start]).strip()
            # a sentence's first words, or a source's ("Selon un responsable américain, …")
            opens = start - self.sentence_start(start) < 3 or lead in self.prepositions
            if self.quoted[start] or not (opens or self._is_subject(start, end)):
                continue
            if self._intertitle(start):  # "Une élue venue de la douane": a heading
                continue
            first = match.group(0).split()[0]
            gender = {"un": "m", "une": "f"}.get(first, "p")
            out.append(_Mention(start, end, None, "none", gender, subject=True))
        return out

    def _intertitle(self, pos: int) -> bool:
        """Whether ``pos`` is in a heading inside the body: a short line after the first one
        that ends without punctuation ("Une élue venue de la douane")."""
        line = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        words = self.text[line : end if end >= 0 else len(self.text)].strip()
        return line > 0 and word_count(words) <= 10 and words[-1:].isalnum()

    def _is_watch_term(self, text: str) -> bool:
        """ "Le Rodong Sinmun", "KCNA": a side's place or institution, not a person."""
        folded = fold(text)
        return any(
            m.actor is None and m.end - m.start >= len(folded.strip()) - 4
            for m in gazetteer(self.watch).find(folded)
        )

    def _names_after_roles(self, covered: set[int]) -> list[Span]:
        """ "La députée sud-coréenne Han Mi-rae": capitalised words after a role noun (and its
        adjectives) are a person's name even when the recogniser missed them."""
        roles = _words(self.watch).person_roles
        if roles is None:
            return []
        doc = self.doc
        out = []
        for token in self.tokens_tagged(NOUN):
            if not _is_role(roles, token.text):
                continue
            i = token.i + 1
            while i < len(doc) and i - token.i <= 3 and doc[i].pos_ == "ADJ" and doc[i].is_lower:
                i += 1
            i = _past_complements(doc, i)  # "le vice-ministre de la Défense Ri Chol-ung"
            if not _capitalised(doc[i]):  # "le ministre … de l'Unification, Kang Seok-hoon,"
                comma = next(
                    (k for k in range(i, min(i + 8, len(doc))) if doc[k].text in ",:;."), None
                )
                if comma is not None and doc[comma].text == ",":
                    i = comma + 1
            j = i
            while j < len(doc) and j - i < 6 and j not in covered:
                glued = (  # "Gagnon-Hart", "Min-ho": a hyphen and the part after it
                    j > i
                    and doc[j].text == "-"
                    and not doc[j - 1].whitespace_
                    and j + 1 < len(doc)
                    and doc[j + 1].text[:1].isalpha()
                )
                if glued:
                    j += 2
                elif _capitalised(doc[j]):
                    j += 1
                else:
                    break
            if j - i >= 2 or (j - i == 1 and "-" in doc[i].text):
                span = doc[i:j]
                if not self.quoted[span.start_char] and not self._is_watch_term(span.text):
                    out.append(span)
        return out

    def _names_before_roles(self, covered: set[int]) -> list[Span]:
        """ "Pour Koffi Yao N'Guessan, enseignant-chercheur à …": capitalised words set off
        by a comma before a role noun are a person's name even when the recogniser missed
        them."""
        roles = _words(self.watch).person_roles
        if roles is None:
            return []
        doc = self.doc
        out: list[Span] = []
        for token in self.tokens_tagged(NOUN):
            if token.i < 3 or not _is_role(roles, token.text):
                continue
            comma = token.i - 1 if doc[token.i - 1].text == "," else token.i - 2
            if doc[comma].text != "," or (comma != token.i - 1 and doc[comma + 1].pos_ != "DET"):
                continue
            first = comma
            while first > 0 and first - 1 not in covered and comma - first < 5:
                prev = doc[first - 1]
                glued = prev.text in ("-", "'", "’") and not prev.whitespace_
                if not (glued or (_capitalised(prev) and prev.pos_ not in _NOT_A_SUBJECT)):
                    break
                first -= 1
            if comma - first >= 2 and not any(s.start <= first < s.end for s in out):
                span = doc[first:comma]
                if not self.quoted[span.start_char] and not self._is_watch_term(span.text):
                    out.append(span)
        return out

    def _is_subject(self, start: int, end: int) -> bool:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and _subject_span(span)

    def _actor(self, text: str) -> Actor | None:
        return self.watch.resolve_name(text)

    def add_mention(self, mention: _Mention) -> None:
        """Record a subject found late (an anonymous source) so later pronouns can reach it."""
        if all(m.start != mention.start for m in self.mentions):
            self.mentions.append(mention)
            self.mentions.sort(key=lambda m: (m.start, -m.end))

    def mention_at(self, start: int, end: int) -> _Mention | None:
        """The person mention inside start..end: a name before a title, the first one first."""
        inside = [m for m in self.mentions if m.start >= start and m.end <= end and m.how != "none"]
        for how in ("name", "entity", "title"):
            for m in inside:
                if m.how == how:
                    return m
        return None

    def antecedent(self, pos: int, gender: str | None) -> _Mention | None:
        """Who a pronoun at ``pos`` stands for: among the people named before it (outside
        quotes) whose gender fits, the last one that was a subject or a speaker in this
        sentence or the one before, else the last one named."""
        fits = [
            m
            for m in self.mentions
            if m.end <= pos
            and not self.quoted[m.start]
            and (gender is None or m.gender in (gender, None))
        ]
        if not fits:
            return None
        window = self.sentence_start(pos, back=1)
        # "Olena S. … « … », explique la capitaine. … Ri K., lui a laissé un souvenir. Elle le
        # répète": a woman who spoke just before beats a person of unknown gender; not so for
        # "il" ("Le médiateur, Dmytro L., a rappelé … « … », a-t-il déclaré": Dmytro L.), since
        # the people news names without a clue to their gender are mostly men
        if gender == "f" and any(
            m.gender is None and m.start >= window and m.subject for m in fits
        ):
            near = self.sentence_start(pos, back=3)
            spoke = [m for m in fits if m.gender == gender and self.spoke.get(m.start, -1) >= near]
            if spoke and not any(m.gender == gender and m.start >= window for m in fits):
                return max(spoke, key=lambda m: self.spoke[m.start])
        for m in reversed(fits):
            if m.start < window:
                break
            if m.subject or m.start in self.spoke or self.opens_sentence(m):
                return m
        # "Oleg K., vice-gouverneur … Il dément toute irrégularité. « … », assure-t-il": the
        # same pronoun as a subject just before stands for the same person
        chained = self.subject_pronoun(window, pos, gender)
        if chained is not None:
            return self.antecedent(chained, gender)
        # the person who spoke in this sentence or the one before, however they were named
        recent = [m for m in fits if self.spoke.get(m.start, -1) >= window]
        if recent:
            return max(recent, key=lambda m: self.spoke[m.start])
        if gender == "f":  # a woman who spoke a few sentences before (not for "il": see above)
            near = self.sentence_start(pos, back=3)
            spoke = [m for m in fits if m.gender == gender and self.spoke.get(m.start, -1) >= near]
            if spoke:
                return max(spoke, key=lambda m: self.spoke[m.start])
        # else the last one named, unless only as a complement in a sentence whose subject is
        # a pronoun ("Il a déclaré … au régime de Kim Jong Un": Kim is not "il"); a complement
        # in an earlier sentence yields to the last one named otherwise ("X a présenté un
        # rapport sur les terminaux de Doungan. … « … », a-t-il ajouté": X), but not within the
        # pronoun's own sentence ("la lettre de Kim, dans laquelle il écrivait : « … »")
        last = next(
            (m for m in reversed(fits) if not (self.complement(m) and self.pronoun_led(m))),
            None,
        )
        if last is not None and last.start < self.sentence_start(pos) and self.complement(last):
            return next((m for m in reversed(fits) if not self.complement(m)), last)
        return last

    def opens_sentence(self, m: _Mention) -> bool:
        """Whether a name opens its sentence, its subject whatever the parser read ("Bertrand
        Lescure relit …" parsed as a longer name)."""
        start = self.sentence_start(m.start)
        return m.how in ("name", "entity") and _just_article(self.text[start : m.start])

    def subject_pronoun(self, start: int, end: int, gender: str | None) -> int | None:
        """Where a subject pronoun of ``gender`` stands in start..end, outside quotes."""
        span = self.tokens(start, end)
        for token in span if span is not None else []:
            if (
                token.idx < end
                and not self.quoted[token.idx]
                and token.lower_ in self.pronouns
                and (gender is None or self.pronouns[token.lower_] == gender)
                and token.dep_.startswith(("nsubj", "expl:subj"))
                and token.lower_ not in french().clitics
            ):
                return token.idx
        return None

    def pronoun_led(self, mention: _Mention) -> bool:
        """Whether a subject pronoun comes before ``mention`` in its sentence."""
        start = self.sentence_start(mention.start)
        span = self.tokens(start, mention.start)
        return span is not None and any(self.subject_pronoun_token(t) for t in span)

    def subject_pronoun_token(self, token: Token) -> bool:
        """A pronoun the parser made a subject, but not a dative clitic: in "lui a répondu" or
        "Le député, lui, s'impatiente", "lui" is the verb's object or an emphasis, never the
        person who speaks (a person's pronoun after "selon" is read elsewhere)."""
        return (
            token.lower_ in self.pronouns
            and token.dep_.startswith("nsubj")
            and token.lower_ not in french().clitics
        )

    def complement(self, mention: _Mention) -> bool:
        """Whether a mention is a noun's complement ("le régime de X"), not a possible actor
        ("reçue par X" names an agent)."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            return False
        i = span.start - 1
        while i >= 0 and self.doc[i].pos_ == "DET":
            i -= 1
        return i >= 0 and self.doc[i].lower_ in french().complements

    def sentence_start(self, pos: int, back: int = 0) -> int:
        """Start of the sentence holding ``pos``, or of the ``back``-th one before it."""
        starts = [start for start, _ in self.sentences]
        index = max(0, bisect.bisect_right(starts, pos) - 1 - back)
        return starts[index] if starts else 0

    # --- attribution -----------------------------------------------------------------------

    def source_words(self, tokens: list[Token], n: int) -> int:
        """How many tokens the source phrase at ``tokens[n]`` spans ("d'" "après": 2, "selon
        les mots de": 4), the longest the watch lists."""
        found = 0
        words = ""
        for k in range(n, min(n + _SOURCE_MAX_TOKENS, len(tokens))):
            piece = fold(tokens[k].text)
            words += piece if not words or words.endswith("'") else " " + piece
            if words in self.prepositions or words.replace(" ", "") in self.prepositions:
                found = k - n + 1
        return found

    def is_verb(self, token: Token, inside: bool = False) -> bool:
        """A speech verb outside quotes, by its form (the pipeline may have no lemmatizer);
        an adjective heading its sentence counts too, as spaCy reads "Kim vante" so."""
        if (self.quoted[token.idx] and not inside) or token.pos_ not in ("VERB", "AUX", "ADJ", "X"):
            return False
        after_aux = token.i > 0 and self.doc[token.i - 1].pos_ == "AUX"
        if token.pos_ == "X" and not after_aux:  # "a declare": unaccented copy confuses the tagger
            return False
        word = fold(token.text)
        if token.pos_ == "ADJ" and (
            token.dep_ != "ROOT" or word.endswith(french().adjective_endings)
        ):
            return False
        if self.verbs is not None and self.verbs.fullmatch(word) is not None:
            return True
        return token.pos_ == "VERB" and self.speech_object(token)

    def speech_object(self, verb: Token) -> bool:
        """Whether the verb's object, right after it, makes it speech: "a rendu hommage aux
        « … »", "a fait l'éloge de" (data/french.yaml's ``speech_nouns``)."""
        doc = self.doc
        i = verb.i + 1
        while i < len(doc) and doc[i].pos_ in ("DET", "ADV"):  # "rend aussi hommage"
            i += 1
        return (
            i < len(doc)
            and not self.quoted[doc[i].idx]
            and fold(doc[i].text) in french().speech_nouns
        )

    def verb_form(self, token: Token) -> bool:
        """A speech verb's form whatever its tag ("juge", "estime", "tranche" read as nouns)."""
        if self.quoted[token.idx] or self.verbs is None or not token.text[:1].islower():
            return False
        return self.verbs.fullmatch(fold(token.text)) is not None

    def tokens(self, start: int, end: int) -> Span | None:
        return self.doc.char_span(start, end, alignment_mode="expand") if end > start else None

    def subject_of(self, verb: Token, sentence_start: int) -> _Attribution:
        """Who speaks through ``verb``: clitic pronoun, pronoun, parsed or inverted subject."""
        doc = self.doc
        if _dependent_form(verb) and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
            return self.subject_of(verb.head, sentence_start)
        group_start = self.verb_group_start(verb)
        if self.negated(group_start, verb):
            # "X n'a pas dit « … »": the quote is X's denial's object, not X's words.
            nobody = _Mention(verb.idx, verb.idx + len(verb), None, "none", None)
            return _Attribution(nobody)
        clitic = self.clitic_subject(verb, group_start)
        if clitic is not None:
            return clitic
        before = doc[group_start - 1] if group_start > 0 else None
        if before is not None and before.lower_ in self.pronouns and before.idx >= sentence_start:
            return self._pronoun(before.lower_, before.idx)
        subject = next(
            (
                c
                for c in verb.children
                if c.dep_ in ("nsubj", "nsubj:pass") and c.lower_ not in french().clitics
            ),
            None,
        )  # "lui a répondu X": the dative clitic is no subject, X is
        if (
            subject is not None
            and not self.quoted[subject.idx]
            and subject.idx >= sentence_start
            and self.same_sentence(verb, subject)
        ):
            if subject.lower_ in self.pronouns:
                return self._pronoun(subject.lower_, subject.idx)
            if subject.lower_ == "qui" and verb.dep_ == "acl:relcl":
                # "…, Maria Zakharova, qui a dénoncé « … »": the person just before "qui"
                i = subject.i - 2 if doc[subject.i - 1].text == "," else subject.i - 1
                named = self.person_at(doc[i]) if doc[max(i, 0)].idx >= sentence_start else None
                if named is not None and i >= 0 and not self.quoted[named.start]:
                    return _Attribution(named)
                subject = verb.head
            if subject.i < group_start:
                found = self._mention_around(subject, sentence_start)
                if (found.mention is None or found.mention.speaker is None) and doc[
                    group_start - 1
                ].text == ",":
                    # "Les sanctions, a martelé l'élue X, « … »": a thing before an incise is
                    # the quote's subject; the person after the verb speaks
                    inverted = self.inverted_subject(verb)
                    if inverted.mention is not None and inverted.mention.speaker is not None:
                        return inverted
                if found.mention is None or found.mention.speaker is None:
                    # "L'autre secrétaire de la commission, la députée X, du Parti …, précise":
                    # a subject naming nobody is the role of the name apposed to it
                    edge = subject.right_edge
                    apposed = self.apposed_after(edge.idx + len(edge), group_start)
                    if apposed is not None and not self.quoted[apposed.start]:
                        return _Attribution(apposed)
                if found.mention is None or found.mention.speaker is None:
                    # "Dans une déclaration …, le vice-ministre X a écrit": the parse took the
                    # wrong noun; a name right before the verb is its subject
                    named = self.person_at(doc[group_start - 1]) if group_start > 0 else None
                    if named is None and group_start > 1 and doc[group_start - 1].text == ",":
                        # "Le gouverneur de la région, Alexandre K., a salué": the apposed name
                        named = self.person_at(doc[group_start - 2])
                        before_name = self.text[: named.start].rstrip() if named else ""
                        if named is not None and not before_name.endswith(","):
                            named = None  # "Le ministre, accompagné de X, a dit": no apposition
                    if named is not None and not self.quoted[named.start]:
                        return _Attribution(named)
                return found
            named = self._name_at(subject)
            if named is not None:  # a parsed inverted subject: "a déclaré mardi X"
                return _Attribution(named)
        inverted = (
            before is None
            or before.idx < sentence_start
            or before.is_punct
            or before.lower_ == "comme"  # "Comme l'a expliqué X, …"
            or self.adjunct_after_comma(group_start, verb)
        )
        if inverted:
            found = self.inverted_subject(verb)
            if found.mention is not None:
                return found
        for m in reversed(self.mentions):
            before_verb = sentence_start <= m.start and m.end <= doc[group_start].idx
            if before_verb and not self.quoted[m.start] and m.how != "none":
                if self.complement(m):  # "X, sœur du dirigeant nord-coréen, a écrit"
                    continue
                return _Attribution(m)
        # "Le diplomate, cité cette fois par Ria Novosti, a ajouté": the parse lost the subject
        # behind an incise; the phrase opening the sentence describes someone named before
        opening = self.tokens(sentence_start, doc[group_start].idx)
        if opening is not None and opening.start < group_start:
            found = self.noun_phrase(opening.start, group_start)
            if found.mention is not None and found.mention.speaker is not None:
                return found
        return _Attribution(None)

    def adjunct_after_comma(self, group_start: int, verb: Token) -> bool:
        """ "« … », a d'emblée lancé X": between the comma and the verb, an auxiliary and an
        adjunct (data/french.yaml's ``adjuncts``) the tagger read as other words."""
        doc = self.doc
        k = group_start - 1
        while k > 0 and verb.i - k <= 6 and not doc[k].is_punct:
            k -= 1
        if doc[k].text != ",":
            return False
        words = [t for t in doc[k + 1 : verb.i] if t.pos_ != "AUX" and t.lower_ not in ("a", "ont")]
        if not words:
            return False
        phrase = fold(self.text[words[0].idx : verb.idx])
        found = french().adjunct.match(phrase)
        return found is not None and found.end() == len(phrase)

    def same_sentence(self, verb: Token, subject: Token) -> bool:
        """Whether no sentence end parts a verb from its parsed subject after it: the parser
        may join "…, a lancé l'élu socialiste." to the name opening the next paragraph."""
        return not any(
            t.text in _SENTENCE_ENDS or "\n" in t.text for t in self.doc[verb.i : subject.i]
        )

    def negated(self, group_start: int, verb: Token) -> bool:
        """Whether the verb group is negated: "n'a pas dit", "ne dit jamais". A "ne" alone is
        the expletive of "avant que X ne tranche", not a negation, and a negated litotes ("n'a
        pas hésité à") affirms."""
        if fold(verb.text) in french().litotes:
            return False  # "n'a pas hésité à parler de « … »": he did speak
        start = group_start  # "n'a rien dit": the pronoun of the negation ends the group
        while start > max(0, verb.i - 4) and not self.doc[start - 1].is_punct:
            start -= 1
        window = [t for t in self.doc[start : verb.i + 2] if t._.actor is None]
        words = [fold(t.text).replace("’", "'") for t in window]
        if any(w in ("ne", "n'") for w in words) and any(w in french().negations for w in words):
            return True  # "n'a pas dit", "ne dit jamais"
        return any(
            "Neg" in t.morph.get("Polarity") and t.pos_ in ("ADV", "PART") and w not in ("ne", "n'")
            for t, w in zip(window, words, strict=True)
        )

    def verb_group_start(self, verb: Token) -> int:
        """First token of the verb's group: auxiliaries, adverbs, clitics ("ne l'a pas dit")."""
        doc = self.doc
        start = verb.i
        while (
            start > 0
            and not self.quoted[doc[start - 1].idx]
            and (
                doc[start - 1].pos_ in _VERB_GROUP
                or doc[start - 1].lower_ in french().clitics
                or doc[start - 1].lower_.startswith("-")
            )
        ):
            start -= 1
        return start

    def clitic_subject(self, verb: Token, group_start: int) -> _Attribution | None:
        """ "a-t-il dit", "dit-elle": the pronoun glued to the verb group."""
        doc = self.doc
        after = doc[verb.i + 1 : min(verb.i + 3, len(doc))]
        for token in [*doc[group_start : verb.i], *after]:
            if token.lower_.startswith("-") and token.lower_.lstrip("-t") in self.pronouns:
                return self._pronoun(token.lower_.lstrip("-t"), token.idx)
        return None

    def inverted_subject(
        self, verb: Token, limit: int | None = None, inside: bool = False
    ) -> _Attribution:
        """The subject after the verb, past adjuncts: "a déclaré à l'AFP Dmitri Peskov". A
        name or title right after a preposition is skipped ("lors d'un entretien avec X").
        ``limit``, ``inside``: an incise inside a quote ends there, and its words are quoted."""
        doc = self.doc
        limit = len(doc) if limit is None else limit
        found = self.noun_phrase(verb.i + 1, limit, inside=inside)
        if found.mention is not None:
            return found
        for token in doc[verb.i + 1 : limit]:
            if token.text in _SENTENCE_ENDS or token.text in (":", ";") or "\n" in token.text:
                break
            if self.quoted[token.idx] and not inside:
                break
            named = self.person_at(token)
            if named is None:
                continue
            first = doc.char_span(named.start, named.end, alignment_mode="expand")
            prev = (first.start if first is not None else token.i) - 1
            while prev > verb.i and doc[prev].pos_ == "DET":
                prev -= 1
            if prev > verb.i and (doc[prev].pos_ == "ADP" or self.addressee_role(prev, verb.i)):
                continue
            return _Attribution(named)
        return _Attribution(None)

    def addressee_role(self, i: int, start: int) -> bool:
        """Whether the words ending at token ``i`` are a role after a preposition: "a expliqué
        au député X un responsable" (X is spoken to, not the speaker); not "à la sortie le
        député X", nor a role's complement ("le ministre de l'Unification X")."""
        doc, roles = self.doc, _words(self.watch).person_roles
        while i > start and doc[i].pos_ == "ADJ":
            i -= 1
        if roles is None or doc[i].pos_ != "NOUN" or not _is_role(roles, doc[i].text):
            return False
        i -= 1
        while i > start and doc[i].pos_ in ("DET", "ADJ"):
            i -= 1
        return i > start and doc[i].pos_ == "ADP" and doc[i].lower_ not in french().complements

    def reporting(self, verb: Token, subject: _Mention, s0: int) -> _Attribution | None:
        """The person of a speech verb that governs ``verb`` in the parse, when ``verb``'s own
        subject is a thing, not a person nor a body ("X a rétorqué que la coopération relevait
        « … »"); "X a dit qu'un responsable a affirmé « … »" stays the responsable's."""
        if subject.how != "none" or subject.start in (subject.end, verb.idx):
            return None  # a negated verb names nobody at its own place: "X ne nie pas"
        words = _words(self.watch)
        phrase = fold(self.text[subject.start : subject.end])
        if (
            (words.anonymous is not None and words.anonymous.search(phrase))
            or (words.person_roles is not None and words.person_roles.search(phrase))
            or any(w in french().institutions for w in _WORD_RUN.findall(phrase))
        ):
            return None
        head = verb.head
        while head.i != verb.i and head.idx >= s0:
            if self.is_verb(head):
                found = self.subject_of(head, s0)
                return found if found.mention is not None and found.mention.speaker else None
            verb, head = head, head.head
        return None

    def apposed_after(self, pos: int, limit: int) -> _Mention | None:
        """A name in apposition to the inverted subject ending at ``pos``: past the phrase's
        own complements (a participle, "de" complements, "à la retraite") and at most one
        comma followed by an article, nouns and adjectives ("l'un des auteurs, le chercheur
        suédois Erik X"), or past a place ("l'ambassadeur de Russie à Pyongyang, X"). A name
        after a preposition ("a dit le ministre à son homologue X", "…, reçu par X") or after a
        clause ("…, qui a rencontré X") is not the subject's."""
        doc = self.doc
        span = self.tokens(pos, len(self.text))
        if span is None:
            return None
        fr = french()
        i, comma, after_comma, dative = span.start, False, 0, False
        while i < min(span.start + 14, limit):
            token = doc[i]
            if self.quoted[token.idx] or "\n" in token.text:
                return None
            named = self._name_at(token)
            if named is not None:
                prev = i - 1
                while prev > span.start and doc[prev].pos_ == "DET":
                    prev -= 1
                # "à son homologue X" is spoken to; "le commissaire aux droits humains, X" is
                # the role's own complement, closed by the apposition's comma
                return None if doc[prev].pos_ == "ADP" or (dative and not comma) else named
            # "auprès des Nations unies": the place's article or "de" before its capital
            k = i + 1
            while k < min(i + 3, len(doc)) and (
                doc[k].pos_ == "DET" or fold(doc[k].text) in fr.complements
            ):
                k += 1
            place = (  # "l'ambassadeur de Russie à Pyongyang, X": where the role is held
                not comma
                and token.pos_ in ("ADP", "ADV")  # "auprès" read as an adverb
                and fold(token.text) in fr.place_prepositions
                and k < len(doc)
                and _capitalised(doc[k])
                and self._name_at(doc[k]) is None
            )
            if place:
                i = k + 1
                while (
                    i < len(doc)
                    and (_capitalised(doc[i]) or doc[i].is_lower)
                    and (self._name_at(doc[i]) is None and not doc[i].is_punct)
                ):
                    if doc[i].is_lower and not (
                        doc[i].pos_ in ("ADJ", "NOUN") or "Part" in doc[i].morph.get("VerbForm")
                    ):
                        break
                    i += 1  # "Nations unies"
                continue
            qualifier = None if comma else fr.role_qualifiers.match(fold(self.text[token.idx :]))
            if qualifier:  # "le colonel à la retraite Bernard X"
                end = token.idx + qualifier.end()
                while i < len(doc) and doc[i].idx < end:
                    i += 1
                continue
            if not comma and token.pos_ == "ADP" and fold(token.text) in fr.dative_complements:
                dative = True  # "(le commissaire ukrainien) aux droits humains"
                i += 1
                continue
            if token.text == ",":
                if comma:
                    return None
                comma = True
            elif comma:  # "…, le chercheur suédois X"
                after_comma += 1
                if token.pos_ not in ("DET", "NOUN", "ADJ") or after_comma > 4:
                    return None
            elif not (
                token.pos_ in ("DET", "NOUN", "ADJ")
                or (token.pos_ == "ADP" and token.lower_ in fr.complements)
                or token.ent_type_ in ("ORG", "LOC", "MISC")  # "(rédacteur) du Dong-A Ilbo"
                or (  # "secrétaire général et porte-parole, X": one person's two roles
                    token.lower_ == "et" and i + 1 < len(doc) and doc[i + 1].pos_ == "NOUN"
                )
                or (token.pos_ == "VERB" and "Part" in token.morph.get("VerbForm"))
                or re.fullmatch(fr.number_words, token.lower_)  # "l'un des auteurs"
            ):
                return None
            i += 1
        return None

    def subject_in(self, start: int, end: int) -> _Mention | None:
        """The first person named in start..end as a clause's subject, outside quotes; a name
        opening the sentence is its subject whatever the parser says (French puts it first)."""
        for m in self.mentions:
            if m.start < start or m.end > end or self.quoted[m.start] or m.how == "none":
                continue
            if m.subject or (m.start - start < 4 and _just_article(self.text[start : m.start])):
                return m
        return None

    def person_at(self, token: Token) -> _Mention | None:
        """The name or title mention covering ``token``."""
        for m in self.mentions:
            if m.start <= token.idx < m.end and m.how != "none":
                return m
        return None

    def _mention_around(self, token: Token, sentence_start: int) -> _Attribution:
        """The mention the parsed subject ``token`` heads; a name just before it in apposition
        ("Dmitri Peskov, le porte-parole du Kremlin, a dit") beats a title or nobody."""
        first = token.left_edge.i
        while first < token.i and self.doc[first].idx < sentence_start:
            first += 1  # the parse may run across a line break (a headline above)
        commas = [i for i in range(first, token.i) if self.doc[i].text == ","]
        if commas:  # "Interrogé mardi sur …, le ministre X a déclaré": a fronted adjunct
            first = commas[-1] + 1
        found = self.noun_phrase(first, token.right_edge.i + 1)
        if (
            first >= 2
            and self.doc[first - 1].text == ","
            and (found.mention is None or found.mention.how in ("title", "none"))
        ):
            named = self._name_at(self.doc[first - 2])
            if named is not None and not self.quoted[named.start]:
                return _Attribution(named)
        return found

    def pronoun_at(self, pronoun: str, pos: int) -> _Attribution:
        """A pronoun's person, by the antecedent rule (see ``antecedent``)."""
        return self._pronoun(pronoun, pos)

    def _pronoun(self, pronoun: str, pos: int) -> _Attribution:
        return _Attribution(self.antecedent(pos, self.pronouns[pronoun]), pronoun=True)

    def noun_phrase(self, first: int, limit: int, inside: bool = False) -> _Attribution:
        """The subject noun phrase starting near token ``first`` (inverted subject, "selon X").

        Adverbs and dates before it are skipped; it ends at a punctuation mark (except a comma
        before a name in apposition), a preposition other than "de", a verb or a conjunction. A
        name in it is the speaker unless it is a complement ("un conseiller de Poutine").
        ``inside``: the phrase is an incise inside a quote, whose words are all quoted.
        """
        doc = self.doc
        i = first
        while i < limit and self._name_at(doc[i]) is None:
            adjunct = french().adjunct.match(fold(self.text[doc[i].idx : doc[limit - 1].idx + 1]))
            if adjunct:  # "estime pour sa part X", "rapporte de son côté X"
                end = doc[i].idx + adjunct.end()
                while i < limit and doc[i].idx < end:
                    i += 1
                continue
            if not (
                doc[i].pos_ in ("ADV", "NUM") or doc[i].lower_.startswith("-") or _is_date(doc[i])
            ):
                break
            i += 1
        if i >= limit or doc[i].is_punct or (self.quoted[doc[i].idx] and not inside):
            return _Attribution(None)
        start = i
        named = self._name_at(doc[i])
        if named is not None:
            return _Attribution(named)
        last = self.last_named(i)
        if last is not None:
            return last
        if doc[i].lower_ in self.pronouns:
            return self._pronoun(doc[i].lower_, doc[i].idx)
        if doc[i].pos_ in _NOT_A_SUBJECT:
            return _Attribution(None)
        head = next((t for t in doc[i : min(i + 3, limit)] if t.pos_ == "NOUN"), None)
        if head is not None and fold(head.text) in french().exchange_nouns:
            return _Attribution(None)  # "le dialogue s'engage": an exchange says nothing
        end = i + 1
        while end < limit:
            token = doc[end]
            if self._name_at(token) is not None:  # "Sarah Dewinter": a name read as a verb
                end += 1
                continue
            if token.is_punct:
                if token.text == "," and self._apposed_name(end + 1, limit):
                    end += 1
                    continue
                if token.text == "-" and not doc[end - 1].whitespace_:  # "lieutenant-colonel"
                    end += 1
                    continue
                if token.text == "(":  # "le porte-parole du DFAE (…), Nicolas Ruchti"
                    close = next(
                        (k for k in range(end, min(end + 8, limit)) if doc[k].text == ")"), None
                    )
                    if close is not None:
                        end = close + 1
                        continue
                break
            complement = token.pos_ == "ADP" and token.lower_ in french().complements
            quoted = self.quoted[token.idx] and not inside
            if quoted or (token.pos_ in _NOT_A_SUBJECT and not complement):
                break
            end += 1
        phrase = doc[start:end]
        anonymous = self.anonymous and self.anonymous.match(fold(phrase.text))
        names = self.names_in(phrase.start_char, phrase.end_char)
        if anonymous:  # "une députée de la Douma, Elena X,": only a name in apposition
            names = [m for m in names if "," in self.text[phrase.start_char : m.start]]
        for named in names:
            prev = doc.char_span(named.start, named.end, alignment_mode="expand")
            if (
                prev is not None
                and prev.start > start
                and doc[prev.start - 1].lower_ in french().complements
            ):
                continue
            return _Attribution(named)
        titled = next(
            (
                m
                for m in self.mentions
                if m.how == "title"
                and phrase.start_char <= m.start < phrase.end_char
                and _just_article(self.text[phrase.start_char : m.start])
            ),
            None,
        )
        if titled is not None:
            return _Attribution(titled)
        # "a déclaré le vice-gouverneur chargé du tourisme, Igor X", "selon l'un des auteurs,
        # le chercheur X": a phrase that names nobody is the role of a name apposed after it,
        # before it can describe someone named earlier
        apposed = self.apposed_after(phrase.end_char, limit)
        if apposed is not None:
            return _Attribution(apposed)
        described = None if anonymous else self.described(phrase)
        if described is not None:
            return _Attribution(described)
        gender = _np_gender(phrase, _words(self.watch))
        mention = _Mention(phrase.start_char, phrase.end_char, None, "none", gender)
        self.add_mention(mention)
        return _Attribution(mention)

    def last_named(self, i: int) -> _Attribution | None:
        """ "Ce dernier", "celui-ci" at token ``i``: the person named last before it
        (outside quotes) whose gender fits, not the last subject a pronoun would take ("… a
        déclaré X, en présence de Y. Ce dernier a salué « … »" is Y's)."""
        doc = self.doc
        opening = fold(self.text[doc[i].idx : doc[i].idx + 20])
        gender = next(
            (
                g
                for words, g in ((fold(w), g) for w, g in french().last_named.items())
                if opening.startswith(words) and not opening[len(words) :][:1].isalnum()
            ),
            None,
        )  # "ce dernier", "celui-ci" (one token or three)
        if gender is None:
            return None
        named = next(
            (
                m
                for m in reversed(self.mentions)
                if m.end <= doc[i].idx
                and not self.quoted[m.start]
                and m.how in ("name", "entity", "title")
                and m.gender in (gender, None)
            ),
            None,
        )
        return _Attribution(named, pronoun=True) if named is not None else None

    def _apposed_name(self, i: int, limit: int) -> bool:
        """Whether a name comes right after a comma, past a title ("…, le maréchal No K.")."""
        doc = self.doc
        for k in range(i, min(i + 3, limit)):
            if self._name_at(doc[k]) is not None:
                return True
            if doc[k].pos_ not in ("DET", "NOUN"):
                return False
        return False

    def described(self, phrase: Span) -> _Mention | None:
        """A definite description of someone named before: "le ministre russe" is the last
        Russian actor named whose gender fits; "la chercheuse" the person introduced as one
        ("Hélène Marchetti, chercheuse à …")."""
        if not phrase or fold(phrase[0].text) not in french().describing:
            return None
        roles = _words(self.watch).person_roles
        head = next((t for t in phrase if t.pos_ in ("NOUN", "ADJ")), None)
        gender = _np_gender(phrase, _words(self.watch))
        before = [
            m
            for m in self.mentions
            if m.end <= phrase.start_char
            and not self.quoted[m.start]
            and m.how in ("name", "entity", "title")
            and (gender is None or m.gender in (gender, None))
        ]
        if head is not None and fold(head.text) in _words(self.watch).epithets:
            # "lâche ce fils de diplomate", "le quadragénaire": no role to match
            return self.sole_person(before, phrase.start_char, lambda m: True)
        head = next((t for t in phrase if t.pos_ == "NOUN"), None)
        if head is None or roles is None or not _is_role(roles, head.text):
            return None  # "le ministère russe": an institution, not a person
        folded = fold(phrase.text)
        # "le chef de l'Otan": a body or place of the watch the description names must be in the
        # person's apposition ("le secrétaire général de l'Otan, X"), whoever else was named
        bodies = [
            fold(t.text)
            for t in phrase
            if t.i > head.i and _capitalised(t) and self._is_watch_term(t.text)
        ]
        # "le représentant du Brésil" (not "cette spécialiste de l'Asie", which points back):
        # a place the description names is not the country of someone presented with another
        # ("l'ambassadeur sud-coréen, X"), nor of someone it was never said of
        places = [
            fold(t.text)
            for t in phrase
            if t.i > head.i and _capitalised(t) and t.ent_type_ in ("LOC", "GPE")
        ]
        if fold(phrase[0].text) in french().demonstratives:
            places = []

        def foreign(m: _Mention) -> bool:
            around = fold(self.text[self.apposition(m, phrase.start_char)])
            return any(p not in around for p in places) and self.nationality(self.own_words(m))

        def unplaced(m: _Mention) -> bool:
            around = fold(self.text[self.apposition(m, phrase.start_char)])
            return any(p not in around for p in places)

        third = _words(self.watch).third_parties
        abroad = third is not None and third.search(folded) is not None
        anyone = [
            m
            for m in self.mentions
            if m.end <= phrase.start_char
            and not self.quoted[m.start]
            and m.how in ("name", "entity", "title")
        ]
        before = [m for m in anyone if gender is None or m.gender in (gender, None)]
        sides = _words(self.watch).demonym_sides
        side = next((s for rx, s in sides if rx.search(folded)), None)
        if side is not None:
            role = re.compile(rf"(?<![\w]){re.escape(fold(head.text))}")
            role_kinds = _words(self.watch).role_kinds.get(fold(head.text))
            places = [fold(p) for p in self.watch.sides[side].places]
            of_side = re.compile(
                rf"(?:{'|'.join(rx.pattern for rx, s in sides if s == side)})"
                + "".join(rf"|(?<![\w])(?:de|du|d')\s*{re.escape(p)}(?![\w])" for p in places)
            )
            recent = max(
                self.text.rfind("\n", 0, phrase.start_char) + 1,
                self.sentence_start(phrase.start_char, back=1),
            )
            for m in reversed(before):
                actor = self.watch.resolve_name(m.speaker or "")
                if actor is not None and actor.side == side:
                    return m
                if actor is None and m.how == "entity":
                    # "le diplomate russe" after "l'ambassadeur de Russie à Pyongyang, X"
                    around = fold(self.text[self.apposition(m, phrase.start_char)])
                    named_role = role.search(around) or (
                        role_kinds is not None and role_kinds.search(around)
                    )
                    if named_role and of_side.search(around):
                        return m
                    # "X a rejeté le texte. « … », a lancé le représentant russe": the subject
                    # or speaker just before, whose own words say no other role nor side
                    if (
                        m.start >= recent
                        and (m.subject or m.start in self.spoke)
                        and self.uncontradicted(m, role, role_kinds, side)
                    ):
                        return m
            return None
        noun = re.compile(rf"(?<![\w]){re.escape(fold(head.text))}")
        kinds = _words(self.watch).role_kinds.get(fold(head.text))
        # "l'ancien ministre" describes who was one (a former title of the watch's, or "ancien
        # ministre" by the name), "le ministre" who is one now
        words = _words(self.watch)
        former = words.former
        was = former is not None and bool(
            former.search(fold(self.text[phrase.start_char : head.idx]))
        )
        if was:
            noun = re.compile(rf"{former.pattern.removesuffix('$')}{noun.pattern}")
            kinds = None

        described_as = self.demonyms(folded)

        def other_people(m: _Mention) -> bool:
            """Whether the person was presented as of another people than the description's:
            "le président français" is not the one presented as Ukraine's president."""
            if not described_as:
                return False
            actor = self.watch.resolve_name(m.speaker or "")
            titles = fold(" ".join(actor.titles)) if actor is not None else ""
            theirs = self.demonyms(self.own_words(m) + " " + titles)
            return bool(theirs) and not described_as & theirs

        def fits(m: _Mention) -> bool:
            """The description's own noun near the person (its gender agrees whatever the
            tagger read of the name, but not against the watch's: "le ministre" is not Choe
            Son Hui), or a narrower role of a person whose gender fits."""
            actor = self.watch.resolve_name(m.speaker or "")
            if actor is not None and gender in ("m", "f") and actor.gender not in (gender, None):
                return False
            if foreign(m):
                return False
            if actor is not None and abroad and actor.side in self.watch.sides:
                return False  # "le chef de la diplomatie chinoise" is not Lavrov
            known = ""
            if actor is not None:  # a former title says what the person was, not is
                was_titles = [t for t in actor.titles if _is_former(t, words) == was]
                known = fold(" ".join([*([] if was else [actor.role or ""]), *was_titles]))
            around = self.presented(m, phrase.start_char)
            if any(b not in around and b not in known for b in bodies):
                return False
            if other_people(m):
                return False
            rules = [noun] if m not in before or kinds is None else [noun, kinds]
            return any(rx.search(around) or rx.search(known) for rx in rules)

        plain = re.compile(rf"(?<![\w]){re.escape(fold(head.text))}")
        plain_kinds = _words(self.watch).role_kinds.get(fold(head.text))

        def compatible(m: _Mention) -> bool:
            """Whether every role word around the person is the description's noun or one
            of its narrower roles."""
            around = fold(self.text[self.apposition(m, phrase.start_char)])
            return all(
                plain.search(w) or (plain_kinds is not None and plain_kinds.search(w))
                for w in _WORD_RUN.findall(around)
                if roles is not None and roles.fullmatch(w) and w not in french().head_roles
            )

        if fold(phrase[0].text) in french().possessives and self.spoke:  # "son homologue": another
            last = max(self.spoke, key=self.spoke.__getitem__)
            speaker = next((m.speaker for m in anyone if m.start == last), None)
            anyone = [m for m in anyone if m.speaker != speaker]
            before = [m for m in before if m.speaker != speaker]
        # "le chef d'état-major" after "le chef d'état-major des armées, le général X": the
        # one person presented by the description's own words, whoever spoke since
        spelled = re.sub(r"^\S+\s+|^l'", "", " ".join(folded.split()))
        if len(spelled.split()) >= 2:
            exact = [
                m
                for m in reversed(anyone)
                if fits(m)
                and spelled
                in " ".join(fold(self.text[self.apposition(m, phrase.start_char)]).split())
            ]
            if len({m.speaker for m in exact}) == 1:
                return exact[0]
        recent = self.sentence_start(phrase.start_char, back=1)
        close = [  # the subjects or speakers just before whom the noun fits
            m
            for m in reversed(anyone)
            if m.start >= recent and (m.subject or m.start in self.spoke) and fits(m)
        ]
        if len({m.speaker for m in close}) == 1:
            return close[0]
        if close:  # "le ministre" after "X et son homologue Y ont signé": either
            return None
        fitting = [m for m in reversed(anyone) if fits(m)]
        if len({m.speaker for m in fitting}) == 1:
            return fitting[0]
        if fitting:  # several people fit: the one the description fits best, if any
            return self.best_fit(fitting, noun, was, phrase.start_char)
        if bodies:
            return None
        # "Pour X, enseignant-chercheur, … », analyse l'universitaire": a role the text did
        # not spell out stands for the person named last in its paragraph, or for the last
        # speaker of the paragraph before
        paragraph = self.text.rfind("\n", 0, phrase.start_char) + 1
        previous = self.text.rfind("\n", 0, max(0, paragraph - 2)) + 1
        people = [
            m
            for m in reversed(before)
            if m.how != "title"
            and not (abroad and self.watch.resolve_name(m.speaker or "") is not None)
            and not unplaced(m)
            and not other_people(m)
        ]
        found = next(
            (
                m
                for m in people
                if m.start >= paragraph
                and (m.subject or m.start in self.spoke or self.introduced_as_source(m))
            ),
            None,
        )
        # "Mais c'est une intervention de l'écologiste X qui a fait taire l'hémicycle. « … »,
        # a lancé le député": else someone outside the watch named in the sentence just before,
        # in the same paragraph, whatever their place in it
        just_before = max(paragraph, self.sentence_start(phrase.start_char, back=1))
        return (
            found
            or next(
                (
                    m
                    for m in people
                    if m.start >= just_before
                    and m.how == "entity"
                    and m.start < self.sentence_start(phrase.start_char)
                ),
                None,
            )
            or next((m for m in people if m.start >= previous and m.start in self.spoke), None)
            or self.sole_person(
                [m for m in before if not unplaced(m) and not other_people(m)],
                phrase.start_char,
                compatible,
            )
        )

    def uncontradicted(
        self,
        m: _Mention,
        role: re.Pattern[str],
        kinds: re.Pattern[str] | None,
        side: str,
    ) -> bool:
        """Whether the words that present the person (before the name in its sentence, and
        its apposition after a comma) say no role but the description's noun or a narrower
        one, and no side, third country or its people but ``side``'s: "l'ambassadeur
        sud-coréen, X" is no "représentant russe"."""
        own = self.own_words(m)
        roles = _words(self.watch).person_roles
        for w in _WORD_RUN.findall(own):
            a_role = roles is not None and roles.fullmatch(w) and w not in french().head_roles
            if a_role and not (role.search(w) or (kinds is not None and kinds.search(w))):
                return False
        return not self.nationality(own, but=side)

    def own_words(self, m: _Mention) -> str:
        """The words that present a person, folded: before the name in its sentence, and its
        apposition after a comma ("L'ambassadeur sud-coréen, X, …", "X, député du Minjoo,")."""
        start = self.sentence_start(m.start)
        right = re.match(r"\s*,([^,.;:«»\n]*)", self.text[m.end : m.end + 120])
        return fold(self.text[start : m.start] + " " + (right.group(1) if right else ""))

    def demonyms(self, folded: str) -> set[str]:
        """The peoples folded words name (their demonyms, by stem: "ukrainien" and
        "ukrainienne" are one): the watch's sides and third parties, and data/french.yaml's
        ``demonyms``."""
        words = _words(self.watch)
        found: set[str] = set()
        for rx in [rx for rx, _ in words.demonym_sides] + [words.third_parties, french().demonyms]:
            if rx is not None:
                found |= {match.group(0)[:7] for match in rx.finditer(folded)}
        return found

    def nationality(self, folded: str, but: str | None = None) -> bool:
        """Whether folded words name a side, a third country or their people, other than the
        side ``but``."""
        words = _words(self.watch)
        demonyms = [rx for rx, s in words.demonym_sides if s != but]
        if words.third_parties is not None:
            demonyms.append(words.third_parties)
        if any(rx.search(folded) for rx in demonyms):
            return True
        places = [
            fold(p) for name, s in self.watch.sides.items() if name != but for p in s.places
        ] + [fold(p) for p in self.watch.others.places]
        return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", folded) for p in places)

    def best_fit(
        self, fitting: list[_Mention], noun: re.Pattern[str], was: bool, pos: int
    ) -> _Mention | None:
        """Of several people a description fits, the one it fits best: its own noun ("le
        dirigeant" after "Kim Jong Un, dirigeant de …") beats a narrower role ("le chef de la
        diplomatie" is no "dirigeant"), and a present role beats a past one ("ancien diplomate"
        is no "le diplomate"); among equals, the only one named in this sentence or the one
        before. Otherwise nobody: "le ministre" after two ministers named alike."""
        words = _words(self.watch)
        former = words.former

        def own_noun(m: _Mention) -> bool:
            actor = self.watch.resolve_name(m.speaker or "")
            known = fold(actor.role or "") if actor is not None and not was else ""
            around = fold(self.text[self.apposition(m, pos)])
            for text in (around, known):
                for found in noun.finditer(text):
                    past = former is not None and former.search(text[: found.start()])
                    if was or not past:
                        return True
            return False

        def people(ms: list[_Mention]) -> int:
            # "Général Coustal" (a headline) and "Pierre-Henri Coustal": one person
            return len({fold(m.speaker or "").split()[-1:][0] for m in ms if m.speaker})

        best = [m for m in fitting if own_noun(m)] or fitting
        if people(best) == 1:
            return max(best, key=lambda m: len(m.speaker or ""))
        recent = self.sentence_start(pos, back=1)
        near = [m for m in best if m.start >= recent]
        return near[0] if people(near) == 1 else None

    def sole_person(
        self, before: list[_Mention], pos: int, compatible: Callable[[_Mention], bool]
    ) -> _Mention | None:
        """ "« … », se souvient l'ancien diplomate", "lâche ce fils de marin" far from any name:
        a description no watch actor's role fits stands for the one person outside the watch
        named before it whose gender fits (not a noun's complement: "un portrait de X"), or,
        among several, for the one who spoke last when nobody else of that gender (an anonymous
        source included) was named since. A person given another role ("la journaliste X" is
        no "ministre") is not it."""
        people = [
            m
            for m in before
            if m.how == "entity"
            and self.watch.resolve_name(m.speaker or "") is None
            and not self.complement(m)
        ]
        other = {m.speaker for m in people if not compatible(m)}
        people = [m for m in people if m.speaker not in other]
        if len({m.speaker for m in people}) == 1:
            return people[-1]
        spoke = [(self.spoke[m.start], m) for m in people if m.start in self.spoke]
        if not spoke:
            return None
        when, last = max(spoke, key=lambda item: item[0])
        since = [m for m in people if m.start > when and m.speaker != last.speaker]
        gender = last.gender
        anonymous = [
            m
            for m in self.mentions
            if m.how == "none" and when < m.start < pos and m.gender in (gender, None)
        ]
        return None if since or anonymous else last

    def apposition(self, mention: _Mention, limit: int) -> slice:
        """The words around a name that may describe its person: up to 80 characters either
        side, but not past another person's name or the end of a sentence, nor into the next
        item of a list ("X, chercheuse, et le député Y": "député" is Y's, "chercheuse" X's)."""
        start, end = max(0, mention.start - 80), min(mention.end + 80, limit)
        for m in self.mentions:
            if m.how not in ("name", "entity") or m.speaker == mention.speaker:
                continue
            if start <= m.end <= mention.start:
                start = m.end
            elif mention.end <= m.start < end:
                end = m.start
        other = _NEXT_PERSON.search(self.text, mention.end, end)
        ends = [m.start() for m in _NEXT_PERSON.finditer(self.text, start, mention.start)]
        return slice(ends[-1] if ends else start, other.start() if other else end)

    def presented(self, mention: _Mention, limit: int) -> str:
        """``apposition``'s words, folded, but past the person's own verb only its attributes
        without an article: in "le député X a interpellé le ministre Y", "ministre" is whom X
        spoke to, not what X is ("X a été élu député", "X est ministre" are)."""
        around = self.apposition(mention, limit)
        span = self.tokens(mention.end, around.stop)
        for token in span if span is not None else []:
            if token.idx < mention.end or token.text in _SENTENCE_ENDS:
                continue
            if (
                token.pos_ in ("VERB", "AUX")
                and "Fin" in token.morph.get("VerbForm")
                and not re.fullmatch(french().etre_words, fold(token.text))
            ):
                rest = fold(self.text[token.idx : around.stop])
                rest = _OBJECT_PHRASE.sub(" ", rest)
                return fold(self.text[around.start : token.idx]) + " " + rest
        return fold(self.text[around])

    def introduced_as_source(self, mention: _Mention) -> bool:
        """ "Pour X, …", "Selon X, …": a person the writer gives as a source."""
        lead = fold(self.text[self.sentence_start(mention.start) : mention.start]).strip()
        return lead in self.prepositions  # folded when the watch was compiled

    def names_in(self, start: int, end: int) -> list[_Mention]:
        """Names starting in start..end: a phrase cut inside a name ("Jang Min-ho" at its
        hyphen) still holds it."""
        return [
            m
            for m in self.mentions
            if start <= m.start < end
            and m.how in ("name", "entity")
            and (m.end <= end or not _WORD_BREAK.search(self.text[end : m.end]))
        ]

    def _name_at(self, token: Token) -> _Mention | None:
        for m in self.mentions:
            if m.start <= token.idx < m.end and m.how in ("name", "entity"):
                return m
        return None


@dataclass(frozen=True)
class _Words:
    """The watch's declaration words, compiled once per watch."""

    watch: Watch
    verbs: re.Pattern[str] | None
    prepositions: frozenset[str]
    pronouns: dict[str, str]
    anonymous: re.Pattern[str] | None
    titles: re.Pattern[str] | None
    person_roles: re.Pattern[str] | None
    epithets: frozenset[str]  # "le quadragénaire", "ce fils de marin": a person, no role
    demonym_sides: list[tuple[re.Pattern[str], str]]
    third_parties: re.Pattern[str] | None  # "chinois", "japonais": neither side's
    role_kinds: dict[str, re.Pattern[str]]
    answer_mark: re.Pattern[str] | None
    former: re.Pattern[str] | None
    former_word: re.Pattern[str] | None
    honorifics: dict[str, str]
    media: frozenset[str]
    feminine: tuple[str, ...]
    family_first: frozenset[str]


_WORDS: dict[int, _Words] = {}


def _words(watch: Watch) -> _Words:
    cached = _WORDS.get(id(watch))
    if cached is None or cached.watch is not watch:
        d = watch.declarations
        anonymous = d.anonymous_sources
        titles = list(watch.title_index)
        cached = _Words(
            watch=watch,
            verbs=words_regex(d.attribution_verbs) if d.attribution_verbs else None,
            prepositions=frozenset(fold(p) for p in d.source_prepositions) | french().source_leads,
            pronouns={p.lower(): g for p, g in d.pronouns.items()},
            anonymous=words_regex(anonymous) if anonymous else None,
            titles=words_regex(titles) if titles else None,
            person_roles=re.compile("|".join(pattern_regex(r) for r in d.person_roles))
            if d.person_roles
            else None,
            epithets=frozenset(fold(e) for e in d.person_epithets),
            demonym_sides=[
                (words_regex(side.demonyms), name)
                for name, side in watch.sides.items()
                if side.demonyms
            ],
            third_parties=words_regex(watch.others.demonyms) if watch.others.demonyms else None,
            role_kinds={fold(noun): words_regex(kinds) for noun, kinds in d.role_kinds.items()},
            answer_mark=re.compile(
                r"\s*(?P<name>[^\W\d][\w'’ .-]*?[.:]?\s*)?(?:"
                + "|".join(re.escape(m) for m in sorted(d.answer_marks, key=len, reverse=True))
                + r")\s*$"
            )
            if d.answer_marks
            else None,
            honorifics={fold(h): g for h, g in d.honorifics.items()},
            media=frozenset(fold(m) for m in d.media_names),
            feminine=tuple(fold(e) for e in d.feminine_endings),
            family_first=frozenset(fold(n) for n in d.family_names_first),
            former=re.compile(rf"(?:{words_regex(d.former_words).pattern})[\s-]*$")
            if d.former_words
            else None,
            former_word=words_regex(d.former_words) if d.former_words else None,
        )
        _WORDS[id(watch)] = cached
    return cached


def _timestamp(text: str, start: int) -> int:
    """The length of a live blog's timestamp or a wire's dateline opening a line at ``start``
    ("14h45 — Youri Ouchakov : « … »", "TOKYO - Le porte-parole …"): no part of the first
    sentence, whose subject then opens it."""
    if start and text[start - 1] != "\n":
        return 0
    found = _TIMESTAMP.match(text, start) or _DATELINE.match(text, start)
    return found.end() - start if found else 0


def _past_complements(doc: Doc, i: int) -> int:
    """Where a name may start after a role's complements: "(secrétaire) du Comité central du
    Parti du travail | Ri Il-hwan", "(ministre) de la Défense | Andreï Belooussov". Each
    complement is a preposition, an article, one noun and its adjectives; ``i`` itself when no
    name follows them."""
    j = i
    while j + 1 < len(doc) and fold(doc[j].text) in french().complements:
        k = j + 1
        if doc[k].pos_ == "DET" and k + 1 < len(doc):
            k += 1
        if doc[k].is_punct:
            break
        k += 1
        while k < len(doc) and doc[k].pos_ == "ADJ" and doc[k].is_lower:
            k += 1
        j = k
        if k < len(doc) and _capitalised(doc[k]) and fold(doc[k].text) not in french().complements:
            return k
    return i


def _namesake(short: str, found: list[_Mention], actor: Actor) -> _Mention | None:
    """The person a surname alone stands for when another bearer of it was named more recently
    than the actor: "Kim Hyok-chan a reçu … « … », a déclaré M. Kim" is the vice-minister."""
    word = fold(short.split()[-1])
    for m in reversed(found):
        if m.speaker == actor.name:
            return None
        names = fold(m.speaker or "").split()
        if m.how == "entity" and names and word in (names[0], names[-1]):
            return m
    return None


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and any(c.isalpha() for c in token.text) and not token.is_punct


def _short_keys(actor: Actor) -> set[str]:
    return {key(s) for s in actor.short_names}


def _person_name(
    text: str,
    honorifics: dict[str, str],
    media: frozenset[str],
    roles: re.Pattern[str] | None = None,
) -> str | None:
    """A PER entity's name without "M." or "Mme", a platform the recogniser ran into it ("sur
    Telegram Taras H.") or a capitalised role opening a headline ("Colonel Serhiï L. : « … »");
    None for an acronym ("LPPR"), not a person."""
    words = text.split()
    while len(words) > 1 and (fold(words[0]) in honorifics or fold(words[0]) in media):
        words = words[1:]
    while (
        len(words) > 1
        and roles is not None
        and roles.fullmatch(fold(words[0]))
        and words[0][:1].isupper()
        and words[1][:1].isupper()
    ):  # "Général Coustal : « … »": the surname, which the body's full name completes
        words = words[1:]
    if not _name_start().match(" ".join(words)) or (
        len(words) == 1 and not any(c.islower() for c in text)
    ):  # "de Saint-Phalle-Dumas" after "M.": a particle starts the surname
        return None
    if not any(c.islower() for c in text) and any(fold(w) in french().complements for w in words):
        return None  # "RUSSE DE LA DÉFENSE": a title in capitals, not a name
    if _GLUED.search(text):  # "Chirac àJean-Paul": words run together by the extraction
        return None
    return " ".join(words)


def _surnames_of(name: str, family_first: frozenset[str]) -> set[str]:
    """The words a person's surname alone may be: the last ("Zelensky"), or the first before a
    hyphenated given name ("Namgung" of "Namgung Jae-hoon") or when it is a family name written
    first ("Pak" of "Pak Chol Min"); ``name`` and ``family_first`` are folded."""
    words = name.split()
    if not words:
        return set()
    found = {words[-1]}
    if (len(words) == 2 and "-" in words[1]) or (len(words) <= 3 and words[0] in family_first):
        found.add(words[0])
    return found


def _full_name(text: str, full_names: list[str], family_first: frozenset[str]) -> str:
    """ "Zelensky" after "Volodymyr Zelensky", "Namgung" after "Namgung Jae-hoon", "Pak" after
    "Pak Chol Min" (a Korean surname comes first, before a hyphenated given name or two
    syllables): the name as first given."""
    for name in reversed(full_names):
        if fold(name).endswith(" " + fold(text)):  # "Von der Heyden" opening a sentence
            return name
        rest = name.removeprefix(text + " ")
        if rest == name:
            continue
        if (" " not in rest and "-" in rest) or (
            fold(text) in family_first and rest.count(" ") <= 1
        ):
            return name
    return text


def _gender(token: Token) -> str | None:
    genders = token.morph.get("Gender")
    return _GENDERS.get(genders[0]) if genders else None


def _gender_of(span: Span, words: _Words, weak: bool = True) -> str | None:
    """Gender of a person outside the watch: honorific or article before, the role noun the
    name is in apposition to ("le gouverneur de la région, Viktor S."), then morphology."""
    doc = span.doc
    honorifics, roles, feminine = words.honorifics, words.person_roles, words.feminine
    if fold(span[0].text) in honorifics:
        return honorifics[fold(span[0].text)]
    for i in range(span.start - 1, max(-1, span.start - 5), -1):
        token = doc[i]
        if fold(token.text) in honorifics:
            return honorifics[fold(token.text)]
        if token.pos_ not in ("DET", "NOUN", "ADJ"):
            break
        if token.pos_ == "DET" and _gender(token):
            return _gender(token)
        if (
            token.pos_ == "NOUN"
            and roles is not None
            and _is_role(roles, token.text)
            and fold(token.text).endswith(feminine)
        ):
            return "f"  # "l'eurodéputée lituanienne Rasa Ž.": the role's ending says it
    if roles is not None and span.start > 0 and doc[span.start - 1].text == ",":
        for token in reversed(doc[max(0, span.start - 10) : span.start - 1]):
            if token.text in '.;:«»"' or token.is_quote:
                break
            if token.pos_ == "NOUN" and _is_role(roles, token.text):
                found = _role_gender(token, feminine)
                if found:
                    return found
    if roles is not None and span.end + 1 < len(doc) and doc[span.end].text == ",":
        for token in doc[span.end + 1 : span.end + 5]:  # "Nathalie M., chercheuse associée"
            if token.pos_ == "NOUN" and _is_role(roles, token.text):
                found = _role_gender(token, feminine)
                if found:
                    return found
    k = span.end  # "Ahn Chol-su est aujourd'hui chercheur": the role the name's verb gives it
    if roles is not None and k < len(doc) and re.fullmatch(french().etre_words, fold(doc[k].text)):
        k += 1
        while k < len(doc) and k - span.end <= 3 and doc[k].pos_ == "ADV":
            k += 1
        if k < len(doc) and doc[k].pos_ == "NOUN" and _is_role(roles, doc[k].text):
            found = _role_gender(doc[k], feminine)
            if found:
                return found
    return _participle_gender(span) or (_gender(span[0]) if weak else None)


def _participle_gender(span: Span) -> str | None:
    """A participle in apposition agrees with the name: "Invité à la table ronde, Grégoire V."
    (the participle opening the sentence) or "Grégoire V., associé du cabinet" (right after
    the name's comma); the tagger reads "Grégoire" as feminine."""
    doc = span.doc
    participles = []
    if span.end + 1 < len(doc) and doc[span.end].text == ",":
        participles.append(doc[span.end + 1])
    if span.start >= 2 and doc[span.start - 1].text == ",":
        i = span.start - 2
        while i > 0 and doc[i - 1].text not in _SENTENCE_ENDS and "\n" not in doc[i - 1].text:
            if doc[i].text == ",":
                break  # the comma before the name must close the opening phrase
            i -= 1
        else:
            participles.append(doc[i])
    for token in participles:
        if token.pos_ in ("VERB", "ADJ") and "Part" in token.morph.get("VerbForm"):
            found = _gender(token)
            if found:
                return found
    return None


@lru_cache(maxsize=4096)  # asked for every noun of every article, twice
def _is_role(roles: re.Pattern[str], word: str) -> bool:
    """Whether ``word`` is a role noun, compounds included ("vice-gouverneur")."""
    folded = fold(word)
    return bool(roles.fullmatch(folded) or roles.fullmatch(re.split(r"[\s-]", folded)[-1]))


def _role_gender(token: Token, feminine: tuple[str, ...]) -> str | None:
    """A role noun's gender: its article ("la ministre"), its ending ("ambassadrice",
    "chercheuse", as the watch lists them), then what the tagger read."""
    article = next((c for c in token.children if c.pos_ == "DET" and _gender(c)), None)
    if article is not None:
        return _gender(article)
    if fold(token.text).endswith(feminine):
        return "f"
    return _gender(token)


def _np_gender(phrase: Span, words: _Words | None = None) -> str | None:
    """ "m", "f", or "p" for a plural ("des experts": neither "il" nor "elle"). A role noun
    the same in both genders ("son homologue", "l'analyste") says nothing whatever the tagger
    read; only its article does, or an adjective before it ("l'ancien ministre"), not the
    words of its complement ("l'ancien ministre de la Défense" is no "la")."""
    head = False
    for token in phrase:
        if head and token.pos_ == "ADP":
            break
        if token.pos_ in ("DET", "NOUN") or (token.pos_ == "ADJ" and not head):
            if "Plur" in token.morph.get("Number"):
                return "p"
            if token.pos_ == "NOUN":
                head = True
                if words is not None and _epicene(token.text, words):
                    continue
            if _gender(token):
                return _gender(token)
    return None


def _is_former(title: str, words: _Words) -> bool:
    """Whether a watch title names a function its holder left: "l'ancien président russe"."""
    return words.former_word is not None and words.former_word.search(fold(title)) is not None


def _epicene(word: str, words: _Words) -> bool:
    """A role noun ending in a mute "e" without a feminine ending: "ministre", "diplomate"."""
    folded = fold(word)
    return (
        words.person_roles is not None
        and _is_role(words.person_roles, word)
        and folded.endswith("e")
        and not folded.endswith(words.feminine)
    )


def _subject_span(span: Span) -> bool:
    """Whether a name or title is its clause's subject (or in apposition to it)."""
    for token in span:
        if token.dep_.startswith("nsubj"):
            return True
        if token.dep_ in ("flat:name", "appos") and token.head.dep_.startswith("nsubj"):
            return True
    return False


def _participle_adjunct(verb: Token) -> bool:
    """ "Dans un discours rapporté par KCNA, X a dit : « … »": a participle without auxiliary
    modifying a noun speaks for no one; the main verb does."""
    forms = verb.morph.get("VerbForm")
    has_aux = any(c.dep_.startswith("aux") for c in verb.children)
    if not forms or forms[0] != "Part" or has_aux:
        return False
    if verb.i > 0 and verb.doc[verb.i - 1].lower_ == "en" and "Pres" in verb.morph.get("Tense"):
        return False  # "X a ouvert le débat en dénonçant « … »": a gerund speaks for X
    for token in reversed(verb.doc[max(0, verb.i - 5) : verb.i]):  # "a de son côté assuré"
        if token.is_punct:
            break
        if token.lower_ in french().avoir:
            return False
    if verb.dep_ == "conj" and verb.head.i != verb.i:  # "prononcé … et rapporté par KCNA"
        return _participle_adjunct(verb.head)
    return verb.dep_ in ("acl", "amod", "advcl")


def _dependent_form(verb: Token) -> bool:
    """A participle or infinitive hanging on another verb ("…, précisant que")."""
    forms = verb.morph.get("VerbForm")
    has_subject = any(c.dep_.startswith("nsubj") for c in verb.children)
    if has_subject or not forms:
        return False
    return forms[0] == "Inf" or (forms[0] == "Part" and "Pres" in verb.morph.get("Tense"))


def _is_date(token: Token) -> bool:
    return token.lower_ in french().time_words


def _just_article(text: str) -> bool:
    return fold(text).strip() in ("", "le", "la", "l'", "les")


def _words_of(quote: str) -> set[str]:
    return set(_WORD_RUN.findall(fold(quote)))


def _without_repeats(declarations: list[Declaration]) -> list[Declaration]:
    """Drop a quote whose words all recur in a longer quote of the same speaker in the article:
    a headline's shortened version of the body's quote is one declaration, not two."""
    words = [_words_of(d.quote) for d in declarations]
    kept = []
    for i, d in enumerate(declarations):
        repeat = d.speaker is not None and any(
            j != i
            and other.speaker == d.speaker
            and words[i] <= words[j]
            and (len(words[i]) < len(words[j]) or j < i)
            for j, other in enumerate(declarations)
        )
        if not repeat:
            kept.append(d)
    return kept


def extract_declarations(doc: Doc, watch: Watch) -> list[Declaration]:
    """Every declaration-shaped quote in ``doc`` with its speaker (see the module docstring)."""
    article = _Article(doc, watch)
    if not article.quotes:
        return []
    return _Extractor(article).run()


class _Extractor:
    def __init__(self, article: _Article) -> None:
        self.a = article
        self.text = article.text
        self.by_sentence: dict[int, tuple[Declaration, bool]] = {}
        self.starts = [start for start, _ in article.sentences]

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding offset ``pos`` (quotes never straddle two)."""
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def interviewee(self) -> _Mention | None:
        """The one person the introduction names, before the first question ("Sophie L. est
        chercheuse … Elle répond à nos questions"); None when it names several."""
        first_question = next(
            (end for start, end in self.a.sentences if self.text[start:end].rstrip().endswith("?")),
            None,
        )
        if first_question is None:
            return None
        intro_end = self.text.rfind("\n", 0, first_question) + 1  # the question's paragraph
        named = [
            m
            for m in self.a.mentions
            if m.end <= intro_end and m.how in ("name", "entity", "title") and m.speaker
        ]
        people = {m.speaker for m in named}
        return named[0] if len(people) == 1 else None

    def sole_named(self, end: int) -> _Mention | None:
        """The one person named before ``end`` outside quotes (its last mention); None when
        several are."""
        named = [
            m
            for m in self.a.mentions
            if m.end <= end and m.how in ("name", "entity", "title") and m.speaker
        ]
        named = [m for m in named if not self.a.quoted[m.start]]
        return named[-1] if len({m.speaker for m in named}) == 1 else None

    def answer(self, lead: str) -> _Attribution | None:
        """ "— « … »", "R : « … »", "CLAIRE DUMONT. — « … »": an interview's answer, spoken by
        the person the mark names, else by the interviewee."""
        marks = _words(self.a.watch).answer_mark
        found = marks.fullmatch(lead) if marks is not None and lead.strip() else None
        if found is None:
            return None
        name = (found.group("name") or "").strip(" .:")
        if name:
            named = [m for m in self.a.mentions if m.speaker and fold(m.speaker) == fold(name)]
            if not named:
                return None
            return _Attribution(named[0])
        person = self.interviewee()
        return _Attribution(person) if person is not None else None

    def unmarked_answer(self, paragraph: int, start: int) -> _Attribution | None:
        """A quote in the paragraph right after a question, with nobody named before it ("Pas
        directement. « … »"): an interview's answer without a mark, the interviewee's."""
        above = self.text[:paragraph].rstrip()
        previous = above[above.rfind("\n") + 1 :]
        if not previous.endswith("?") or any(
            paragraph <= m.start < start for m in self.a.mentions if m.how != "none"
        ):
            return None
        person = self.interviewee()
        return _Attribution(person) if person is not None else None

    def run(self) -> list[Declaration]:
        out: list[Declaration] = []
        for group, incise in self.groups():
            out.extend(self.declare(group, incise))
        return _without_repeats(out)

    def groups(self) -> list[tuple[list[QuoteSpan], tuple[int, int] | None]]:
        """Quotes, with the two parts of a quote cut by an incise joined."""
        out: list[tuple[list[QuoteSpan], tuple[int, int] | None]] = []
        quotes = self.a.quotes
        i = 0
        while i < len(quotes):
            group = [quotes[i]]
            incise = None
            while i + 1 < len(quotes) and self.is_incise(quotes[i], quotes[i + 1]):
                incise = incise or (quotes[i].end, quotes[i + 1].start)
                group.append(quotes[i + 1])
                i += 1
            out.append((group, incise))
            i += 1
        return out

    def is_incise(self, left: QuoteSpan, right: QuoteSpan) -> bool:
        """« … », a-t-il ajouté, « … »: a short gap between commas holding a speech verb."""
        gap = self.text[left.end : right.start].strip()
        raw = self.text[left.end : right.start]
        if not gap.startswith(",") or not gap.endswith(",") or "\n" in raw:
            return False
        span = self.a.tokens(left.end, right.start)
        if span is None or len(span) > _INCISE_MAX_TOKENS:
            return False
        return any(self.a.is_verb(t) for t in span) or any(
            t.lower_ in self.a.prepositions for t in span[:3]
        )

    def inner_incise(self, quote: QuoteSpan) -> tuple[list[str], _Attribution, bool] | None:
        """« Absurde, explique X, toxicologue. La suite », « Je suis inquiet, glisse-t-il »,
        « …, a déclaré X. Et que … »: an incise the writer left inside the marks. Its verb
        (after its auxiliary) follows a comma and is a speech verb followed by its subject, or
        any verb followed by "-t-il"/"-elle". Returns the quote's parts without it, its speaker,
        and whether the incise ended a sentence (the parts are then two sentences of speech)."""
        span = self.a.tokens(quote.start + 1, quote.end - 1)
        if span is None:
            return None
        doc = self.a.doc
        for token in span[1:]:
            if doc[token.i - 1].text != ",":
                continue
            nxt = doc[token.i + 1] if token.i + 1 < span.end else None
            if nxt is not None and nxt.lower_ == "-t" and nxt.i + 1 < span.end:
                nxt = doc[nxt.i + 1]
            pronoun = nxt.lower_.lstrip("-t") if nxt is not None else ""
            clitic = nxt is not None and nxt.lower_.startswith("-") and pronoun in self.a.pronouns
            verb = token
            if token.pos_ == "AUX" and nxt is not None and self.a.is_verb(nxt, inside=True):
                verb = nxt  # ", a déclaré X"
            if not clitic and not self.a.is_verb(verb, inside=True):
                continue
            end = self.incise_end(nxt.i if clitic and nxt is not None else verb.i + 1, span.end)
            if clitic and nxt is not None:
                found = self.a.pronoun_at(pronoun, nxt.idx)
            else:  # ", a expliqué à la sortie le député X,": past adjuncts, as outside
                found = self.a.inverted_subject(verb, end, inside=True)
                if found.mention is None:
                    continue
            before = self.text[quote.start + 1 : doc[token.i - 1].idx]
            resume = doc[end].idx + 1 if end < span.end else quote.end - 1
            parts = [squash(before), squash(self.text[resume : quote.end - 1])]
            parts = [p for p in parts if word_count(p)]
            ends_sentence = end < span.end and doc[end].text in _SENTENCE_ENDS
            return parts, found, ends_sentence
        return None

    def incise_end(self, i: int, limit: int) -> int:
        """Where an incise inside a quote ends: its first punctuation mark, or the end of its
        sentence when what follows the comma has no finite verb ("X, toxicologue, ancien de
        l'Anses."). The speaker's appositions and relative clauses between commas belong to
        the incise too: « Ces renforts, a expliqué X, du Parti démocrate, qui siège à la
        commission, sont destinés … » resumes at "sont destinés"."""
        doc = self.a.doc
        while i < limit and doc[i].text not in _INCISE_ENDS:
            i += 1
        if i >= limit or doc[i].text != ",":
            return i
        comma = i
        while True:
            j, finite = comma + 1, False
            relative = j < limit and "Rel" in doc[j].morph.get("PronType")
            while j < limit and doc[j].text not in _SENTENCE_ENDS and doc[j].text != ",":
                finite = finite or "Fin" in doc[j].morph.get("VerbForm")
                j += 1
            if j >= limit or doc[j].text != ",":  # the sentence's last stretch
                return comma if finite and not relative else j
            if finite and not relative:  # the quote goes on here
                return comma
            comma = j  # an apposition or a relative clause: still the speaker's

    def declare(self, group: list[QuoteSpan], incise: tuple[int, int] | None) -> list[Declaration]:
        first, last = group[0], group[-1]
        si, sj = self.sentence_of(first.start), self.sentence_of(last.end - 1)
        s0, s1 = self.a.sentences[si][0], self.a.sentences[sj][1]
        lead = self.text[s0 : first.start]
        dateline = _DATELINE.match(lead)  # "SÉOUL, 16 novembre (AFP) - « … »": no lead
        if dateline:
            lead = lead[dateline.end() :]
        tail = self.text[last.end : s1]
        whole = self.whole_clause(lead, tail)
        texts = [q.text for q in group]
        inner: _Attribution | None = None
        sentences_of_speech: list[str] = []
        for n, quote in enumerate(group):
            found = self.inner_incise(quote)
            if found is not None:
                parts, attribution, ends_sentence = found
                texts[n] = JOINER.join(parts)
                inner = inner or attribution
                if ends_sentence and len(group) == 1:
                    sentences_of_speech = parts
        replies: list[str] | None = None
        if len(group) == 1 and inner is None and "\n" in self.text[first.start : first.end]:
            # a quote carried over paragraphs (« … ¶ « … ») is a paragraph of speech each
            sentences_of_speech = [
                squash(part.strip().lstrip('«“"').rstrip('»”"').strip())
                for part in self.text[first.start + 1 : first.end - 1].split("\n")
            ]
        if len(group) == 1 and inner is None:
            replies = self.dialogue(first)
            if replies == []:
                return []
        paragraph = self.text.rfind("\n", 0, first.start) + 1
        answer = None
        if tail.strip() in ("", "."):  # "NAME. — « … »" may be cut after "NAME."
            answer = (
                self.answer(self.text[paragraph : first.start])
                or self.answer(lead)
                or self.unmarked_answer(paragraph, first.start)
            )
        whole = whole or answer is not None
        words = sum(word_count(t) for t in texts)
        if words < MIN_WORDS or not (whole or self.is_speech(group, words)):
            return []
        attribution = inner or answer or self.attribute(group, incise, s0, s1, lead, whole, si)
        if replies is not None:  # the interviewee, or the one person named before
            person = self.interviewee() or self.sole_named(first.start)
            attribution = _Attribution(person) if person is not None else attribution
        mention = attribution.mention
        if mention is not None and not attribution.written:  # a later "il" is the reader's
            self.a.spoke[mention.start] = first.start
        speaker = mention.speaker if mention is not None else None
        how = "none"
        if speaker is not None and mention is not None:
            how = "pronoun" if attribution.pronoun else mention.how
        # « A, a déclaré X. B » and « A ¶ « B »: two sentences or paragraphs of speech are two
        # declarations, when both are long enough to be one
        quotes = [JOINER.join(texts)]
        if replies is not None:
            quotes = replies
        elif len(sentences_of_speech) > 1 and all(
            word_count(p) >= MIN_WORDS for p in sentences_of_speech
        ):
            quotes = sentences_of_speech
        declarations = [
            Declaration(
                quote=quote,
                evidence=self.text[s0:s1],
                speaker=speaker,
                how=how,
                span=(first.start - s0, last.end - s0),
            )
            for quote in quotes
        ]
        self.by_sentence[sj] = (declarations[-1], whole and mention is not None)
        return declarations

    def dialogue(self, quote: QuoteSpan) -> list[str] | None:
        """« — Vous les avez vus de près ? — Trop près. La première fois, … — Et aujourd'hui ?
        — Aujourd'hui, … »: a dialogue inside one quote, each line opened by a dash (on its own
        line or not). Its questions are the writer's; its replies, those of ``MIN_WORDS``
        words, are returned, each a declaration (None: no dialogue)."""
        content = self.text[quote.start + 1 : quote.end - 1].strip()
        if content[:1] not in _DIALOGUE_DASHES:
            return None
        lines = _DIALOGUE_LINE.split(content)
        if len(lines) < 2:
            return None
        replies = [squash(line.strip(" «»\n")) for line in lines if line.strip()]
        return [r for r in replies if not r.rstrip().endswith("?") and word_count(r) >= MIN_WORDS]

    def is_speech(self, group: list[QuoteSpan], words: int) -> bool:
        """Whether a quote inside a sentence is speech, not a label: it has ``MIN_WORDS`` words
        and a verb, or ``LONG_FRAGMENT`` words."""
        if words >= LONG_FRAGMENT:
            return True
        if words < MIN_WORDS:
            return False
        for quote in group:
            span = self.a.tokens(quote.start + 1, quote.end - 1)
            if span is not None and any(t.pos_ in ("VERB", "AUX") for t in span):
                return True
            # "a jugé que le traité était devenu « le socle de notre sécurité commune »": words
            # in the first person are the speaker's, not the writer's label, unless they are
            # a qualifier's complement ("a qualifié le traité de « pilier de notre sécurité »")
            lead = self.text[max(0, quote.start - 4) : quote.start].split()
            label = bool(lead) and fold(lead[-1]) in french().complements
            if (
                span is not None
                and not label
                and any(fold(t.text) in french().first_person for t in span)
            ):
                return True
        return False

    def whole_clause(self, lead: str, tail: str) -> bool:
        lead = lead.strip()
        opens = not lead or lead.endswith(":") or bool(self.lead_source(lead))
        tail = tail.strip()
        closes = not tail or tail[0] in ",.;!?…)" or tail[0] in '»”"'
        return opens and (closes or lead.endswith(":"))

    def lead_source(self, lead: str) -> bool:
        """Whether the lead is only "Selon X," / "D'après X," / "Pour X,"."""
        folded = fold(lead)
        return lead.endswith(",") and any(
            folded.startswith(fold(p) + ("" if p.endswith("'") else " "))
            for p in self.a.prepositions
        )

    def attribute(
        self,
        group: list[QuoteSpan],
        incise: tuple[int, int] | None,
        s0: int,
        s1: int,
        lead: str,
        whole: bool,
        si: int,
    ) -> _Attribution:
        first, last = group[0], group[-1]
        going_on = self.narrative(lead, si)
        if going_on is not None:
            return going_on
        searches = [
            lambda: self.after(incise[0], incise[1], s0) if incise else _Attribution(None),
            lambda: self.after(last.end, s1, s0),
            lambda: self.before(s0, first.start, lead),
            lambda: self.later(last.end, s1, s0),
        ]
        nobody: _Attribution | None = None
        for search in searches:
            attribution = search()
            if attribution.mention is not None and attribution.mention.speaker is not None:
                return attribution
            if attribution.mention is not None and nobody is None:
                nobody = attribution
        if nobody is not None:
            return nobody
        tail = self.a.tokens(last.end, s1)
        if not whole or (
            tail is not None
            and any(t.is_alpha for t in tail)
            and not any(
                t.pos_ in ("VERB", "AUX") or t.lower_.startswith("-") or self.a.verb_form(t)
                for t in tail
            )
        ):  # « … », jeudi à 20 h 55: words after the quote that are no incise
            return _Attribution(None)
        found = self.previous(si) if si > 0 else _Attribution(None)
        if found.mention is None:
            found = self.following(self.sentence_of(last.end - 1))
        rest = self.text[last.end : s1].lstrip()
        if found.mention is None and last.text.endswith((".", "!", "?")) and rest[:1].isupper():
            # "« … militaire. » Le porte-parole …, X, a livré ce chiffre": a sentence of its own
            found = self.next_subject(si, (s1 - len(rest), s1))
        return found

    def narrative(self, lead: str, si: int) -> _Attribution | None:
        """ "Et d'ajouter : « … »": a narrative infinitive of speech goes on with the words of
        the person who spoke in the sentence before."""
        found = french().narrative_infinitives.fullmatch(fold(lead))
        verbs = self.a.verbs
        if found is None or verbs is None or not verbs.fullmatch(found.group("verb")):
            return None
        held = self.by_sentence.get(si - 1)
        if held is None or held[0].speaker is None:
            return None
        return _Attribution(self.held_mention(held[0], self.a.sentences[si - 1][0]), pronoun=True)

    def held_mention(self, said: Declaration, p0: int) -> _Mention:
        """The person of a declaration in the sentence at ``p0``: their last mention before it
        (so a later pronoun finds who spoke), else a mention of no place."""
        named = [
            m
            for m in self.a.mentions
            if m.speaker == said.speaker and m.end <= p0 and not self.a.quoted[m.start]
        ]
        return named[-1] if named else _Mention(p0, p0, said.speaker, said.how, None)

    def after(self, start: int, end: int, s0: int) -> _Attribution:
        """The incise right after a quote: « … », a déclaré X / a-t-il dit / selon X."""
        if not self.text[start:end].lstrip().startswith(","):
            return _Attribution(None)
        span = self.a.tokens(start, end)
        if span is None:
            return _Attribution(None)
        tokens = list(span)
        for n, token in enumerate(tokens):
            if n > _TAIL_VERB_WINDOW or self.a.quoted[token.idx]:
                break
            skip = self.a.source_words(tokens, n)
            if skip:
                return self.a.noun_phrase(token.i + skip, span.end)
            if self.a.is_verb(token):
                if self.inverted_infinitive(tokens, n):
                    return self.a.inverted_subject(token)
                return self.a.subject_of(token, s0)
            pronoun = token.lower_.lstrip("-t")
            if n <= 3 and token.lower_.startswith("-") and pronoun in self.a.pronouns:
                return self.a.pronoun_at(pronoun, token.idx)  # « … », a-t-il raillé: any verb
            # the first word after the comma, past a clitic ("s'inquiète-t-elle")
            first = n <= 1 or (n == 2 and tokens[1].lower_ in french().clitics)
            if first and self.a.verb_form(token):  # « … », juge X: the tagger read a noun
                # « … », raconte-t-il: the pronoun glued to it is its subject
                clitic = self.a.clitic_subject(token, self.a.verb_group_start(token))
                return clitic or self.a.inverted_subject(token)
            # « … », a réagi X / sourit-elle / attaque d'emblée le général: any verb, if
            # inverted (a word right after the comma may be read as a noun)
            misread = first and token.is_lower and token.pos_ in ("NOUN", "ADJ")
            if token.pos_ == "VERB" or misread:
                group_start = self.a.verb_group_start(token)
                found = self.a.clitic_subject(token, group_start) or self.a.inverted_subject(token)
                if token.pos_ != "VERB" and (found.mention is None or not found.mention.speaker):
                    return _Attribution(None)  # « … », précision importante: no incise
                return found if found.mention is not None else _Attribution(None)
        return _Attribution(None)

    def inverted_infinitive(self, tokens: list[Token], n: int) -> bool:
        """ "« … », s'est borné à déclarer X", "a tenu à préciser X": a speech verb in the
        infinitive after a verb group opening the incise, whose subject comes after it."""
        verb = tokens[n]
        if "Inf" not in verb.morph.get("VerbForm") or n < 3:
            return False
        if fold(tokens[n - 1].text) not in ("a", "de", "d'"):
            return False
        group = tokens[1 : n - 1]
        return any(t.pos_ in ("AUX", "VERB") for t in group) and all(
            t.pos_ in ("AUX", "VERB", "ADJ", "ADV") or t.lower_ in french().clitics for t in group
        )

    def before(self, s0: int, start: int, lead: str) -> _Attribution:
        """The lead: X a déclaré (que) « … », X : « … », Selon X, « … »."""
        span = self.a.tokens(s0, start)
        if span is None:
            return _Attribution(None)
        tokens = [t for t in span if not self.a.quoted[t.idx] and t.idx < start]
        if french().possessive_sources.match(fold(lead)):
            # "À ses yeux, X « … »": the person "ses" stands for, whatever X is
            return _Attribution(self.a.antecedent(s0, None), pronoun=True)
        # the speech verb nearest the quote speaks for it ("…, lui répond la chercheuse, avant
        # que X ne tranche : « … »" is X's); "Ivanov juge que …": a present tense read as a noun
        # counts when the name stands just before it
        for n in range(len(tokens) - 1, -1, -1):
            token = tokens[n]
            skip = self.a.source_words(tokens, n)
            if skip and token.lower_ != "pour" and self.source_of_clause(tokens, n):
                # "… a déclaré X, au cours d'un entretien qui s'est déroulé, selon l'agence,
                # « … »": the source nearest the quote gives it, when it opens its own clause
                return self.a.noun_phrase(token.i + skip, span.end)
            if self.a.is_verb(token) and not _participle_adjunct(token):
                found = self.a.subject_of(token, s0)
                if found.mention is not None and found.mention.speaker is None:
                    # "X a rétorqué que … et que la coopération relevait « … »": a thing's verb
                    # inside what a speech verb reports is X's speech going on
                    outer = self.a.reporting(token, found.mention, s0)
                    if outer is not None:
                        return outer
                    # "Le Kremlin, par la voix de son porte-parole X, a assuré": X speaks
                    return self.voice(tokens, span.end) or self.author(token, tokens) or found
                return found
            named = self.named_before(token, span) if self.a.verb_form(token) else None
            if named is not None:
                return _Attribution(named)
            if self.a.verb_form(token) and self.introduces(token, tokens):
                # "Au Japon, le chroniqueur du Nikkei, X, cité par Kyodo, juge que « … »": the
                # phrase opening the lead, past a fronted adjunct, is the subject
                found = self.opening_subject(tokens, token.i)
                if found is not None:
                    return found
        for n, token in enumerate(tokens):
            skip = self.a.source_words(tokens, n)
            if skip and (n == 0 or skip > 1 or token.lower_ != "pour"):
                return self.a.noun_phrase(token.i + skip, span.end)
        if lead.rstrip().endswith(":") and tokens:
            colon = max(i for i, t in enumerate(tokens) if t.text == ":")
            written = self.piece_author(tokens[:colon])
            if written is not None:
                return written
            # "X a été clair lors de la réunion : « … »", "X a fait l'éloge de Y : « … »": the
            # lead's subject speaks, not a person named as its object
            named = self.a.subject_in(s0, tokens[colon].idx)
            if named is None:
                named = self.a.mention_at(tokens[max(0, colon - 6)].idx, tokens[colon].idx)
            if named is not None:
                return _Attribution(named)
            for token in tokens[:colon]:  # "il a eu cette phrase : « … »"
                if self.a.subject_pronoun_token(token):
                    return self.a.pronoun_at(token.lower_, token.idx)
            # "La chercheuse est formelle : « … »": a description opening the lead, past a
            # fronted adjunct ("À Séoul, le rédacteur en chef du Dong-A Ilbo, X, signe …")
            found = self.a.noun_phrase(tokens[0].i, tokens[colon].i)
            if found.mention is not None and found.mention.speaker is not None:
                return found
            opening = self.opening_subject(tokens[:colon], tokens[colon].i)
            if opening is not None:
                return opening
            # "L'ambassade de Russie a relayé … avec ce commentaire : « … »": an institution
            # speaks, nobody the policy counts (not the person quoted just before)
            head = next((t for t in tokens[:colon] if t.pos_ in ("NOUN", "PROPN")), None)
            if found.mention is not None and head and fold(head.text) in french().institutions:
                return found
        return _Attribution(None)

    def introduces(self, verb: Token, tokens: list[Token]) -> bool:
        """Whether a speech verb's form read as a noun is followed by what it reports: "que",
        a colon or the quote itself, within a few words ("juge au contraire que")."""
        after = [t for t in tokens if t.i > verb.i][:4]
        return not after or any(fold(t.text) in ("que", "qu'", ":") for t in after)

    def opening_subject(self, tokens: list[Token], limit: int) -> _Attribution | None:
        """The person the lead's opening noun phrase names, whether it starts the sentence or
        follows a fronted adjunct without a verb ("Au Japon, …", "Côté ukrainien, …")."""
        starts = [0]
        comma = next((k for k, t in enumerate(tokens) if t.text == ","), None)
        if comma is not None and not any(t.pos_ in ("VERB", "AUX") for t in tokens[:comma]):
            starts.append(comma + 1)
        roles = _words(self.a.watch).person_roles
        for k in starts:
            if k >= len(tokens) or tokens[k].i >= limit:
                continue
            found = self.a.noun_phrase(tokens[k].i, limit)
            mention = found.mention
            if mention is None or mention.speaker is None:
                continue
            # a person's role heads the phrase ("le chroniqueur du Nikkei, X"), or the name
            # opens it; not a paper's name ("Le quotidien suisse Le Temps")
            head = next((t for t in tokens[k:] if t.pos_ == "NOUN" and t.idx < mention.start), None)
            if head is None or (roles is not None and _is_role(roles, head.text)):
                return found
        return None

    def source_of_clause(self, tokens: list[Token], n: int) -> bool:
        """Whether the source phrase at ``tokens[n]`` follows a verb that is no speech verb
        ("un entretien qui s'est déroulé, selon l'agence, « … »"); after a speech verb ("X a
        déclaré, selon KCNA, « … »") or with no verb before it, the usual rules decide."""
        verb = next(
            (t for t in reversed(tokens[:n]) if t.pos_ in ("VERB", "AUX") or self.a.is_verb(t)),
            None,
        )
        return verb is not None and not self.a.is_verb(verb) and verb.pos_ == "VERB"

    def author(self, verb: Token, tokens: list[Token]) -> _Attribution | None:
        """ "Le Chosun Ilbo publie une tribune de son éditorialiste en chef, X : « … »": the
        person a written piece (data/french.yaml's ``writing_nouns``), object of a speech verb
        whose subject names nobody, is by ("de X", "de son chroniqueur X"); not a person the
        piece is about ("un article sur X")."""
        after = [t for t in tokens if t.i > verb.i]
        noun = next((t for t in after[:4] if fold(t.text) in french().writing_nouns), None)
        if noun is None:
            return None
        named = next(
            (
                m
                for m in self.a.mentions
                if noun.idx < m.start
                and m.end <= after[-1].idx + len(after[-1])
                and m.how in ("name", "entity")
                and not self.a.quoted[m.start]
            ),
            None,
        )
        if named is None:
            return None
        span = self.a.tokens(noun.idx + len(noun), named.start)
        heads = [t for t in span or [] if t.pos_ == "ADP"]
        if not heads or fold(heads[0].text) not in french().complements:
            return None  # "une tribune sur X", "un message à X": not the author
        return _Attribution(named)

    def piece_author(self, tokens: list[Token]) -> _Attribution | None:
        """ "X relit la lettre envoyée par Kim Jong Un au président russe : « … »": a colon
        lead naming a written piece (data/french.yaml's ``writing_nouns``) and its author, by
        "de" or "par", gives the quote to the author, not to who reads it out."""
        noun = next((t for t in tokens if fold(t.text) in french().writing_nouns), None)
        if noun is None:
            return None
        doc = self.a.doc
        for m in self.a.mentions:
            if m.start <= noun.idx or m.start >= tokens[-1].idx + len(tokens[-1]):
                continue
            if m.how not in ("name", "entity", "title") or self.a.quoted[m.start]:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            i = (span.start if span is not None else 0) - 1
            while i > noun.i and doc[i].pos_ == "DET":
                i -= 1
            if i > noun.i and fold(doc[i].text) in ("par", "de", "d'"):
                return _Attribution(m, written=True)
        return None

    def voice(self, tokens: list[Token], limit: int) -> _Attribution | None:
        """A person a body speaks through, by a source phrase of several words in the lead
        ("par la voix de X"), if any."""
        for n, token in enumerate(tokens):
            if self.a.source_words(tokens, n) > 1:
                found = self.a.noun_phrase(token.i + self.a.source_words(tokens, n), limit)
                if found.mention is not None and found.mention.speaker is not None:
                    return found
        return None

    def named_before(self, verb: Token, span: Span) -> _Mention | None:
        """The name just before a verb's form, past an expletive "ne": "X ne tranche"."""
        doc = self.a.doc
        i = verb.i - 1
        while i > span.start and fold(doc[i].text) in ("ne", "n'"):
            i -= 1
        if i > span.start and doc[i].text == ",":  # "…, le chroniqueur X, juge que"
            i -= 1
        if i < span.start:
            return None
        named = self.a.person_at(doc[i])
        if named is not None and named.start >= span.start_char:
            return named
        return None

    def later(self, start: int, end: int, s0: int) -> _Attribution:
        """A speech verb further in the sentence: « A » entre les deux pays « B », a écrit X."""
        span = self.a.tokens(start, end)
        if span is None:
            return _Attribution(None)
        for token in span:
            if self.a.is_verb(token):
                return self.a.subject_of(token, s0)
        return _Attribution(None)

    def previous(self, si: int) -> _Attribution:
        """A lone quote sentence: the speaker introduced by, or speaking in, the sentence before."""
        p0, p1 = self.a.sentences[si - 1]
        held = self.by_sentence.get(si - 1)
        if held is not None and held[1]:
            said = held[0]
            return _Attribution(self.held_mention(said, p0), pronoun=said.how == "pronoun")
        span = self.a.tokens(p0, p1)
        if span is None:
            return _Attribution(None)
        for token in reversed(span):
            if self.a.is_verb(token):
                found = self.a.subject_of(token, p0)
                if found.mention is not None and found.mention.speaker is not None:
                    return found
                break
        if self.text[p0:p1].rstrip().endswith(":"):
            named = self.a.mention_at(p0, p1)
            if named is not None:
                return _Attribution(named)
            for token in span:  # "il a tenu à adresser un message :" then the quote
                if self.a.subject_pronoun_token(token):
                    return self.a.pronoun_at(token.lower_, token.idx)
        quote_start = self.a.sentences[si][0]
        if (
            "\n" not in self.text[p1:quote_start]
        ):  # same paragraph: "X s'est montré offensif. « … »"
            subject = self.a.subject_in(p0, p1)
            if subject is not None:
                return _Attribution(subject)
        return _Attribution(None)

    def next_subject(self, sj: int, after: tuple[int, int] | None = None) -> _Attribution:
        """ "« … » Le député savoure le renversement", "« … » Notre interlocuteur dit …": a
        quote opening its paragraph with nobody named before it there is the words of the
        person the next sentence of that paragraph opens on, by name or description.
        ``after``: that sentence's bounds when the splitter left it in the quote's."""
        q0 = self.a.sentences[sj][0]
        n0, n1 = after or self.a.sentences[sj + 1]
        paragraph = self.text.rfind("\n", 0, q0) + 1
        if self.text[paragraph:q0].strip() or "\n" in self.text[q0:n0]:
            return _Attribution(None)
        span = self.a.tokens(n0, n1)
        if span is None or len(span) < 3:
            return _Attribution(None)
        first = span[0]
        if self.a.person_at(first) is None:
            describing = fold(first.text) in french().describing
            noun = next((t for t in span[1:3] if t.pos_ == "NOUN"), None)
            words = _words(self.a.watch)
            rest = fold(self.text[first.idx + len(first) : n1]).lstrip(" '")
            person = (noun is not None and fold(noun.text) in words.epithets) or (
                words.person_roles is not None
                and (found := words.person_roles.match(rest)) is not None
                and not rest[found.end() : found.end() + 1].isalnum()
            )  # "Le porte-parole du ministère, X, a livré ce chiffre"
            if not (describing and person):
                return _Attribution(None)
        found = self.a.noun_phrase(first.i, span.end)  # the phrase opening the sentence
        mention = found.mention
        return found if mention is not None and mention.speaker is not None else _Attribution(None)

    def following(self, sj: int) -> _Attribution:
        """A lone quote sentence claimed by the next one: "C'est par ces mots que X a …"."""
        if sj + 1 >= len(self.a.sentences):
            return _Attribution(None)
        n0, n1 = self.a.sentences[sj + 1]
        if not french().claiming.match(fold(self.text[n0:n1])):
            return self.next_subject(sj)
        span = self.a.tokens(n0, n1)
        for token in span if span is not None else []:
            named = self.a.person_at(token)
            if named is not None and token.i > 0 and self.a.doc[token.i - 1].pos_ != "ADP":
                return _Attribution(named)
        return _Attribution(None)
