"""The labelled pairs of tests/fixtures/dedup/pairs.yaml, built into dated texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "dedup" / "pairs.yaml"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

_RETYPE = str.maketrans({"'": "\u2019", "«": "\u201c", "»": "\u201d"})


@dataclass(frozen=True)
class Sample:
    name: str
    text: str
    published: datetime
    seed: str | None = None


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _copy(base: str, ops: dict) -> str:
    """A republication of ``base`` as an outlet makes it (ops documented in the fixture)."""
    paragraphs = _paragraphs(base)
    if "lede" in ops:
        paragraphs[0] = ops["lede"]
    if "drop" in ops:
        paragraphs = [p for i, p in enumerate(paragraphs) if i not in set(ops["drop"])]
    if "keep" in ops:
        paragraphs = paragraphs[: ops["keep"]]
    if "append" in ops:
        paragraphs.append(ops["append"])
    if "title" in ops:
        paragraphs.insert(0, ops["title"])
    text = "\n\n".join(paragraphs)
    for old, new in ops.get("replace", []):
        assert old in text, f"replace: {old!r} not in the text"
        text = text.replace(old, new)
    if ops.get("typography"):
        text = text.translate(_RETYPE).replace(" ", "\u00a0", 3).replace("\n\n", "\n \n")
    lines = ops.get("boilerplate", [])
    if lines:
        text = f"{lines[0]}\n{text}\n" + "\n".join(lines[1:])
    return text


def _date(value: object) -> datetime:
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def load_pairs(
    fixture: Path = FIXTURE, seeds: Path = SEEDS
) -> tuple[dict[str, Sample], list[tuple[str, str, str]]]:
    """(samples by name, [(a, b, label)]), a being the earlier article of each pair."""
    data = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    samples: dict[str, Sample] = {}
    for name, spec in data["articles"].items():
        if "seed" in spec:
            text = (seeds / spec["seed"]).read_text(encoding="utf-8")
        else:
            text = spec["text"]
        samples[name] = Sample(name, text, _date(spec["published"]), spec.get("seed"))
    for name, ops in data["copies"].items():
        base = samples[ops["from"]]
        when = base.published + timedelta(hours=ops.get("hours", 2))
        samples[name] = Sample(name, _copy(base.text, ops), when)
    pairs = [(a, b, label) for a, b, label in data["pairs"]]
    return samples, pairs
