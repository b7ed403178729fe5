"""The quality gate on real French articles (../shared/eval-real-dev, read in place, never copied).

The same corpus goes end to end through Airflow in ``tests/e2e/test_real_corpus_dag.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from vigie.config import DEFAULT_WATCH, PROJECT_DIR
from vigie.evaluate import evaluate_corpus, render_eval

pytestmark = pytest.mark.corpus

# The suite fails below these; the goal is 0.97 precision and 0.95 recall.
FLOOR_PRECISION, FLOOR_RECALL = 0.93, 0.90


def test_real_articles_reach_the_floor(shared_dir: Path) -> None:
    result = evaluate_corpus(
        shared_dir / "eval-real-dev" / "corpus.yaml",
        seeds_dir=PROJECT_DIR / "seeds",
        watch_file=DEFAULT_WATCH,
    )
    render_eval(result, Console(width=140))  # the figures, in the test's output (-s or on failure)
    print(
        f"eval-real-dev: precision {result.precision:.3f}, recall {result.recall:.3f}, "
        f"figures {result.recall_of('figure'):.3f}, declarations "
        f"{result.recall_of('declaration'):.3f}"
    )
    assert result.warnings == []
    assert result.expected >= 20
    assert result.duplicate_errors == []
    assert result.relevance_errors == []
    assert result.precision >= FLOOR_PRECISION
    assert result.recall >= FLOOR_RECALL
