"""Jinja2 templates in files (``vigie/templates/<folder>``), every interpolated value escaped.

The plugin's pages (``pages``) and the alert e-mails (``email``) are built the same way: article
text is only ever data, never a template, and autoescape is on for every file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@cache
def environment(folder: str) -> Environment:
    """The templates of ``folder``, autoescaped, failing on any undefined name."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR / folder),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
