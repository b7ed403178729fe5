"""Quality figures of the ingestion tests, shown in the normal ``pytest -q`` output.

A test records a figure with ``record_property("vigie_<name>", "<text>")``; the terminal summary
prints every such figure, so a drop in extraction quality is visible before it fails the floor.
"""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = []
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", []):
                if str(name).startswith("vigie_") and report.when == "call":
                    lines.append(f"{name.removeprefix('vigie_')}: {value}")
    if lines:
        terminalreporter.section("ingestion quality")
        for line in lines:
            terminalreporter.write_line(line)
