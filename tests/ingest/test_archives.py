"""Archives for backfills: WARC, folders of saved pages, JSON Lines; bad records counted."""

from __future__ import annotations

import io
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from support.archives import ArchiveWriter
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from vigie.ingest.archives import (
    ArchivedPage,
    BadRecord,
    IgnoredRecord,
    ingest_archive,
    read_archive,
)
from vigie.store.models import Article

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ARCHIVES = FIXTURES / "archives"
PAGE = (FIXTURES / "extract" / "utf8_undeclared.html").read_bytes()
NO_DATE_PAGE = (FIXTURES / "extract" / "no_date.html").read_bytes()
SITE = "https://www.courrier-cornouaille.example"


def _response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    *,
    status: str = "200 OK",
    content_type: str = "text/html; charset=utf-8",
    when: str = "2025-03-14T18:00:00Z",
) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": when},
    )
    writer.write_record(record)


def _write_warc(path: Path, *, gzip: bool, truncate_last: bool = False) -> Path:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    request = writer.create_warc_record(
        f"{SITE}/a.html", "request", payload=io.BytesIO(b"GET /a.html HTTP/1.1\r\n\r\n")
    )
    writer.write_record(request)
    _response(writer, f"{SITE}/a.html", PAGE)  # in the window
    _response(
        writer,
        f"{SITE}/b.html",
        NO_DATE_PAGE.replace(b"Quimper vote", b"Brest vote"),
        when="2025-03-15T07:00:00Z",
    )
    _response(
        writer,
        f"{SITE}/old.html",
        PAGE.replace(b"Quimper", b"Morlaix"),
        when="2024-01-02T10:00:00Z",
    )
    _response(writer, f"{SITE}/missing.html", b"Not found", status="404 Not Found")
    _response(writer, f"{SITE}/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    _response(writer, f"{SITE}/empty.html", b"")
    _response(
        writer, f"{SITE}/cut.html", PAGE.replace(b"Quimper", b"Vannes"), when="2025-03-15T09:00:00Z"
    )
    data = buffer.getvalue()
    path.write_bytes(data[:-300] if truncate_last else data)
    return path


@pytest.fixture
def warc_file(tmp_path: Path) -> Path:
    """A tiny WARC: a request, three pages (one outside the window), a 404, an image, an empty
    page, and a last record cut short."""
    return _write_warc(tmp_path / "crawl.warc", gzip=False, truncate_last=True)


def test_warc_records(warc_file: Path) -> None:
    items = list(read_archive(warc_file))
    pages = [i for i in items if isinstance(i, ArchivedPage)]
    assert [p.url for p in pages] == [f"{SITE}/a.html", f"{SITE}/b.html", f"{SITE}/old.html"]
    assert pages[0].date == datetime(2025, 3, 14, 18, 0, tzinfo=UTC)
    assert pages[0].date_source == "WARC-Date"
    assert pages[0].raw == PAGE
    assert sorted(i.reason for i in items if isinstance(i, IgnoredRecord)) == [
        "HTTP 404",
        "not HTML (image/png)",
        "request record",
    ]
    bad = [i.reason for i in items if isinstance(i, BadRecord)]
    assert bad == [f"{SITE}/empty.html: empty page", f"{SITE}/cut.html: truncated record"]


def test_warc_replay_within_the_window_gate_first(session: Session, warc_file: Path) -> None:
    report = ingest_archive(session, warc_file, start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert (report.records, report.pages, report.stored, report.outside_window) == (8, 3, 2, 1)
    assert report.bad == 2
    assert report.ignored == {"HTTP 404": 1, "not HTML (image/png)": 1, "request record": 1}
    assert "truncated record" in report.summary()
    # neither page is about the two sides: the gate on the raw page drops both, unextracted
    assert (report.irrelevant, report.relevant) == (2, 0)
    stored = {a.url: a for a in session.scalars(select(Article))}
    assert set(stored) == {f"{SITE}/a.html", f"{SITE}/b.html"}
    for article in stored.values():
        assert (article.status, article.relevant, article.text) == ("irrelevant", False, None)
        assert article.reason == "relevance gate on the raw page: aucun des deux côtés nommé"
        assert article.raw_compressed is None
    assert stored[f"{SITE}/b.html"].published == datetime(2025, 3, 15, 7, 0, tzinfo=UTC)
    assert stored[f"{SITE}/a.html"].title == "Quimper vote la rénovation de ses écoles"
    again = ingest_archive(session, warc_file, start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert (again.stored, again.already_done, again.duplicates) == (0, 2, 0)
    assert "2 skipped as already done" in again.summary()


def test_a_page_past_the_gate_is_extracted_and_waits_for_analysis(
    session: Session, tmp_path: Path
) -> None:
    body = (
        "<html lang='fr'><head><title>Pyongyang et Moscou</title></head><body>"
        "<nav>Accueil · Monde · Sport</nav><article><h1>Pyongyang et Moscou</h1>"
        + "<p>La Corée du Nord a envoyé des soldats en Russie, selon Séoul. "
        * 4
        + "</p><p>Moscou et Pyongyang ont signé un traité de défense mutuelle en 2024, "
        "et la Russie livre du pétrole à la Corée du Nord depuis.</p></article></body></html>"
    ).encode()
    path = tmp_path / "one.warc"
    with ArchiveWriter(path) as warc:
        warc.page(f"{SITE}/monde/pyongyang.html", body, datetime(2025, 3, 14, 8, tzinfo=UTC))
    report = ingest_archive(session, path, start=date(2025, 3, 14), end=date(2025, 3, 14))
    assert (report.relevant, report.extracted, report.irrelevant) == (1, 1, 0)
    (article,) = session.scalars(select(Article))
    assert article.status == "new", "extracted, waiting for dedup and analysis"
    assert article.canonical_url == f"{SITE}/monde/pyongyang.html"
    assert "Accueil" not in article.text, "trafilatura's text, not the raw page's"
    assert article.raw == body


def test_corrupt_gzip_warc_keeps_what_came_before(tmp_path: Path) -> None:
    path = _write_warc(tmp_path / "crawl.warc.gz", gzip=True)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    items = list(read_archive(path))
    assert isinstance(items[0], IgnoredRecord)  # the request
    assert isinstance(items[1], ArchivedPage)
    assert isinstance(items[-1], BadRecord)
    assert "unreadable from here on" in items[-1].reason


def test_folder_of_saved_pages(session: Session, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    shutil.copytree(ARCHIVES / "saved_pages", folder)
    saved = datetime(2025, 3, 20, 12, 0, tzinfo=UTC).timestamp()
    os.utime(folder / "saved_from_comment_no_date.html", (saved, saved))
    items = {i.where: i for i in read_archive(folder)}
    assert set(items) == {
        "empty.html",
        "saved_from_comment_no_date.html",
        "with_canonical_and_date.html",
    }
    dated = items["with_canonical_and_date.html"]
    assert dated.url == f"{SITE}/politique/ecoles-budget.html"
    assert (dated.date, dated.date_source) == (
        datetime(2025, 3, 14, 17, 30, tzinfo=UTC),
        "page metadata",
    )
    from_comment = items["saved_from_comment_no_date.html"]
    assert from_comment.url == f"{SITE}/bretagne/ports.html"  # tracking parameter removed
    assert (from_comment.date, from_comment.date_source) == (
        datetime(2025, 3, 20, 12, 0, tzinfo=UTC),
        "file mtime",
    )
    assert isinstance(items["empty.html"], BadRecord)
    report = ingest_archive(session, folder, start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert (report.stored, report.bad) == (2, 1)
    assert ingest_archive(session, folder, start=date(2025, 3, 1)).already_done == 2


def test_jsonl_export_with_bad_lines(session: Session) -> None:
    path = ARCHIVES / "export_with_bad_lines.jsonl"
    report = ingest_archive(session, path, start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert (report.stored, report.outside_window) == (2, 1)
    assert (report.duplicates, report.already_done) == (1, 0), "the same address twice"
    assert report.bad == 5
    reasons = "\n".join(report.bad_records)
    for expected in (
        ":5: not JSON",
        ":6: not a JSON object",
        ":7: no url",
        "neither html nor text",
        "unreadable published date 'le douze mars'",
    ):
        assert expected in reasons
    first, second = session.scalars(select(Article).order_by(Article.id))
    assert first.outlet == "Gazette d'Armor"
    assert first.title == "Quimper vote"  # the export's title: the gate reads it first
    assert first.raw_content_type == "text/html; charset=utf-8"
    assert second.raw_content_type == "text/plain; charset=utf-8"
    assert second.published == datetime(2025, 3, 11, tzinfo=UTC)
    assert first.status == second.status == "irrelevant"
    again = ingest_archive(session, path, start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert (again.stored, again.already_done) == (0, 3)
    assert session.scalar(select(func.count(Article.id))) == 2


def test_without_a_window_undated_pages_are_stored(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "undated.jsonl"
    path.write_text(
        '{"url": "https://www.gazette-armor.example/x.html", "text": "Un texte sans date."}\n',
        encoding="utf-8",
    )
    assert ingest_archive(session, path).stored == 1
    assert ingest_archive(session, path, start=date(2025, 1, 1)).undated == 1


def test_unknown_or_missing_archive_is_a_bad_record(tmp_path: Path) -> None:
    odd = tmp_path / "notes.bin"
    odd.write_bytes(b"\x00\x01 nothing known")
    assert [i.reason for i in read_archive(odd)] == [
        "not a WARC file, a folder of pages or a JSON Lines export"
    ]
    assert [i.reason for i in read_archive(tmp_path / "absent.warc")] == ["no such file or folder"]


def _bad_archive(path: Path) -> Path:
    """Every kind of odd record a real crawl holds, then a last record cut short."""
    when = datetime(2025, 3, 14, 9, tzinfo=UTC)
    html = "text/html"
    with ArchiveWriter(path) as warc:
        warc.other(f"{SITE}/a.html", "request", b"GET /a.html HTTP/1.1\r\n\r\n", when)
        warc.page(f"{SITE}/a.html", PAGE, when)
        warc.page(f"{SITE}/a.html", PAGE, when)  # the crawler came back: a duplicate record
        warc.other(f"{SITE}/a.html", "revisit", b"", when)
        warc.other(f"{SITE}/a.html", "metadata", b"outlinks: none", when)
        warc.page(f"{SITE}/sans-date.html", PAGE.replace(b"Quimper", b"Brest"), None)
        wrong = (FIXTURES / "extract" / "utf8_declared_latin1.html").read_bytes()
        warc.page(f"{SITE}/wrong-charset.html", wrong, when, content_type=html)
        undeclared = (FIXTURES / "extract" / "cp1252_undeclared.html").read_bytes()
        warc.page(f"{SITE}/no-charset.html", undeclared, when, content_type=html)
        binary = (FIXTURES / "extract" / "binary.png").read_bytes()
        warc.page(f"{SITE}/image.html", binary, when, content_type=html)
        huge = PAGE.replace(b"</body>", b"<p>" + b"Lorem ipsum. " * 12_000 + b"</p></body>")
        warc.page(f"{SITE}/huge.html", huge, when)
        warc.page(f"{SITE}/last.html", PAGE.replace(b"Quimper", b"Vannes"), when)
    path.write_bytes(path.read_bytes()[:-200])
    return path


def test_bad_archive_every_record_counted_with_its_reason(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vigie.ingest.archives.MAX_RECORD_BYTES", 64 * 1024)
    path = _bad_archive(tmp_path / "odd.warc")
    report = ingest_archive(session, path, start=date(2025, 3, 14), end=date(2025, 3, 14))
    assert report.records == 11
    assert report.ignored == {
        "request record": 1,
        "revisit record (no payload)": 1,
        "metadata record": 1,
    }
    assert (report.duplicates, report.undated, report.bad) == (1, 1, 2)
    assert report.notes == {
        "huge record: first 64 KB kept": 1,
        "charset cp1252 declared, read as utf-8": 1,
        "no charset declared: read as cp1252": 1,
    }
    summary = report.summary()
    for reason in ("binary content under text/html", "truncated record", "1 duplicate records"):
        assert reason in summary
    titles = {a.url: a.title for a in session.scalars(select(Article))}
    assert set(titles) == {
        f"{SITE}/a.html",
        f"{SITE}/wrong-charset.html",
        f"{SITE}/no-charset.html",
        f"{SITE}/huge.html",
    }
    assert titles[f"{SITE}/no-charset.html"] == "Quimper vote la rénovation de ses écoles"
    assert titles[f"{SITE}/wrong-charset.html"] == "Quimper vote la rénovation de ses écoles"


def test_truncated_gzip_keeps_the_records_before_the_cut(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    when = datetime(2025, 3, 14, 9, tzinfo=UTC)
    with ArchiveWriter(path) as warc:
        for number in range(3):
            warc.page(f"{SITE}/{number}.html", PAGE.replace(b"Quimper", b"Lorient"), when)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 5 // 6])
    report = ingest_archive(session, path, start=date(2025, 3, 14), end=date(2025, 3, 14))
    assert report.stored == 2
    assert report.bad == 1
    assert "record 3" in report.bad_records[0] or "after record 2" in report.bad_records[0]
