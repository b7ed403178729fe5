"""Archives for backfills: WARC files, folders of saved pages, JSON Lines exports.

``read_archive`` yields each page of an archive as raw bytes with the date that places it in time;
``ingest_archive`` stores those dated within a window as articles with status "fetched", so the
ordinary extraction, deduplication and analysis stages then run on them. A record that cannot be
read is reported with its place and reason, and the run goes on.

Which date places a page in the window:
- WARC: the record's WARC-Date (when the page was captured);
- folder of saved pages: the page's own publication date (meta tags, else htmldate), else the
  file's modification time; ``date_source`` says which;
- JSON Lines: the record's ``published``.
With a window, a page with no date at all cannot be placed and is counted as undated, not stored.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.ingest.urls import WEB_SCHEMES, canonical_from_page, clean_url
from vigie.store.models import Article

PARIS = ZoneInfo("Europe/Paris")
HTML_TYPES = ("text/html", "application/xhtml+xml")
SAVED_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
COMMIT_EVERY = 100
MAX_REPORTED = 50  # bad records listed in the report; all are counted
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)


@dataclass(frozen=True)
class ArchivedPage:
    """One page from an archive. ``date`` places it in a backfill window (see module doc)."""

    url: str
    raw: bytes
    content_type: str | None
    date: datetime | None
    date_source: str
    where: str
    title: str | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read as a page: where it is and why."""

    where: str
    reason: str


@dataclass(frozen=True)
class IgnoredRecord:
    """A sound record that is not an article page (an image, a redirect): counted apart."""

    where: str
    reason: str


Record = ArchivedPage | BadRecord | IgnoredRecord


@dataclass
class ArchiveReport:
    """What one archive ingestion did."""

    archive: str = ""
    pages: int = 0
    stored: int = 0
    already_stored: int = 0
    outside_window: int = 0
    undated: int = 0
    ignored: Counter[str] = field(default_factory=Counter)
    bad: int = 0
    bad_records: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        line = (
            f"{self.archive}: {self.pages} pages read, {self.stored} stored, "
            f"{self.already_stored} already stored, {self.outside_window} outside the window, "
            f"{self.undated} undated, {self.bad} bad records"
        )
        if self.ignored:
            line += "; ignored: " + ", ".join(f"{k} ×{n}" for k, n in self.ignored.most_common(4))
        if self.bad_records:
            line += "; bad: " + "; ".join(self.bad_records[:3])
        return line


# --- reading ---------------------------------------------------------------------------------


def archive_kind(path: Path) -> str | None:
    """ "warc", "folder" or "jsonl" from the path, else from the first bytes; None if unknown."""
    if path.is_dir():
        return "folder"
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        return "warc"
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
        return "jsonl"
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return None
    if head.startswith(b"\x1f\x8b"):
        head = _gunzip_head(path)
    if head.startswith(b"WARC/"):
        return "warc"
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    return None


def _gunzip_head(path: Path) -> bytes:
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read(512)
    except (OSError, EOFError):
        return b""


def read_archive(path: Path) -> Iterator[Record]:
    """Every page of the archive at ``path``; a BadRecord for each record that cannot be read,
    an IgnoredRecord for each sound record that is not an HTML page (WARCs hold images too)."""
    path = Path(path)
    if not path.exists():
        yield BadRecord(str(path), "no such file or folder")
        return
    kind = archive_kind(path)
    if kind == "warc":
        yield from _read_warc(path)
    elif kind == "folder":
        yield from _read_folder(path)
    elif kind == "jsonl":
        yield from _read_jsonl(path)
    else:
        yield BadRecord(path.name, "not a WARC file, a folder of pages or a JSON Lines export")


def _parse_date(value: object) -> datetime | None:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        if len(text) <= 10:
            return parsed.replace(tzinfo=UTC)
    else:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=PARIS)).astimezone(UTC)


def _read_warc(path: Path) -> Iterator[Record]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as handle:
        records = ArchiveIterator(handle, arc2warc=True)
        number = 0  # records are named by their rank: asking warcio for offsets reads them
        try:
            for number, record in enumerate(records, start=1):
                if record.rec_type in ("response", "resource"):
                    yield _warc_page(record, f"{path.name} record {number}")
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            where = f"{path.name} after record {number}"
            yield BadRecord(where, f"unreadable from here on: {_short(exc)}")


def _warc_page(record: Any, where: str) -> Record:
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
    if not url:
        return BadRecord(where, "no WARC-Target-URI")
    if record.rec_type == "response":
        if record.http_headers is None:
            return BadRecord(where, f"{url}: response without HTTP headers")
        status = record.http_headers.get_statuscode()
        if not status:
            return BadRecord(where, f"{url}: no HTTP status")
        if status != "200":
            return IgnoredRecord(where, f"HTTP {status}")
        content_type = record.http_headers.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    media = (content_type or "").split(";")[0].strip().lower()
    if media and media not in HTML_TYPES:
        return IgnoredRecord(where, f"not HTML ({media})")
    try:
        raw = record.content_stream().read()
    except (OSError, EOFError, ValueError) as exc:
        return BadRecord(where, f"{url}: unreadable payload ({_short(exc)})")
    if getattr(record.raw_stream, "limit", 0):
        return BadRecord(where, f"{url}: truncated record")
    if not raw.strip():
        return BadRecord(where, f"{url}: empty page")
    warc_date = _parse_date(record.rec_headers.get_header("WARC-Date"))
    return ArchivedPage(
        url=url,
        raw=raw,
        content_type=content_type,
        date=warc_date,
        date_source="WARC-Date" if warc_date else "none",
        where=where,
    )


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


def _read_folder(folder: Path) -> Iterator[Record]:
    from vigie.ingest.extract import page_published, parse_page

    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SAVED_PAGE_SUFFIXES
    )
    for file in files:
        where = str(file.relative_to(folder))
        try:
            raw = file.read_bytes()
            mtime = datetime.fromtimestamp(file.stat().st_mtime, tz=UTC)
        except OSError as exc:
            yield BadRecord(where, f"unreadable ({exc.strerror or exc})")
            continue
        tree = parse_page(raw)
        if tree is None:
            yield BadRecord(where, "empty or unreadable page")
            continue
        url = _saved_page_url(raw, tree, file)
        published = page_published(tree)
        yield ArchivedPage(
            url=url,
            raw=raw,
            content_type=None,
            date=published or mtime,
            date_source="page metadata" if published else "file mtime",
            where=where,
        )


def _saved_page_url(raw: bytes, tree: Any, file: Path) -> str:
    """The page's address: its canonical or og:url, the browser's "saved from" note, else the
    file's own URI."""
    declared = canonical_from_page(tree, file.resolve().as_uri())
    if declared:
        return declared
    match = _SAVED_FROM.search(raw[:4096])
    if match:
        url = match.group(1).decode("utf-8", "replace")
        if url.split(":", 1)[0].lower() in WEB_SCHEMES:
            return clean_url(url)
    return file.resolve().as_uri()


def _open_lines(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _read_jsonl(path: Path) -> Iterator[Record]:
    try:
        with _open_lines(path) as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield _jsonl_page(line, f"{path.name}:{number}")
    except (OSError, EOFError) as exc:
        yield BadRecord(path.name, f"unreadable from here on: {_short(exc)}")


def _jsonl_page(line: bytes, where: str) -> ArchivedPage | BadRecord:
    try:
        item = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return BadRecord(where, f"not JSON ({_short(exc)})")
    if not isinstance(item, dict):
        return BadRecord(where, "not a JSON object")
    url = item.get("url")
    if not isinstance(url, str) or not url.strip():
        return BadRecord(where, "no url")
    html, text = item.get("html"), item.get("text")
    if isinstance(html, str) and html.strip():
        raw, content_type = html.encode("utf-8"), "text/html; charset=utf-8"
    elif isinstance(text, str) and text.strip():
        raw, content_type = text.encode("utf-8"), "text/plain; charset=utf-8"
    else:
        return BadRecord(where, f"{url}: neither html nor text")
    published = _parse_date(item.get("published"))
    if item.get("published") and published is None:
        return BadRecord(where, f"{url}: unreadable published date {item['published']!r}")
    title, outlet = item.get("title"), item.get("outlet")
    return ArchivedPage(
        url=url.strip(),
        raw=raw,
        content_type=content_type,
        date=published,
        date_source="export" if published else "none",
        where=where,
        title=title if isinstance(title, str) else None,
        outlet=outlet if isinstance(outlet, str) else None,
    )


# --- storing ---------------------------------------------------------------------------------


def _in_window(moment: datetime, start: date | None, end: date | None) -> bool:
    day = moment.astimezone(UTC).date()
    return (start is None or day >= start) and (end is None or day <= end)


def ingest_archive(
    session: Session, path: Path, *, start: date | None = None, end: date | None = None
) -> ArchiveReport:
    """Store the archive's pages dated within [start, end] (inclusive, UTC days) as "fetched"
    articles. A URL already stored (as fetched or as canonical) is skipped: re-running the same
    backfill adds nothing."""
    path = Path(path)
    report = ArchiveReport(archive=path.name)
    known: set[str] = set()
    for url, canonical in session.execute(select(Article.url, Article.canonical_url)):
        known.add(url)
        if canonical:
            known.add(canonical)
    for item in read_archive(path):
        if isinstance(item, IgnoredRecord):
            report.ignored[item.reason] += 1
            continue
        if isinstance(item, BadRecord):
            report.bad += 1
            if len(report.bad_records) < MAX_REPORTED:
                report.bad_records.append(f"{item.where}: {item.reason}")
            continue
        report.pages += 1
        windowed = start is not None or end is not None
        if item.date is None and windowed:
            report.undated += 1
            continue
        if item.date is not None and not _in_window(item.date, start, end):
            report.outside_window += 1
            continue
        if item.url in known or clean_url(item.url) in known:
            report.already_stored += 1
            continue
        article = _store(session, item)
        known.update((item.url, clean_url(item.url)))
        report.stored += 1
        report.article_ids.append(article.id)
        if report.stored % COMMIT_EVERY == 0:
            session.commit()
    session.commit()
    return report


def _store(session: Session, page: ArchivedPage) -> Article:
    article = Article(
        url=page.url[:2000],
        outlet=page.outlet,
        title=page.title,
        # the archive's date is the fallback publication date; the page's own date wins
        published=page.date,
        status="fetched",
        raw_content_type=(page.content_type or "")[:200] or None,
        raw_fetched_at=page.date if page.date_source == "WARC-Date" else datetime.now(UTC),
    )
    article.raw = page.raw
    session.add(article)
    session.flush()
    return article
