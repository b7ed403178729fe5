"""Language identification: the model's uncompressed copy in the cache answers as the shipped one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vigie.ingest import language

SAMPLES = [
    "Le ministre a annoncé jeudi un nouveau plan pour les écoles de la région.",
    "The minister announced a new plan for the region's schools on Thursday.",
    "Der Minister kündigte am Donnerstag einen neuen Plan für die Schulen an.",
    "El ministro anunció el jueves un nuevo plan para las escuelas de la región.",
    "Министр в четверг объявил о новом плане для школ региона.",
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache directory, and an identifier that is loaded again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    language.identifier.cache_clear()
    yield tmp_path / "vigie"
    language.identifier.cache_clear()


def _answers() -> list[tuple[str | None, float | None]]:
    return [language.detect_language(text) for text in SAMPLES]


def test_the_cached_model_answers_as_the_shipped_one(cache: Path) -> None:
    first = _answers()  # loaded as shipped, then written to the cache
    written = list(cache.glob("py3langid-*.npy"))
    assert len(written) == 1
    assert not list(cache.glob("*.tmp"))
    language.identifier.cache_clear()
    again = _answers()  # read from the cache
    assert again == first
    assert [lang for lang, _ in first] == ["fr", "en", "de", "es", "ru"]


def test_a_broken_cache_file_is_only_slower(cache: Path) -> None:
    _answers()
    (written,) = cache.glob("py3langid-*.npy")
    written.write_bytes(b"not a model")
    language.identifier.cache_clear()
    assert language.detect_language(SAMPLES[0])[0] == "fr"
    assert written.stat().st_size > 1000  # rewritten from the shipped model


def test_an_unwritable_cache_leaves_the_shipped_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    language.identifier.cache_clear()
    try:
        assert language.detect_language(SAMPLES[0])[0] == "fr"
    finally:
        language.identifier.cache_clear()


def test_nothing_to_read_has_no_language() -> None:
    assert language.detect_language("") == (None, None)
    assert language.detect_language("12 345 — 678") == (None, None)
