"""Canonical URLs: one address per article, whatever link led to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vigie.ingest import urls
from vigie.ingest.urls import canonical_from_page, clean_url, is_tracking_param
from vigie.resources import load_data

PAGE = "https://www.exemple.fr/monde/article-123.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://WWW.Exemple.FR:443/monde/a.html?utm_source=rss&utm_medium=feed#comments",
            "https://www.exemple.fr/monde/a.html",
        ),
        ("http://exemple.fr:80/a?xtor=RSS-3&id=7", "http://exemple.fr/a?id=7"),
        ("https://exemple.fr:8443/a", "https://exemple.fr:8443/a"),
        (
            "https://exemple.fr/a?fbclid=IwAR0&gclid=x&at_medium=social&at_campaign=fb",
            "https://exemple.fr/a",
        ),
        ("https://exemple.fr/a?ref=twitter&cmp=nl&mc_cid=1&mc_eid=2", "https://exemple.fr/a"),
        ("https://exemple.fr/a?page=2&id=9&UTM_Source=x", "https://exemple.fr/a?id=9&page=2"),
        (
            "https://exemple.fr/a?q=corée%20du%20nord&b=1",
            "https://exemple.fr/a?b=1&q=corée%20du%20nord",
        ),
        ("https://exemple.fr", "https://exemple.fr/"),
        ("  https://exemple.fr/a  ", "https://exemple.fr/a"),
        ("https://exemple.fr/a?reference=3", "https://exemple.fr/a?reference=3"),
    ],
)
def test_clean_url(url: str, expected: str) -> None:
    assert clean_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://exemple.fr/a(1);x=2/%C3%A9t%C3%A9+~@",  # sub-delimiters are not their escapes
        "https://exemple.fr/a?a=1&b=",  # an empty value is still a parameter
        "https://exemple.fr/a?q=cor%C3%A9e%20du%20nord",  # the query is not re-encoded
        "https://exemple.fr/a?article_uid=7&source=rss",  # names are matched whole, not inside
        "https://xn--caf-dma.fr/a",  # the host stays as DNS knows it
    ],
)
def test_what_a_crawler_normaliser_would_change_stays(url: str) -> None:
    """Each of these is what courlan.clean_url changes (module docstring): the key must fetch."""
    assert clean_url(url) == url


def test_clean_url_is_idempotent() -> None:
    once = clean_url("https://WWW.exemple.fr/a?b=2&a=1&utm_campaign=z#top")
    assert clean_url(once) == once == "https://www.exemple.fr/a?a=1&b=2"


@pytest.mark.parametrize(
    "url", ["seed:000_abc.txt", "file:///tmp/page.html", "mailto:x@exemple.fr"]
)
def test_non_web_urls_are_left_alone(url: str) -> None:
    assert clean_url(url) == url


def test_tracking_params_come_from_the_data_file() -> None:
    assert is_tracking_param("utm_content")
    assert is_tracking_param("xtor")
    assert not is_tracking_param("id")


@pytest.fixture
def fresh_params() -> Iterator[None]:
    urls._tracking_params.cache_clear()
    load_data.cache_clear()
    yield
    urls._tracking_params.cache_clear()
    load_data.cache_clear()


def test_a_tracking_params_file_in_vigie_home_replaces_the_packaged_one(
    fresh_params: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tracking_params.yaml").write_text("names: [campagne]\n", encoding="utf-8")
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    assert clean_url("https://exemple.fr/a?campagne=7&utm_source=x") == (
        "https://exemple.fr/a?utm_source=x"
    )


def _page(head: str) -> bytes:
    return f"<html><head>{head}</head><body><p>Texte</p></body></html>".encode()


def test_canonical_link_wins_over_og_url_and_is_resolved_and_cleaned() -> None:
    html = _page(
        '<link rel="canonical" href="/monde/article-123.html?utm_source=x#top">'
        '<meta property="og:url" content="https://autre.exemple.fr/og">'
    )
    assert canonical_from_page(html, PAGE + "?xtor=RSS") == PAGE


def test_og_url_when_there_is_no_canonical() -> None:
    html = _page('<meta property="og:url" content="https://WWW.exemple.fr/monde/b.html?fbclid=1">')
    assert canonical_from_page(html, PAGE) == "https://www.exemple.fr/monde/b.html"


def test_rel_with_several_tokens_and_base_href() -> None:
    html = _page(
        '<base href="https://cdn.exemple.fr/x/"><link rel="Canonical alternate" href="c.html">'
    )
    assert canonical_from_page(html, PAGE) == "https://cdn.exemple.fr/x/c.html"


@pytest.mark.parametrize(
    "head",
    [
        "",
        '<link rel="canonical" href="javascript:void(0)">',
        '<link rel="canonical" href="ftp://exemple.fr/a">',
        '<link rel="canonical" href="">',
        # a canonical pointing every article at the home page is a site bug, not an address
        '<link rel="canonical" href="https://www.exemple.fr/">',
    ],
)
def test_no_usable_canonical(head: str) -> None:
    assert canonical_from_page(_page(head), PAGE) is None


def test_unreadable_bytes_give_none() -> None:
    assert canonical_from_page(b"", PAGE) is None
    assert canonical_from_page(b"   ", PAGE) is None
