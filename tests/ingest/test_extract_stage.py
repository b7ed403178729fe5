"""The extraction stage: stored pages extracted and stored back, second copies settled."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.config import load_settings
from vigie.ingest.extract import extract_page
from vigie.ingest.extract_stage import ExtractReport, extract_pending, store_extracted
from vigie.store.models import Article, Entry, Source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extract"
URL = "https://www.courrier-cornouaille.example/politique/quimper-ecoles.html?xtor=RSS-3"
CANONICAL = "https://www.courrier-cornouaille.example/politique/quimper-ecoles.html"
TITLE = "Quimper vote la rénovation de ses écoles"


def _page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _fetched(
    session: Session, raw: bytes, *, url: str = URL, content_type: str = "text/html", **kw: object
) -> Article:
    article = Article(url=url, status="fetched", raw_content_type=content_type, **kw)
    article.raw = raw
    session.add(article)
    session.flush()
    return article


def _entry(session: Session, article: Article, **kw: object) -> Entry:
    source = session.scalar(select(Source)) or Source(
        name="Courrier", url="https://www.courrier-cornouaille.example/rss.xml"
    )
    entry = Entry(
        source=source,
        identity=f"id-{article.id}",
        link=article.url,
        status="fetched",
        article_id=article.id,
        **kw,
    )
    session.add(entry)
    session.flush()
    return entry


def test_stage_extracts_a_french_page(session: Session) -> None:
    article = _fetched(session, _page("utf8_undeclared.html"))
    report = extract_pending(session, load_settings())
    assert (report.examined, report.new) == (1, 1)
    session.refresh(article)
    assert article.status == "new"
    assert article.canonical_url == CANONICAL
    assert article.title == TITLE
    assert article.language == "fr"
    assert article.published == datetime(2025, 3, 14, 17, 30, tzinfo=UTC)
    assert "48 millions d’euros" in (article.text or "")
    assert article.outlet == "courrier-cornouaille.example"
    assert "1 new" in report.summary()
    assert extract_pending(session, load_settings()).examined == 0  # nothing left to do


def test_stage_skips_a_page_not_in_french(session: Session) -> None:
    article = _fetched(session, _page("english_article.html"))
    report = extract_pending(session, load_settings())
    session.refresh(article)
    assert article.status == "skipped"
    assert article.reason.startswith("language en (1.00), not French")
    assert article.title == "Quimper votes to renovate its schools"
    assert report.skipped == 1


def test_stage_fails_a_page_with_no_text_and_no_summary(session: Session) -> None:
    article = _fetched(session, _page("script_only.html"))
    report = extract_pending(session, load_settings())
    session.refresh(article)
    assert article.status == "failed"
    assert "no article text in the page" in (article.reason or "")
    assert report.failed == 1


def test_stage_uses_the_feed_summary_title_and_date(session: Session) -> None:
    article = _fetched(session, _page("script_only.html"))
    published = datetime(2025, 3, 14, 8, 0, tzinfo=UTC)
    _entry(
        session,
        article,
        title="Quimper : 48 millions pour les écoles",
        published=published,
        summary="Le conseil municipal de Quimper a voté un budget de 48 millions d’euros pour rénover ses écoles.",
    )
    report = extract_pending(session, load_settings())
    session.refresh(article)
    assert article.status == "new"
    assert article.text.startswith("Le conseil municipal de Quimper")
    assert "feed summary used as text" in article.reason
    assert "date from feed (page has none)" in article.reason
    assert article.published == published
    assert report.summary_fallbacks == 1


def test_stage_keeps_the_feed_date_when_the_page_has_none(session: Session) -> None:
    article = _fetched(session, _page("no_date.html"))
    published = datetime(2025, 3, 15, 6, 45, tzinfo=UTC)
    _entry(session, article, title="Quimper", published=published)
    extract_pending(session, load_settings())
    session.refresh(article)
    assert article.status == "new"
    assert article.published == published
    assert article.reason == "date from feed (page has none)"


def test_second_copy_with_the_same_text_is_a_duplicate(session: Session) -> None:
    first = _fetched(session, _page("utf8_undeclared.html"))
    second = _fetched(
        session, _page("canonical_relative_and_og_url.html"), url=CANONICAL + "?utm_source=nl"
    )
    report = extract_pending(session, load_settings())
    session.refresh(first)
    session.refresh(second)
    assert first.canonical_url == CANONICAL
    assert first.status == "new"
    assert second.status == "duplicate"
    assert second.duplicate_of_id == first.id
    assert second.reason == "same canonical URL"
    assert second.canonical_url is None
    assert second.text  # nothing lost
    assert report.duplicates == 1
    assert report.updates == 0


def test_second_copy_with_changed_text_updates_the_first(session: Session) -> None:
    first = _fetched(session, _page("utf8_undeclared.html"))
    extract_pending(session, load_settings())
    session.refresh(first)
    first.status, first.analysed_at = "analysed", datetime.now(UTC)  # analysis has read it
    session.commit()
    added = "La préfecture a annoncé vendredi une aide de l’État de 5 millions d’euros pour le chantier."
    updated = _page("utf8_undeclared.html").replace(
        b"</article>", f"<p>{added}</p></article>".encode()
    )
    second = _fetched(session, updated, url=URL + "&utm_medium=social")
    report = extract_pending(session, load_settings())
    session.refresh(first)
    session.refresh(second)
    assert report.updates == 1
    assert first.status == "unique"
    assert first.analysed_at is None
    assert first.new_sentences == [added]
    assert added in first.text
    assert added.encode() in first.raw
    assert second.status == "duplicate"
    assert second.duplicate_of_id == first.id
    assert second.reason == f"update of article {first.id}: 1 new sentences"
    assert second.canonical_url is None
    assert first.canonical_url == CANONICAL


def test_stage_with_two_worker_processes(session: Session) -> None:
    names = ["utf8_undeclared.html", "english_article.html", "script_only.html"]
    articles = [
        _fetched(session, _page(name), url=f"https://www.courrier-cornouaille.example/{i}.html")
        for i, name in enumerate(names)
    ]
    session.commit()
    report = extract_pending(session, load_settings(), workers=2)
    statuses = []
    for article in articles:
        session.refresh(article)
        statuses.append(article.status)
    # the first page declares its own canonical address; the others have none and keep theirs
    assert statuses == ["new", "skipped", "failed"]
    assert (report.new, report.skipped, report.failed) == (1, 1, 1)


def test_pages_extracted_elsewhere_are_stored_as_the_stage_stores_them(session: Session) -> None:
    """The backfill extracts in its own workers and hands the results to ``store_extracted``:
    the same page stored twice that way is one article and a duplicate of it."""
    first = _fetched(session, _page("utf8_undeclared.html"))
    second = _fetched(session, _page("utf8_undeclared.html"), url=CANONICAL + "?utm_medium=x")
    report = ExtractReport()
    pages = [
        (a, extract_page(_page("utf8_undeclared.html"), a.url, "text/html"))
        for a in (first, second)
    ]
    store_extracted(session, pages, report)
    assert (first.status, first.canonical_url, first.title) == ("new", CANONICAL, TITLE)
    assert (second.status, second.duplicate_of_id, second.canonical_url) == (
        "duplicate",
        first.id,
        None,
    )
    assert (report.examined, report.new, report.duplicates, report.updates) == (2, 1, 1, 0)
