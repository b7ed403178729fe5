"""A labelled corpus served as a small news site: one RSS feed per outlet, one page per article.

    with LoopbackServer() as server:
        sources = serve_corpus(server, load_corpus(path), tmp_path / "sources.yaml")

Pages are the ones the eval scorer stores (``vigie.evaluate.page_bytes``), so the end-to-end
test and ``vigie eval`` read the same bytes; here they travel through the real fetch path.
"""

from __future__ import annotations

import re
from email.utils import format_datetime
from html import escape
from pathlib import Path

import yaml

from support.httpserver import LoopbackServer, Reply
from vigie.evaluate import CorpusArticle, feed_summary, page_bytes


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "outlet"


def feed_xml(outlet: str, items: list[tuple[CorpusArticle, str]]) -> bytes:
    """An RSS 2.0 feed of the outlet's articles, each linking to its page on the server."""
    entries = []
    for article, link in items:
        date = (
            f"<pubDate>{format_datetime(article.published)}</pubDate>" if article.published else ""
        )
        entries.append(
            f"<item><title>{escape(article.title or '')}</title><link>{escape(link)}</link>"
            f"<guid isPermaLink='false'>{escape(article.id)}</guid>{date}"
            f"<description>{escape(feed_summary(article))}</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{escape(outlet)}</title><link>https://example.invalid/</link>"
        f"<description>{escape(outlet)}</description>{''.join(entries)}</channel></rss>"
    ).encode()


def serve_corpus(server: LoopbackServer, articles: list[CorpusArticle], sources_file: Path) -> Path:
    """Add every page and feed to ``server`` and write the sources file that lists the feeds."""
    by_outlet: dict[str, list[tuple[CorpusArticle, str]]] = {}
    for article in articles:
        path = f"/{_slug(article.outlet)}/{_slug(article.id)}.html"
        server.add(
            path,
            Reply(body=page_bytes(article), headers={"Content-Type": "text/html; charset=utf-8"}),
        )
        by_outlet.setdefault(article.outlet, []).append((article, server.url(path)))
    sources = []
    for outlet, items in by_outlet.items():
        path = f"/feeds/{_slug(outlet)}.xml"
        server.add(
            path,
            Reply(
                body=feed_xml(outlet, items),
                headers={"Content-Type": "application/rss+xml; charset=utf-8"},
            ),
        )
        sources.append({"name": outlet, "url": server.url(path), "language": "fr"})
    sources_file.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True))
    return sources_file
