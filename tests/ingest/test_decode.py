"""Decoding: the codec a page is read in, whatever it declares, and what is not text at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigie.ingest.decode import (
    charset_note,
    decode_bytes,
    is_plain_text,
    looks_binary,
    without_controls,
)
from vigie.ingest.extract import extract_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extract"
URL = "https://www.courrier-cornouaille.example/politique/quimper-ecoles.html?xtor=RSS-3"
TITLE = "Quimper vote la rénovation de ses écoles"


def _page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


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


def test_charset_note_says_what_the_declaration_was_worth() -> None:
    raw = "<p>été</p>".encode("cp1252")
    assert charset_note(raw, "text/html", "cp1252") == "no charset declared: read as cp1252"
    assert charset_note(raw, "text/html; charset=utf-8", "cp1252") == (
        "charset utf-8 declared, read as cp1252"
    )
    assert charset_note(b"<p>plain ascii</p>", None, "utf-8") is None


def test_binary_bytes_are_told_apart_from_text() -> None:
    assert looks_binary(_page("binary.png"))
    assert looks_binary(b"<p>texte</p>", "image/png")
    assert not looks_binary(_page("utf8_undeclared.html"), "text/html")
    assert not looks_binary("<p>été</p>".encode("utf-16"))  # a byte-order mark: text


def test_plain_text_is_what_is_labelled_so_or_has_no_tag() -> None:
    assert is_plain_text("<p>balisé</p>", "text/plain; charset=utf-8")
    assert is_plain_text("Un texte sans balise.", None)
    assert not is_plain_text("<html><p>balisé</p></html>", None)
    assert not is_plain_text("Un texte sans balise.", "text/html")


def test_control_characters_are_dropped_but_line_breaks_kept() -> None:
    assert without_controls("un\x00 texte\n\tà\x1bgarder") == "un texte\n\tàgarder"
    assert without_controls("\x00\x07") is None
    assert without_controls(None) is None
