"""The quality gate: the whole pipeline over eval-dev/corpus.yaml scores 1.0 / 1.0."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from vigie.config import DEFAULT_WATCH, PROJECT_DIR
from vigie.evaluate import evaluate_corpus, render_eval

pytestmark = pytest.mark.corpus


def test_eval_dev_corpus_is_perfect(shared_dir: Path) -> None:
    result = evaluate_corpus(
        shared_dir / "eval-dev" / "corpus.yaml",
        seeds_dir=PROJECT_DIR / "seeds",
        watch_file=DEFAULT_WATCH,
    )
    render_eval(result, Console(width=140))  # the figures, in the test's output (-s or on failure)
    print(f"eval-dev: precision {result.precision:.3f}, recall {result.recall:.3f}")
    assert result.false_alerts == []
    assert result.misses == []
    assert result.duplicate_errors == []
    assert result.relevance_errors == []
    assert (result.precision, result.recall) == (1.0, 1.0)
    assert result.expected == 5
