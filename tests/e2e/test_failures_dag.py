"""Every failure visible, none fetched again: bad pages through `airflow dags test`, twice.

A loopback site serves one feed whose items link to a good article and to every kind of bad page.
The first run records each bad page as an article with its reason; the second run asks the
server for none of the pages given up on (nor for the transient ones, still waiting), and
`vigie articles --json` lists each with its status, reason and attempts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

import pytest
from support.airflow_run import dags_test, vigie_json
from support.httpserver import LoopbackServer, Reply, file_reply, gzip_bomb, huge_body, redirect

pytestmark = pytest.mark.airflow

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
PUBLISHED = datetime(2026, 2, 18, 8, 40, tzinfo=UTC)

# path on the loopback site -> (status, what the reason starts with); None: no request expected
PERMANENT = {
    "/p/404.html": "HTTP 404 (permanent: not fetched again)",
    "/p/410.html": "HTTP 410 (permanent: not fetched again)",
    "/p/image.png": "not a web page: content-type image/png (permanent",
    "/p/binary.html": "not a web page: binary content (permanent",
    "/p/huge.html": "too large: over 10 MB (permanent",
    "/p/bomb.html": "too large: over 10 MB after decompression (permanent",
    "/p/to-private.html": "refused: 10.0.0.1 is a private address (permanent",
    "/p/loop-a.html": "redirect loop (permanent",
}
TRANSIENT = {
    "/p/slow.html": "timeout after 1 s (attempt 1 of 4; next after ",
    "/p/503.html": "HTTP 503 (attempt 1 of 4; next after ",
}


def _site(server: LoopbackServer) -> dict[str, tuple[str, str]]:
    """Serve the pages and the feed; (status, reason) expected per article URL."""
    server.add("/p/ok.html", file_reply(PAGES / "article.html"))
    server.add("/p/404.html", Reply(status=404, body=b"absent"))
    server.add("/p/410.html", Reply(status=410, body=b"parti"))
    server.add("/p/image.png", file_reply(PAGES / "pixel.png"))
    server.add("/p/binary.html", file_reply(PAGES / "pixel.png", content_type="text/html"))
    server.add("/p/huge.html", huge_body(11_000_000))
    server.add("/p/bomb.html", gzip_bomb(2_000_000_000))
    server.add("/p/to-private.html", redirect("http://10.0.0.1/admin"))
    server.add("/p/loop-a.html", redirect("/p/loop-b.html"))
    server.add("/p/loop-b.html", redirect("/p/loop-a.html"))
    server.add("/p/slow.html", Reply(body=b"<p>trop tard</p>", delay=4))
    server.add("/p/503.html", Reply(status=503, headers={"Retry-After": "1"}))
    server.add("/p/empty-summary.html", file_reply(PAGES / "empty.html"))
    server.add("/p/empty-bare.html", file_reply(PAGES / "empty.html"))
    items = [(path, None) for path in (*PERMANENT, *TRANSIENT, "/p/ok.html")]
    items += [
        ("/p/empty-summary.html", "<p>Pyongyang a annoncé un nouvel essai de missile.</p>"),
        ("/p/empty-bare.html", None),
        (None, None),  # an item with neither link nor summary
    ]
    entries = []
    for n, (path, summary) in enumerate(items):
        link = f"<link>{escape(server.url(path))}</link>" if path else ""
        description = f"<description>{escape(summary)}</description>" if summary else ""
        entries.append(
            f"<item><title>Article {n}</title>{link}<guid isPermaLink='false'>item-{n}</guid>"
            f"<pubDate>{format_datetime(PUBLISHED)}</pubDate>{description}</item>"
        )
    feed = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Essai</title>"
        f"<link>https://example.invalid/</link><description>essai</description>{''.join(entries)}"
        "</channel></rss>"
    ).encode()
    server.add("/feed.xml", Reply(body=feed, headers={"Content-Type": "application/rss+xml"}))
    expected = {server.url(p): ("failed", r) for p, r in {**PERMANENT, **TRANSIENT}.items()}
    expected[server.url("/p/empty-bare.html")] = (
        "skipped",
        "empty page and no summary in the feed: skipped",
    )
    expected[f"{server.url('/feed.xml')}#entry=item-{len(items) - 1}"] = (
        "skipped",
        "no link and no summary in the feed",
    )
    return expected


def test_bad_pages_are_articles_with_reasons_and_never_fetched_again(
    airflow_home_env, tmp_path: Path
) -> None:
    with LoopbackServer() as server:
        expected = _site(server)
        sources = tmp_path / "sources.yaml"
        sources.write_text(
            f"sources:\n  - {{name: Essai, url: '{server.url('/feed.xml')}'}}\n",
            encoding="utf-8",
        )
        env = dict(
            airflow_home_env,
            VIGIE_HOME=str(tmp_path / "vigie"),
            VIGIE_DATABASE_URL=f"sqlite:///{tmp_path / 'vigie' / 'vigie.db'}",
            VIGIE_SOURCES=str(sources),
            VIGIE_ALLOW_PRIVATE_HOSTS="127.0.0.1",
            VIGIE_FETCH_TIMEOUT_SECONDS="1",
            VIGIE_TASK_RETRY_SECONDS="1",
        )
        assert dags_test(env, tmp_path / "first.log") == 0
        first = {r.path for r in server.requests}
        for path in (*PERMANENT, *TRANSIENT, "/p/ok.html"):
            assert path in first, path
        server.reset()

        assert dags_test(env, tmp_path / "second.log") == 0
        second = [r.path for r in server.requests]

    assert second == ["/feed.xml"], (
        "the second run fetched pages it had given up on or must wait for"
    )
    articles = {a["url"]: a for a in vigie_json(env, "articles") if not a["baseline"]}
    for url, (status, reason) in expected.items():
        article = articles[url]
        assert article["status"] == status, url
        assert (article["reason"] or "").startswith(reason), (url, article["reason"])
        assert article["outlet"] == "Essai"
    for path in PERMANENT:
        article = articles[server.url(path)]
        assert (article["attempts"], article["next_attempt"]) == (1, None), path
    for path in TRANSIENT:
        assert articles[server.url(path)]["next_attempt"] is not None, path
    assert articles[server.url("/p/ok.html")]["status"] in ("new", "irrelevant", "duplicate")
    # the empty page was read from the feed summary (the analysis then gives its own reason)
    from_summary = articles[server.url("/p/empty-summary.html")]
    assert from_summary["status"] in ("new", "irrelevant")
    assert "1 from the feed summary (no link or empty page)" in (tmp_path / "first.log").read_text()
    (feed,) = vigie_json(env, "feeds")
    assert feed["failed_pages"] == len(PERMANENT) + len(TRANSIENT)
    assert feed["skipped_pages"] == 2
