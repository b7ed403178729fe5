"""Raw pages: kept in zlib's format, whichever zlib wrote them."""

from __future__ import annotations

import zlib
from pathlib import Path

from vigie.store.models import Article, compress_raw, decompress_raw

PAGE = (Path(__file__).resolve().parent.parent / "fixtures" / "pages" / "article.html").read_bytes()


def test_a_stored_page_reads_back_with_any_zlib() -> None:
    article = Article(url="https://exemple.fr/a")
    article.raw = PAGE
    assert article.raw == PAGE
    assert zlib.decompress(article.raw_compressed) == PAGE  # standard zlib, no lock-in
    assert len(article.raw_compressed) < len(PAGE)


def test_pages_stored_by_the_standard_zlib_read_back() -> None:
    """Rows written before zlib-ng (``zlib.compress(page, 1)``) stay readable."""
    assert decompress_raw(zlib.compress(PAGE, 1)) == PAGE


def test_nothing_stored_for_an_empty_page() -> None:
    assert compress_raw(b"") is None
    assert compress_raw(None) is None
    assert decompress_raw(None) is None
