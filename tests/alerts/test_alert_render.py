"""What alerts say, in French, and that article text stays inert and within Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from markupsafe import escape
from support.slack_receiver import block_kit_problem

from vigie.alerts.render import (
    AlertView,
    Labels,
    clean,
    email_alert,
    email_digest,
    evidence_parts,
    figure_phrase,
    format_number,
    format_when,
    header_safe,
    load_labels,
    locate,
    safe_url,
    slack_alert,
    slack_digest,
    slack_escape,
)
from vigie.config import DEFAULT_WATCH
from vigie.watch import WatchError, load_watch

NBSP = "\u00a0"
NNBSP = "\u202f"  # CLDR French groups digits with a narrow no-break space
LABELS = Labels(events={"troop_deployment": "déploiement de troupes"}, measures={})


def figure(**kw) -> AlertView:
    base = {
        "id": 1,
        "kind": "figure",
        "article_url": "https://www.exemple.fr/a.html",
        "outlet": "Le Quotidien d'Exemple",
        "title": "Un titre",
        "published": datetime(2026, 2, 18, 8, 40, tzinfo=UTC),
        "evidence": "Selon Séoul, au moins 3 000 soldats sont arrivés.",
        "value": 3000.0,
        "object": "soldats",
        "qualifier": "au moins",
        "measure": "troops_sent",
    }
    return AlertView(**(base | kw))


def declaration(**kw) -> AlertView:
    base = {
        "id": 2,
        "kind": "declaration",
        "article_url": "https://www.exemple.fr/b.html",
        "outlet": "Le Quotidien d'Exemple",
        "title": "Un titre",
        "published": datetime(2026, 2, 18, 8, 40, tzinfo=UTC),
        "evidence": "« Rien n'est secret », a dit Sergueï Lavrov.",
        "speaker": "Sergueï Lavrov",
        "quote": "Rien n'est secret",
    }
    return AlertView(**(base | kw))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3000, f"3{NNBSP}000"),
        (12, "12"),
        (2.5, "2,5"),
        (1234567, f"1{NNBSP}234{NNBSP}567"),
        (1_500_000, f"1,5{NBSP}million"),
        (12_000_000, f"12{NBSP}millions"),
        (3_000_000_000, f"3{NBSP}milliards"),
        (12345.75, f"12{NNBSP}345,75"),
    ],
)
def test_numbers_are_written_the_french_way(value, text):
    assert format_number(value) == text


def test_times_are_paris_local_time():
    assert format_when(datetime(2026, 2, 18, 8, 40, tzinfo=UTC)) == "18 février 2026 à 09:40"
    assert format_when(datetime(2026, 7, 1, 8, 5, tzinfo=UTC)) == "1er juillet 2026 à 10:05"
    assert format_when(None) == "date inconnue"


@pytest.mark.parametrize(
    ("evidence", "value", "marked"),
    [
        ("au moins 3 000 soldats nord-coréens", 3000.0, "3 000 soldats"),
        ("au moins 3\u202f000 soldats", 3000.0, "3\u202f000 soldats"),
        ("quelque 3.000 soldats", 3000.0, "3.000 soldats"),
        ("en 2024, 12 000 de ses soldats", 12000.0, "12 000 de ses soldats"),
        ("2,5 millions d'obus", 2_500_000.0, "2,5 millions d'obus"),
        ("trois mille soldats", 3000.0, "trois mille soldats"),  # one parser: words too
    ],
)
def test_the_figure_is_found_in_its_sentence(evidence, value, marked):
    obj = "obus" if "obus" in evidence else "soldats"
    view = figure(evidence=evidence, value=value, object=obj)
    start, end = locate(view)
    assert clean(evidence)[start:end] == marked


def test_the_quote_is_found_in_its_sentence():
    view = declaration()
    before, mark, after = evidence_parts(view, 1000)
    assert (before, mark, after) == ("« ", "Rien n'est secret", " », a dit Sergueï Lavrov.")


def test_a_long_evidence_is_windowed_around_the_figure():
    pad = "Des mots sans chiffre. " * 500
    view = figure(evidence=pad + "Enfin 3 000 soldats. " + pad)
    before, mark, after = evidence_parts(view, 400)
    assert mark == "3 000 soldats"
    assert before.startswith("…")
    assert after.endswith("…")
    assert len(before) + len(mark) + len(after) <= 400


def test_slack_control_sequences_and_markers_are_neutralised():
    hostile = "<!channel> <@U123> <#C1|x> <https://evil|clic> & *gras* _it_ ~barré~ `code` @here"
    assert slack_escape(hostile) == (
        "&lt;!channel&gt; &lt;＠U123&gt; &lt;#C1|x&gt; &lt;https://evil|clic&gt; &amp; "
        "∗gras∗ ＿it＿ ∼barré∼ ˋcodeˋ ＠here"
    )


def test_only_http_links_survive_and_they_cannot_break_out():
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    url = safe_url('https://x.example/a|b<c>"d e')
    assert url == "https://x.example/a%7Cb%3Cc%3E%22d%20e"


def test_headers_lose_control_characters():
    subject = header_safe("Titre\r\nBcc: victime@example.org\u202e\x00" + "x" * 500)
    assert "\r" not in subject
    assert "\n" not in subject
    assert "\u202e" not in subject
    assert len(subject) <= 160
    assert subject.startswith("Titre Bcc: victime")


def test_measure_labels_come_from_the_validated_watch(tmp_path):
    text = DEFAULT_WATCH.read_text(encoding="utf-8")
    renamed = tmp_path / "watch.yaml"
    renamed.write_text(
        text.replace("label: soldats tués ou blessés", "label: pertes nord-coréennes"),
        encoding="utf-8",
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("    label: soldats tués ou blessés\n", ""), encoding="utf-8")

    labels = load_labels(renamed)
    assert "pertes nord-coréennes" in labels.measures.values()
    assert "soldats tués ou blessés" not in labels.measures.values()
    assert load_labels(DEFAULT_WATCH).measures == {
        key: m.label for key, m in load_watch(DEFAULT_WATCH).measures.items()
    }
    assert load_labels(None).measure("troops_sent") == "troops sent"
    assert load_labels(None).event("troop_deployment") == "déploiement de troupes"
    with pytest.raises(WatchError, match="label"):
        load_labels(broken)


def test_a_slack_alert_says_what_is_new_and_where():
    view = figure(
        claimed_by="Séoul",
        events=("troop_deployment",),
        previously_known=({"value": 1500.0, "qualifier": "environ", "object": "soldats"},),
        outlets=("Le Quotidien d'Exemple", "Autre"),
        articles=2,
    )
    message = slack_alert(view, Labels(measures={"troops_sent": "soldats envoyés"}))
    texts = "\n".join(
        b.get("text", {}).get("text", "") + "".join(f["text"] for f in b.get("fields", []))
        for b in message.blocks
    )
    assert f"*au moins 3{NNBSP}000 soldats*" in texts
    assert "mesure : soldats envoyés · selon Séoul" in texts
    assert "au moins *3 000 soldats* sont arrivés" in texts
    assert f"environ 1{NNBSP}500 soldats" in texts
    assert "2 articles : Le Quotidien d'Exemple, Autre" in texts
    assert "18 février 2026 à 09:40" in texts
    assert "<https://www.exemple.fr/a.html|Un titre>" in texts
    assert "Nouveau chiffre" in message.text


def test_a_slack_alert_stays_within_block_kit_limits_whatever_the_article():
    huge = "Un & deux < trois > quatre. " * 2000
    view = declaration(
        speaker="X" * 5000,
        quote=huge,
        evidence=huge,
        title=huge,
        outlet=huge,
        outlets=tuple(f"Média {i} " * 30 for i in range(300)),
        previously_known=tuple({"speaker": "X", "quote": huge} for _ in range(50)),
    )
    message = slack_alert(view, LABELS)
    assert block_kit_problem({"text": message.text, "blocks": message.blocks}) is None


def test_a_digest_splits_only_where_limits_force_it():
    views = [
        declaration(id=i, speaker=f"Orateur {i}", quote="« Très long propos » & " * 40)
        for i in range(1, 301)
    ]
    messages = slack_digest(views, LABELS)

    assert len(messages) > 1
    for ids, message in messages:
        assert block_kit_problem({"text": message.text, "blocks": message.blocks}) is None
        assert len(message.blocks) > 40 or len(message.text) > 30000 or ids[-1] == 300
    assert [i for ids, _ in messages for i in ids] == list(range(1, 301))
    assert len(slack_digest(views[:12], LABELS)) == 1


def test_an_email_alert_has_both_forms():
    view = figure(value=10000.0, value_high=12000.0, additional=True)
    parts = email_alert(view, LABELS)
    assert parts.subject == (
        f"[Vigie] Nouveau chiffre : au moins 10{NNBSP}000 à 12{NNBSP}000 soldats supplémentaires "
        "(troops sent) (Le Quotidien d'Exemple)"
    )
    assert "Publié : 18 février 2026 à 09:40 (heure de Paris)" in parts.text
    assert "Article : https://www.exemple.fr/a.html" in parts.text
    assert '<a href="https://www.exemple.fr/a.html">Un titre</a>' in parts.html
    assert "Déjà connu : rien pour cette mesure" in parts.text


@pytest.mark.parametrize(
    ("kw", "phrase"),
    [
        (
            {"value": 3_000_000.0, "object": "obus", "qualifier": "plus de"},
            "plus de 3 millions d'obus",
        ),
        ({"value": 1_500_000.0, "object": "barils", "qualifier": None}, "1,5 million de barils"),
        (
            {"value": 2_000_000_000.0, "object": "dollars", "qualifier": None},
            "2 milliards de dollars",
        ),
        ({"value": 2500.0, "object": "soldats", "qualifier": None}, "2 500 soldats"),
        ({"value": 3_000_000.0, "object": "d'obus", "qualifier": None}, "3 millions d'obus"),
        (
            {"value": 3_000_000.0, "object": "hommes", "qualifier": "environ"},
            "environ 3 millions d'hommes",
        ),
    ],
)
def test_french_amounts_read_as_french(kw, phrase):
    assert figure_phrase(figure(**kw)).replace(NBSP, " ").replace(NNBSP, " ") == phrase


def spaced(text: str) -> str:
    """``text`` with its no-break spaces (digit groups, before units) read as plain spaces."""
    return text.replace(NBSP, " ").replace(NNBSP, " ")


def test_every_alert_of_a_digest_appears_with_its_figure_or_quote():
    long_quote = "Nous livrerons ce qu'il faut, quand il le faudra, sans rendre de comptes " * 4
    views = [
        figure(id=1, value=3_000_000.0, object="obus", qualifier="plus de"),
        figure(id=2, value=2500.0, object="soldats", qualifier=None),
        declaration(id=3, speaker="Kim Yo Jong", quote=long_quote.strip()),
        *[figure(id=n, value=float(1000 + n), object="soldats") for n in range(4, 16)],
    ]
    wanted = {
        1: "plus de 3 millions d'obus",
        2: "2 500 soldats",
        3: long_quote.strip(),
        **{n: f"1 {n:03d} soldats" for n in range(4, 16)},
    }

    [(ids, message)] = slack_digest(views, LABELS)
    parts = email_digest(views, LABELS)

    assert ids == [v.id for v in views]
    slack_text = " ".join(b["text"]["text"] for b in message.blocks if "text" in b)
    for n, text in wanted.items():
        assert slack_escape(text) in spaced(slack_text), n
        assert text in spaced(parts.text), n
        assert str(escape(text)) in spaced(parts.html), n  # as Jinja's autoescape writes it
