"""The one text module: folding, quote spans and sentences from typography alone (no spaCy)."""

from __future__ import annotations

import pytest

from vigie.text import (
    abbreviations,
    find_quotes,
    fold,
    fold_quote,
    fold_words,
    normalise,
    sentence_spans,
    sentences,
    squash,
    word_count,
)


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        pytest.param(
            "Il a promis «sans condition» son aide.", ["sans condition"], id="guillemets-tight"
        ),
        pytest.param(
            "Il a promis « sans condition » son aide.", ["sans condition"], id="guillemets-spaced"
        ),
        pytest.param(
            "Il a promis «\u00a0sans condition\u00a0» son aide.",
            ["sans condition"],
            id="guillemets-nbsp",
        ),
        pytest.param(
            "Il a promis «\u202fsans condition\u202f» son aide.",
            ["sans condition"],
            id="guillemets-narrow-nbsp",
        ),
        pytest.param("Il a dit “nous tiendrons bon” hier.", ["nous tiendrons bon"], id="curly"),
        pytest.param('Il a dit "nous tiendrons bon" hier.', ["nous tiendrons bon"], id="straight"),
        pytest.param("Il a dit „nous tiendrons bon“ hier.", ["nous tiendrons bon"], id="low-high"),
        pytest.param("en cas d'”agression” armée", ["agression"], id="misused-closing-as-opening"),
        pytest.param(
            "en cas d’“agression” armée", ["agression"], id="after-typographic-apostrophe"
        ),
        pytest.param("Il parle de ‹ paix durable › ici.", ["paix durable"], id="single-guillemets"),
        pytest.param(
            "« Nous vaincrons. Nous ne reculerons pas. » Puis il est parti.",
            ["Nous vaincrons. Nous ne reculerons pas."],
            id="spanning-sentences",
        ),
        pytest.param(
            "« Il a parlé de “guerre totale” hier », dit-elle.",
            ["Il a parlé de “guerre totale” hier"],
            id="nested-curly-kept-inside",
        ),
        pytest.param(
            "« Ils parlent de « paix » sans y croire », dit-elle.",
            ["Ils parlent de « paix » sans y croire"],
            id="nested-guillemets",
        ),
        pytest.param("«Un», a-t-il dit, «deux».", ["Un", "deux"], id="two-parts-around-incise"),
        pytest.param("« Premier ligne\nSeconde » fin", [], id="unclosed-at-line-break-dropped"),
        pytest.param(
            "« Le texte ouvert « avec “ceci” dedans\nsuite",
            ["ceci"],
            id="inner-survives-dropped-outer",
        ),
        pytest.param(
            "« Premier paragraphe.\n\n« Second paragraphe. » a-t-il dit.",
            ["Premier paragraphe. Second paragraphe."],
            id="multi-paragraph-convention",
        ),
        pytest.param(
            "« Premier paragraphe.\n» Second paragraphe. » a-t-il dit.",
            ["Premier paragraphe. Second paragraphe."],
            id="multi-paragraph-closing-mark-convention",
        ),
        pytest.param(
            "Un titre\n» Rien n'est ouvert ici. « vrai »",
            ["vrai"],
            id="paragraph-opening-closing-mark-with-nothing-open",
        ),
        pytest.param(
            "« — Vous les avez vus ?\n— Trop près. »",
            ["— Vous les avez vus ? Trop près."],
            id="dialogue-lines-continue-the-quote",
        ),
        pytest.param(
            "« Vous les avez vus ?\n— Trop près. »",
            [],
            id="dash-line-after-a-quote-that-is-no-dialogue-dropped",
        ),
        pytest.param('Il fait 20" de long et « ok » après.', ["ok"], id="inch-mark-ignored"),
        pytest.param("Un » égaré puis « vrai »", ["vrai"], id="stray-closing-ignored"),
        pytest.param("Rien à citer ici.", [], id="no-quote"),
        pytest.param(
            "Le mot «  très   espacé  » ici", ["très espacé"], id="inner-spaces-collapsed"
        ),
    ],
)
def test_find_quotes_pairs_marks_by_typography(text: str, quotes: list[str]) -> None:
    assert [q.text for q in find_quotes(text)] == quotes


def test_quote_offsets_cover_the_marks() -> None:
    text = "Il a dit « oui » puis « non »."
    spans = find_quotes(text)
    assert [text[q.start : q.end] for q in spans] == ["« oui »", "« non »"]
    assert [q.mark for q in spans] == ["«", "«"]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param(
            "« Nous vaincrons. Toujours. » Puis il part. Fin.",
            ["« Nous vaincrons. Toujours. »", "Puis il part.", "Fin."],
            id="quote-ending-a-sentence",
        ),
        pytest.param(
            "« Nous vaincrons. Toujours », a-t-il dit. Fin.",
            ["« Nous vaincrons. Toujours », a-t-il dit.", "Fin."],
            id="no-cut-inside-quote",
        ),
        pytest.param(
            "M. Poutine est arrivé. Il parle.",
            ["M. Poutine est arrivé.", "Il parle."],
            id="honorific-is-no-end",
        ),
        pytest.param(
            "Titre : « Oui »\nCorps du texte. Suite.",
            ["Titre : « Oui »", "Corps du texte.", "Suite."],
            id="line-break-always-cuts",
        ),
        pytest.param(
            "J. Biden a parlé. Fin.", ["J. Biden a parlé.", "Fin."], id="initial-is-no-end"
        ),
        pytest.param(
            "- Juin : il a salué « un geste ». - Décembre : retour du régiment.",
            ["- Juin : il a salué « un geste ».", "- Décembre : retour du régiment."],
            id="list-items-run-into-one-line-are-sentences",
        ),
        pytest.param(
            "Il fait froid. -5 degrés la nuit.",
            ["Il fait froid. -5 degrés la nuit."],
            id="hyphen-glued-to-a-number-is-no-list-item",
        ),
    ],
)
def test_sentence_bounds_never_cut_quotes(text: str, sentences: list[str]) -> None:
    bounds = sentence_spans(text)
    assert [text[a:b] for a, b in bounds] == sentences


@pytest.mark.parametrize(
    ("text", "count"),
    [("sans condition", 2), ("l'alliance la plus sincère", 4), ("Oui !", 1), (" — ", 0)],
)
def test_word_count_counts_written_words(text: str, count: int) -> None:
    assert word_count(text) == count


def test_squash_collapses_odd_spaces() -> None:
    assert squash("\u00a0a \u202f b\n c ") == "a b c"


def test_normalise_unifies_typography_spacing_and_case_but_keeps_accents() -> None:
    a = "Kim Jong\u00a0Un a promis un soutien «\u202fsans condition\u202f» – l’agence KCNA"
    b = 'kim jong un  a promis un soutien "sans condition" - l\'agence   KCNA'
    assert normalise(a) == normalise(b)
    assert normalise("Séoul") == "séoul"


def test_fold_keeps_offsets_and_drops_accents_and_dashes() -> None:
    text = "Nord-Coréens à Séoul\u202f: l’été"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "nord coreens a seoul : l'ete"
    assert fold_words("  Kim  Jong-Un ") == "kim jong un"
    assert fold_quote("« L’Alliance, la plus SINCÈRE ! »") == "l alliance la plus sincere"


def test_sentences_keep_abbreviations_initials_and_quotes() -> None:
    text = (
        "M. Poutine a dit : « Nous vaincrons. M. Kim le sait. » Puis il est parti. "
        "Le Gal. Ivanov, cf. J. Dupont, a vu 12 morts."
    )
    assert sentences(text) == [
        "M. Poutine a dit : « Nous vaincrons. M. Kim le sait. »",
        "Puis il est parti.",
        "Le Gal. Ivanov, cf. J. Dupont, a vu 12 morts.",
    ]


def test_abbreviations_are_data_and_a_home_file_replaces_them(tmp_path, monkeypatch) -> None:
    assert {"m", "mme", "gal"} <= abbreviations()
    (tmp_path / "abbreviations.yaml").write_text("abbreviations: [zz]\n", encoding="utf-8")
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    from vigie import resources

    resources.load_data.cache_clear()
    abbreviations.cache_clear()
    try:
        assert abbreviations() == frozenset({"zz"})
        assert sentences("Vu par Zz. Dupont.") == ["Vu par Zz. Dupont."]
    finally:
        monkeypatch.delenv("VIGIE_HOME")
        resources.load_data.cache_clear()
        abbreviations.cache_clear()


def test_fold_of_a_long_text_is_the_fold_of_its_pieces() -> None:
    """Long texts are kept folded (``_LONG``): the answer is the same, asked twice or not."""
    text = "Le Président Poutine – à Moscou –, l’été ; Kim Jong-Un. " * 40
    pieces = "".join(fold(text[i : i + 50]) for i in range(0, len(text), 50))
    assert fold(text) == pieces
    assert fold(text) == pieces
