"""The latest `vigie eval` scores, kept in the store so the plugin's Quality page can show them.

The evaluation itself runs in a throw-away store (``vigie.evaluate``); only its result — precision,
recall, misses and false alerts, as ``EvalResult.to_dict()`` gives them — is recorded here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.store.models import EvalRun


def record_eval(session: Session, corpus: Path, result: dict[str, Any]) -> int:
    """Store one evaluation's result; its id."""
    run = EvalRun(
        corpus=str(corpus),
        precision=float(result.get("precision", 0.0)),
        recall=float(result.get("recall", 0.0)),
        result=result,
    )
    session.add(run)
    session.flush()
    return run.id


def latest_eval(session: Session) -> dict[str, Any] | None:
    """The most recent evaluation (when, which corpus, its result), or None if none has run."""
    run = session.scalars(
        select(EvalRun).order_by(EvalRun.ran_at.desc(), EvalRun.id.desc())
    ).first()
    if run is None:
        return None
    return {
        "ran_at": run.ran_at.isoformat(),
        "corpus": run.corpus,
        "precision": run.precision,
        "recall": run.recall,
        "result": run.result,
    }
