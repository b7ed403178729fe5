"""Tests that need `../shared` are skipped without it on a laptop and fail without it in CI."""

from __future__ import annotations

import pytest
from support import shared


@pytest.fixture
def no_shared(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(shared, "SHARED_DIR", tmp_path / "shared")


def test_present_data_is_returned() -> None:
    if not shared.SHARED_DIR.is_dir():
        pytest.skip("../shared is not beside the project")
    assert shared.shared_path("eval-dev").is_dir()


def test_missing_data_skips_outside_ci(no_shared, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="eval-dev"):
        shared.shared_path("eval-dev", "corpus.yaml")


@pytest.mark.parametrize("value", ["true", "True", "1"])
def test_missing_data_fails_in_ci(no_shared, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        shared.shared_path("real-pages", "fr")
