"""One boilerplate list for extraction and deduplication, overridable from VIGIE_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigie.boilerplate import _boilerplate, is_boilerplate, strip_boilerplate
from vigie.resources import load_data


@pytest.mark.parametrize(
    "line",
    [
        "(Avec AFP)",  # a credit: an exact line
        "Lire aussi : le budget en débat",  # a cross-link: a prefix
        "Crédit photo : Jeanne Dupont",  # page furniture: a pattern
        "Nous utilisons des cookies pour mesurer l'audience.",
        "   ",
    ],
)
def test_credits_cross_links_and_furniture_are_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


def test_article_sentences_are_not() -> None:
    assert not is_boilerplate("L'AFP rapporte que le budget a été voté avec 300 voix.")
    assert not is_boilerplate("Photo : une foule devant l'Assemblée nationale, mardi soir.")
    text = "Le budget est voté.\n(Avec AFP)\nLire aussi : la suite\nLes syndicats réagissent."
    assert strip_boilerplate(text) == "Le budget est voté.\nLes syndicats réagissent."


def test_a_file_in_vigie_home_replaces_the_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "boilerplate.yaml").write_text(
        "lines: [fin de l'article]\nprefixes: []\npatterns: ['^merci de votre lecture']\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    load_data.cache_clear()
    _boilerplate.cache_clear()
    try:
        assert is_boilerplate("Fin de l'article.")
        assert is_boilerplate("Merci de votre lecture !")
        assert not is_boilerplate("(Avec AFP)")
    finally:
        load_data.cache_clear()
        _boilerplate.cache_clear()
