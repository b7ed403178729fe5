"""The French function words come from data/french.yaml, and a deployment can replace them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from vigie.nlp import figures
from vigie.nlp.french import french
from vigie.resources import DATA_DIR, load_data
from vigie.watch import Watch


@pytest.fixture
def fresh_lists() -> Iterator[None]:
    french.cache_clear()
    load_data.cache_clear()
    yield
    french.cache_clear()
    load_data.cache_clear()


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
    data = yaml.safe_load((DATA_DIR / "french.yaml").read_text(encoding="utf-8"))
    data["months"] = ["brumaire"]
    (tmp_path / "french.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    assert french().months == "brumaire"


def test_role_qualifiers_match_whole_words_and_an_older_file_without_them_matches_none(
    fresh_lists: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = french()
    assert words.role_qualifiers.match("a la retraite bernard")
    assert not words.role_qualifiers.match("a la retraitee")
    assert not words.role_qualifiers.match("au journaliste")
    data = yaml.safe_load((DATA_DIR / "french.yaml").read_text(encoding="utf-8"))
    del data["role_qualifiers"]
    (tmp_path / "french.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    french.cache_clear()
    load_data.cache_clear()
    assert not french().role_qualifiers.match("a la retraite")
    assert not french().role_qualifiers.match("")


@pytest.fixture
def fresh_periods(fresh_lists: None) -> Iterator[None]:
    figures._period_pattern.cache_clear()
    yield
    figures._period_pattern.cache_clear()


def test_the_figure_rules_read_their_words_from_the_file_in_vigie_home(
    fresh_periods: None, watch: Watch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "La Corée du Nord a envoyé 3 000 soldats en Russie à la mousson 2024."
    assert [f.period for f in figures.extract_figures(text, watch)] == [None]
    data = yaml.safe_load((DATA_DIR / "french.yaml").read_text(encoding="utf-8"))
    data["seasons"].append("mousson")
    (tmp_path / "french.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    french.cache_clear()
    load_data.cache_clear()
    figures._period_pattern.cache_clear()
    assert [f.period for f in figures.extract_figures(text, watch)] == ["mousson 2024"]
