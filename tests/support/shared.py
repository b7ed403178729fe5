"""The shared data beside the project (`../shared`): eval corpora, real pages and feeds.

A test that needs it is skipped on a developer's machine without it, and fails in CI
(`CI=true`), where a missing corpus must not pass as a green run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"


def in_ci() -> bool:
    """Whether this run is CI's (`CI=true`, as GitHub Actions and GitLab set it)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def shared_path(*parts: str) -> Path:
    """``../shared/<parts>``; when it is missing, the calling test fails in CI, else is skipped."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        reason = f"{path} is needed (../shared beside the project)"
        if in_ci():
            pytest.fail(f"{reason}; CI=true, so this is a failure, not a skip")
        pytest.skip(reason)
    return path
