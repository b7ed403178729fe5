"""The analyser end to end: gate, then events, figures and declarations, spaCy loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from vigie.nlp.analyse import Analyser
from vigie.nlp.model import mark_actors, parse
from vigie.watch import Watch

FIXTURES = Path(__file__).parents[1] / "fixtures" / "nlp"


def read(name: str) -> tuple[str, str]:
    title, _, text = (FIXTURES / name).read_text(encoding="utf-8").partition("\n\n")
    return title.strip(), text


def test_gate_needs_no_model(watch: Watch) -> None:
    analyser = Analyser(watch)
    assert analyser.gate(*read("irrelevant_missile_test.txt")) == (
        False,
        "un seul côté nommé (Corée du Nord)",
    )


def test_irrelevant_article_is_not_analysed(watch: Watch) -> None:
    result = Analyser(watch).analyse(*read("irrelevant_missile_test.txt"))
    assert not result.relevant
    assert (result.events, result.figures, result.declarations) == ([], [], [])


def test_relevant_article(watch: Watch, nlp_model: Language) -> None:
    result = Analyser(watch).analyse(*read("troops_update.txt"))
    assert result.relevant
    assert result.reason
    assert "troop_deployment" in result.events
    assert "casualties" in result.events
    found = {(f.value, f.measure) for f in result.figures}
    assert found == {(4000.0, "troops_sent"), (11000.0, "troops_sent"), (600.0, "killed")}
    new = next(f for f in result.figures if f.value == 4000)
    assert new.additional
    assert new.qualifier == "au moins"
    assert new.claimed_by == "l'état-major sud-coréen"
    assert new.period == "en mars et avril"
    assert isinstance(result.declarations, list)


def test_title_figure_repeated_in_text_counts_once(watch: Watch, nlp_model: Language) -> None:
    result = Analyser(watch).analyse(*read("troops_update.txt"))
    fours = [f for f in result.figures if f.value == 4000]
    assert len(fours) == 1
    assert fours[0].evidence.startswith("La Corée du Nord a envoyé au moins 4 000")


def test_title_of_two_sentences_gives_way_to_the_body(watch: Watch, nlp_model: Language) -> None:
    """A title read as two sentences ("DIRECT. Guerre …") is still the title: the body's sentence
    is the better evidence of the same figure."""
    title = "DIRECT. Guerre en Ukraine : sept soldats nord-coréens détenus par Kiev"
    text = (
        "L'Ukraine détient désormais sept soldats nord-coréens faits prisonniers dans la région "
        "de Koursk, en Russie, a annoncé le médiateur ukrainien.\n"
    )
    sevens = [f for f in Analyser(watch).analyse(title, text).figures if f.value == 7]
    assert len(sevens) == 1
    assert sevens[0].evidence.startswith("L'Ukraine détient")


def test_focus_limits_figures_not_relevance(watch: Watch, nlp_model: Language) -> None:
    title, text = read("troops_update.txt")
    focus = [
        "Selon Kiev, 600 soldats nord-coréens ont été tués dans la région russe de Koursk depuis janvier."
    ]
    result = Analyser(watch).analyse(title, text, focus=focus)
    assert result.relevant
    assert [(f.value, f.measure) for f in result.figures] == [(600.0, "killed")]


def test_analyse_many_keeps_order(watch: Watch, nlp_model: Language) -> None:
    items = [read("irrelevant_missile_test.txt"), read("troops_update.txt"), ("Météo", "Il pleut.")]
    results = list(Analyser(watch).analyse_many(items, batch_size=2))
    assert [r.relevant for r in results] == [False, True, False]
    single = Analyser(watch).analyse(*items[1])
    assert results[1].figures == single.figures
    assert results[1].events == single.events


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kim Jong Un a rencontré Vladimir Poutine.", "Kim Jong Un"),
        ("Kim Jong-un est arrivé.", "Kim Jong Un"),
        ("Hier, Kim Jong Eun a parlé.", "Kim Jong Un"),
    ],
)
def test_actor_names_are_one_per_token(
    watch: Watch, nlp_model: Language, text: str, name: str
) -> None:
    doc = parse(text, watch)
    people = [e for e in doc.ents if e.label_ == "PER"]
    assert people[0][0]._.actor == name
    assert len(people[0]) == 1
    assert len(list(doc.sents)) == 1


def test_short_name_only_after_full_name(watch: Watch, nlp_model: Language) -> None:
    doc = mark_actors(nlp_model.make_doc("Kim Jong Un parle. Kim écoute."), watch)
    assert [t._.actor for t in doc if t._.actor] == ["Kim Jong Un", "Kim Jong Un"]
    alone = mark_actors(nlp_model.make_doc("Le chanteur Kim chante."), watch)
    assert [t._.actor for t in alone if t._.actor] == []


MIXED = (
    "Le conseil régional vote son budget",
    "Le conseil régional de Normandie a adopté jeudi un budget de 3,1 milliards d'euros.\n\n"
    "« Nous avons tenu nos promesses sur les lycées et les transports », s'est félicitée la "
    "présidente, Camille Dufresne-Aubry.\n\n"
    "L'élu d'opposition Damien Laroque-Vidal a évoqué l'actualité internationale. « Pendant que "
    "Pyongyang arme Moscou, nous débattons des horaires des trains », a-t-il lancé.\n\n"
    "« Revenons au budget des lycées, s'il vous plaît », a répondu Camille Dufresne-Aubry.",
)


def test_mixed_article_keeps_only_facts_of_its_linked_passage(
    watch: Watch, nlp_model: Language
) -> None:
    """A council meeting with one aside on the relationship: the president's words on the
    budget, before and after it, are the article's other topic, not declarations about it."""
    result = Analyser(watch).analyse(*MIXED)
    assert result.relevant
    assert [(d.speaker, d.quote[:24]) for d in result.declarations] == [
        ("Damien Laroque-Vidal", "Pendant que Pyongyang ar")
    ]


def test_article_linking_in_its_first_paragraph_keeps_every_quote(
    watch: Watch, nlp_model: Language
) -> None:
    """Near case: the same paragraphs after a first one on the relationship are all about it."""
    title, text = MIXED
    first = "Pyongyang a encore livré des obus à Moscou cet été, selon Séoul.\n\n"
    result = Analyser(watch).analyse(title, first + text)
    speakers = [d.speaker for d in result.declarations]
    assert "Camille Dufresne-Aubry" in speakers
    assert "Damien Laroque-Vidal" in speakers


def test_mixed_interview_keeps_the_answer_to_the_next_question(
    watch: Watch, nlp_model: Language
) -> None:
    """A question on the relationship, its answer, « C'est-à-dire ? » and a second answer by
    the same speaker: the interview goes on on the same topic."""
    title = "Un diplomate japonais de passage à Lyon"
    text = (
        "Le diplomate japonais Hiroshi Tanabe-Mori nous a reçus à la résidence du consul.\n\n"
        "— Que reçoit Pyongyang de Moscou en échange de ses obus ?\n\n"
        "— « Du pétrole, des devises et surtout des technologies spatiales que nous suivons de "
        "près », a répondu Hiroshi Tanabe-Mori.\n\n"
        "— C'est-à-dire ?\n\n"
        "— « Des satellites plus précis, et donc des frappes plus précises demain », a ajouté "
        "Hiroshi Tanabe-Mori."
    )
    result = Analyser(watch).analyse(title, text)
    assert [d.speaker for d in result.declarations] == ["Hiroshi Tanabe-Mori"] * 2


def test_mixed_article_drops_figures_of_its_other_topic(watch: Watch, nlp_model: Language) -> None:
    """Grain trade with one paragraph on deliveries to North Korea: Russia's own exports, in
    another paragraph, are no figure of the relationship; in the linked paragraph they are."""
    title = "Céréales : une saison record sur les marchés"
    own = "La Russie a exporté 41 millions de tonnes de blé cette saison."
    text = (
        "Les prix mondiaux du blé ont reculé de nouveau cet automne.\n\n"
        f"{own}\n\n"
        "Selon les douanes, 12 000 tonnes de farine ont été livrées à la Corée du Nord par la "
        "Russie au premier semestre."
    )
    values = {f.value for f in Analyser(watch).analyse(title, text).figures}
    assert 12000 in values
    assert 41_000_000 not in values
    linked = text.replace(own, own + " Une partie est partie vers la Corée du Nord.")
    assert 41_000_000 in {f.value for f in Analyser(watch).analyse(title, linked).figures}


ONE_SIDED_TITLE = (
    "Les touristes russes reviennent à Djerba",
    "Plus de 700 000 touristes ont visité la Tunisie depuis janvier, un record.\n\n"
    "« Nos visiteurs aiment notre soleil et notre hospitalité, ils reviennent chaque année », se "
    "réjouit le ministre du Tourisme, Mohamed Ali Ben Salah.\n\n"
    "Selon l'agence Interfax, quelque 15 000 touristes russes ont séjourné cette année dans la "
    "station balnéaire nord-coréenne de Wonsan-Kalma.",
)


def test_outsider_off_the_link_under_a_one_sided_title_is_the_other_topic(
    watch: Watch, nlp_model: Language
) -> None:
    """A title naming one side, the link only in a later paragraph: a Tunisian minister's words
    on Djerba are not a declaration about the relationship."""
    result = Analyser(watch).analyse(*ONE_SIDED_TITLE)
    assert result.relevant
    assert result.declarations == []


def test_actor_off_the_link_under_a_one_sided_title_still_counts(
    watch: Watch, nlp_model: Language
) -> None:
    """Near case: the watch's actors speak of the relationship wherever they are quoted."""
    title, text = ONE_SIDED_TITLE
    text = text.replace("le ministre du Tourisme, Mohamed Ali Ben Salah", "Sergueï Lavrov")
    result = Analyser(watch).analyse(title, text)
    assert [d.speaker for d in result.declarations] == ["Sergueï Lavrov"]


def test_outsider_quoted_in_the_title_is_the_articles_subject(
    watch: Watch, nlp_model: Language
) -> None:
    """Near case: the headline repeats the outsider's words; what a title quotes is what the
    article is about, wherever the body says it."""
    title, text = ONE_SIDED_TITLE
    title = "À Djerba, « ils reviennent chaque année » : les touristes russes sont de retour"
    result = Analyser(watch).analyse(title, text)
    assert [d.speaker for d in result.declarations] == ["Mohamed Ali Ben Salah"]
