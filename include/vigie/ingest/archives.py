"""Archives for backfills: WARC files, folders of saved pages, JSON Lines exports.

``read_archive`` yields each record of an archive, streaming: a page as raw bytes with the date that
places it in time, or the reason a record is not one (request, revisit, image, cut short…).
``ingest_archive`` replays the pages dated within a window, cheap first: worker processes run the
relevance gate on each raw page's text (one lxml pass, no trafilatura, no spaCy); the few pages
that pass are extracted there too, the others are stored as irrelevant with the gate's reason.
This process writes the store, a committed chunk at a time, and skips any page whose address is
already stored: a re-run after a crash finishes the window, doubling nothing. Every record is
counted under one heading of the report; the run goes on past bad ones.

Which date places a page in the window:
- WARC: the record's WARC-Date (when the page was captured; the page's own date, read at
  extraction, becomes its publication date);
- folder of saved pages: the page's own publication date (meta tags, else htmldate), else the
  file's modification time; ``date_source`` says which;
- JSON Lines: the record's ``published``.
With a window, a page with no date at all cannot be placed and is counted as undated, not stored.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from vigie.config import Settings, load_settings
from vigie.dates import PARIS, parse_datetime
from vigie.ingest.decode import looks_binary
from vigie.ingest.extract import Extracted, extract_page, page_published, parse_page, raw_page_text
from vigie.ingest.extract_stage import ExtractReport, done_now, store_extracted
from vigie.ingest.urls import WEB_SCHEMES, canonical_from_page, clean_url
from vigie.nlp.relevance import is_relevant
from vigie.store.models import Article, compress_raw
from vigie.watch import Watch, load_watch

HTML_TYPES = ("text/html", "application/xhtml+xml")
SAVED_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
MAX_REPORTED = 50  # bad records listed in the report; all are counted
# A page bigger than this is not an article: its head is kept (enough for any article's text),
# the rest is read past, so one odd record cannot blow the memory of a run.
MAX_RECORD_BYTES = 8 << 20
_OTHER_RECORDS = {
    "request": "request record",
    "revisit": "revisit record (no payload)",
    "warcinfo": "warcinfo record",
    "metadata": "metadata record",
    "conversion": "conversion record",
}
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
    note: str | None = None  # something the reader did to it (a huge record capped)


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
    """What one archive replay did; every record read is counted under one heading."""

    archive: str = ""
    records: int = 0
    pages: int = 0
    stored: int = 0
    relevant: int = 0  # passed the gate on the raw page, extracted
    irrelevant: int = 0  # dropped by that gate: stored as irrelevant, not extracted
    already_done: int = 0  # stored by an earlier run: skipped at once
    duplicates: int = 0  # the same address again in this archive
    outside_window: int = 0
    undated: int = 0
    extracted: int = 0  # of the relevant: text found, waiting for dedup and analysis
    skipped: int = 0  # of the relevant: not French
    failed: int = 0  # of the relevant: no text
    second_copies: int = 0  # of the relevant: a canonical URL already stored
    bad: int = 0
    ignored: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    bad_records: list[str] = field(default_factory=list)

    def bad_record(self, where: str, reason: str) -> None:
        self.bad += 1
        if len(self.bad_records) < MAX_REPORTED:
            self.bad_records.append(f"{where}: {reason}")

    def summary(self) -> str:
        line = (
            f"{self.archive}: {self.records} records, {self.pages} pages; {self.stored} stored "
            f"({self.relevant} past the relevance gate: {self.extracted} extracted, "
            f"{self.skipped} not French, {self.failed} without text, {self.second_copies} second "
            f"copies; {self.irrelevant} dropped by it), {self.already_done} skipped as already "
            f"done, {self.duplicates} duplicate records, {self.outside_window} outside the "
            f"window, {self.undated} undated, {self.bad} bad records"
        )
        if self.ignored:
            line += "; ignored: " + ", ".join(f"{k} ×{n}" for k, n in self.ignored.most_common())
        if self.notes:
            line += "; " + ", ".join(f"{k} ×{n}" for k, n in self.notes.most_common())
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
    parsed = parse_datetime(value, default_tz=PARIS) if isinstance(value, str | date) else None
    return parsed.astimezone(UTC) if parsed else None


def _read_warc(path: Path) -> Iterator[Record]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as handle:
        records = ArchiveIterator(handle, arc2warc=True)
        number = 0  # records are named by their rank: asking warcio for offsets reads them
        try:
            for number, record in enumerate(records, start=1):
                where = f"{path.name} record {number}"
                if record.rec_type in ("response", "resource"):
                    yield _warc_page(record, where)
                else:
                    yield IgnoredRecord(where, _OTHER_RECORDS.get(record.rec_type, "other record"))
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
            where = f"{path.name} after record {number}"
            yield BadRecord(where, f"unreadable from here on: {_short(exc)}")


def _read_capped(record: Any) -> tuple[bytes, bool]:
    """The payload, at most MAX_RECORD_BYTES of it (the rest is read and dropped, so that a cut
    record is still told apart from a long one); and whether it was capped."""
    stream = record.content_stream()
    raw = stream.read(MAX_RECORD_BYTES + 1)
    if len(raw) <= MAX_RECORD_BYTES:
        return raw, False
    while stream.read(1 << 20):
        pass
    return raw[:MAX_RECORD_BYTES], True


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
        raw, capped = _read_capped(record)
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        return BadRecord(where, f"{url}: unreadable payload ({_short(exc)})")
    if getattr(record.raw_stream, "limit", 0):
        return BadRecord(where, f"{url}: truncated record")
    if not raw.strip():
        return BadRecord(where, f"{url}: empty page")
    if looks_binary(raw, content_type):
        return BadRecord(where, f"{url}: binary content under {media or 'no content type'}")
    warc_date = _parse_date(record.rec_headers.get_header("WARC-Date"))
    return ArchivedPage(
        url=url,
        raw=raw,
        content_type=content_type,
        date=warc_date,
        date_source="WARC-Date" if warc_date else "none",
        where=where,
        note=f"huge record: first {MAX_RECORD_BYTES >> 10} KB kept" if capped else None,
    )


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


def _read_folder(folder: Path) -> Iterator[Record]:
    for file in _saved_pages(folder):
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


def _saved_pages(folder: Path) -> Iterator[Path]:
    """The saved pages under ``folder``, in name order, one directory listed at a time."""
    entries = sorted(folder.iterdir())
    for entry in entries:
        if entry.is_dir():
            yield from _saved_pages(entry)
        elif entry.is_file() and entry.suffix.lower() in SAVED_PAGE_SUFFIXES:
            yield entry


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


# --- screening (in worker processes) ------------------------------------------------------


@dataclass(frozen=True)
class Screened:
    """What a worker says of one page: the gate's verdict, and the extraction if it passed."""

    title: str | None
    reason: str | None  # why the gate dropped it
    extracted: Extracted | None = None
    raw_compressed: bytes | None = None
    charset_note: str | None = None


@lru_cache(maxsize=2)
def _watch(path: Path | None) -> Watch:
    return load_watch(path)


def screen_page(page: ArchivedPage, watch_file: Path | None = None) -> Screened:
    """Cheap first: the relevance gate reads the raw page's text (one lxml pass); only a page
    that passes it is extracted (trafilatura) for the analysis. Pure, for worker processes."""
    read = raw_page_text(page.raw, page.content_type, page.url)
    title = page.title or read.title
    relevant, why = is_relevant(title or "", read.text, _watch(watch_file))
    if not relevant:
        reason = f"relevance gate on the raw page: {why}"
        return Screened(title, reason, charset_note=read.charset_note)
    extracted = extract_page(page.raw, page.url, page.content_type, fallback_title=page.title)
    return Screened(title, None, extracted, compress_raw(page.raw), read.charset_note)


# --- storing ---------------------------------------------------------------------------------

CHUNK = 32  # pages looked up, screened and committed together
Job = tuple[ArchivedPage, "Future[Screened]"]


def _in_window(moment: datetime, start: date | None, end: date | None) -> bool:
    day = moment.astimezone(UTC).date()
    return (start is None or day >= start) and (end is None or day <= end)


def _windowed(
    items: Iterator[Record], report: ArchiveReport, start: date | None, end: date | None
) -> Iterator[ArchivedPage]:
    """The pages dated within the window; everything else counted with its reason."""
    windowed = start is not None or end is not None
    for item in items:
        report.records += 1
        if isinstance(item, IgnoredRecord):
            report.ignored[item.reason] += 1
        elif isinstance(item, BadRecord):
            report.bad_record(item.where, item.reason)
        elif item.date is None and windowed:
            report.pages += 1
            report.undated += 1
        elif item.date is not None and not _in_window(item.date, start, end):
            report.pages += 1
            report.outside_window += 1
        else:
            report.pages += 1
            yield item


def _chunks(pages: Iterator[ArchivedPage], size: int) -> Iterator[list[ArchivedPage]]:
    while chunk := list(islice(pages, size)):
        yield chunk


def _keys(page: ArchivedPage) -> set[str]:
    return {page.url[:2000], clean_url(page.url)[:2000]}


def _stored(session: Session, pages: list[ArchivedPage]) -> dict[str, datetime]:
    """When each of these addresses was first stored (as fetched or as canonical): one query."""
    urls = set().union(*(_keys(p) for p in pages)) if pages else set()
    found: dict[str, datetime] = {}
    if not urls:
        return found
    rows = session.execute(
        select(Article.url, Article.canonical_url, Article.created_at).where(
            or_(Article.url.in_(urls), Article.canonical_url.in_(urls))
        )
    )
    for url, canonical, created in rows:
        for key in (url, canonical):
            if key in urls and (key not in found or created < found[key]):
                found[key] = created
    return found


def _already(page: ArchivedPage, stored: dict[str, datetime]) -> datetime | None:
    times = [stored[k] for k in _keys(page) if k in stored]
    return min(times) if times else None


def _count_skip(report: ArchiveReport, when: datetime, started: datetime) -> None:
    if when >= started:
        report.duplicates += 1
    else:
        report.already_done += 1


def ingest_archive(
    session: Session,
    path: Path,
    *,
    start: date | None = None,
    end: date | None = None,
    settings: Settings | None = None,
    workers: int = 1,
    progress: Callable[[ArchiveReport], None] | None = None,
) -> ArchiveReport:
    """Replay the archive's pages dated within [start, end] (inclusive, UTC days) into the store.

    Streaming and bounded: records are read one by one, screened by ``workers`` processes (the
    gate, then extraction for the few that pass) with at most a few chunks in flight, and
    written by this process one committed chunk at a time. A page whose address is already
    stored is skipped before any work: a re-run (after a crash, or the same backfill again)
    finishes the window without doubling anything and counts what it skipped as already done.
    Pages the gate drops are stored as irrelevant with its reason; the others wait, extracted,
    for dedup and analysis.
    """
    settings = settings or load_settings()
    path = Path(path)
    report = ArchiveReport(archive=path.name)
    started = datetime.now(UTC)
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    in_flight: deque[list[Job]] = deque()
    try:
        for chunk in _chunks(_windowed(read_archive(path), report, start, end), CHUNK):
            stored = _stored(session, chunk)
            session.rollback()  # no transaction held open while the workers screen
            jobs: list[Job] = []
            for page in chunk:
                when = _already(page, stored)
                if when is not None:
                    _count_skip(report, when, started)
                    continue
                future = (
                    pool.submit(screen_page, page, settings.watch_file)
                    if pool is not None
                    else done_now(screen_page, page, settings.watch_file)
                )
                jobs.append((replace(page, raw=b""), future))
            in_flight.append(jobs)
            while len(in_flight) > (2 * workers if pool is not None else 0):
                _write(session, in_flight.popleft(), report, started)
            if progress is not None:
                progress(report)
        while in_flight:
            _write(session, in_flight.popleft(), report, started)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if progress is not None:
        progress(report)
    return report


def _write(session: Session, jobs: list[Job], report: ArchiveReport, started: datetime) -> None:
    """Store one screened chunk and commit it: the unit a crash can lose and a re-run redoes."""
    stored = _stored(session, [page for page, _ in jobs])
    now = datetime.now(UTC)
    to_settle: list[tuple[Article, Extracted]] = []
    for page, future in jobs:
        when = _already(page, stored)
        if when is not None:  # the same address earlier in this chunk, or from another process
            _count_skip(report, when, started)
            continue
        try:
            screened = future.result()
        except Exception as exc:  # a page that breaks the screening is a bad record
            report.bad_record(page.where, f"{page.url}: cannot be read ({_short(exc)})")
            continue
        article = _article(page, screened, now)
        session.add(article)
        stored.update(dict.fromkeys(_keys(page), now))
        report.stored += 1
        for note in (page.note, screened.charset_note):
            if note:
                report.notes[note] += 1
        if screened.extracted is None:
            report.irrelevant += 1
        else:
            report.relevant += 1
            to_settle.append((article, screened.extracted))
    session.flush()
    extraction = ExtractReport()
    store_extracted(session, to_settle, extraction)
    report.extracted += extraction.new - extraction.updates
    report.skipped += extraction.skipped
    report.failed += extraction.failed
    report.second_copies += extraction.duplicates
    session.commit()


def _article(page: ArchivedPage, screened: Screened, now: datetime) -> Article:
    """The row of one screened page: irrelevant and settled, or waiting with its raw bytes."""
    article = Article(
        url=page.url[:2000],
        outlet=page.outlet or urlsplit(page.url).hostname,
        title=_clean(screened.title),
        # the archive's date is the fallback publication date; the page's own date wins
        published=page.date,
        raw_content_type=(page.content_type or "")[:200] or None,
        raw_fetched_at=page.date if page.date_source == "WARC-Date" else now,
        created_at=now,
    )
    if screened.extracted is None:
        # no canonical URL is read for it: its address without tracking parameters is the
        # identity a later replay finds it under
        article.url = clean_url(page.url)[:2000]
        article.status, article.relevant = "irrelevant", False
        article.reason, article.analysed_at = screened.reason, now
    else:
        article.status, article.raw_compressed = "fetched", screened.raw_compressed
    return article


def _clean(text: str | None) -> str | None:
    """A title fit for the store (PostgreSQL refuses NUL in text)."""
    return " ".join(text.replace("\x00", " ").split()) or None if text else None
