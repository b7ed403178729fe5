"""The baseline: every file of seeds/ becomes an article through the same path as a feed's.

A seed is stored as a raw text/plain page with status "fetched" and extracted by
``vigie.ingest.extract_stage.extract_articles``, exactly like a fetched page: the same decoding,
the same cleaning, the same second-copy rules. Its address is ``seed:<file name>``, not a
``file://`` URI: an absolute path changes with every checkout and machine, which would break
idempotency, while the file name is the seed's identity (it is also ``seed_name``'s stem and
what alerts cite).

What a seed's text says about itself is read from it, never typed in:
- the outlet, from a line that stands alone as a byline or credit ("AFP Agence France-Presse"),
  matched against ``vigie/data/outlets.yaml``; otherwise "seed";
- the headline, from the first three lines: the first short line that is not a sentence, a
  byline, a breadcrumb, a rubric or a date;
- the date, from a " date 2026-01-09" marker or a "Publié le : 13/07/2025 - 13:43" line (Paris
  time). A day without a year ("Le 26 décembre") is left unset, the reason recorded: the years a
  text mentions are those of the events it recalls, not of its publication, and a file's mtime is
  the checkout's, so neither is a safe guess.

Ingesting twice adds nothing: a seed whose latest stored copy has the same bytes is skipped. A
seed whose file changed is stored again and, keeping the same ``seed:`` address, becomes an
update of the first copy (only its new sentences go on to analysis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.dates import FRENCH_MONTHS as MONTHS
from vigie.dates import PARIS, parse_datetime
from vigie.ingest.decode import decode_bytes
from vigie.ingest.extract_stage import ExtractReport, extract_articles
from vigie.resources import load_data
from vigie.store.models import Article
from vigie.text import normalise, squash

SEED_SCHEME = "seed:"
DEFAULT_OUTLET = "seed"

_MONTH = "|".join(MONTHS)
# Where a seed states its date; ``vigie.dates`` reads what they capture.
_ISO_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b", re.I)
_PUBLISHED = re.compile(
    r"publi[ée]e? le\s*:?\s*(\d{1,2}[/.]\d{1,2}[/.]\d{4}(?:\s*(?:-|à|,)?\s*\d{1,2}[:h]\d{2})?)",
    re.I,
)
_PUBLISHED_WORDS = re.compile(
    rf"publi[ée]e? le\s*:?\s*(\d{{1,2}}(?:er)?\s+(?:{_MONTH})\s+\d{{4}}"
    r"(?:\s*(?:-|à|,)?\s*\d{1,2}[:h]\d{2})?)",
    re.I,
)
_DAY_NO_YEAR = re.compile(rf"\b(?:le\s+)?(\d{{1,2}})(?:er)?\s+({_MONTH})\b(?!\s+\d{{4}})", re.I)
TITLE_LINES = 3  # the headline, if any, is among the first lines


@dataclass
class SeedReport:
    """What one ingestion of seeds/ did."""

    files: int = 0
    added: int = 0
    unchanged: int = 0
    changed: int = 0
    problems: list[str] = field(default_factory=list)
    extraction: ExtractReport = field(default_factory=ExtractReport)

    def summary(self) -> str:
        line = (
            f"{self.files} seed files: {self.added} added, {self.changed} changed, "
            f"{self.unchanged} already stored"
        )
        if self.added or self.changed:
            line += f"; {self.extraction.summary()}"
        if self.problems:
            line += f"; problems: {'; '.join(self.problems[:5])}"
        return line


@dataclass(frozen=True)
class SeedFacts:
    """What a seed's text says about itself."""

    title: str | None
    outlet: str
    published: datetime | None
    date_note: str | None


@cache
def _aliases() -> dict[str, str]:
    data = load_data("outlets.yaml") or {}
    return {
        _key(alias): outlet["name"]
        for outlet in data.get("outlets") or []
        for alias in [outlet["name"], *(outlet.get("aliases") or [])]
    }


@cache
def _credit() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in load_data("seeds.yaml")["credit_words"])
    return re.compile(rf"^(?:{words})\s*:?\s*", re.I)


@cache
def _not_a_title() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load_data("seeds.yaml")["not_a_title"]), re.I)


def _key(text: str) -> str:
    return squash(re.sub(r"[\"()\[\]]", " ", normalise(text))).strip(" .:-")


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def guess_outlet(text: str) -> str | None:
    """The outlet a standalone byline or credit line names ("AFP Agence France-Presse")."""
    aliases = _aliases()
    for line in _lines(text):
        if len(line) > 80:
            continue
        key = _credit().sub("", _key(line))
        if key in aliases:
            return aliases[key]
    return None


def guess_title(text: str) -> str | None:
    """The first short, non-sentence line among the first lines, if one is a headline."""
    aliases = _aliases()
    for line in _lines(text)[:TITLE_LINES]:
        words = line.split()
        if not 4 <= len(words) <= 30 or len(line) > 220 or line.endswith("."):
            continue
        if _not_a_title().search(line) or _key(line) in aliases:
            continue
        return line
    return None


def parse_seed_date(text: str) -> tuple[datetime | None, str | None]:
    """The publication date a seed states, and a note when a date is there but unusable.

    The date is read by ``vigie.dates``, as a page's is: a day alone is midnight UTC, a time is
    Paris time."""
    head = text[:2000]
    markers = (_ISO_MARKER, _PUBLISHED, _PUBLISHED_WORDS)
    if match := next(filter(None, (marker.search(head) for marker in markers)), None):
        published = parse_datetime(match.group(1), default_tz=PARIS)
        if published is None:
            return None, f"impossible date «{match.group(1)}» left unset"
        return published.astimezone(UTC), None
    first = _lines(head)[:1]
    if first and (match := _DAY_NO_YEAR.search(first[0][:80])):
        return None, f"date without a year («{match.group(0).strip()}») left unset"
    return None, None


def read_seed(text: str) -> SeedFacts:
    published, note = parse_seed_date(text)
    return SeedFacts(
        title=guess_title(text),
        outlet=guess_outlet(text) or DEFAULT_OUTLET,
        published=published,
        date_note=note,
    )


def seed_url(path: Path) -> str:
    return f"{SEED_SCHEME}{path.name}"


def ingest_seeds(session: Session, seeds_dir: Path) -> SeedReport:
    """Store each seed not yet stored (or changed) and extract it through the common path."""
    report = SeedReport()
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        report.problems.append(f"no seeds folder at {seeds_dir}")
        return report
    files = sorted(p for p in seeds_dir.glob("*.txt") if p.is_file() and not p.name.startswith("."))
    if not files:
        report.problems.append(f"no .txt seed in {seeds_dir}")
    stored: list[int] = []
    for path in files:
        report.files += 1
        try:
            raw = path.read_bytes()
        except OSError as exc:
            report.problems.append(f"{path.name}: unreadable ({exc.strerror or exc})")
            continue
        latest = session.scalar(
            select(Article)
            .where(Article.seed_name == path.stem, Article.baseline.is_(True))
            .order_by(Article.id.desc())
            .limit(1)
        )
        if latest is not None and (latest.raw or b"") == raw:
            report.unchanged += 1
            continue
        if latest is None:
            report.added += 1
        else:
            report.changed += 1
        stored.append(_store(session, path, raw).id)
    session.commit()
    if stored:
        report.extraction = extract_articles(session, stored)
    return report


def _store(session: Session, path: Path, raw: bytes) -> Article:
    facts = read_seed(decode_bytes(raw, "text/plain")[0])
    article = Article(
        url=seed_url(path),
        outlet=facts.outlet,
        title=facts.title,
        published=facts.published,
        status="fetched",
        reason=facts.date_note,
        baseline=True,
        seed_name=path.stem,
        raw_content_type="text/plain",
        raw_fetched_at=datetime.now(UTC),
    )
    article.raw = raw
    session.add(article)
    session.flush()
    return article
