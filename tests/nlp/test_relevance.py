"""The cheap relevance gate: both sides linked, not merely named (no spaCy here)."""

from __future__ import annotations

import pytest

from vigie.nlp.relevance import count_links, gazetteer, is_relevant, side_map
from vigie.text import fold
from vigie.watch import Watch

RELEVANT = [
    pytest.param(
        "Kim Jong Un reçu par Vladimir Poutine au Kremlin",
        "Les deux dirigeants ont parlé.",
        id="title-both-actors",
    ),
    pytest.param(
        "La Corée du Nord aurait envoyé de nouvelles troupes en Russie",
        "Séoul s'inquiète.",
        id="title-both-places",
    ),
    pytest.param("Pyongyang et Moscou signent un accord", "", id="title-capitals"),
    pytest.param(
        "Des soldats nord-coréens sur le front russe",
        "Ils seraient des milliers.",
        id="title-demonyms",
    ),
    pytest.param(
        "Lavrov en visite en RPDC", "Le ministre est arrivé lundi.", id="title-actor-and-acronym"
    ),
    pytest.param("Kim Jong-un salue « l'alliance » avec la Russie", "", id="title-hyphenated-name"),
    pytest.param("KIM JONG UN ET POUTINE", "", id="title-upper-case"),
    pytest.param("Coree du Nord : Moscou promet du petrole", "", id="title-no-accents"),
    pytest.param(
        "Missiles nord-coréens tirés sur l'Ukraine",
        "La Russie a utilisé des missiles KN-23 fournis par Pyongyang, selon Kiev.",
        id="title-one-side-lead-both",
    ),
    pytest.param(
        "Le Kremlin se félicite",
        "Vladimir Poutine a remercié la Corée du Nord pour son aide militaire.",
        id="title-russia-lead-both",
    ),
    pytest.param(
        "Le dirigeant nord-coréen écrit une lettre",
        "Dans ce message, adressé à Moscou, il promet un soutien total.",
        id="title-dprk-lead-russia-adjacent",
    ),
    pytest.param(
        "Guerre en Ukraine : le point sur la journée",
        "Les combats se poursuivent dans le Donbass. Des soldats nord-coréens combattent aux côtés de l'armée russe dans la région de Koursk. "
        "Kiev demande des armes. Pyongyang aurait aussi livré des obus à Moscou.",
        id="two-links-in-text",
    ),
    pytest.param(
        "Analyse",
        "La météo était clémente. Les relations entre la Corée du Nord et la Russie se sont renforcées. Sur le front, peu de changements. "
        "Pour les experts, Pyongyang est désormais l'allié le plus fidèle de Moscou.",
        id="two-links-separated",
    ),
    pytest.param(
        "Analyse",
        "Rien de neuf ce matin. Le régime de Pyongyang a envoyé des ouvriers. Ils travaillent sur des chantiers en Russie. "
        "Le temps passe. Selon Séoul, Kim Jong Un a promis des troupes à Vladimir Poutine.",
        id="adjacent-sentences-count",
    ),
    pytest.param(
        "Revue de presse",
        "Ce matin, la presse parle de sport. Kim Jong Un a rencontré Sergueï Choïgou. Puis il est reparti. "
        "Kim a ensuite salué l'amitié avec Moscou.",
        id="short-name-after-full-name",
    ),
    pytest.param("Kim Yo Jong menace Kiev et soutient Moscou", "", id="sister-in-title"),
    pytest.param("Choe Son-hui à Moscou", "", id="foreign-minister-variant"),
    pytest.param("La RPDC et la Fédération de Russie ratifient leur traité", "", id="formal-names"),
    pytest.param("Des travailleurs nord-coréens à Vladivostok", "", id="russian-city"),
    pytest.param("Poutine remercie les « héros » nord-coréens", "", id="demonym-as-noun"),
    pytest.param("Le Kremlin et l'agence KCNA confirment la visite", "", id="kcna-kremlin"),
    pytest.param(
        "Des obus nord-coréens pour le front",
        "Mis à jour le 02/03/2026 à 08h15\n"
        "La Corée du Nord a expédié un nouveau convoi de munitions vers la Russie, selon des "
        "images satellites. Le convoi est parti de Rajin.",
        id="title-one-side-link-after-furniture",
    ),
    pytest.param(
        "Moscou muscle son arsenal",
        "Les frappes se sont intensifiées cette semaine. Les usines tournent jour et nuit. "
        "La Russie a tiré de nouveaux missiles balistiques. Ils avaient été produits en Corée "
        "du Nord, selon les enquêteurs.",
        id="title-one-side-link-in-adjacent-sentences",
    ),
]

NOT_RELEVANT = [
    pytest.param(
        "Les prix du carburant repartent à la hausse",
        "Le gazole a augmenté de 4 centimes.",
        id="unrelated",
    ),
    pytest.param(
        "La Corée du Nord tire un missile vers la mer du Japon",
        "Pyongyang a tiré un missile balistique, selon l'état-major sud-coréen. Tokyo proteste.",
        id="dprk-alone-missile",
    ),
    pytest.param(
        "Offensive russe dans le Donbass",
        "Moscou revendique la prise d'un village. Kiev dément. Le Kremlin se tait.",
        id="russia-ukraine-alone",
    ),
    pytest.param(
        "Séoul et Moscou relancent leurs échanges commerciaux",
        "Les exportations sud-coréennes vers la Russie ont progressé. Samsung rouvre une usine près de Moscou.",
        id="south-korea-russia-trade",
    ),
    pytest.param(
        "La Corée du Sud et la Russie discutent",
        "Le président sud-coréen a appelé Vladimir Poutine. La Corée du Sud veut apaiser les tensions avec la Russie.",
        id="coree-du-sud-not-coree",
    ),
    pytest.param(
        "Le chanteur Kim enflamme Moscou",
        "Le chanteur sud-coréen Kim a donné un concert à Moscou. Les fans russes étaient ravis. Kim reviendra en Russie.",
        id="k-pop-singer-kim",
    ),
    pytest.param(
        "K-pop : Kim Min-jae en tournée en Russie",
        "Le groupe de Kim se produira à Moscou et à Saint-Pétersbourg.",
        id="another-kim",
    ),
    pytest.param(
        "Essai nucléaire : inquiétude au Japon",
        "La Corée du Nord prépare un essai, selon Washington. Le Japon renforce ses défenses. Les États-Unis appellent au calme. "
        "Les marchés asiatiques reculent. Plus tard, la Russie a appelé à la retenue dans un communiqué sur un tout autre sujet.",
        id="both-named-far-apart",
    ),
    pytest.param(
        "Front de l'Est",
        "Les forces russes avancent près de Pokrovsk. L'Ukraine manque d'obus. Les Européens promettent de l'aide. "
        "Les pertes sont lourdes. On évoque aussi, selon certains, l'aide de Pyongyang à Moscou. L'hiver approche.",
        id="single-link-in-long-text",
    ),
    pytest.param(
        "Poutine reçoit le président chinois",
        "Vladimir Poutine et Xi Jinping ont parlé d'énergie au Kremlin.",
        id="russia-china",
    ),
    pytest.param(
        "Les deux Corées et la Russie",
        "Les deux Corées ont des positions opposées. La Russie reste prudente.",
        id="deux-corees-neutral",
    ),
    pytest.param(
        "Montagnes russes à Pyongyang",
        "Un parc d'attractions a rouvert à Pyongyang avec des montagnes russes.",
        id="roller-coaster",
    ),
    pytest.param(
        "Corée du Nord : nouvelle purge au sein du Parti",
        "Kim Jong Un a limogé un général. KCNA n'a donné aucun détail.",
        id="dprk-domestic",
    ),
    pytest.param(
        "Zelensky à Washington",
        "Volodymyr Zelensky a rencontré Donald Trump à la Maison Blanche. Ils ont parlé de la Russie.",
        id="other-actors-not-a-side",
    ),
    pytest.param("", "", id="empty"),
    pytest.param(
        "Pyongyang inaugure un hôpital",
        "Le chantier a duré deux ans. Des médecins sont venus de plusieurs pays. "
        "La Russie n'a pas été citée.",
        id="title-one-side-no-link",
    ),
    pytest.param(
        "Moscou : la neige paralyse le trafic",
        "Les aéroports sont fermés. Un vol pour Pyongyang a été annulé. Le trafic reprendra "
        "demain. Les autorités russes promettent un retour à la normale.",
        id="title-one-side-sides-apart",
    ),
]


@pytest.mark.parametrize(("title", "text"), RELEVANT)
def test_relevant(watch: Watch, title: str, text: str) -> None:
    relevant, reason = is_relevant(title, text, watch)
    assert relevant, reason


@pytest.mark.parametrize(("title", "text"), NOT_RELEVANT)
def test_not_relevant(watch: Watch, title: str, text: str) -> None:
    relevant, reason = is_relevant(title, text, watch)
    assert not relevant, reason
    assert reason


def test_reason_says_why(watch: Watch) -> None:
    assert is_relevant("Météo", "Il pleut.", watch) == (False, "aucun des deux côtés nommé")
    assert "un seul côté" in is_relevant("Pyongyang", "Tir de missile.", watch)[1]
    assert is_relevant("Kim Jong Un et Poutine", "", watch) == (
        True,
        "titre liant Corée du Nord et Russie",
    )
    assert is_relevant("Actualité", "Pyongyang. Rien. Moscou.", watch)[1].endswith(
        "liés 0 fois (minimum 2)"
    )
    assert is_relevant("Pyongyang", "Rien. Moscou.", watch)[1].endswith("liés 0 fois (minimum 1)")


def test_sud_coreen_is_not_nord_coreen(watch: Watch) -> None:
    smap = side_map("Des soldats sud-coréens et la Corée du Sud.", watch)
    assert smap.sides == [frozenset()]


def test_other_actor_is_not_a_side(watch: Watch) -> None:
    smap = side_map("Zelensky a parlé.", watch)
    assert "dprk" not in smap.sides[0]
    assert "russia" not in smap.sides[0]


def test_gazetteer_ignores_accents_case_hyphens(watch: Watch) -> None:
    hits = gazetteer(watch).find(fold("KIM JONG-UN, Kim Jong Eun et kim jong un à Pyongyang"))
    assert [h.actor for h in hits if h.actor] == ["Kim Jong Un"] * 3
    assert any(h.side == "dprk" and h.actor is None for h in hits)


@pytest.mark.parametrize(
    ("sides", "links"),
    [
        pytest.param([{"a", "b"}], 1, id="one-sentence-both"),
        pytest.param([{"a"}, {"b"}], 1, id="adjacent-pair"),
        pytest.param([{"a"}, set(), {"b"}], 0, id="too-far"),
        pytest.param([{"a", "b"}, {"a", "b"}], 2, id="two-sentences-both"),
        pytest.param([{"a"}, {"a", "b"}], 1, id="pair-next-to-both-not-counted-twice"),
        pytest.param([{"a"}, {"a"}], 0, id="one-side-only"),
    ],
)
def test_count_links(sides: list[set[str]], links: int) -> None:
    assert count_links([frozenset(s) for s in sides], frozenset({"a", "b"}), 1) == links


@pytest.mark.parametrize(
    ("text", "relevant"),
    [
        (
            "Selon Séoul, 1 300 soldats nord-coréens ont été blessés lors de la bataille de "
            "Glouchkovo, fin juin. Pyongyang n'a fait aucun commentaire.",
            True,
        ),
        (
            "Environ 900 soldats nord-coréens ont été déployés dans la partie occupée de la région "
            "de Zaporijjia. Pyongyang n'a fait aucun commentaire.",
            True,
        ),
        (
            "Kim Jong Un a inspecté une unité d'artillerie nord-coréenne près de Pyongyang. Les "
            "soldats ont tiré des salves d'exercice.",
            False,
        ),
    ],
    ids=["troops-at-war-imply-russia", "occupied-regions-are-russia's", "troops-at-home"],
)
def test_north_korean_troops_at_war_name_russia(text: str, relevant: bool, watch: Watch) -> None:
    assert is_relevant("", text, watch)[0] is relevant


@pytest.mark.parametrize(
    ("title", "text", "relevant"),
    [
        pytest.param(
            "L'Iran, un partenaire de Moscou à la différence de Pyongyang",
            "Téhéran a livré des drones à la Russie.",
            False,
            id="a-la-difference-de-is-a-comparison",
        ),
        pytest.param(
            "Manœuvres russo-chinoises",
            "La Russie et la Chine ont mené des exercices près des côtes de la Corée du Nord.",
            False,
            id="pres-des-cotes-de-is-a-landmark",
        ),
        pytest.param(
            "L'Iran fournit la Russie",
            "Comme la Corée du Nord avant lui, Téhéran arme Moscou.",
            False,
            id="comme-at-the-start-is-a-comparison",
        ),
        pytest.param(
            "L'Iran fournit la Russie",
            "Des pays comme la Corée du Nord fournissent des obus à la Russie.",
            True,
            id="comme-inside-a-sentence-still-names",
        ),
    ],
)
def test_a_side_as_a_point_of_comparison_is_no_party(
    title: str, text: str, relevant: bool, watch: Watch
) -> None:
    assert is_relevant(title, text, watch)[0] is relevant


@pytest.mark.parametrize(
    ("text", "relevant"),
    [
        pytest.param(
            "L'OTAN s'inquiète. « Chaque obus nord-coréen tiré en Ukraine nous menace », a dit "
            "l'amiral.",
            True,
            id="north-korean-shells-in-ukraine-imply-russia",
        ),
        pytest.param(
            "L'OTAN s'inquiète. « Chaque missile nord-coréen tiré vers la mer du Japon nous "
            "menace », a dit l'amiral.",
            False,
            id="north-korean-missile-test-names-no-russia",
        ),
    ],
)
def test_north_korean_munitions_striking_ukraine_name_russia(
    text: str, relevant: bool, watch: Watch
) -> None:
    assert is_relevant("", text, watch)[0] is relevant


@pytest.mark.parametrize(
    ("text", "relevant"),
    [
        pytest.param(
            "« Chaque livraison de Pyongyang se paie ici en vies humaines », a dit la députée "
            "Iryna Bondarenko.",
            True,
            id="pyongyang-deliveries-paid-in-lives-are-russia's-war",
        ),
        pytest.param(
            "« Chaque livraison de Pyongyang arrive avec des mois de retard », a dit le "
            "négociant Iryna Bondarenko.",
            False,
            id="pyongyang-deliveries-alone-name-no-russia",
        ),
    ],
)
def test_north_korean_deliveries_paid_in_lives_name_russia(
    text: str, relevant: bool, watch: Watch
) -> None:
    assert is_relevant("Zaporijjia sous les obus", text, watch)[0] is relevant


def test_one_sided_title_linked_later_marks_where_outsiders_count(watch: Watch) -> None:
    """A title naming one side and a link after the first paragraph: relevant, with the
    passages where outsiders' words count; linked in the first paragraph, everywhere."""
    from vigie.nlp.relevance import in_passages, judge

    title = "Les touristes russes reviennent à Djerba"
    local = "Les hôtels de Djerba affichent complet cet été.\n\n"
    linked = "Quelque 15 000 touristes russes ont séjourné à Wonsan, en Corée du Nord."
    verdict = judge(title, local + linked, watch)
    assert verdict.relevant
    assert verdict.passages is None
    assert verdict.outsiders is not None
    assert in_passages(linked, local + linked, verdict.outsiders)
    assert not in_passages(local.strip(), local + linked, verdict.outsiders)
    assert judge(title, linked + "\n\n" + local, watch).outsiders is None


@pytest.mark.parametrize(
    ("title", "text", "relevant"),
    [
        pytest.param(
            "Séoul craint des transferts de technologie russes",
            "« La Russie aide désormais le Nord à construire un sous-marin », juge un responsable "
            "sud-coréen.",
            True,
            id="le-nord-beside-seoul-is-north-korea",
        ),
        pytest.param(
            "Intempéries",
            "La Russie a envoyé des secours dans le Nord, où les pluies ont tout emporté.",
            False,
            id="le-nord-without-the-south-is-a-region",
        ),
        pytest.param(
            "Séoul et Moscou",
            "Un navire russe a été vu dans le Nord de la mer Jaune, selon Séoul.",
            False,
            id="le-nord-de-is-a-direction",
        ),
    ],
)
def test_le_nord_names_north_korea_only_beside_the_south(
    title: str, text: str, relevant: bool, watch: Watch
) -> None:
    assert is_relevant(title, text, watch)[0] is relevant


@pytest.mark.parametrize(
    ("title", "text", "relevant"),
    [
        pytest.param(
            "Le G7 élargit ses contrôles à l'exportation",
            "Les ministres ont adopté une liste de composants soumis à licence. Sont visés les "
            "acheteurs établis en Chine, en Corée du Nord et en Russie.\n\n"
            "« Nous fermons des portes », a déclaré la ministre.",
            False,
            id="quote-in-the-next-paragraph-is-not-the-link's",
        ),
        pytest.param(
            "Le G7 élargit ses contrôles à l'exportation",
            "Les ministres ont adopté une liste de composants soumis à licence. Sont visés les "
            "acheteurs établis en Chine, en Corée du Nord et en Russie. « Nous fermons des "
            "portes », a déclaré la ministre.",
            True,
            id="quote-in-the-same-paragraph-continues-the-link",
        ),
        pytest.param(
            "Un officier témoigne",
            "Cet officier a accepté de répondre à nos questions.\n\n"
            "— Comment les soldats nord-coréens reviennent-ils de Russie ?\n\n"
            "— « Transformés. C'est une autre armée. »\n\n"
            "— Cela vous inquiète-t-il ?",
            True,
            id="a-question-continues-into-its-answer",
        ),
    ],
)
def test_a_linked_passage_continues_within_its_paragraph(
    title: str, text: str, relevant: bool, watch: Watch
) -> None:
    assert is_relevant(title, text, watch)[0] is relevant


def test_mixed_article_verdict_names_its_linked_paragraphs(watch: Watch) -> None:
    """A passage-relevant article says where it speaks of the relationship; an article whose
    first paragraph links the sides is about them throughout (no passages)."""
    from vigie.nlp.relevance import in_passages, judge

    local = "Le maire a inauguré la nouvelle médiathèque samedi.\n\n"
    linked = "Selon Séoul, Pyongyang a livré 3 000 conteneurs d'obus à Moscou cet été."
    verdict = judge("Vie locale", local + linked, watch)
    assert verdict.relevant
    assert verdict.passages is not None
    assert in_passages(linked, local + linked, verdict.passages)
    assert not in_passages(local.strip(), local + linked, verdict.passages)
    assert judge("Vie locale", linked + "\n\n" + local, watch).passages is None


def test_a_paragraph_break_parts_sides_unless_a_fact_names_one(watch: Watch) -> None:
    """A side named beside a quote on something else, then the other side in the next
    paragraph, is two topics; joined in one paragraph, or through a quote or a figure on a
    side, they link."""
    title = "Kim Jong Un préside une cérémonie militaire"
    said = "« Nos soldats sont prêts à tout », a dit le dirigeant nord-coréen."
    guest = "L'ambassadeur de Russie figurait parmi les invités."
    assert not is_relevant(title, f"{said}\n\n{guest}", watch)[0]
    assert is_relevant(title, f"{said} {guest}", watch)[0]
    quoted = "« La Russie n'oublie jamais ses amis », a répondu l'ambassadeur."
    assert is_relevant(title, f"{said}\n\n{quoted}", watch)[0]
    counted = "L'ambassadeur de Russie a salué l'arrivée de 500 ouvriers."
    assert is_relevant(title, f"{said}\n\n{counted}", watch)[0]


def test_a_dateline_is_not_the_lead(watch: Watch) -> None:
    """ "X, de notre envoyé spécial." opening the text: the next paragraph is the lead, so a
    link there makes the article about the relationship throughout; a first paragraph that
    says more is the lead itself, and a link after it marks a mixed article."""
    from vigie.nlp.relevance import judge

    linked = "Le train russe franchit le pont sur le fleuve Tumen chaque nuit avec 40 wagons."
    other = "Le musée de la ville a rouvert, avec 3 000 visiteurs, a dit le maire : « Enfin »."
    text = f"Khassan (Primorié), de notre envoyé spécial.\n\n{linked}\n\n{other}"
    verdict = judge("La gare du bout du monde", text, watch)
    assert verdict.relevant
    assert verdict.passages is None
    long_first = "Dans cette petite ville, de notre envoyé spécial, on parle beaucoup du musée."
    verdict = judge("La gare du bout du monde", f"{long_first}\n\n{linked}\n\n{other}", watch)
    assert verdict.relevant
    assert verdict.passages is not None


@pytest.mark.parametrize(
    ("text", "relevant"),
    [
        pytest.param(
            "À Khassan, les trains russes franchissent le fleuve Tumen et 600 wagons passent.",
            True,
            id="the-tumen-is-the-north's-border",
        ),
        pytest.param(
            "À Khassan, les trains russes repartent vers Vladivostok et 600 wagons passent.",
            False,
            id="khassan-alone-is-russia",
        ),
    ],
)
def test_the_border_river_names_north_korea(text: str, relevant: bool, watch: Watch) -> None:
    assert is_relevant("Frontière", text, watch)[0] is relevant


def test_a_question_heading_links_with_its_answer_not_before(watch: Watch) -> None:
    """An explainer's question heading names what its answer is about: a figure on one side
    before it does not link with the other side it names."""
    before = "La Russie aurait perdu 160 000 soldats, selon Kiev."
    heading = "Les Nord-Coréens sont-ils comptés ?"
    answer = "Non, répond l'état-major, qui les compte à part."
    assert not is_relevant("Pertes", f"{before}\n\n{heading}\n\n{answer}", watch)[0]
    assert is_relevant("Pertes", f"{before}\n\nLes Nord-Coréens sont comptés à part.", watch)[0]


def test_after_a_later_link_a_paragraph_on_the_title_side_alone_is_the_own_topic(
    watch: Watch,
) -> None:
    """A one-sided title linked later: a paragraph after the link naming the title's side only
    beside a third party is the article's own topic again; one naming no side, or the title's
    side alone, still follows the link."""
    from vigie.nlp.relevance import in_passages, judge

    title = "Un constructeur étudie le rachat de son usine de Saint-Pétersbourg"
    text = (
        "Le constructeur étudierait l'option de rachat de son usine.\n\n"
        "Le rapprochement militaire entre le Kremlin et Pyongyang rend la décision délicate.\n\n"
        "« Le marché russe reste le deuxième d'Europe, devant les constructeurs chinois », "
        "relève un analyste.\n\n"
        "« Personne ne veut se brûler les doigts », ajoute-t-il.\n\n"
        "« L'armée russe a besoin de ces alliés », dit un général."
    )
    verdict = judge(title, text, watch)
    assert verdict.outsiders is not None
    assert not in_passages("« Le marché russe reste", text, verdict.outsiders)
    assert in_passages("« Personne ne veut", text, verdict.outsiders)
    assert in_passages("« L'armée russe a besoin", text, verdict.outsiders)
    assert in_passages("Le rapprochement militaire", text, verdict.outsiders)


@pytest.mark.parametrize(
    ("sentence", "relevant"),
    [
        pytest.param(
            "Minsk, proche allié de Moscou, a multiplié les contacts avec Pyongyang.",
            False,
            id="third-party-described-by-a-side",
        ),
        pytest.param(
            "Pyongyang, proche allié de Moscou, a multiplié les contacts avec Minsk.",
            True,
            id="a-side-described-by-the-other",
        ),
        pytest.param(
            "Minsk a multiplié les contacts avec Pyongyang, proche allié de Moscou.",
            True,
            id="not-an-apposition",
        ),
    ],
)
def test_a_side_describing_a_third_party_is_no_party(
    sentence: str, relevant: bool, watch: Watch
) -> None:
    """ "X, proche allié de Moscou," describes X: Moscow is no party to the sentence, unless
    X itself is a side (then the apposition is the relationship)."""
    title = "Loukachenko reçu en grande pompe à Pyongyang"
    text = f"Le président biélorusse est arrivé samedi.\n\n{sentence}"
    assert is_relevant(title, text, watch)[0] is relevant


@pytest.mark.parametrize(
    ("sentence", "russia"),
    [
        pytest.param(
            "L'Ukraine détient désormais onze prisonniers nord-coréens.", True, id="held-by-ukraine"
        ),
        pytest.param(
            "Le régime détient des milliers de prisonniers nord-coréens.",
            False,
            id="political-prisoners",
        ),
    ],
)
def test_north_korean_prisoners_in_ukraine_name_russia(
    watch: Watch, sentence: str, russia: bool
) -> None:
    """Prisoners held by Ukraine were taken in Russia's war; the North's own prisoners were not."""
    assert ("russia" in side_map(sentence, watch).sides[0]) is russia


def test_side_maps_are_remembered_per_text_and_actors_named(watch: Watch) -> None:
    """The last texts' maps are kept: asking again gives the same map, but the actors named in
    full elsewhere (the title) still decide whether a short name counts."""
    text = "Kim a salué l'amitié avec Moscou. Le Kremlin a répondu."
    alone = side_map(text, watch)
    assert side_map(text, watch) is alone
    assert side_map(text, watch, set()) is alone  # the text names nobody in full
    named = side_map(text, watch, {"Kim Jong Un"})
    assert named is not alone
    assert [m.actor for m in named.mentions[0]] == ["Kim Jong Un", None]
    assert [m.actor for m in alone.mentions[0]] == [None]


def test_gazetteer_answers_a_fresh_list_each_time(watch: Watch) -> None:
    folded = fold("Pyongyang et Moscou signent un accord")
    first = gazetteer(watch).find(folded)
    first.clear()
    assert len(gazetteer(watch).find(folded)) == 2
