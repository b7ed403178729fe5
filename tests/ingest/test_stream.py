"""Fetching and extracting at once: the same stored results as the two stages, and real overlap."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.httpserver import LoopbackServer, RecordedRequest, Reply, file_reply

from vigie.config import Settings
from vigie.ingest.extract_stage import extract_pending
from vigie.ingest.http import Fetcher
from vigie.ingest.pages import fetch_pages
from vigie.ingest.stream import fetch_and_extract
from vigie.store.db import get_engine
from vigie.store.models import Article, Entry, Source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# French, English, paywalled, dateless, undecodable-looking pages, and one page served under two
# addresses (a second copy: one article, one duplicate)
PAGES = [
    *sorted((FIXTURES / "extract").glob("*.html")),
    FIXTURES / "pages" / "article.html",
    FIXTURES / "pages" / "article.html",
]
OVERLAP_WAIT = 60.0  # seconds the last page waits for an extraction before answering anyway


def _fetcher(settings: Settings) -> Fetcher:
    """A deadline past ``OVERLAP_WAIT``: a held page that waits its whole time fails the test as
    "no overlap", never as a timeout of its own."""
    return Fetcher(settings, deadline=OVERLAP_WAIT + 30, connect_timeout=2.0, retries=0)


def _entries(session: Session, links: list[str | None]) -> None:
    source = Source(name="Banc", url="http://127.0.0.1/feed.xml", language="fr")
    session.add(source)
    session.flush()
    for i, link in enumerate(links):
        session.add(
            Entry(
                source_id=source.id,
                identity=f"item-{i}",
                link=link,
                title=f"Entrée {i}",
                summary="<p>Résumé donné par le flux, assez court.</p>",
            )
        )
    session.commit()


def _stored(session: Session) -> list[tuple[object, ...]]:
    """Every article as the store holds it, without ids (two stores number rows alike only by
    chance): address, status, reason, text, metadata, and which address it duplicates."""
    urls = dict(session.execute(select(Article.id, Article.url)).all())
    return [
        (
            a.url,
            a.status,
            a.reason,
            a.text,
            a.title,
            a.author,
            a.outlet,
            a.language,
            a.published,
            a.canonical_url,
            urls.get(a.duplicate_of_id),
        )
        for a in session.scalars(select(Article).order_by(Article.url, Article.id))
    ]


def test_streaming_stores_what_the_two_stages_store(
    session: Session, http_server: LoopbackServer, loopback_settings: Settings, tmp_path: Path
) -> None:
    links: list[str | None] = [
        http_server.add(f"/{i}/{page.name}", file_reply(page, "text/html"))
        for i, page in enumerate(PAGES)
    ]
    links.append(None)  # an item without a link: its summary is its page
    _entries(session, links)
    fetch_pages(session, loopback_settings, fetcher=_fetcher(loopback_settings), workers=1)
    extract_pending(session, loopback_settings)
    expected = _stored(session)

    other = sessionmaker(get_engine(f"sqlite:///{tmp_path / 'stream.db'}"))()
    try:
        _entries(other, links)
        report = fetch_and_extract(
            other,
            loopback_settings,
            fetcher=_fetcher(loopback_settings),
            fetch_workers=1,
            workers=2,
        )
        assert _stored(other) == expected
    finally:
        other.close()
    statuses = {row[1] for row in expected}
    assert {"new", "skipped", "duplicate"} <= statuses  # the comparison covers each outcome
    assert report.pages.fetched == len(PAGES)
    assert report.extraction.examined == len(PAGES) + 1
    assert (report.extraction.duplicates, report.extraction.skipped) == (1, 1)


def test_pages_are_extracted_while_later_pages_are_still_downloading(
    db_url: str, session: Session, http_server: LoopbackServer, loopback_settings: Settings
) -> None:
    """The last page is answered only once the store holds an extracted article (or after
    OVERLAP_WAIT, noting that none was there): with fetch and extraction in sequence, nothing
    can be extracted while a download is still waiting, and the record says so."""
    engine = get_engine(db_url)
    seen_extracted: list[bool] = []

    def last_page(request: RecordedRequest) -> Reply:
        deadline = time.monotonic() + OVERLAP_WAIT
        extracted = 0
        while not extracted and time.monotonic() < deadline:
            with engine.connect() as connection:
                extracted = connection.scalar(
                    select(func.count(Article.id)).where(Article.status != "fetched")
                )
            if not extracted:
                time.sleep(0.05)
        seen_extracted.append(bool(extracted))
        return file_reply(FIXTURES / "extract" / "no_date.html", "text/html")

    links: list[str | None] = [
        http_server.add(f"/early/{page.name}", file_reply(page, "text/html"))
        for page in sorted((FIXTURES / "extract").glob("utf8*.html"))
    ]
    links.append(http_server.route("/last.html", last_page))
    _entries(session, links)

    report = fetch_and_extract(
        session, loopback_settings, fetcher=_fetcher(loopback_settings), fetch_workers=1
    )

    assert seen_extracted == [True]
    assert report.extraction.examined == len(links)
    assert session.scalar(select(func.count()).where(Article.status == "fetched")) == 0
