"""Which language a text is in: py3langid, its model loaded once per machine, not per process.

py3langid ships its model LZMA-compressed, and decompressing it costs every new process half a
CPU-second: each extraction worker, each Airflow task, before its first page (a tenth of a
150-page run on two workers in bench/ingest.py). The model is therefore kept, uncompressed,
in the user's cache directory (``$XDG_CACHE_HOME/vigie``, else ``~/.cache/vigie``), under a name
that changes with py3langid's version and model file; reading it back takes a few milliseconds.
A cache that cannot be read or written is only slower: the model is then loaded as shipped.
"""

from __future__ import annotations

import logging
import os
import tempfile
from array import array
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Language identification reads this many characters: plenty for a confident answer.
LANGUAGE_SAMPLE = 2000


def detect_language(text: str) -> tuple[str | None, float | None]:
    """ISO code and confidence (0-1) of ``text``; (None, None) when there is nothing to read."""
    if not text or not any(ch.isalpha() for ch in text):
        return None, None
    lang, score = identifier().classify(text[:LANGUAGE_SAMPLE])
    return lang, round(float(score), 2)


def cache_dir() -> Path:
    """Where Vigie keeps what it can rebuild: ``$XDG_CACHE_HOME/vigie``, else ``~/.cache/vigie``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "vigie"


@cache
def identifier() -> Any:
    """py3langid's identifier with normalised probabilities, from the cache when it holds it."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import load_model

    shipped = Path(MODEL_DIR) / MODEL_FILE
    stat = shipped.stat()
    name = f"py3langid-{version('py3langid')}-{stat.st_size}-{stat.st_mtime_ns}.npz"
    cached = cache_dir() / name
    try:
        model = _read(cached)
    except (OSError, ValueError, KeyError):
        model = load_model(shipped)
        _write(cached, model)
    ptc, pc, classes, nextmove, row, output = model
    return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)


def _read(path: Path) -> tuple[Any, ...]:
    """The model as ``py3langid.modelio.load_model`` returns it, from an uncompressed copy."""
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        return (
            data["ptc"],
            data["pc"],
            data["classes"].tolist(),
            array(str(data["nextmove_type"]), data["nextmove"].tobytes()),
            array(str(data["row_type"]), data["row"].tobytes()),
            data["output"].tolist(),
        )


def _write(path: Path, model: tuple[Any, ...]) -> None:
    """Write the copy atomically: workers starting together must not read half a file."""
    import numpy as np

    ptc, pc, classes, nextmove, row, output = model
    written = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as file:
            written = Path(file.name)
            np.savez(
                file,
                ptc=ptc,
                pc=pc,
                classes=np.array(classes),
                nextmove=np.frombuffer(nextmove, dtype=nextmove.typecode),
                nextmove_type=np.array(nextmove.typecode),
                row=np.frombuffer(row, dtype=row.typecode),
                row_type=np.array(row.typecode),
                output=np.asarray(output, dtype=np.int64),
            )
        os.replace(written, path)
    except OSError as exc:
        if written is not None:
            written.unlink(missing_ok=True)
        log.info("language model not cached in %s: %s", path.parent, exc)
