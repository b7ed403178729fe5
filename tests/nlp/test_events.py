"""Event types from the watch's word patterns, only in sentences near the relationship."""

from __future__ import annotations

import pytest

from vigie.nlp.events import detect_events, sentence_events
from vigie.watch import Watch


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        pytest.param(
            "La Corée du Nord a déployé des milliers de soldats en Russie.",
            "troop_deployment",
            id="troops",
        ),
        pytest.param(
            "Pyongyang a dépêché des troupes à Koursk.", "troop_deployment", id="troops-depeche"
        ),
        pytest.param(
            "Des soldats nord-coréens ont été tués en Russie.", "casualties", id="casualties"
        ),
        pytest.param(
            "La Corée du Nord a reconnu des pertes humaines en Russie.",
            "casualties",
            id="pertes-humaines",
        ),
        pytest.param(
            "Pyongyang a livré des obus d'artillerie à Moscou.", "arms_transfer", id="shells"
        ),
        pytest.param(
            "La Russie a tiré des missiles nord-coréens sur l'Ukraine.",
            "arms_transfer",
            id="missiles-fired",
        ),
        pytest.param(
            "En échange, Moscou fournit une aide économique à Pyongyang.", "economic_aid", id="aid"
        ),
        pytest.param("La Russie a livré du pétrole à la Corée du Nord.", "economic_aid", id="oil"),
        pytest.param(
            "Des travailleurs nord-coréens sont employés sur des chantiers russes.",
            "labor",
            id="workers",
        ),
        pytest.param(
            "Moscou et Pyongyang ont signé un traité de défense mutuelle.", "agreement", id="treaty"
        ),
        pytest.param(
            "Le partenariat stratégique global lie Moscou et Pyongyang.",
            "agreement",
            id="partnership",
        ),
        pytest.param(
            "Kim Jong Un a rencontré Vladimir Poutine à Vladivostok.", "meeting", id="meeting"
        ),
        pytest.param(
            "Sergueï Lavrov s'est entretenu avec Choe Son Hui à Pyongyang.",
            "meeting",
            id="entretenu",
        ),
        pytest.param(
            "Kim Jong Un a adressé une lettre à Vladimir Poutine.",
            "diplomatic_exchange",
            id="letter",
        ),
        pytest.param(
            "Vladimir Poutine a invité Kim Jong Un à Moscou.",
            "diplomatic_exchange",
            id="invitation",
        ),
        pytest.param(
            "Kim Yo Jong a déclaré que Pyongyang soutiendrait Moscou.", "statement", id="statement"
        ),
        pytest.param(
            "La Corée du Nord a procédé à un essai de missile balistique, selon Moscou.",
            "weapons_test",
            id="test",
        ),
        pytest.param(
            "Plusieurs centaines de militaires nord-coréens ont perdu la vie près de Koursk.",
            "casualties",
            id="perdu-la-vie",
        ),
        pytest.param(
            "Moscou a transféré des systèmes de défense antiaérienne à Pyongyang.",
            "arms_transfer",
            id="air-defence-to-pyongyang",
        ),
        pytest.param(
            "Les canons automoteurs venus de Corée du Nord pilonnent le front russe.",
            "arms_transfer",
            id="artillery-from-dprk",
        ),
        pytest.param(
            "Un missile de fabrication nord-coréenne a frappé Odessa, selon l'armée russe.",
            "arms_transfer",
            id="made-in-dprk",
        ),
        pytest.param(
            "Pour Moscou, Pyongyang reste un allié sûr, estime un diplomate.",
            "statement",
            id="estime",
        ),
    ],
)
def test_sentence_events(watch: Watch, sentence: str, event: str) -> None:
    assert event in sentence_events(sentence, watch)


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        pytest.param(
            "La Russie a tiré des missiles sur Kiev.", "weapons_test", id="firing-is-not-a-test"
        ),
        pytest.param(
            "Kim Jong Un a rencontré Vladimir Poutine.", "casualties", id="no-casualty-words"
        ),
        pytest.param("Le mortier a frappé.", "casualties", id="mortier-is-not-mort"),
        pytest.param(
            "Pyongyang a accordé une interview.", "agreement", id="accord-alone-is-not-an-agreement"
        ),
    ],
)
def test_sentence_without_event(watch: Watch, sentence: str, event: str) -> None:
    assert event not in sentence_events(sentence, watch)


def test_article_events_in_watch_order_once(watch: Watch) -> None:
    events = detect_events(
        "Kim Jong Un écrit à Poutine",
        "Dans une lettre, Kim Jong Un remercie la Russie. Pyongyang a envoyé des soldats en Russie. "
        "Des soldats nord-coréens ont été tués. Pyongyang a aussi envoyé des troupes.",
        watch,
    )
    assert events == ["troop_deployment", "casualties", "diplomatic_exchange"]


def test_sentences_far_from_the_sides_do_not_count(watch: Watch) -> None:
    text = (
        "Pyongyang a remercié Moscou. Il pleuvait sur la ville. La météo reste incertaine. "
        "Des soldats ont été tués dans un accident de la route en France."
    )
    assert "casualties" not in detect_events("", text, watch)
