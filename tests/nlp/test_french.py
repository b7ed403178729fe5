"""The French function words come from data/french.yaml, and a deployment can replace them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from vigie.nlp.french import french
from vigie.resources import DATA_DIR, load_data


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
