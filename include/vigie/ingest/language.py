"""Which language a text is in: py3langid, its model loaded once per machine, not per process.

py3langid ships its model LZMA-compressed, and decompressing it costs every new process half a
CPU-second: each extraction worker, each Airflow task, before its first page. The model is
therefore kept, uncompressed, in the user's cache directory (``$XDG_CACHE_HOME/vigie``, else
``~/.cache/vigie``), under a name that changes with py3langid's version and model file, as its
tables one after another in NumPy's ``.npy`` format. Those tables (70 MB) are mapped from the
file, not read: a process starts in a few milliseconds, touches only the pages it uses, and
processes on one machine share them through the page cache (reading them in cost each
extraction worker 80 ms of CPU, three pages' extraction; mapping them, 9 ms).
A cache that cannot be read or written is only slower: the model is then loaded as shipped.
"""

from __future__ import annotations

import logging
import os
import tempfile
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Language identification reads this many characters: plenty for a confident answer.
LANGUAGE_SAMPLE = 2000
# The model's tables in the cached copy: ptc, pc, classes, nextmove, row, output.
_TABLES = 6


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


def import_identifier() -> None:
    """Import the identifier's code (py3langid, NumPy) without loading its model."""
    import numpy  # noqa: F401
    import py3langid.langid  # noqa: F401


@cache
def identifier() -> Any:
    """py3langid's identifier with normalised probabilities, from the cache when it holds it."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import load_model

    shipped = Path(MODEL_DIR) / MODEL_FILE
    stat = shipped.stat()
    name = f"py3langid-{version('py3langid')}-{stat.st_size}-{stat.st_mtime_ns}.npy"
    cached = cache_dir() / name
    try:
        model = _read(cached)
    except (OSError, ValueError, KeyError):
        model = load_model(shipped)
        _write(cached, model)
    ptc, pc, classes, nextmove, row, output = model
    return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)


def _read(path: Path) -> tuple[Any, ...]:
    """The model as ``py3langid.modelio.load_model`` returns it, its big tables mapped from the
    copy: the transition table and the row offsets as buffers indexed like ``array``s."""
    import numpy as np

    ptc, pc, classes, nextmove, row, output = _mapped(path)
    return (
        ptc,
        np.array(pc),
        classes.tolist(),
        _as_array(nextmove),
        _as_array(row),
        output.tolist(),
    )


def _mapped(path: Path) -> list[Any]:
    """The file's tables, in order, each mapped (``numpy.memmap``), none read."""
    import numpy as np
    from numpy.lib import format as npy

    headers = {(1, 0): npy.read_array_header_1_0, (2, 0): npy.read_array_header_2_0}
    tables = []
    with path.open("rb") as file:
        for _ in range(_TABLES):
            shape, fortran, dtype = headers[npy.read_magic(file)](file)
            offset = file.tell()
            order = "F" if fortran else "C"
            tables.append(np.memmap(path, dtype, "r", offset, shape, order))
            file.seek(offset + tables[-1].nbytes)
    return tables


def _as_array(table: Any) -> memoryview:
    """A one-dimensional table as a buffer of Python ints, as fast to index as ``array``."""
    return memoryview(table).cast("B").cast(table.dtype.char)


def _write(path: Path, model: tuple[Any, ...]) -> None:
    """Write the copy atomically: workers starting together must not read half a file."""
    import numpy as np
    from numpy.lib import format as npy

    ptc, pc, classes, nextmove, row, output = model
    tables = (
        ptc,
        pc,
        np.array(classes),
        np.frombuffer(nextmove, dtype=nextmove.typecode),
        np.frombuffer(row, dtype=row.typecode),
        np.asarray(output, dtype=np.int64),
    )
    written = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as file:
            written = Path(file.name)
            for table in tables:
                npy.write_array(file, np.ascontiguousarray(table), allow_pickle=False)
        os.replace(written, path)
    except OSError as exc:
        if written is not None:
            written.unlink(missing_ok=True)
        log.info("language model not cached in %s: %s", path.parent, exc)
