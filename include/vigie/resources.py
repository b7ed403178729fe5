"""The package's data files (word lists, patterns), each overridable from ``VIGIE_HOME``.

Knowledge lives in YAML beside the code, not in it; a deployment that needs another list puts a
file of the same name in its ``VIGIE_HOME`` (as trafilatura does with its settings file) and
that file replaces the packaged one whole.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_path(name: str) -> Path:
    """The file ``name`` from ``VIGIE_HOME`` when it holds one, else the packaged one."""
    from vigie.config import load_settings

    override = load_settings().home / name
    return override if override.is_file() else DATA_DIR / name


@cache
def load_data(name: str) -> Any:
    """The parsed YAML of data file ``name`` (cached for the process)."""
    return yaml.safe_load(data_path(name).read_text(encoding="utf-8"))
