"""Canonical URLs: one address per article, whatever link led to it.

The store keys articles by canonical URL (DESIGN.md principle 3), so the same article reached
through a newsletter (``?utm_source=…``), a social network (``?fbclid=…``) or a feed (``?xtor=RSS``)
must come out as one address. The tracking parameters are data:
``vigie/data/tracking_params.yaml``, which a deployment may replace from ``VIGIE_HOME``.

Why not ``courlan.clean_url`` (shipped with trafilatura): it is built for a crawler's frontier,
not for a key that must still fetch the same page. It re-encodes the query (``%20`` → ``+``),
drops parameters with empty values, removes any parameter whose name merely contains ``source``,
``ref`` or ``uid`` (``reference=3`` is an article number), percent-encodes ``;``, ``(``, ``+`` and
``@`` in paths (not equivalent under RFC 3986) and turns punycode hosts into Unicode.
``tests/ingest/test_urls.py`` pins each of these.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import SplitResult, unquote_plus, urljoin, urlsplit, urlunsplit

import lxml.html

from vigie.resources import load_data

DEFAULT_PORTS = {"http": 80, "https": 443}
WEB_SCHEMES = frozenset(DEFAULT_PORTS)


@cache
def _tracking_params() -> tuple[tuple[str, ...], frozenset[str]]:
    data = load_data("tracking_params.yaml") or {}
    prefixes = tuple(p.lower() for p in data.get("prefixes") or ())
    names = frozenset(n.lower() for n in data.get("names") or ())
    return prefixes, names


def is_tracking_param(name: str) -> bool:
    """True when the query parameter ``name`` only says where the reader came from."""
    prefixes, names = _tracking_params()
    key = unquote_plus(name).strip().lower()
    return key in names or key.startswith(prefixes)


def _netloc(parts: SplitResult) -> str:
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return f"{userinfo}@{host}" if userinfo else host


def clean_url(url: str) -> str:
    """The URL as stored: lower-case scheme and host, no fragment, no default port, no tracking
    parameters, the remaining parameters sorted. Non-web URLs (``seed:…``) come back unchanged."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES or not parts.hostname:
        return url
    pairs = [p for p in parts.query.split("&") if p]
    kept = sorted(p for p in pairs if not is_tracking_param(p.partition("=")[0]))
    path = parts.path or "/"
    return urlunsplit((scheme, _netloc(parts), path, "&".join(kept), ""))


def _is_root(url: str) -> bool:
    return urlsplit(url).path in ("", "/")


def canonical_from_page(html: lxml.html.HtmlElement | bytes, page_url: str) -> str | None:
    """The address the page declares for itself: rel=canonical, else og:url; cleaned.

    Only http(s) addresses count. A canonical pointing at the site's home page from an article
    page is a common site bug that would merge every article of the outlet into one, so it is
    ignored.
    """
    tree = html
    if isinstance(html, bytes | bytearray):
        if not html.strip():
            return None
        try:
            tree = lxml.html.document_fromstring(bytes(html))
        except (ValueError, lxml.etree.ParserError):
            return None
    base = page_url
    for href in tree.xpath("//base/@href")[:1]:
        base = urljoin(page_url, href.strip())
    candidates = [
        href
        for link in tree.xpath("//link[@rel and @href]")
        if "canonical" in link.get("rel", "").lower().split()
        for href in [link.get("href")]
    ]
    candidates += tree.xpath(
        "//meta[translate(@property,'OGUR','ogur')='og:url' or @name='og:url']/@content"
    )
    page_is_root = _is_root(page_url) if urlsplit(page_url).scheme in WEB_SCHEMES else False
    for href in candidates:
        href = (href or "").strip()
        if not href:
            continue
        try:
            absolute = urljoin(base, href)
            scheme = urlsplit(absolute).scheme.lower()
        except ValueError:
            continue
        if scheme not in WEB_SCHEMES or not urlsplit(absolute).hostname:
            continue
        if _is_root(absolute) and not page_is_root:
            continue
        return clean_url(absolute)
    return None
