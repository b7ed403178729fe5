"""Extraction: decoding, text, metadata, language, fallbacks, and the stage's second copies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.config import load_settings
from vigie.ingest.decode import decode_bytes
from vigie.ingest.extract import extract_page
from vigie.ingest.extract_stage import extract_pending
from vigie.store.models import Article, Entry, Source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extract"
URL = "https://www.courrier-cornouaille.example/politique/quimper-ecoles.html?xtor=RSS-3"
CANONICAL = "https://www.courrier-cornouaille.example/politique/quimper-ecoles.html"
TITLE = "Quimper vote la rénovation de ses écoles"
PARIS = ZoneInfo("Europe/Paris")


def _page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- decoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "content_type"),
    [
        ("latin1_declared_really_cp1252.html", "text/html"),
        ("latin1_declared_really_cp1252.html", "text/html; charset=ISO-8859-1"),
        ("cp1252_undeclared.html", "text/html; charset=windows-1252"),
        ("cp1252_undeclared.html", "text/html"),
        ("cp1252_undeclared.html", None),
        ("utf8_undeclared.html", "text/html"),
        ("utf8_declared_latin1.html", "text/html"),
        ("utf8_declared_latin1.html", "text/html; charset=iso-8859-1"),
    ],
)
def test_accents_come_out_right_whatever_the_declaration(fixture: str, content_type: str) -> None:
    extracted = extract_page(_page(fixture), URL, content_type)
    assert extracted.title == TITLE
    text = extracted.text or ""
    for word in ("d’euros", "cœur", "élèves", "« décision attendue depuis longtemps »"):
        assert word in text
    assert "Ã" not in text
    assert "\ufffd" not in text


def test_latin1_http_equiv_page() -> None:
    extracted = extract_page(_page("latin1_http_equiv.html"), URL, "text/html")
    assert "élèves" in (extracted.text or "")
    assert "d'euros" in (extracted.text or "")
    assert extracted.encoding == "cp1252"


def test_byte_order_mark_wins_over_a_wrong_header() -> None:
    text, codec = decode_bytes(
        b"\xef\xbb\xbf<p>Pyongyang a d\xc3\xa9ploy\xc3\xa9</p>", "text/html; charset=latin-1"
    )
    assert "déployé" in text
    assert codec == "utf-8-sig"


def test_unknown_declared_charset_falls_back_to_detection() -> None:
    raw = "<p>Les élèves ont été déplacés.</p>".encode("cp1252")
    text, _ = decode_bytes(raw, "text/html; charset=x-no-such-charset")
    assert "élèves" in text


def test_undeclared_windows_1252_keeps_french_accents_on_a_short_text() -> None:
    """Too short for a statistical detector (it says cp1257 here): the French reading wins."""
    raw = "<p>Un été à Séoul, déjà ; l’œuvre coûte 3\u00a0000\u00a0€.</p>".encode("cp1252")
    for bytes_ in (raw, "<p>Un été à Séoul.</p>".encode("iso-8859-1")):
        text, codec = decode_bytes(bytes_, "text/html")
        assert codec == "cp1252"
        assert "été à Séoul" in text
    assert "l’œuvre coûte 3\u00a0000\u00a0€" in decode_bytes(raw, None)[0]


def test_a_real_french_page_in_undeclared_windows_1252() -> None:
    """Paragraphs of a real page (gala.fr), saved as windows-1252 with no charset anywhere."""
    extracted = extract_page(_page("gala_cp1252_undeclared.html"), URL, "text/html")
    text = extracted.text or ""
    assert extracted.encoding == "cp1252"
    assert "Vachement bon en manœuvres politiques" in text
    assert "Face à la forte mobilisation contre la réforme des retraites" in text
    assert "Michèle Alliot-Marie" in text
    assert extracted.title.startswith("Jean-Paul Delevoye, monsieur retraites")


def test_every_real_french_page_survives_undeclared_8_bit_encoding(shared_dir: Path) -> None:
    """The 18 real French pages, their charset declarations removed and their text saved as
    windows-1252 and as ISO-8859-1: each decodes back to exactly the same text, whole body."""
    import re

    pages = sorted((shared_dir / "real-pages" / "fr").glob("*.html"))
    assert len(pages) == 18
    for page in pages:
        text, _ = decode_bytes(page.read_bytes(), "text/html")
        text = re.sub(r"(?i)<meta[^>]*charset[^>]*>|charset=[\w-]+", "", text)
        for codec in ("cp1252", "iso-8859-1"):
            raw = text.encode(codec, errors="xmlcharrefreplace")
            decoded, used = decode_bytes(raw, "text/html")
            assert decoded == raw.decode(codec), (page.name, codec, used)


def test_an_undeclared_cyrillic_page_is_not_read_as_french() -> None:
    sentence = "Москва и Пхеньян подписали договор о всеобъемлющем стратегическом партнёрстве. "
    raw = f"<p>{sentence * 5}</p>".encode("cp1251")
    text, codec = decode_bytes(raw, "text/html")
    assert codec == "cp1251"
    assert "Пхеньян" in text


# --- pages without usable text ------------------------------------------------------------------


def test_empty_page_fails_with_a_reason_or_takes_the_summary() -> None:
    bare = extract_page(b"", URL, "text/html")
    assert bare.text is None
    assert "empty page" in (bare.reason or "")
    summary = (
        "Le conseil municipal de Quimper a voté un budget de 48 millions d’euros pour les écoles."
    )
    fallback = extract_page(b"  \n", URL, "text/html", fallback_summary=summary)
    assert fallback.text == summary
    assert fallback.used_summary
    assert "feed summary used as text" in (fallback.reason or "")


@pytest.mark.parametrize(
    ("raw", "content_type", "kind"),
    [
        (_page("binary.png"), "image/png", "image/png"),
        (_page("binary.png"), "application/octet-stream", "binary content"),
        (_page("binary.png"), None, "binary content"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf", "application/pdf"),
    ],
)
def test_binary_page_is_not_read_as_text(raw: bytes, content_type: str | None, kind: str) -> None:
    extracted = extract_page(raw, URL, content_type)
    assert extracted.text is None
    assert f"not a text page ({kind})" in (extracted.reason or "")


def test_script_only_page_has_no_text() -> None:
    extracted = extract_page(_page("script_only.html"), URL, "text/html")
    assert extracted.text is None
    assert "no article text in the page" in (extracted.reason or "")


def test_script_only_page_takes_the_feed_summary() -> None:
    summary = "Quimper : le conseil municipal vote 48 millions d’euros pour rénover les écoles de la ville."
    extracted = extract_page(_page("script_only.html"), URL, "text/html", fallback_summary=summary)
    assert extracted.text == summary
    assert extracted.used_summary
    assert "feed summary used as text" in (extracted.reason or "")
    assert extracted.language == "fr"


def test_paywall_teaser_is_cut_and_replaced_by_the_longer_description() -> None:
    extracted = extract_page(_page("paywall_teaser.html"), URL, "text/html")
    assert extracted.used_summary
    assert "48 millions d’euros" in (extracted.text or "")
    assert "abonnés" not in (extracted.text or "")
    assert "paywall: text cut at" in (extracted.reason or "")
    assert "page description used as text" in (extracted.reason or "")


def test_broken_markup_still_yields_its_text() -> None:
    extracted = extract_page(_page("broken_markup.html"), URL, "text/html")
    text = extracted.text or ""
    assert "budget de 48 millions d’euros" in text
    assert "ordre des chantiers" in text
    assert extracted.language == "fr"


def test_plain_text_is_taken_as_the_text() -> None:
    extracted = extract_page(
        _page("plain_text.txt"), "seed:plain_text.txt", "text/plain", fallback_title="Titre"
    )
    assert (extracted.text or "").startswith(TITLE)
    assert "cœur du programme" in (extracted.text or "")
    assert "Afficher plus" not in (extracted.text or "")  # page furniture
    assert extracted.title == "Titre"
    assert extracted.canonical_url == "seed:plain_text.txt"


# --- metadata ------------------------------------------------------------------------------------


def test_title_is_the_headline_without_the_site_name() -> None:
    extracted = extract_page(_page("utf8_undeclared.html"), URL, "text/html")
    assert extracted.title == TITLE
    assert TITLE not in (extracted.text or "")  # the headline lives in the title, not the text


def test_precise_date_from_the_page() -> None:
    extracted = extract_page(_page("utf8_undeclared.html"), URL, "text/html")
    assert extracted.published == datetime(2025, 3, 14, 17, 30, tzinfo=UTC)
    assert extracted.published_precise


def test_missing_date_is_none() -> None:
    extracted = extract_page(_page("no_date.html"), URL, "text/html")
    assert extracted.published is None


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("canonical_relative_and_og_url.html", CANONICAL),
        ("og_url_only.html", CANONICAL + "?page=2"),
        ("canonical_to_home_page.html", CANONICAL),  # ignored: the cleaned page URL instead
        ("no_date.html", CANONICAL),  # no declaration: the cleaned page URL
    ],
)
def test_canonical_url(fixture: str, expected: str) -> None:
    assert extract_page(_page(fixture), URL, "text/html").canonical_url == expected


def test_english_page_is_recognised_without_running_the_extractor() -> None:
    extracted = extract_page(_page("english_article.html"), URL, "text/html")
    assert extracted.language == "en"
    assert (extracted.language_score or 0) >= 0.95
    assert extracted.text is None
    assert "text not extracted" in (extracted.reason or "")
    assert extracted.title == "Quimper votes to renovate its schools"
    assert extracted.published == datetime(2025, 3, 14, 17, 30, tzinfo=UTC)


def test_english_page_fully_extracted_without_the_gate() -> None:
    extracted = extract_page(_page("english_article.html"), URL, "text/html", language_gate=False)
    assert extracted.language == "en"
    assert "unprecedented effort" in (extracted.text or "")


def test_gate_leaves_a_page_declared_french_to_full_extraction() -> None:
    english = _page("english_article.html").replace(b'lang="en"', b'lang="fr"')
    extracted = extract_page(english, URL, "text/html")
    assert extracted.language == "en"
    assert "unprecedented effort" in (extracted.text or "")


# --- the reference pages -------------------------------------------------------------------------


def _same_title(a: str | None, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(s.replace("’", "'").split())

    return norm(a or "") == norm(b)


def test_real_french_pages(shared_dir: Path, record_property: pytest.RecordProperty) -> None:
    folder = shared_dir / "real-pages" / "fr"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    text_ok, titles_ok, dates_ok, dated, misses = 0, 0, 0, 0, []
    for url, page in expected.items():
        extracted = extract_page((folder / page["file"]).read_bytes(), url, "text/html")
        text = extracted.text or ""
        missing = [s for s in page["with"] if s not in text]
        unwanted = [s for s in page["without"] if s in text]
        if missing or unwanted:
            misses.append(f"{page['file']}: missing {missing} unwanted {unwanted}")
        else:
            text_ok += 1
        if _same_title(extracted.title, page["title"]):
            titles_ok += 1
        else:
            misses.append(f"{page['file']}: title {extracted.title!r}")
        if page["date"]:
            dated += 1
            got = (
                extracted.published.astimezone(PARIS).date().isoformat()
                if extracted.published
                else None
            )
            if got == page["date"]:
                dates_ok += 1
            else:
                misses.append(f"{page['file']}: date {got} (expected {page['date']})")
        assert extracted.language == "fr", page["file"]
    n = len(expected)
    record_property(
        "vigie_real_fr_text",
        f"{text_ok}/{n} pages hold every `with` and no `without` ({text_ok / n:.0%})",
    )
    record_property("vigie_real_fr_titles", f"{titles_ok}/{n} titles match ({titles_ok / n:.0%})")
    record_property(
        "vigie_real_fr_dates", f"{dates_ok}/{dated} dates match ({dates_ok / dated:.0%})"
    )
    for miss in misses:
        record_property("vigie_real_fr_miss", miss)
    assert text_ok / n >= 0.9, misses
    assert titles_ok / n >= 0.9, misses
    assert dates_ok / dated >= 0.85, misses


# --- the stage -----------------------------------------------------------------------------------


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
    dedup = pytest.importorskip("vigie.dedup")
    if not hasattr(dedup, "new_sentences"):
        pytest.skip("vigie.dedup.new_sentences is not written yet")
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


def test_html_feed_summary_becomes_plain_text() -> None:
    summary = "<p>Le conseil municipal de Quimper a voté un budget de 48 millions d&rsquo;euros.</p><p>Les travaux <a href='/x'>commenceront</a> à l&rsquo;été, école par école.</p>"
    extracted = extract_page(_page("script_only.html"), URL, "text/html", fallback_summary=summary)
    assert extracted.text == (
        "Le conseil municipal de Quimper a voté un budget de 48 millions d’euros.\n"
        "Les travaux commenceront à l’été, école par école."
    )


def test_subscribers_badge_above_the_text_does_not_cut_it() -> None:
    page = _page("utf8_undeclared.html").replace(
        b"<article>", "<article><p>Article réservé aux abonnés</p>".encode()
    )
    extracted = extract_page(page, URL, "text/html")
    assert "ordre des chantiers" in (extracted.text or "")
    assert "abonnés" not in (extracted.text or "")
    assert extracted.reason is None
