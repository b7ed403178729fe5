"""Page extraction: text, metadata, language, fallbacks (pure: bytes in, ``Extracted`` out)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from vigie.ingest.extract import extract_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extract"
URL = "https://www.courrier-cornouaille.example/politique/quimper-ecoles.html?xtor=RSS-3"
CANONICAL = "https://www.courrier-cornouaille.example/politique/quimper-ecoles.html"
TITLE = "Quimper vote la rénovation de ses écoles"
PARIS = ZoneInfo("Europe/Paris")


def _page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


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


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_trafilatura_private_metadata_steps_agree_with_its_public_extract_metadata(
    name: str,
) -> None:
    """``_metadata`` runs trafilatura's ``extract_metadata`` step for step from its private
    helpers (``trafilatura.metadata``), leaving out what Vigie never reads (categories, tags,
    licence: a third of the cost). This pins it: when trafilatura changes those helpers or the
    public function, the fields Vigie reads stop agreeing here, not silently in production."""
    import trafilatura

    from vigie.ingest.extract import _author_in_page, _metadata, parse_page

    ours = _metadata(parse_page(_page(name), "text/html"), URL)
    public = trafilatura.extract_metadata(parse_page(_page(name), "text/html"), default_url=URL)
    read = ("title", "author", "url", "date", "sitename")
    assert ours is not None
    ours.author = ours.author or _author_in_page(parse_page(_page(name), "text/html"))
    assert {f: getattr(ours, f) for f in read} == {f: getattr(public, f) for f in read}


def test_an_author_named_only_in_the_byline_is_found_after_everything_else() -> None:
    """The in-page author search prunes the tree it is given, so it runs last: the page's text,
    title and date come out as from an untouched tree."""
    page = _page("author_in_byline.html")
    extracted = extract_page(page, URL, "text/html")
    assert extracted.author == "Gwenaëlle Le Bihan"
    assert "Rédaction Web" not in (extracted.author or "")
    plain = extract_page(_page("no_date.html"), URL, "text/html")  # the same page, no byline
    assert plain.author is None
    assert (extracted.text, extracted.title) == (plain.text, plain.title)
