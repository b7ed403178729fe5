"""Figures of the relationship: value, measure, object, qualifier, source, period, and the traps."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigie.nlp.figures import extract_figures
from vigie.nlp.types import Figure
from vigie.watch import Watch, load_watch

NNBSP = "\u202f"
NBSP = "\u00a0"


def only(text: str, watch: Watch) -> Figure:
    figures = extract_figures(text, watch)
    assert len(figures) == 1, figures
    return figures[0]


VALUES = [
    pytest.param("La Corée du Nord a envoyé 11 000 soldats en Russie.", 11000, id="space"),
    pytest.param("La Corée du Nord a envoyé 11.000 soldats en Russie.", 11000, id="dot"),
    pytest.param(
        f"La Corée du Nord a envoyé 11{NNBSP}000 soldats en Russie.", 11000, id="narrow-nbsp"
    ),
    pytest.param(f"La Corée du Nord a envoyé 11{NBSP}000 soldats en Russie.", 11000, id="nbsp"),
    pytest.param("La Corée du Nord a envoyé 3000 soldats en Russie.", 3000, id="no-separator"),
    pytest.param("Pyongyang a livré 1 200 000 obus à Moscou.", 1_200_000, id="two-groups"),
    pytest.param("Pyongyang a livré 1,5 million d'obus à Moscou.", 1_500_000, id="decimal-million"),
    pytest.param("Pyongyang a livré 12 millions d'obus à Moscou.", 12_000_000, id="millions"),
    pytest.param("Dix mille soldats nord-coréens combattent pour Moscou.", 10000, id="dix-mille"),
    pytest.param(
        "Quinze mille soldats nord-coréens ont rejoint la Russie.", 15000, id="quinze-mille"
    ),
    pytest.param("Pyongyang aurait envoyé onze mille soldats en Russie.", 11000, id="onze-mille"),
    pytest.param("Deux mille soldats nord-coréens ont été tués en Russie.", 2000, id="deux-mille"),
    pytest.param(
        "La Russie a livré un million de barils de pétrole à la Corée du Nord.",
        1_000_000,
        id="un-million-words",
    ),
    pytest.param("Au moins neuf soldats nord-coréens sont morts en Russie.", 9, id="neuf"),
    pytest.param("Vingt-deux officiers nord-coréens sont en Russie.", 22, id="hyphenated-words"),
    pytest.param("Pyongyang a livré 36'000 obus à Moscou.", 36000, id="swiss-apostrophe"),
    pytest.param(
        "Selon Kiev, 2’300 soldats nord-coréens ont été tués en Russie.",
        2300,
        id="swiss-typographic-apostrophe",
    ),
    pytest.param("La Corée du Nord a fourni nonante obusiers à la Russie.", 90, id="nonante"),
    pytest.param(
        "La Russie a reçu septante-cinq lance-roquettes de la Corée du Nord.", 75, id="septante"
    ),
    pytest.param(
        "Pyongyang a envoyé 4000 ingénieurs militaires à Koursk, en Russie.",
        4000,
        id="no-separator-before-adjective",
    ),
    pytest.param(
        "Moscou aurait versé 2,4 milliards de dollars à Pyongyang en échange de munitions.",
        2.4e9,
        id="decimal-milliard",
    ),
    pytest.param(
        "La Corée du Nord aurait tiré 8 000 milliards de wons de ses ventes d'armes à la Russie.",
        8e12,
        id="thousands-of-milliards",
    ),
]


@pytest.mark.parametrize(("text", "value"), VALUES)
def test_values(watch: Watch, text: str, value: float) -> None:
    assert only(text, watch).value == value


MEASURES = [
    pytest.param(
        "La Corée du Nord a déployé 3 000 militaires en Russie.",
        "troops_sent",
        "militaires",
        id="troops-militaires",
    ),
    pytest.param(
        "Pyongyang a dépêché 11.000 troupes en Russie.",
        "troops_sent",
        "troupes",
        id="troops-troupes",
    ),
    pytest.param(
        "20 000 Nord-Coréens combattent pour la Russie.",
        "troops_sent",
        "Nord-Coréens",
        id="demonym-as-noun",
    ),
    pytest.param(
        "Quelque 2 000 soldats nord-coréens auraient été tués en Russie.",
        "killed",
        "soldats",
        id="killed",
    ),
    pytest.param(
        "La guerre a fait 300 morts parmi les soldats nord-coréens en Russie.",
        "killed",
        "morts",
        id="morts-alone",
    ),
    pytest.param(
        "En Russie, 4 000 soldats nord-coréens ont été blessés.", "wounded", "soldats", id="wounded"
    ),
    pytest.param(
        "En Russie, 4 700 soldats nord-coréens ont été tués ou blessés.",
        "killed_or_wounded",
        "soldats",
        id="killed-or-wounded",
    ),
    pytest.param(
        "La Corée du Nord a subi 4 700 pertes en Russie.",
        "killed_or_wounded",
        "pertes",
        id="pertes",
    ),
    pytest.param(
        "Les pertes nord-coréennes en Russie s'élèvent à 4 700.",
        "killed_or_wounded",
        "pertes",
        id="pertes-backward",
    ),
    pytest.param(
        "L'Ukraine a capturé deux soldats nord-coréens dans la région russe de Koursk.",
        "captured",
        "soldats",
        id="captured",
    ),
    pytest.param(
        "Plus de 15 000 travailleurs nord-coréens sont arrivés en Russie.",
        "workers",
        "travailleurs",
        id="workers",
    ),
    pytest.param(
        "Moscou emploie 5 000 ouvriers venus de Corée du Nord.",
        "workers",
        "ouvriers",
        id="ouvriers",
    ),
    pytest.param(
        "La Corée du Nord a livré 12 millions d'obus à la Russie.", "shells", "obus", id="shells"
    ),
    pytest.param(
        "La Russie a tiré 60 missiles balistiques nord-coréens.",
        "missiles",
        "missiles",
        id="missiles",
    ),
    pytest.param(
        "Pyongyang a fourni 200 lance-roquettes multiples à Moscou.",
        "rocket_launchers",
        "lance-roquettes multiples",
        id="lance-roquettes",
    ),
    pytest.param(
        "Pyongyang a fourni 120 systèmes de roquettes à longue portée à la Russie.",
        "rocket_launchers",
        "systèmes de roquettes",
        id="systemes-de-roquettes",
    ),
    pytest.param(
        "La Corée du Nord a livré 170 pièces d'artillerie à la Russie.",
        "artillery",
        "pièces d'artillerie",
        id="artillery",
    ),
    pytest.param(
        "Plus de 20 000 conteneurs de munitions sont partis de Corée du Nord vers la Russie.",
        "containers",
        "conteneurs",
        id="containers",
    ),
    pytest.param(
        "Moscou a envoyé 100 000 tonnes de blé à Pyongyang.", "food", "tonnes de blé", id="food"
    ),
    pytest.param(
        "La Russie a versé 12 millions de dollars d'aide à la Corée du Nord.",
        "money",
        "dollars",
        id="money-aid",
    ),
    pytest.param(
        "Moscou a accordé à Pyongyang une aide de 2,5 milliards de roubles.",
        "money",
        "roubles",
        id="money-roubles",
    ),
    pytest.param(
        "La Corée du Nord a envoyé 3 000 nouveaux soldats en Russie.",
        "troops_sent",
        "soldats",
        id="adjective-between",
    ),
    pytest.param(
        "La Corée du Nord a envoyé 3 000 de ses soldats en Russie.",
        "troops_sent",
        "soldats",
        id="de-ses",
    ),
    pytest.param(
        "Pyongyang a envoyé 3 000 hommes supplémentaires en Russie.",
        "troops_sent",
        "hommes",
        id="hommes-many",
    ),
    pytest.param(
        "Pyongyang a dépêché 6 000 sapeurs dans la province russe de Belgorod.",
        "troops_sent",
        "sapeurs",
        id="demonym-of-a-place-not-of-the-troops",
    ),
    pytest.param(
        "Moscou a livré 24 systèmes de défense antiaérienne à Pyongyang.",
        "air_defence",
        "systèmes de défense antiaérienne",
        id="air-defence-to-pyongyang",
    ),
    pytest.param(
        "La Russie aurait fourni douze avions de chasse à la Corée du Nord.",
        "aircraft",
        "avions de chasse",
        id="fighter-jets",
    ),
    pytest.param(
        "Pyongyang a reçu 30 chars de combat russes.", "tanks", "chars de combat", id="tanks"
    ),
    pytest.param(
        "Moscou aurait promis 900 millions de dollars américains à Pyongyang.",
        "money",
        "dollars américains",
        id="currency-demonym-is-no-owner",
    ),
    pytest.param(
        "Pyongyang a engrangé 300 millions d'euros en vendant des obus à la Russie.",
        "money",
        "euros",
        id="money-earned",
    ),
]


@pytest.mark.parametrize(("text", "measure", "obj"), MEASURES)
def test_measures(watch: Watch, text: str, measure: str, obj: str) -> None:
    figure = only(text, watch)
    assert (figure.measure, figure.object) == (measure, obj)
    assert figure.evidence == text


QUALIFIERS = [
    pytest.param(
        "Au moins 3 000 soldats nord-coréens ont été déployés en Russie.", "au moins", id="au-moins"
    ),
    pytest.param(
        "Plus de 3 000 soldats nord-coréens ont été déployés en Russie.", "plus de", id="plus-de"
    ),
    pytest.param(
        "Environ 3 000 soldats nord-coréens ont été déployés en Russie.", "environ", id="environ"
    ),
    pytest.param(
        "Quelque 3 000 soldats nord-coréens ont été déployés en Russie.", "environ", id="quelque"
    ),
    pytest.param(
        "Près de 3 000 soldats nord-coréens ont été déployés en Russie.", "près de", id="pres-de"
    ),
    pytest.param("Pyongyang a livré près d'un million d'obus à la Russie.", "près de", id="pres-d"),
    pytest.param(
        "Jusqu'à 20 000 soldats nord-coréens pourraient rejoindre la Russie.",
        "jusqu'à",
        id="jusqu-a",
    ),
    pytest.param(
        "Pas moins de 5 000 soldats nord-coréens sont en Russie.", "au moins", id="pas-moins-de"
    ),
    pytest.param(
        "Séoul a indiqué qu'environ 2 000 soldats nord-coréens ont été tués en Russie.",
        "environ",
        id="elided-qu-environ",
    ),
    pytest.param("La Corée du Nord a envoyé 3 000 soldats en Russie.", None, id="none"),
    pytest.param(
        "Près de 1 000 soldats nord-coréens ont été blessés en Russie.",
        "près de",
        id="written-qualifier",
    ),
]


@pytest.mark.parametrize(("text", "qualifier"), QUALIFIERS)
def test_qualifiers(watch: Watch, text: str, qualifier: str | None) -> None:
    assert only(text, watch).qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        pytest.param(
            "Entre 10 000 et 12 000 soldats nord-coréens sont en Russie.",
            10000,
            12000,
            id="entre-et",
        ),
        pytest.param(
            "De 10 000 à 12 000 soldats nord-coréens sont en Russie.", 10000, 12000, id="de-a"
        ),
        pytest.param(
            "La Corée du Nord aurait envoyé 10 000 à 12 000 soldats en Russie.",
            10000,
            12000,
            id="bare-a",
        ),
    ],
)
def test_ranges(watch: Watch, text: str, low: float, high: float) -> None:
    figure = only(text, watch)
    assert (figure.value, figure.value_high, figure.qualifier) == (low, high, "entre")


@pytest.mark.parametrize(
    ("text", "additional"),
    [
        pytest.param(
            "La Corée du Nord a envoyé 3 000 soldats supplémentaires en Russie.",
            True,
            id="supplementaires",
        ),
        pytest.param(
            "La Corée du Nord a envoyé 3 000 soldats de plus en Russie.", True, id="de-plus"
        ),
        pytest.param(
            "La Corée du Nord a envoyé 3 000 autres soldats en Russie.", True, id="autres"
        ),
        pytest.param("La Corée du Nord a envoyé 3 000 soldats en Russie.", False, id="plain"),
    ],
)
def test_additional(watch: Watch, text: str, additional: bool) -> None:
    assert only(text, watch).additional is additional


SOURCES = [
    pytest.param(
        "Selon Séoul, la Corée du Nord a envoyé 3 000 soldats en Russie.", "Séoul", id="selon-city"
    ),
    pytest.param(
        "La Corée du Nord a envoyé 3 000 soldats en Russie, a affirmé le renseignement sud-coréen.",
        "le renseignement sud-coréen",
        id="inverted",
    ),
    pytest.param(
        "La Corée du Nord a envoyé 3 000 soldats en Russie, a affirmé mercredi l'état-major interarmées sud-coréen.",
        "l'état-major interarmées sud-coréen",
        id="inverted-with-day",
    ),
    pytest.param(
        "Selon les services de renseignement sud-coréens, Pyongyang a envoyé 3 000 soldats en Russie.",
        "les services de renseignement sud-coréens",
        id="selon-services",
    ),
    pytest.param(
        "Le Pentagone estime que 3 000 soldats nord-coréens ont été tués en Russie.",
        "Le Pentagone",
        id="subject-que",
    ),
    pytest.param(
        "D'après l'armée ukrainienne, 3 000 soldats nord-coréens ont été tués en Russie.",
        "l'armée ukrainienne",
        id="d-apres",
    ),
    pytest.param(
        "La Corée du Nord a envoyé 3 000 soldats en Russie, ont indiqué mardi des responsables américains.",
        "des responsables américains",
        id="inverted-plural",
    ),
    pytest.param("La Corée du Nord a envoyé 3 000 soldats en Russie.", None, id="no-source"),
    pytest.param(
        "La Corée du Nord a envoyé 3 000 soldats en Russie, a-t-il affirmé.",
        None,
        id="pronoun-is-no-source",
    ),
]


@pytest.mark.parametrize(("text", "source"), SOURCES)
def test_claimed_by(watch: Watch, text: str, source: str | None) -> None:
    assert only(text, watch).claimed_by == source


PERIODS = [
    pytest.param(
        "La Corée du Nord a envoyé 11 000 soldats en Russie en 2024.", "en 2024", id="en-year"
    ),
    pytest.param(
        "Depuis juin 2024, la Corée du Nord a envoyé 15 000 soldats en Russie.",
        "Depuis juin 2024",
        id="depuis-month-year",
    ),
    pytest.param(
        "La Corée du Nord a envoyé 3 000 soldats en Russie en janvier et février.",
        "en janvier et février",
        id="two-months",
    ),
    pytest.param(
        "La Corée du Nord a envoyé 11 000 soldats en Russie l'an dernier.",
        "l'an dernier",
        id="an-dernier",
    ),
    pytest.param(
        "Plus de 15 000 travailleurs nord-coréens sont entrés en Russie au cours de l'année écoulée.",
        "au cours de l'année écoulée",
        id="annee-ecoulee",
    ),
    pytest.param(
        "Depuis le début de la guerre, 5 000 soldats nord-coréens ont été tués en Russie.",
        "Depuis le début de la guerre",
        id="debut-guerre",
    ),
    pytest.param(
        "La Russie a tiré 60 missiles nord-coréens depuis décembre 2023.",
        "depuis décembre 2023",
        id="depuis-month",
    ),
    pytest.param("La Corée du Nord a envoyé 3 000 soldats en Russie.", None, id="no-period"),
]


@pytest.mark.parametrize(("text", "period"), PERIODS)
def test_period(watch: Watch, text: str, period: str | None) -> None:
    assert only(text, watch).period == period


TRAPS = [
    # round counts are vague under the labelling policy, like "une dizaine de milliers"
    pytest.param("Pyongyang aurait livré une centaine de canons à Moscou.", id="une-centaine"),
    pytest.param(
        "Pyongyang aurait envoyé une vingtaine de généraux et un millier d'officiers en Russie.",
        id="round-counts",
    ),
    pytest.param("La Corée du Nord et la Russie ont signé un traité en 2024.", id="year"),
    pytest.param(
        "Publié le 13/07/2025 - 13:43. 2 min. La Corée du Nord soutient la Russie.",
        id="page-furniture",
    ),
    pytest.param(
        "Les missiles KN-23 de la Corée du Nord sont utilisés par la Russie.", id="model-name"
    ),
    pytest.param("Kim Jong Un, 41 ans, a rencontré Vladimir Poutine.", id="age"),
    pytest.param("Le sommet entre Pyongyang et Moscou a duré 3 heures.", id="duration"),
    pytest.param("Kim Jong Un a passé 5 jours en Russie.", id="days"),
    pytest.param("20 % des obus nord-coréens livrés à la Russie sont défectueux.", id="percentage"),
    pytest.param("Le 2e bataillon nord-coréen combat en Russie.", id="ordinal"),
    pytest.param(
        "Koursk est à 500 km de Moscou, où combattent les soldats nord-coréens.", id="distance"
    ),
    pytest.param(
        "Le train de Kim Jong Un a parcouru 1 180 kilomètres jusqu'à Vladivostok.",
        id="distance-words",
    ),
    pytest.param("Kim Jong Un a reçu Vladimir Poutine le 19 juin 2024 à Pyongyang.", id="date"),
    pytest.param("Les 12 et 13 septembre, Kim Jong Un était en Russie.", id="dates"),
    pytest.param("À 13h43, Kim Jong Un est arrivé à Moscou.", id="time"),
    pytest.param("Pyongyang a envoyé des milliers de soldats en Russie.", id="vague-milliers"),
    pytest.param(
        "Pyongyang a envoyé plusieurs centaines de soldats en Russie.", id="vague-centaines"
    ),
    pytest.param("Un soldat nord-coréen capturé en Russie a été interrogé.", id="article-un"),
    pytest.param(
        "Les pertes russes dans le Donetsk s'élèvent à 1 000 hommes par jour, tandis que Pyongyang envoie des renforts.",
        id="russian-losses",
    ),
    pytest.param(
        "La Russie a perdu 5 000 soldats à Koursk, où combattent aussi les troupes de Pyongyang.",
        id="russian-soldiers-clause",
    ),
    pytest.param(
        "L'Ukraine a abattu 30 missiles russes, alors que Pyongyang fournit Moscou.",
        id="russian-missiles",
    ),
    pytest.param(
        "Kiev a reçu 40 missiles américains, alors que Pyongyang arme Moscou.",
        id="third-party-missiles",
    ),
    pytest.param(
        "Le Japon et la Corée du Sud ont mené un exercice de 5 000 marins face à la Corée du Nord, alliée de la Russie.",
        id="japanese-exercise",
    ),
    pytest.param(
        "Le prix du riz a augmenté de 10 euros en Corée du Nord depuis l'accord avec la Russie.",
        id="price",
    ),
    pytest.param(
        "La Russie a dépensé 100 milliards de dollars pour sa guerre, loin de la Corée du Nord.",
        id="unrelated-money",
    ),
    pytest.param(
        "La Corée du Nord a tiré 3 missiles vers le Japon. La Russie n'a pas réagi.",
        id="missile-test-next-to-russia",
    ),
    pytest.param("La Corée du Nord a envoyé 3 000 soldats au Soudan.", id="one-side-only"),
    pytest.param(
        "Séoul a envoyé 3 000 soldats sud-coréens au Liban, loin de la Russie.",
        id="south-korean-soldiers",
    ),
    pytest.param(
        "Moscou reçoit depuis 2023 des obus de la Corée du Nord.",
        id="year-after-depuis",
    ),
    pytest.param(
        "La Russie achète en 2025 des munitions à Pyongyang.",
        id="year-after-en-before-noun",
    ),
    pytest.param(
        "Kim Jong Un et Vladimir Poutine ont parlé : les deux hommes ont salué les soldats envoyés.",
        id="les-deux-hommes",
    ),
    pytest.param(
        "Les trois hommes ont déposé une gerbe au monument des soldats nord-coréens morts en Russie.",
        id="three-men-at-a-memorial",
    ),
    pytest.param(
        "En Russie, les Nord-Coréens combattent par équipes de cinq ou six hommes.",
        id="group-size",
    ),
    pytest.param(
        "L'armée nord-coréenne aligne environ 1,3 million de soldats, un atout pour Moscou.",
        id="size-of-an-army",
    ),
    pytest.param(
        "La Corée du Nord compte 200 000 membres des forces spéciales, selon Séoul. "
        "Moscou s'y intéresse.",
        id="forces-at-home",
    ),
    pytest.param(
        "Pyongyang gagnerait des milliards de dollars grâce à ses ventes d'armes à Moscou.",
        id="vague-milliards",
    ),
    pytest.param(
        "La Russie a perdu 40 chars près de Koursk, où combattent des soldats nord-coréens.",
        id="tanks-lost-not-handed",
    ),
    pytest.param(
        "La défense antiaérienne russe a abattu 12 drones. Pyongyang fournit des obus à Moscou.",
        id="drones-shot-down",
    ),
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_give_no_figure(watch: Watch, text: str) -> None:
    assert extract_figures(text, watch) == []


def test_dont_inherits_the_counted_noun(watch: Watch) -> None:
    figures = extract_figures(
        "Pyongyang a envoyé 11 000 soldats en Russie, dont 4 000 ont été tués ou blessés.", watch
    )
    assert [(f.value, f.measure) for f in figures] == [
        (11000, "troops_sent"),
        (4000, "killed_or_wounded"),
    ]


def test_two_figures_in_one_sentence_keep_their_own_cues(watch: Watch) -> None:
    figures = extract_figures(
        "En Russie, 3 000 soldats nord-coréens ont été tués et 5 000 blessés.", watch
    )
    assert [(f.value, f.measure) for f in figures] == [(3000, "killed"), (5000, "wounded")]


def test_continuation_sentence_keeps_context(watch: Watch) -> None:
    text = "La Corée du Nord a renforcé son aide à la Russie. Au total, 14 000 soldats auraient été déployés."
    figure = only(text, watch)
    assert (figure.value, figure.measure) == (14000, "troops_sent")
    assert figure.evidence == "Au total, 14 000 soldats auraient été déployés."


def test_adjacent_sentence_names_the_other_side(watch: Watch) -> None:
    text = "La Corée du Nord a envoyé 3 000 soldats supplémentaires. Ils sont arrivés en Russie en janvier."
    assert only(text, watch).value == 3000


def test_one_sentence_can_list_several_troop_figures(watch: Watch) -> None:
    figures = extract_figures(
        "La Corée du Nord va dépêcher 800 démineurs et 2500 soldats bâtisseurs dans la région "
        "russe de Belgorod.",
        watch,
    )
    assert [(f.value, f.measure) for f in figures] == [
        (800, "troops_sent"),
        (2500, "troops_sent"),
    ]


def test_span_points_at_the_figure(watch: Watch) -> None:
    figure = only("Selon Séoul, au moins 3 000 soldats nord-coréens sont en Russie.", watch)
    assert figure.span is not None
    assert figure.evidence[figure.span[0] : figure.span[1]] == "au moins 3 000 soldats"


def test_focus_keeps_only_new_sentences(watch: Watch) -> None:
    text = (
        "La Corée du Nord a envoyé 11 000 soldats en Russie en 2024. "
        "Pyongyang a ensuite envoyé 3 000 soldats supplémentaires en Russie cette année."
    )
    assert len(extract_figures(text, watch)) == 2
    focused = extract_figures(
        text,
        watch,
        focus=["Pyongyang a ensuite envoyé 3 000 soldats supplémentaires en Russie cette année."],
    )
    assert [f.value for f in focused] == [3000]


def test_accepts_a_list_of_sentences(watch: Watch) -> None:
    sentences = ["Pyongyang a livré 60 missiles à Moscou.", "Il pleut."]
    assert [f.value for f in extract_figures(sentences, watch)] == [60]


def test_second_watch_classifies_its_own_measures() -> None:
    china = load_watch(Path(__file__).parents[1] / "fixtures" / "watches" / "russia_china.yaml")
    figure = only(
        "La Russie a livré 38 milliards de mètres cubes de gaz à la Chine en 2024, selon Pékin.",
        china,
    )
    assert (figure.value, figure.measure, figure.claimed_by, figure.period) == (
        38e9,
        "gas",
        "Pékin",
        "en 2024",
    )


FORMS = [
    pytest.param(
        "Le nombre de tués nord-coréens en Russie s'élèverait à 4 100, et celui des blessés à "
        "7 900.",
        {(4100, "killed"), (7900, "wounded")},
        id="elided-verb-celui-des",
    ),
    pytest.param(
        "La Corée du Nord a porté à 17 700 le nombre de ses soldats en Russie.",
        {(17700, "troops_sent")},
        id="le-nombre-de-after-the-value",
    ),
    pytest.param(
        # the monthly rate is no count (the labelling policy leaves rates optional): its total is
        "Pyongyang livre à la Russie 200 000 obus par mois, soit quelque 7 millions au total.",
        {(7_000_000, "shells")},
        id="soit-repeats-the-noun",
    ),
    pytest.param(
        "Sur les 13 000 soldats envoyés en Russie par Pyongyang, 3 400 auraient été tués.",
        {(13000, "troops_sent"), (3400, "killed")},
        id="sur-les-n-then-part",
    ),
    pytest.param(
        "Notre fiche sur la coopération entre Moscou et Pyongyang :\n- Missiles balistiques "
        "nord-coréens livrés à la Russie : 250 (renseignement ukrainien)\n- Traité : signé en 2024",
        {(250, "missiles")},
        id="list-item-value",
    ),
    pytest.param(
        "Les pertes nord-coréennes en Russie atteindraient 6 200 soldats depuis leur arrivée.",
        {(6200, "killed_or_wounded")},
        id="casualty-noun-before-the-count",
    ),
    pytest.param(
        "Selon Kiev, 600 soldats nord-coréens ont été tués sur un total de 15 000 militaires "
        "déployés en Russie.",
        {(600, "killed"), (15000, "troops_sent")},
        id="participle-before-leaves-the-predicate-to-decide",
    ),
    pytest.param(
        "La Corée du Nord a fourni ces armes à la Russie depuis 2023.\n"
        "Obus d'artillerie : 9,2 millions, dont 6,5 millions de calibre 152 mm.\n"
        "Missiles balistiques KN-23 : 160.\nSoldats déployés — 11'000",
        {(9_200_000, "shells"), (6_500_000, "shells"), (160, "missiles"), (11000, "troops_sent")},
        id="table-rows-continue-their-lead",
    ),
    pytest.param(
        "La Corée du Nord a fait défiler ses armes à Pyongyang.\nMissiles balistiques : 160.",
        set(),
        id="one-label-line-after-one-side-is-no-table",
    ),
    pytest.param(
        "La Russie a livré 50 000 tonnes de blé à la Corée du Nord, dont un dernier cargo de "
        "8 000 tonnes, puis 25 000 t supplémentaires.",
        {(50000, "food"), (8000, "food"), (25000, "food")},
        id="bare-unit-weighs-the-earlier-commodity",
    ),
    pytest.param(
        "La Russie a livré 50 000 tonnes de blé à la Corée du Nord, qui produit 3 000 tonnes de "
        "sauce soja.",
        {(50000, "food")},
        id="unit-with-another-commodity-inherits-nothing",
    ),
    pytest.param(
        "La Russie a livré 8 000 t de blé à la Corée du Nord.",
        {(8000, "food")},
        id="abbreviated-tonnes",
    ),
    pytest.param(
        "La Russie a livré 50 000 tonnes de blé à la Corée du Nord. La Russie, premier "
        "exportateur mondial, table sur une récolte de 88 millions de tonnes de céréales.",
        {(50000, "food")},
        id="own-harvest-is-not-handed-over",
    ),
    pytest.param(
        "D'après les douanes russes, environ 91 000 tonnes de blé ont été facturées à des "
        "importateurs nord-coréens.",
        {(91000, "food")},
        id="invoiced-to-names-the-recipient",
    ),
    pytest.param(
        "Grâce aux livraisons nord-coréennes, la Russie tire 10 000 obus par jour.",
        set(),
        id="rate-per-day-is-no-count",
    ),
    pytest.param(
        "Mais la Corée du Nord a livré 10 000 obus par train à la Russie.",
        {(10000, "shells")},
        id="par-with-no-unit-of-time-is-no-rate",
    ),
    pytest.param(
        "La Corée du Nord a acheté à la Russie du blé à un prix moyen de 215 millions de dollars.",
        set(),
        id="price-is-no-payment",
    ),
    pytest.param(
        "La Russie a versé 215 millions de dollars à la Corée du Nord.",
        {(215_000_000, "money")},
        id="payment-without-price-word",
    ),
    pytest.param(
        "La Russie a livré à la Corée du Nord onze systèmes de défense aérienne et au moins six "
        "hélicoptères de combat.",
        {(11, "air_defence"), (6, "aircraft")},
        id="coordinated-count-shares-the-verb",
    ),
    pytest.param(
        "La Russie a livré à la Corée du Nord onze systèmes de défense aérienne et possède six "
        "hélicoptères de combat.",
        {(11, "air_defence")},
        id="own-verb-after-et-is-no-coordination",
    ),
    pytest.param(
        "Le renseignement sud-coréen a relevé à 3 400 son estimation du nombre de soldats "
        "nord-coréens tués en combattant pour la Russie.",
        {(3400, "killed")},
        id="estimate-of-the-number-of",
    ),
    pytest.param(
        "La Corée du Nord a livré à la Russie plus de 400 systèmes d'artillerie.",
        {(400, "artillery")},
        id="artillery-systems",
    ),
    pytest.param(
        "Selon Kiev, 3 000 soldats nord-coréens ont été tués en Russie, soit 7 500 hommes hors "
        "de combat avec les blessés.",
        {(3000, "killed"), (7500, "killed_or_wounded")},
        id="out-of-action-is-dead-and-wounded",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_figure_forms(watch: Watch, text: str, expected: set[tuple[float, str]]) -> None:
    assert {(f.value, f.measure) for f in extract_figures(text, watch)} == expected


@pytest.mark.parametrize(
    "text",
    [
        "Selon Kiev, septante pour cent des obus russes proviendraient de Corée du Nord.",
        "Les soldats nord-coréens blessés en Russie seraient deux fois plus nombreux.",
        "Tous ces travailleurs nord-coréens en Russie décrivent des journées : 18 heures de "
        "travail.",
    ],
    ids=["percent-in-words", "ratio", "colon-before-a-duration"],
)
def test_ratios_and_durations_are_no_counts(watch: Watch, text: str) -> None:
    assert extract_figures(text, watch) == []


PRESS_FORMS = [
    pytest.param(
        "La Corée du Nord achemine de nouvelles troupes vers la Russie. Elles seraient 7 500, "
        "selon un rapport transmis aux partenaires de Kiev.",
        {(7500, "troops_sent")},
        id="pronoun-subject-counts-the-previous-noun",
    ),
    pytest.param(
        "Les analystes recensaient des lance-roquettes nord-coréens dans l'armée russe. Des "
        "chercheurs en dénombrent désormais quelque 160.",
        {(160, "rocket_launchers")},
        id="en-clitic-counts-the-previous-noun",
    ),
    pytest.param(
        "Des soldats nord-coréens combattent en Russie. Séoul en estime le nombre à 15 000.",
        {(15000, "troops_sent")},
        id="en-estime-le-nombre-a",
    ),
    pytest.param(
        "Environ 11 000 soldats nord-coréens ont été déployés en Russie. Leur nombre a depuis "
        "atteint 15 400.",
        {(11000, "troops_sent"), (15400, "troops_sent")},
        id="leur-nombre",
    ),
    pytest.param(
        "Pyongyang a envoyé 1 200 démineurs en Russie. Au moins 47 d'entre eux auraient été "
        "blessés.",
        {(1200, "troops_sent"), (47, "wounded")},
        id="d-entre-eux",
    ),
    pytest.param(
        "Les pertes nord-coréennes en Russie atteindraient 6 000 hommes. Parmi les blessés, "
        "2 000 auraient été rapatriés en Corée du Nord.",
        {(6000, "killed_or_wounded"), (2000, "wounded")},
        id="parmi-les-blesses",
    ),
    pytest.param(
        "Les artilleurs nord-coréens — 2 800 selon le renseignement estonien — occupent les "
        "positions russes de Belgorod.",
        {(2800, "troops_sent")},
        id="apposition-between-dashes",
    ),
    pytest.param(
        "Les obus nord-coréens (4,8 millions selon Séoul) ont permis à l'armée russe de tenir.",
        {(4_800_000, "shells")},
        id="parenthesis-after-an-adjective",
    ),
    pytest.param(
        "Le nombre de soldats nord-coréens tués en Russie est passé de 3 700 à 4 100.",
        {(4100, "killed")},
        id="passe-de-x-a-y-only-the-new-value",
    ),
    pytest.param(
        "L'estimation du nombre de soldats nord-coréens envoyés en Russie est, elle, passée de "
        "11 000 à 14 000.",
        {(14000, "troops_sent")},
        id="passe-de-across-an-incise",
    ),
    pytest.param(
        "Séoul a relevé son estimation de 11 000 à 14 000 soldats nord-coréens envoyés en Russie.",
        {(14000, "troops_sent")},
        id="releve-son-estimation-de-x-a-y",
    ),
    pytest.param(
        "Pyongyang aurait envoyé en Russie de 10 000 à 12 000 soldats.",
        {(10000, "troops_sent")},
        id="a-range-stays-a-range",
    ),
    pytest.param(
        "Pertes nord-coréennes en Russie : 6 000 hommes, selon Washington",
        {(6000, "killed_or_wounded")},
        id="colon-names-the-measure",
    ),
    pytest.param(
        "Un rapport norvégien recense 120 canons automoteurs M1989 de 170 mm transférés à la "
        "Russie par Pyongyang.",
        {(120, "artillery")},
        id="recipient-after-transferes-a",
    ),
    pytest.param(
        "Deux généraux et 45 colonels nord-coréens sont affectés à l'état-major russe de Koursk.",
        {(2, "troops_sent"), (45, "troops_sent")},
        id="generals-and-colonels",
    ),
    pytest.param(
        "Pyongyang a livré à la Russie 20 000 roquettes de 122 mm et 64 lance-roquettes.",
        {(20000, "rockets"), (64, "rocket_launchers")},
        id="rockets-and-their-launchers-apart",
    ),
    pytest.param(
        "Le ministère russe compte 4 500 entrées de ressortissants nord-coréens. Beaucoup "
        "déclarent un visa d'études ; 1 700 d'entre eux travailleraient sur les chantiers de la "
        "région de Moscou.",
        {(4500, "entries"), (1700, "entries")},
        id="a-place-of-the-other-side-is-where-not-whose",
    ),
    pytest.param(
        "Notre fiche sur Moscou et Pyongyang : - Soldats nord-coréens en Russie : 17 700 - "
        "Soldats tués : 2 600 - Missiles livrés : 250 (renseignement ukrainien)",
        {(17700, "troops_sent"), (2600, "killed"), (250, "missiles")},
        id="inline-list-items-with-a-third-party-source",
    ),
    pytest.param(
        "Notre fiche sur Moscou et Pyongyang :\n- Soldats nord-coréens en Russie : 17 700\n"
        "- Missiles livrés : 250",
        {(17700, "troops_sent"), (250, "missiles")},
        id="list-items-continue-each-other",
    ),
    # round 7: what a form counts, and what it must not
    pytest.param(
        "Repères sur Moscou et Pyongyang - 4 300 travailleurs nord-coréens en Russie - 1 traité, "
        "signé en juin 2024",
        {(4300, "workers")},
        id="a-dash-item-with-its-own-noun-borrows-none",
    ),
    pytest.param(
        "Les soldats nord-coréens en Russie — 11 000 selon Séoul — combattent à Koursk.",
        {(11000, "troops_sent")},
        id="a-dash-apposition-counts-the-noun-before",
    ),
    pytest.param(
        "Au moins 4 100 conteneurs de munitions ont été acheminés de Corée du Nord vers la "
        "Russie. Le centre en a compté 31 000 depuis août 2023.",
        {(4100, "containers"), (31000, "containers")},
        id="the-container-not-its-content-is-the-antecedent",
    ),
    pytest.param(
        "Kiev affirme avoir tué 340 soldats nord-coréens en Russie et en avoir capturé 7.",
        {(340, "killed"), (7, "captured")},
        id="the-pronoun-verb-says-the-measure",
    ),
    pytest.param(
        "Le nombre de soldats nord-coréens en Russie serait compris entre 10 000 selon Séoul et "
        "12 400 selon Kiev.",
        {(10000, "troops_sent"), (12400, "troops_sent")},
        id="two-sources-two-counts-of-one-noun",
    ),
    pytest.param(
        "Un missile nord-coréen tiré par la Russie a frappé une position de Kiev, faisant "
        "14 morts.",
        {(14, "killed")},
        id="a-toll-without-civilians-counts",
    ),
    pytest.param(
        "Pyongyang envoie en Russie au moins 750 opérateurs de drones.",
        {(750, "troops_sent")},
        id="drone-operators-are-soldiers",
    ),
    pytest.param(
        "Quelque 2 000 ressortissants nord-coréens sont entrés en Russie.",
        {(2000, "entries")},
        id="entered-is-an-entry",
    ),
    pytest.param(
        "Moscou et Pyongyang : - 1 800 étudiants nord-coréens inscrits dans des universités russes",
        {(1800, "students")},
        id="students-sent-to-russia",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PRESS_FORMS)
def test_press_figure_forms(watch: Watch, text: str, expected: set[tuple[float, str]]) -> None:
    assert {(f.value, f.measure) for f in extract_figures(text, watch)} == expected


def test_a_new_contingent_is_an_added_batch(watch: Watch) -> None:
    text = (
        "La Corée du Nord déploie en Russie un deuxième contingent de 11 000 hommes. "
        "Le premier contingent, environ 11 000 soldats, avait été déployé en Russie en 2024."
    )
    assert [(f.value, f.additional) for f in extract_figures(text, watch)] == [
        (11000, True),
        (11000, False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Sur les 13 000 soldats envoyés par Pyongyang depuis l'automne 2024, 3 400 auraient été "
        "tués en Russie.",
    ],
    ids=["season-year-is-a-period"],
)
def test_a_year_is_never_a_count(watch: Watch, text: str) -> None:
    assert 2024 not in [f.value for f in extract_figures(text, watch)]


@pytest.mark.parametrize(
    "text",
    [
        "Les soldats nord-coréens combattent en Russie. Ils ont abattu 14 drones ukrainiens, "
        "selon Kiev.",
        "La Russie manque de près de 2 millions de travailleurs.\n\nLa Corée du Nord envoie des "
        "ouvriers en Russie.",
        "Le renseignement militaire ukrainien suit les soldats nord-coréens en Russie. Ils "
        "seraient nombreux.",
        "Les soldats nord-coréens sont en Russie. Kiev a perdu 45 tués et 130 blessés dans la "
        "région de Soumy.",
        "Des officiers nord-coréens sont arrivés en Russie. Ils seraient répartis entre trois "
        "centres d'entraînement.",
        "Pyongyang livre des roquettes de 122 mm à la Russie, pour ses lance-roquettes Grad.",
        "Pyongyang envoie des ouvriers en Russie, dont le secteur manque de 600 000 travailleurs.",
        "Moscou livre du pétrole à Pyongyang vers la Corée du Nord. Le prix du baril, lui, s'est "
        "stabilisé à 78 dollars.",
        "Un missile nord-coréen tiré par la Russie a frappé un quartier résidentiel de Kiev, "
        "faisant 14 morts et 41 blessés.",
        "L'armée ukrainienne combat les soldats nord-coréens en Russie. Elle reconnaît la perte "
        "de 58 de ses hommes.",
        "Les liens entre Moscou et Pyongyang touchent 5 000 ressortissants nord-coréens.",
        "Moscou courtise Pyongyang ; ses universités comptent 1 800 étudiants russes.",
    ],
    ids=[
        "pronoun-with-its-own-noun",
        "russian-shortage",
        "no-number",
        "ukrainian-losses",
        "pronoun-then-a-participle",
        "rocket-calibre",
        "a-shortage",
        "a-price",
        "a-strike-toll-on-a-district",
        "its-own-men-are-the-previous-subject-s",
        "entre-is-no-entry",
        "russian-students-are-russia-s-own",
    ],
)
def test_press_forms_that_must_not_count(watch: Watch, text: str) -> None:
    assert extract_figures(text, watch) == []


# Round 8 forms (investigations, radio): each rule with a case it must catch and a near case.
ROUND8_CATCH = [
    pytest.param(
        "Les unités nord-coréennes ont changé. Elles comptent désormais 1 400 opérateurs de drones "
        "déployés dans la région de Koursk, a affirmé le général Ivan Petrenko, interrogé par un "
        "journal de Kiev.",
        1400,
        "troops_sent",
        id="third-party-in-the-attribution-only-tells",
    ),
    pytest.param(
        "Les livraisons nord-coréennes passent par le rail russe. 80 trains de marchandises ont "
        "quitté la gare de Khassan vers l'ouest de la Russie. Ils transportaient 3 100 conteneurs.",
        3100,
        "containers",
        id="pronoun-subject-continues-a-counted-sentence",
    ),
    pytest.param(
        "Pyongyang multiplie les envois. La Russie a reçu 130 missiles au cours de l'été.",
        130,
        "missiles",
        id="receiving-subject-is-the-recipient",
    ),
    pytest.param(
        "Séoul publie un bilan des soldats nord-coréens tués en Russie. Le nombre est passé de "
        "1 500 à 4 300 en un an.",
        4300,
        "killed",
        id="le-nombre-points-back",
    ),
    pytest.param(
        "Les échanges entre Moscou et Pyongyang :\n• Chars livrés par la Russie à la Corée du "
        "Nord : 45 (centre d'études)",
        45,
        "tanks",
        id="list-item-noun-words-before-its-value",
    ),
    pytest.param(
        "Selon Séoul, au moins 60 ingénieurs russes ont séjourné en Corée du Nord cette année.",
        60,
        "specialists",
        id="russian-specialists",
    ),
    pytest.param(
        "Wonsan, station nord-coréenne, attire la Russie. 7 300 touristes russes y ont séjourné "
        "depuis juin.",
        7300,
        "tourists",
        id="russian-tourists-in-the-north",
    ),
    pytest.param(
        "Un terminal russe reçoit les munitions nord-coréennes. On y a compté 1 200 conteneurs "
        "débarqués de six cargos en provenance de Rajin, puis envoyés vers la région de Briansk.",
        6,
        "transport",
        id="cargo-ships-unloading",
    ),
    pytest.param(
        "Aujourd'hui, 120 officiers nord-coréens suivent des formations à Moscou.",
        120,
        "troops_sent",
        id="officers-training-in-russia",
    ),
    pytest.param(
        "« Nous en comptons 6 100 sur notre secteur », a confié un officier, à propos des "
        "soldats nord-coréens déployés face à ses troupes en Russie.",
        6100,
        "troops_sent",
        id="pronoun-count-whose-topic-follows",
    ),
]


@pytest.mark.parametrize(("text", "value", "measure"), ROUND8_CATCH)
def test_round8_forms_that_count(watch: Watch, text: str, value: float, measure: str) -> None:
    found = [f for f in extract_figures(text, watch) if f.value == value]
    assert [f.measure for f in found] == [measure], extract_figures(text, watch)


def test_a_changed_count_keeps_its_own_qualifier_and_its_antecedent(watch: Watch) -> None:
    text = (
        "Séoul publie un bilan des soldats nord-coréens tués en Russie. Le nombre est passé de "
        "près de 1 500 à 4 300 en un an."
    )
    figure = only(text, watch)
    assert figure.qualifier is None
    assert "tués" in figure.evidence
    assert figure.evidence[figure.span[0] : figure.span[1]].startswith("1 500 à 4 300")


@pytest.mark.parametrize(
    "text",
    [
        "Les unités nord-coréennes ont changé. L'armée ukrainienne compte désormais 1 400 "
        "opérateurs de drones déployés dans la région de Koursk, a affirmé le général Petrenko.",
        "Des trains ont quitté Khassan vers l'ouest de la Russie. Ils transportaient 3 100 "
        "conteneurs.",
        "Pyongyang multiplie les envois. La Russie a tiré 130 missiles au cours de l'été.",
        "Séoul publie un bilan des soldats nord-coréens tués en Russie. Le nombre de réfugiés est "
        "passé de 1 500 à 4 300 en un an.",
        "Les échanges entre Moscou et Pyongyang :\n• Chars de la Russie et de la Corée du Nord : "
        "45 (centre d'études)",
        "La Russie et la Corée du Nord renforcent leurs liens. Plus de 700 000 touristes russes "
        "ont visité la Tunisie depuis janvier.",
        "Un terminal russe reçoit les munitions nord-coréennes. Six cargos amarrés à Rajin "
        "attendent.",
        "Moscou observe Pyongyang : 120 officiers nord-coréens suivent des cours à Pyongyang.",
        "« Nous en comptons 6 100 sur notre secteur », a confié un officier, à propos des "
        "réfugiés venus de Corée du Nord en Russie.",
        "Moscou et Pyongyang se rapprochent. La Russie forme 30 000 ingénieurs par an.",
    ],
    ids=[
        "third-party-before-the-attribution",
        "pronoun-after-a-sentence-without-figure",
        "russia-firing-is-no-receiving",
        "le-nombre-de-has-its-own-noun",
        "list-item-without-a-handing-over",
        "russian-tourists-elsewhere",
        "cargo-ships-moored",
        "officers-at-home",
        "pronoun-count-whose-topic-is-no-counted-noun",
        "russian-engineers-at-home",
    ],
)
def test_round8_near_forms_that_must_not_count(watch: Watch, text: str) -> None:
    assert extract_figures(text, watch) == []


def test_others_after_another_measure_is_no_batch(watch: Watch) -> None:
    """ "3 000 tués et 4 500 autres blessés": others than the dead, not a batch more."""
    text = "Plus de 3 000 soldats nord-coréens ont été tués en Russie et 4 500 autres blessés."
    wounded = [f for f in extract_figures(text, watch) if f.value == 4500]
    assert [f.additional for f in wounded] == [False]


def test_others_of_the_same_measure_is_a_batch(watch: Watch) -> None:
    text = "La Corée du Nord a envoyé 11 000 soldats en Russie, puis 3 000 autres soldats."
    batch = [f for f in extract_figures(text, watch) if f.value == 3000]
    assert [f.additional for f in batch] == [True]


def test_measure_of_another_paragraph_is_not_continued(watch: Watch) -> None:
    """A book's price under a title about payments is no payment."""
    text = (
        "« Moscou paie la Corée du Nord en pétrole »\n"
        "Elle publie « Le Pacte des parias » (Éditions du Confluent, 320 pages, 22 euros)."
    )
    assert extract_figures(text, watch) == []


CONTINUED = (
    "Nous avons compté 2 600 soldats nord-coréens en face de nous, affirme le colonel.\n"
    "« Ils sont en Russie depuis 2024 », dit son adjoint.\n"
    "« {} ont perdu 700 hommes en une semaine », glisse un officier."
)


def test_pronoun_paragraph_continues_the_two_before(watch: Watch) -> None:
    """A paragraph naming nobody, its subject "ils", continues paragraphs that named both."""
    figures = extract_figures(CONTINUED.format("Ils"), watch)
    assert (700, "killed") in {(f.value, f.measure) for f in figures}


def test_paragraph_naming_nobody_without_pronoun_is_not_continued(watch: Watch) -> None:
    figures = extract_figures(CONTINUED.format("Les bataillons de la brigade"), watch)
    assert 700 not in {f.value for f in figures}


HEADED = (
    "Séoul fait état de l'arrivée de renforts nord-coréens en Russie.\n\n"
    "{heading}\n\n"
    "Quelque 4 500 soldats de plus ont été acheminés fin décembre, selon le NIS."
)


def test_paragraph_after_a_heading_goes_on_from_the_section_before(watch: Watch) -> None:
    figure = only(HEADED.format(heading="Combien ?"), watch)
    assert (figure.value, figure.measure, figure.additional) == (4500, "troops_sent", True)


def test_paragraph_after_a_sentence_does_not_go_on_from_two_before(watch: Watch) -> None:
    text = HEADED.format(heading="Le point a été fait jeudi devant les députés du Parlement.")
    assert extract_figures(text, watch) == []


def test_sections_after_headings_carry_the_introduction(watch: Watch) -> None:
    text = (
        "Renforts nord-coréens en Russie : ce que l'on sait.\n\n"
        "Combien ?\n\nLe NIS a publié ses chiffres jeudi.\n\n"
        "Et les pertes ?\n\nLe NIS a relevé son estimation des morts à 3 100."
    )
    figure = only(text, watch)
    assert (figure.value, figure.measure) == (3100, "killed")


def test_added_soldiers_are_troops_sent(watch: Watch) -> None:
    text = "Environ 6 000 soldats nord-coréens supplémentaires ont quitté la Corée du Nord pour la Russie."
    figure = only(text, watch)
    assert (figure.value, figure.measure, figure.additional) == (6000, "troops_sent", True)


def test_soldiers_at_home_are_no_troops_sent(watch: Watch) -> None:
    text = "La Corée du Nord compte 6 000 soldats dans ses garnisons, dit la Russie."
    assert extract_figures(text, watch) == []


def test_estimate_of_the_dead_counts_the_dead(watch: Watch) -> None:
    text = (
        "Sur les soldats nord-coréens en Russie, Séoul a relevé son estimation des morts à 3 100."
    )
    assert only(text, watch).measure == "killed"


LEADER_TABLE = (
    "Russie-Corée du Nord : l'alliance en chiffres\n\n"
    "LE MATÉRIEL Obus d'artillerie .......... environ 7 millions Obusiers automoteurs "
    "Koksan (170 mm) ......... 120 Travailleurs nord-coréens arrivés en Russie en 2025 .. "
    "15 000"
)


def test_dot_leader_rows_run_together_keep_each_value_on_its_label(watch: Watch) -> None:
    got = {(f.value, f.measure) for f in extract_figures(LEADER_TABLE, watch)}
    assert (120, "artillery") in got
    assert (15000, "workers") in got
    assert (170, "artillery") not in got  # a calibre
    evidence = [f.evidence for f in extract_figures(LEADER_TABLE, watch)]
    assert any("......... 120" in e for e in evidence)  # as the article writes it


def test_value_before_a_label_is_not_that_labels_count(watch: Watch) -> None:
    text = "Russie-Corée du Nord.\n\nBlessés ........ 3 800 Travailleurs nord-coréens en Russie"
    assert all(f.measure != "workers" for f in extract_figures(text, watch))


def test_three_dots_of_an_ellipsis_are_no_leader(watch: Watch) -> None:
    text = "Pyongyang a envoyé... 3 000 soldats en Russie, selon Séoul."
    assert only(text, watch).value == 3000


def test_calibre_in_parentheses_is_no_count(watch: Watch) -> None:
    text = "La Corée du Nord a livré à la Russie des lance-roquettes multiples (240 mm)."
    assert extract_figures(text, watch) == []


def test_bulleted_items_run_together_are_read_one_by_one(watch: Watch) -> None:
    text = (
        "Russie-Corée du Nord : les dates clés\n\n"
        "- 15 septembre : Kim Jong Un honore les soldats morts en Russie. - 22 octobre : un "
        "train de 48 wagons-citernes de carburant russe franchit le pont, en direction de la "
        "Corée du Nord. - 30 novembre : Séoul annonce 6 000 soldats nord-coréens supplémentaires."
    )
    got = {(f.value, f.measure): f.evidence for f in extract_figures(text, watch)}
    assert got[(48, "transport")].startswith("- 22 octobre")
    assert got[(6000, "troops_sent")].startswith("- 30 novembre")


def test_dash_inside_a_sentence_is_no_item(watch: Watch) -> None:
    text = "Pyongyang - selon Séoul - a envoyé 6 000 soldats en Russie."
    assert only(text, watch).evidence == text


def test_added_count_after_the_demonym(watch: Watch) -> None:
    text = "Trois soldats nord-coréens de plus capturés en Russie, selon Kiev."
    assert only(text, watch).additional


def test_strength_apposition_of_the_north_korean_contingent(watch: Watch) -> None:
    text = "Un contingent nord-coréen, fort de 11 000 hommes, combat aux côtés des Russes."
    assert only(text, watch).value == 11000


def test_interview_answer_goes_on_from_its_question(watch: Watch) -> None:
    text = (
        "— Combien d'obus la Corée du Nord a-t-elle livrés à la Russie ?\n\n"
        "— « Les estimations dépassent 12 millions d'obus, soit plus que l'Europe à l'Ukraine. »"
    )
    assert only(text, watch).value == 12_000_000


def test_answer_about_a_third_party_is_not_the_questions(watch: Watch) -> None:
    text = (
        "— Combien d'obus la Corée du Nord a-t-elle livrés à la Russie ?\n\n"
        "— « L'Ukraine a reçu 2 millions d'obus. »"
    )
    assert extract_figures(text, watch) == []


def test_sent_with_the_recipient_named_in_the_paragraph_before(watch: Watch) -> None:
    text = (
        "La Corée du Nord a envoyé 17 000 soldats en Russie. Le NIS l'a dit vendredi.\n\n"
        "Pyongyang aurait en outre livré 40 missiles KN-23 supplémentaires."
    )
    assert {f.value for f in extract_figures(text, watch)} == {17000, 40}


def test_fired_missiles_are_not_sent_to_the_paragraph_before(watch: Watch) -> None:
    text = (
        "La Corée du Nord a envoyé 17 000 soldats en Russie. Le NIS l'a dit vendredi.\n\n"
        "Pyongyang aurait en outre tiré 40 missiles KN-23 en mer."
    )
    assert {f.value for f in extract_figures(text, watch)} == {17000}


def test_identified_officers_are_troops_sent(watch: Watch) -> None:
    text = "Kiev a identifié au moins 180 officiers nord-coréens aux postes de l'artillerie russe."
    assert only(text, watch).measure == "troops_sent"


def test_subject_verb_after_an_aside_between_commas(watch: Watch) -> None:
    text = (
        "Selon les douanes russes, 3.200 tonnes de marchandises, essentiellement des matériaux "
        "de construction, ont franchi le pont en direction de la Corée du Nord."
    )
    assert (only(text, watch).value, only(text, watch).measure) == (3200, "goods")


def test_aside_without_a_verb_after_it_is_no_subject(watch: Watch) -> None:
    text = (
        "Selon les douanes russes, 3.200 tonnes de marchandises, essentiellement des matériaux "
        "de construction, en direction de la Corée du Nord, un record."
    )
    assert extract_figures(text, watch) == []


def test_north_koreans_working_are_workers(watch: Watch) -> None:
    text = (
        "Il affirme que 300 Nord-Coréens travaillaient sur un chantier de Vladivostok, en Russie."
    )
    figure = only(text, watch)
    assert (figure.value, figure.measure) == (300, "workers")


def test_north_koreans_arriving_are_no_workers(watch: Watch) -> None:
    text = "Il affirme que 300 Nord-Coréens sont arrivés à Vladivostok, en Russie, pour combattre."
    assert only(text, watch).measure != "workers"


def test_count_compared_with_another_year_counts_the_same_noun(watch: Watch) -> None:
    text = (
        "18 400 ressortissants nord-coréens sont entrés en Russie en 2026, contre 13 100 sur "
        "l'ensemble de l'année 2025."
    )
    assert {(f.value, f.measure) for f in extract_figures(text, watch)} == {
        (18400, "entries"),
        (13100, "entries"),
    }


def test_old_estimate_recalled_with_contre_is_no_figure(watch: Watch) -> None:
    text = "Séoul a porté à 21 000 le nombre de soldats nord-coréens en Russie, contre 15 000 jusqu'ici."
    assert {f.value for f in extract_figures(text, watch)} == {21000}


def test_among_the_arrivals_with_a_complement(watch: Watch) -> None:
    text = (
        "18 400 ressortissants nord-coréens sont entrés en Russie en 2026. Parmi les arrivants "
        "de cette année, 9 700 ont déclaré un motif « d'études »."
    )
    assert (9700, "entries") in {(f.value, f.measure) for f in extract_figures(text, watch)}


def test_among_a_noun_with_another_word_is_no_lead(watch: Watch) -> None:
    text = (
        "18 400 ressortissants nord-coréens sont entrés en Russie en 2026. Parmi les arrivants "
        "venus par avion, 9 700 ont déclaré un motif « d'études »."
    )
    assert 9700 not in {f.value for f in extract_figures(text, watch)}


@pytest.mark.parametrize(
    ("after", "found"),
    [
        pytest.param("\n\nLes Nord-Coréens sont-ils inclus ?\n\n", False, id="question-heading"),
        pytest.param(" Les Nord-Coréens y sont inclus.", True, id="same-paragraph-sentence"),
    ],
)
def test_a_question_heading_next_does_not_tie_a_figure(
    watch: Watch, after: str, found: bool
) -> None:
    """An explainer's question heading ("Les Nord-Coréens sont-ils inclus ?") is about the
    answer after it: it does not make the figure before it the relationship's."""
    text = "Les avis de décès publiés en Russie identifient quelque 160 000 morts." + after
    assert any(f.value == 160000 for f in extract_figures(text, watch)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param(
            "Plus de 34 000 Nord-Coréens ont fait défection vers le Sud, mais aucun n'était "
            "arrivé par un champ de bataille.",
            False,
            id="defectors",
        ),
        pytest.param(
            "Plus de 34 000 Nord-Coréens sont arrivés en Russie pour combattre.",
            True,
            id="sent",
        ),
    ],
)
def test_defectors_are_not_troops_sent(watch: Watch, text: str, found: bool) -> None:
    said = "« S'ils sont renvoyés en Russie, ils seront livrés à Pyongyang », dit-elle.\n\n"
    assert any(f.value == 34000 for f in extract_figures(said + text, watch)) is found


@pytest.mark.parametrize(
    ("force", "found"),
    [
        pytest.param("les forces russes", False, id="russian-force"),
        pytest.param("les troupes nord-coréennes", True, id="north-korean-force"),
    ],
)
def test_a_force_s_strength_is_the_force_s(watch: Watch, force: str, found: bool) -> None:
    """ "X, fortes de 50 000 hommes": the count is X's men, not the other side's."""
    text = (
        f"Pyongyang a envoyé des renforts dans la région russe de Koursk, où {force}, fortes "
        "de quelque 50 000 hommes, tentent de reprendre l'initiative."
    )
    assert any(f.value == 50000 for f in extract_figures(text, watch)) is found


@pytest.mark.parametrize(
    ("text", "value", "measure"),
    [
        pytest.param(
            "Des unités nord-coréennes mènent les assauts pour la Russie. Elles auraient perdu "
            "85 soldats en dix jours.",
            85,
            "killed",
            id="lost-conditional",
        ),
        pytest.param(
            "Kiev affirme que 9 soldats nord-coréens détenus par l'Ukraine veulent rester.",
            9,
            "captured",
            id="held-are-captured",
        ),
        pytest.param(
            "Quelque 120 officiers nord-coréens serviraient dans les états-majors russes.",
            120,
            "troops_sent",
            id="serving-conditional",
        ),
    ],
)
def test_verb_forms_say_the_measure(watch: Watch, text: str, value: int, measure: str) -> None:
    assert (value, measure) in {(f.value, f.measure) for f in extract_figures(text, watch)}


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        pytest.param(
            "Quelque 120 officiers nord-coréens ont été envoyés en Russie.",
            "troops_sent",
            id="sent-not-held",
        ),
        pytest.param(
            "Selon le service de renseignement, 120 officiers nord-coréens sont tombés.",
            "killed",
            id="service-is-no-serving",
        ),
    ],
)
def test_verb_forms_do_not_say_another_measure(watch: Watch, text: str, measure: str) -> None:
    assert {f.measure for f in extract_figures(text, watch) if f.value == 120} == {measure}


@pytest.mark.parametrize(
    ("tail", "found"),
    [
        pytest.param("pour un dollar", False, id="exchange-rate"),
        pytest.param("pour un accord de livraison", True, id="payment"),
    ],
)
def test_exchange_rate_is_no_money_sent(watch: Watch, tail: str, found: bool) -> None:
    text = f"Pyongyang a reçu de Moscou 88 roubles {tail} en échange des obus."
    assert any(f.value == 88 for f in extract_figures(text, watch)) is found


@pytest.mark.parametrize(
    ("soldiers", "found"),
    [
        pytest.param("soldats nord-coréens", {(1640, "killed")}, id="north-korean"),
        pytest.param("soldats russes", set(), id="russian"),
    ],
)
def test_among_them_counts_the_subject_before(
    watch: Watch, soldiers: str, found: set[tuple[int, str]]
) -> None:
    """ "Parmi eux, N …" counts the plural noun the sentence before names (not its participle
    "tués ou blessés"), with that noun's owner."""
    text = (
        f"Quelque 5 300 {soldiers} ont été tués ou blessés près de Koursk, en Russie. "
        "Parmi eux, environ 1 640 auraient été tués."
    )
    assert {(f.value, f.measure) for f in extract_figures(text, watch) if f.value != 5300} == found


@pytest.mark.parametrize(
    ("between", "found"),
    [
        pytest.param(" ", True, id="same-paragraph"),
        pytest.param("\n\n", False, id="next-paragraph"),
    ],
)
def test_sentence_naming_nobody_goes_on_from_a_counted_one(
    watch: Watch, between: str, found: bool
) -> None:
    """After a sentence giving a figure of the relationship, a sentence of its paragraph
    naming nobody goes on from it; a new paragraph does not."""
    text = (
        "Le trafic ferroviaire entre la Corée du Nord et la Russie s'intensifie. "
        "Quelque 9 100 conteneurs nord-coréens ont franchi la frontière depuis mars."
        f"{between}En juillet, 640 wagons chargés de munitions ont emprunté le pont."
    )
    assert any(f.value == 640 for f in extract_figures(text, watch)) is found


@pytest.mark.parametrize(
    ("lead", "found"),
    [
        pytest.param("le nombre de missiles livrés par Pyongyang", True, id="number-of"),
        pytest.param("le trafic vers Pyongyang", False, id="no-counted-noun"),
    ],
)
def test_count_verb_after_a_comma_counts_the_number_of(
    watch: Watch, lead: str, found: bool
) -> None:
    """ "le nombre de X a doublé, pour atteindre N": N counts X."""
    text = f"Selon Moscou, {lead} a doublé en un an, pour atteindre près de 260 engins."
    assert any(f.value == 260 for f in extract_figures(text, watch)) is found


@pytest.mark.parametrize(
    ("count", "found"),
    [
        pytest.param("Deux des prisonniers", False, id="part-of-the-prisoners"),
        pytest.param("Deux prisonniers", True, id="two-prisoners"),
    ],
)
def test_part_of_a_known_set_is_no_count(watch: Watch, count: str, found: bool) -> None:
    """ "Deux des prisonniers …" is a part of prisoners the text counts, not a new count."""
    text = f"{count} nord-coréens détenus par l'Ukraine veulent rejoindre la Corée du Sud."
    assert any(f.value == 2 for f in extract_figures(text, watch)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param(
            "« Au moins 370 officiers nord-coréens ont été formés dans des académies russes. »",
            True,
            id="trained-in-russia",
        ),
        pytest.param(
            "« Au moins 370 officiers nord-coréens ont été vus dans des académies russes. »",
            False,
            id="seen",
        ),
    ],
)
def test_officers_trained_in_russia_are_troops_sent(watch: Watch, text: str, found: bool) -> None:
    assert (
        any(f.value == 370 and f.measure == "troops_sent" for f in extract_figures(text, watch))
        is found
    )


@pytest.mark.parametrize(
    ("engineers", "found"),
    [
        pytest.param("les ingénieurs de Pyongyang", True, id="pyongyang"),
        pytest.param("les ingénieurs", False, id="nobody"),
    ],
)
def test_missiles_fired_on_ukraine_with_pyongyang_named(
    watch: Watch, engineers: str, found: bool
) -> None:
    """Missiles of Pyongyang's fired on Ukraine are fired by Russia: the sentence names both."""
    text = f"Au moins 190 missiles KN-23 ont été tirés sur l'Ukraine, selon {engineers}."
    assert any(f.value == 190 for f in extract_figures(text, watch)) is found


# Round 13 (figures in ordinary prose): each rule with a case it must take and a near case it
# must leave.
R13_TAKE = [
    pytest.param(
        "La Corée du Nord a dépêché en Russie 3 500 hommes, portant à 18 000 le nombre de ses "
        "soldats présents sur le sol russe.",
        18000,
        id="place-noun-and-demonym-is-a-place",
    ),
    pytest.param(
        "D'après Kiev, les rotations successives ont porté à 20 000 le nombre total de soldats "
        "nord-coréens passés par la Russie depuis l'automne 2024.",
        20000,
        id="le-nombre-total-de",
    ),
    pytest.param(
        "Séoul revoit son décompte des travailleurs nord-coréens en Russie : 12 000 ouvriers "
        "supplémentaires seraient arrivés, portant leur nombre total à environ 24 000.",
        24000,
        id="change-verb-before-their-number",
    ),
    pytest.param(
        "Un rapport recense 15 000 conteneurs expédiés de Corée du Nord vers la Russie. Il fait "
        "état de 180 missiles livrés sur la même période, un chiffre inférieur aux estimations "
        "ukrainiennes.",
        180,
        id="plural-source-noun-names-no-party",
    ),
    pytest.param(
        "La voie ferrée n'est pas en reste : 2 400 wagons ont emprunté le pont de l'Amitié entre "
        "la Corée du Nord et la Russie depuis février.",
        2400,
        id="wagons-that-took-the-bridge",
    ),
    pytest.param(
        "La Russie a livré deux batteries de défense antiaérienne à la Corée du Nord.",
        2,
        id="batteries-de-defense-antiaerienne",
    ),
    pytest.param(
        "Washington accuse la Russie d'avoir envoyé en Corée du Nord environ 300 officiers "
        "chargés de former l'armée, ainsi que deux batteries de défense antiaérienne S-400.",
        2,
        id="comma-and-coordinator-share-the-verb",
    ),
    pytest.param(
        "« L'artillerie russe, qui a reçu plus de 4 000 canons de Pyongyang depuis 2022, "
        "tient le front », écrit l'institut.",
        4000,
        id="relative-clause-that-receives",
    ),
    pytest.param(
        "Des sapeurs nord-coréens sont au travail près de Soudja. Une chaîne affirme que "
        "600 sapeurs coréens ont déjà nettoyé les champs de mines.",
        600,
        id="soudja-is-the-koursk-front",
    ),
    pytest.param(
        "Pyongyang a envoyé en Russie un groupe de 1 500 hommes, qui avancent par petits groupes.",
        1500,
        id="a-group-is-a-count",
    ),
]

R13_LEAVE = [
    pytest.param(
        "Selon Kiev, 18 000 soldats sont présents sur le sol russe.",
        18000,
        id="place-alone-names-one-side",
    ),
    pytest.param(
        "Pyongyang a porté à 20 000 le nombre total de touristes chinois accueillis.",
        20000,
        id="le-nombre-total-of-something-else",
    ),
    pytest.param(
        "Moscou a accueilli 12 000 ouvriers nord-coréens cette année, portant le nombre de "
        "réfugiés à 24 000.",
        24000,
        id="number-with-its-own-complement",
    ),
    pytest.param(
        "Un rapport recense 15 000 conteneurs expédiés de Corée du Nord vers la Russie. Le "
        "document fait état de 180 missiles tirés sur la même période par l'armée ukrainienne.",
        180,
        id="a-third-party-own-missiles",
    ),
    pytest.param(
        "Quelque 2 400 wagons stationnent dans les gares entre la Corée du Nord et la Russie.",
        2400,
        id="wagons-standing-still",
    ),
    pytest.param(
        "La Corée du Nord a déployé deux batteries de défense antiaérienne autour de Pyongyang.",
        2,
        id="batteries-at-home",
    ),
    pytest.param(
        "Washington accuse la Russie d'avoir envoyé en Corée du Nord environ 300 officiers. "
        "Deux batteries de défense antiaérienne protègent Pyongyang.",
        2,
        id="another-sentence-has-no-verb-of-sending",
    ),
    pytest.param(
        "« Les pièces nord-coréennes comblent les pertes de l'artillerie russe, qui a perdu plus "
        "de 4 000 canons depuis 2022 », écrit l'institut.",
        4000,
        id="relative-clause-whose-subject-owns-the-count",
    ),
    pytest.param(
        "Des sapeurs sud-coréens sont au travail près de Séoul. Une chaîne affirme que "
        "600 sapeurs coréens ont déjà nettoyé les champs de mines.",
        600,
        id="sappers-elsewhere",
    ),
    pytest.param(
        "Selon le colonel, quelque 400 soldats nord-coréens ont été tués en Russie dans ce "
        "secteur, où ils avancent par petits groupes de dix ou quinze hommes.",
        15,
        id="the-size-of-each-group",
    ),
]


@pytest.mark.parametrize(("text", "value"), R13_TAKE)
def test_round13_forms_that_count(watch: Watch, text: str, value: float) -> None:
    assert value in [f.value for f in extract_figures(text, watch)]


@pytest.mark.parametrize(("text", "value"), R13_LEAVE)
def test_round13_near_forms_that_must_not_count(watch: Watch, text: str, value: float) -> None:
    assert value not in [f.value for f in extract_figures(text, watch)]


# Round 14: a third party telling a figure, a section going on under its heading, a recipient
# named with the sender a paragraph before, training and embarking troops, goods carried back.
R14_TAKE = [
    pytest.param(
        "Les pertes nord-coréennes en Russie atteindraient 6 500 hommes. Kiev avance pour sa "
        "part un bilan nettement plus lourd, de l'ordre de 4 000 morts.",
        4000,
        id="third-party-subject-of-a-verb-of-telling",
    ),
    pytest.param(
        "Les soldats nord-coréens combattent dans la région de Koursk.\n\nCombien de morts ?\n\n"
        "Le NIS estime les pertes nord-coréennes à 6 500 hommes.\n\n"
        "Kiev avance pour sa part un bilan de 4 000 morts.",
        4000,
        id="second-paragraph-of-a-section",
    ),
    pytest.param(
        "Au bout de la ligne coule le fleuve Tumen, frontière avec la Corée du Nord.\n\n"
        "Une quarantaine de wagons passent chaque jour. Selon une étude, 16 500 conteneurs ont traversé la frontière depuis janvier, chargés "
        "de munitions à destination de la Russie.",
        16500,
        id="recipient-here-sender-in-the-paragraph-before",
    ),
    pytest.param(
        "Il a été envoyé en Russie en 2025. « Nous étions 3 500 soldats à embarquer à Wonsan, "
        "sans savoir où l'on allait », raconte-t-il.",
        3500,
        id="soldiers-embarking",
    ),
    pytest.param(
        "Deux navires russes ont rapporté 2 800 tonnes de charbon nord-coréen vers le port de "
        "Vanino.",
        2800,
        id="goods-carried-back",
    ),
    pytest.param(
        "Pyongyang aurait livré un million et demi d'obus à la Russie.",
        1_500_000,
        id="a-million-and-a-half-in-words",
    ),
    pytest.param(
        "Les soldats nord-coréens envoyés en Russie sont au nombre de 12 000.",
        12000,
        id="au-nombre-de",
    ),
    pytest.param(
        "Le contingent nord-coréen en Russie est désormais estimé à 15 000.",
        15000,
        id="the-contingent-estimated-at",
    ),
    pytest.param(
        "Séoul a revu à la hausse son estimation des pertes nord-coréennes en Russie, de 3 000 "
        "à 4 700.",
        4700,
        id="a-revision-after-a-comma",
    ),
    pytest.param(
        "Une frappe ukrainienne sur un camp nord-coréen de la région de Koursk a fait 200 "
        "morts, selon Kiev.",
        200,
        id="a-third-party-strike-kills-the-sides-soldiers",
    ),
    pytest.param(
        "Des soldats nord-coréens combattent en Russie. Cela porterait leur nombre à 15 000.",
        15000,
        id="cela-porterait-leur-nombre",
    ),
    pytest.param(
        "Des soldats nord-coréens combattent en Russie. Séoul a porté leur nombre total à "
        "environ 15 000.",
        15000,
        id="a-subject-brings-their-number-to",
    ),
    pytest.param(
        "Les Nord-Coréens attaquent en Russie. « Nous en avons tué plus de 300 en une "
        "semaine », affirme le commandant.",
        300,
        id="en-avons-tue",
    ),
    pytest.param(
        "Des ouvriers nord-coréens travaillent en Russie. On estime qu'ils sont quelque 15 000.",
        15000,
        id="qu-ils-sont",
    ),
    pytest.param(
        "Le nombre de soldats nord-coréens tués en Russie frôle les 4 000.",
        4000,
        id="frole-les",
    ),
    pytest.param(
        "« Des soldats nord-coréens, il y en a à peu près 15 000 en Russie », dit-il.",
        15000,
        id="il-y-en-a",
    ),
    pytest.param(
        "« Pyongyang a envoyé grosso modo 11 000 gars en Russie », lance le général.",
        11000,
        id="spoken-gars",
    ),
    pytest.param(
        "Pyongyang aurait livré de 4 à 6 millions d'obus à la Russie.",
        4_000_000,
        id="a-range-sharing-its-multiplier",
    ),
    pytest.param(
        "Pyongyang a envoyé entre 10 et 12 000 soldats en Russie.",
        10000,
        id="a-range-sharing-its-thousands",
    ),
    pytest.param(
        "Que fournit Pyongyang à la Russie ?\n\nDe l'artillerie. La Corée du Nord a livré près de "
        "250 missiles, des KN-23 pour l'essentiel, et environ 200 lance-roquettes multiples.",
        200,
        id="a-count-after-an-aside-shares-the-verb-of-sending",
    ),
    pytest.param(
        "Sur un total estimé de 15 000 soldats nord-coréens envoyés en Russie, 5 000 seraient "
        "morts.",
        5000,
        id="out-of-an-estimated-total",
    ),
    pytest.param(
        "Les 5 300 soldats nord-coréens qui, selon Kiev, ont péri depuis l'automne aux côtés de "
        "l'armée russe.",
        5300,
        id="a-predicate-after-an-aside",
    ),
    pytest.param(
        "La Russie a transféré à Pyongyang : 14 chasseurs MiG-29, trois systèmes de défense "
        "antiaérienne Pantsir-S1.",
        3,
        id="a-list-after-a-colon-takes-the-verb-before",
    ),
    pytest.param(
        "Le NIS a revu à la baisse son estimation des obus livrés par la Corée du Nord à la "
        "Russie : 10 millions depuis août 2023.",
        10_000_000,
        id="a-value-after-a-colon",
    ),
    pytest.param(
        "Combien d'obus la Corée du Nord a-t-elle fournis à la Russie ? Les réponses varient."
        "\n\nLe renseignement sud-coréen avance le chiffre de 12 millions d'obus.",
        12_000_000,
        id="the-paragraph-after-a-question",
    ),
    pytest.param(
        "Pyongyang livre des obus à Moscou. Le HUR s'en tient, lui, à « près de 6 millions » "
        "d'obus.",
        6_000_000,
        id="a-quote-closing-before-the-noun",
    ),
    pytest.param(
        "L'Ukraine détient désormais cinq soldats nord-coréens capturés en Russie.",
        5,
        id="detient",
    ),
    pytest.param(
        "Séoul fait état d'au moins 17 désertions dans les rangs nord-coréens en Russie.",
        17,
        id="desertions",
    ),
    pytest.param(
        "Le Japon estime que la Russie a livré à Pyongyang 36 moteurs-fusées.",
        36,
        id="rocket-engines",
    ),
    pytest.param(
        "Kim Jong Un a présidé une cérémonie d'accueil pour 1 500 soldats revenus de Russie, où "
        "ils avaient été déployés.",
        1500,
        id="a-count-after-pour",
    ),
    pytest.param(
        "Le Kremlin verserait chaque année quelque 40 milliards de roubles au régime "
        "nord-coréen pour la solde de ses soldats déployés en Russie.",
        40_000_000_000,
        id="chaque-annee-is-a-period-not-an-item",
    ),
    pytest.param(
        "Selon Séoul, la Russie aurait livré à Pyongyang au cours de la même semaine quelque 40 "
        "systèmes de défense antiaérienne.",
        40,
        id="au-cours-de-is-no-price",
    ),
    pytest.param(
        "Les ouvriers nord-coréens sont arrivés à Koursk. Ils sont encadrés par deux cent "
        "cinquante officiers du génie nord-coréen.",
        250,
        id="a-continuing-subject-takes-the-sentence-before",
    ),
    pytest.param(
        "« Nos soldats ont éliminé près de 300 militaires nord-coréens en Russie. »",
        300,
        id="elimines",
    ),
    pytest.param(
        "« Plus de 12 000 ressortissants de la RPDC travaillent déjà dans nos régions », a dit le "
        "vice-ministre russe.",
        12000,
        id="nationals-at-work",
    ),
    pytest.param(
        "Des ouvriers nord-coréens travaillent en Russie. Ils seraient entre 12 000 et 15 000.",
        12000,
        id="a-pronoun-and-a-range",
    ),
    pytest.param(
        "L'Ukraine affirme que Pyongyang a envoyé 3 000 soldats en Russie.",
        3000,
        id="a-side-between-the-third-party-and-the-count",
    ),
]

R14_LEAVE = [
    pytest.param(
        "La Corée du Nord a envoyé des troupes en Russie. L'Ukraine affirme avoir perdu 200 "
        "soldats.",
        200,
        id="a-third-party-own-deed-after-a-verb-of-telling",
    ),
    pytest.param(
        "Des unités nord-coréennes combattent dans la région de Koursk. L'Ukraine affirme de son "
        "côté avoir perdu 900 hommes.",
        900,
        id="a-third-party-own-deed-after-an-adjunct",
    ),
    pytest.param(
        "Le pont relie deux gares de la région.\n\nUne quarantaine de wagons passent chaque "
        "jour. Selon une étude, 16 500 conteneurs ont "
        "traversé la frontière depuis janvier, à destination de la Russie.",
        16500,
        id="recipient-with-no-sender-before",
    ),
    pytest.param(
        "Les soldats nord-coréens combattent dans la région de Koursk.\n\n"
        "Le NIS estime les pertes nord-coréennes à 6 500 hommes.\n\n"
        "Kiev avance pour sa part un bilan de 4 000 morts.",
        4000,
        id="no-heading-no-section",
    ),
    pytest.param(
        "Pyongyang a fait embarquer 3 500 soldats pour des manœuvres en mer Jaune.",
        3500,
        id="embarking-with-no-other-side",
    ),
    pytest.param(
        "Pyongyang a envoyé trois contingents en Russie depuis 2024.",
        3,
        id="a-count-of-contingents",
    ),
    pytest.param(
        "Séoul a revu à la hausse son estimation des pertes nord-coréennes en Russie, de 3 000 "
        "à 4 700.",
        3000,
        id="a-revision-old-value",
    ),
    pytest.param(
        "Un missile nord-coréen KN-23 tiré par la Russie sur Kiev a fait 12 morts.",
        12,
        id="the-toll-of-a-strike-by-the-sides",
    ),
    pytest.param(
        "Une frappe russe menée avec des missiles nord-coréens a fait au moins 12 morts et 40 "
        "blessés à Kharkiv.",
        40,
        id="the-wounded-of-a-strike-by-the-sides",
    ),
    pytest.param(
        "Des soldats nord-coréens combattent en Russie. Kiev a multiplié les frappes, portant le "
        "total des pertes russes à 15 000.",
        15000,
        id="a-total-with-its-own-complement",
    ),
    pytest.param(
        "Les Nord-Coréens attaquent en Russie. « Nous en avons tué plus de 300 civils », "
        "affirme le commandant.",
        300,
        id="en-avons-tue-with-a-noun-of-its-own",
    ),
    pytest.param(
        "L'Ukraine a perdu 43 000 soldats depuis le début de la guerre, tandis que la Corée du "
        "Nord envoie des troupes en Russie.",
        43000,
        id="a-third-party-subject-loses",
    ),
    pytest.param(
        "Séoul a envoyé 1 000 obus à Kiev, en réponse aux livraisons nord-coréennes à la Russie.",
        1000,
        id="a-third-party-subject-sends",
    ),
    pytest.param(
        "Des soldats nord-coréens sont en Russie. Il y en a deux qui parlent russe.",
        2,
        id="il-y-en-a-some-who",
    ),
    pytest.param(
        "Pyongyang aurait livré de 4 à 6 millions d'obus à la Russie.",
        4,
        id="a-range-low-end-without-its-multiplier",
    ),
    pytest.param(
        "Les soldats nord-coréens morts en Russie étaient jeunes. La plupart des victimes "
        "seraient âgées de 18 à 24 ans.",
        18,
        id="an-age",
    ),
    pytest.param(
        "Pyongyang a perdu des hommes en Russie. L'analyste évoque désormais un tué pour trois "
        "blessés chez les Nord-Coréens.",
        3,
        id="a-ratio",
    ),
    pytest.param(
        "Le Kremlin verse à Pyongyang 40 milliards de roubles. Chaque soldat nord-coréen en "
        "Russie toucherait 2 000 dollars.",
        2000,
        id="a-sum-per-soldier",
    ),
    pytest.param(
        "Pyongyang a envoyé entre 10 et 12 000 soldats en Russie.",
        10,
        id="a-range-low-end-without-its-thousands",
    ),
    pytest.param(
        "Pyongyang a livré 220 lance-roquettes à la Russie. Chaque lance-roquettes peut tirer 22 "
        "roquettes en moins d'une minute.",
        22,
        id="a-count-per-item",
    ),
    pytest.param(
        "La Russie a livré du pétrole à la Corée du Nord. Le prix moyen du baril livré serait "
        "d'environ 60 dollars.",
        60,
        id="a-price-further-from-its-noun",
    ),
    pytest.param(
        "Combien d'obus la Corée du Nord a-t-elle fournis à la Russie ? Les réponses varient."
        "\n\nL'armée ukrainienne, elle, a perdu 46 000 soldats.",
        46000,
        id="the-paragraph-after-a-question-names-a-third-party",
    ),
]


@pytest.mark.parametrize(("text", "value"), R14_TAKE)
def test_round14_forms_that_count(watch: Watch, text: str, value: float) -> None:
    assert value in [f.value for f in extract_figures(text, watch)]


@pytest.mark.parametrize(("text", "value"), R14_LEAVE)
def test_round14_near_forms_that_must_not_count(watch: Watch, text: str, value: float) -> None:
    assert value not in [f.value for f in extract_figures(text, watch)]
