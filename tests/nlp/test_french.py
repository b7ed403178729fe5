"""The French function words come from data/french.yaml, and a deployment can replace them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from vigie.dates import FRENCH_MONTHS
from vigie.nlp import declarations, figures
from vigie.nlp.french import french
from vigie.resources import DATA_DIR, load_data
from vigie.text import fold
from vigie.watch import Watch


@pytest.fixture
def fresh_lists() -> Iterator[None]:
    french.cache_clear()
    load_data.cache_clear()
    yield
    french.cache_clear()
    load_data.cache_clear()


def _packaged() -> dict:
    """The packaged french.yaml, to change and put in VIGIE_HOME."""
    return yaml.safe_load((DATA_DIR / "french.yaml").read_text(encoding="utf-8"))


def _in_vigie_home(data: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``data`` as the french.yaml of VIGIE_HOME, read afresh from now on."""
    (tmp_path / "french.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    french.cache_clear()
    load_data.cache_clear()
    _clear_figure_rules()


def test_the_packaged_lists_are_read_with_both_apostrophes(fresh_lists: None) -> None:
    words = french()
    assert "l'" in words.clitics
    assert "l’" in words.clitics
    assert "d’" in words.complements
    assert words.adjunct.match("pour sa part dmitri peskov")
    assert words.claiming.match("c'est par ces mots que")
    assert "juillet" in words.months.split("|")


def test_a_file_in_vigie_home_replaces_the_packaged_one(
    fresh_lists: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _packaged()
    data["source_days"] = ["brumaire"]
    _in_vigie_home(data, tmp_path, monkeypatch)
    assert french().source_days == "brumaire"


def test_the_months_are_cldr_s_folded(fresh_lists: None) -> None:
    assert set(french().months.split("|")) == {fold(name) for name in FRENCH_MONTHS}
    assert "fevrier" in french().months.split("|")


def test_role_qualifiers_match_whole_words_and_an_older_file_without_them_matches_none(
    fresh_lists: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = french()
    assert words.role_qualifiers.match("a la retraite bernard")
    assert not words.role_qualifiers.match("a la retraitee")
    assert not words.role_qualifiers.match("au journaliste")
    data = _packaged()
    del data["role_qualifiers"]
    _in_vigie_home(data, tmp_path, monkeypatch)
    assert not french().role_qualifiers.match("a la retraite")
    assert not french().role_qualifiers.match("")


def _clear_figure_rules() -> None:
    for rule in vars(figures).values():
        if hasattr(rule, "cache_clear"):
            rule.cache_clear()


@pytest.fixture
def fresh_rules(fresh_lists: None) -> Iterator[None]:
    """The figure rules built from the lists, built again in the test and after it."""
    _clear_figure_rules()
    yield
    _clear_figure_rules()


def test_the_figure_rules_read_their_words_from_the_file_in_vigie_home(
    fresh_rules: None, watch: Watch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "La Corée du Nord a envoyé 3 000 soldats en Russie à la mousson 2024."
    assert [f.period for f in figures.extract_figures(text, watch)] == [None]
    data = _packaged()
    data["seasons"].append("mousson")
    _in_vigie_home(data, tmp_path, monkeypatch)
    assert [f.period for f in figures.extract_figures(text, watch)] == ["mousson 2024"]


def test_the_moved_figure_lists_are_read_from_the_file_in_vigie_home(
    fresh_rules: None, watch: Watch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    periods = "La Corée du Nord a envoyé 3 000 soldats en Russie ces dernières décennies."
    sourced = "La Corée du Nord a envoyé 3 000 soldats en Russie aux dires de Séoul."
    assert [f.period for f in figures.extract_figures(periods, watch)] == [None]
    assert [f.claimed_by for f in figures.extract_figures(sourced, watch)] == [None]
    data = _packaged()
    data["recent_units"].append("decennies")
    data["source_leads"].append("aux dires de")
    _in_vigie_home(data, tmp_path, monkeypatch)
    fresh = watch.model_copy()  # a new watch object: its figure rules are compiled again
    assert [f.period for f in figures.extract_figures(periods, fresh)] == [
        "ces dernières décennies"
    ]
    assert [f.claimed_by for f in figures.extract_figures(sourced, fresh)] == ["Séoul"]


def test_quotes_read_the_source_leads_with_the_watch_s_prepositions(
    fresh_lists: None, watch: Watch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepositions = declarations._words(watch.model_copy()).prepositions
    assert {"selon", "d'apres", "pour", "selon les mots de"} <= prepositions
    data = _packaged()
    data["source_leads"].append("aux dires de")
    _in_vigie_home(data, tmp_path, monkeypatch)
    assert "aux dires de" in declarations._words(watch.model_copy()).prepositions
