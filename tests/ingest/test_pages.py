"""Pending entries become fetched articles; every bad page gets its reason and the run goes on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from support.httpserver import Reply, file_reply, gzip_bomb, huge_body, redirect

from vigie.ingest.http import Fetcher
from vigie.ingest.pages import PageFailure, PageReport, fetch_pages
from vigie.store.models import Article, Entry, Source

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
ARTICLE = (PAGES / "article.html").read_bytes()
PUBLISHED = datetime(2024, 11, 5, 8, 0, tzinfo=UTC)


def fast_fetcher(settings, **kwargs) -> Fetcher:
    options = {"deadline": 2.0, "connect_timeout": 1.0, "retries": 0, "max_bytes": 1_000_000}
    options.update(kwargs)
    return Fetcher(settings, **options)


@pytest.fixture
def source(session) -> Source:
    source = Source(name="Exemple – Monde", url="https://exemple.fr/rss", language="fr")
    session.add(source)
    session.commit()
    return source


def add_entry(session, source: Source, link: str | None, **fields) -> Entry:
    fields.setdefault("title", "Séoul s'inquiète d'un nouvel essai")
    fields.setdefault("published", PUBLISHED)
    entry = Entry(source_id=source.id, identity=fields.pop("identity", link), link=link, **fields)
    session.add(entry)
    session.commit()
    return entry


def articles(session) -> list[Article]:
    return list(session.scalars(select(Article).order_by(Article.id)))


def test_pending_entries_become_fetched_articles(session, source, http_server, loopback_settings):
    first = add_entry(session, source, http_server.add("/a", file_reply(PAGES / "article.html")))
    second = add_entry(
        session, source, http_server.add("/b", file_reply(PAGES / "article.html")), title="B"
    )

    report = fetch_pages(session, loopback_settings, fetcher=fast_fetcher(loopback_settings))

    assert report.summary() == "2 entries: 2 pages fetched"
    by_url = {article.url: article for article in articles(session)}
    a, b = by_url[first.link], by_url[second.link]
    assert (a.url, a.outlet, a.title, a.published) == (
        first.link,
        "Exemple – Monde",
        first.title,
        PUBLISHED,
    )
    assert (a.status, a.canonical_url) == ("fetched", None)
    assert a.raw == ARTICLE
    assert a.raw_compressed != ARTICLE
    assert a.raw_content_type == "text/html"
    assert a.raw_fetched_at is not None
    assert b.title == "B"
    assert (first.status, first.article_id, first.attempts) == ("fetched", a.id, 1)
    assert (second.status, second.article_id) == ("fetched", b.id)
    assert sorted(report.article_ids) == sorted([a.id, b.id])


def test_an_already_stored_url_is_linked_not_fetched_again(
    session, source, http_server, loopback_settings
):
    url = http_server.add("/a", file_reply(PAGES / "article.html"))
    stored = Article(url=url, status="new", outlet="Ailleurs")
    session.add(stored)
    session.commit()
    entry = add_entry(session, source, url)

    report = fetch_pages(session, loopback_settings, fetcher=fast_fetcher(loopback_settings))

    assert http_server.requests == []
    assert (entry.status, entry.article_id) == ("fetched", stored.id)
    assert len(articles(session)) == 1
    assert report.summary() == "1 entry: 0 pages fetched, 1 already stored"


def test_entries_sharing_a_link_share_one_fetch(session, source, http_server, loopback_settings):
    url = http_server.add("/podcast", file_reply(PAGES / "article.html"))
    entries = [add_entry(session, source, url, identity=f"episode-{n}") for n in range(3)]

    report = fetch_pages(session, loopback_settings, fetcher=fast_fetcher(loopback_settings))

    assert len(http_server.requests) == 1
    (article,) = articles(session)
    assert {e.article_id for e in entries} == {article.id}
    assert (report.fetched, report.linked) == (1, 2)


def test_an_entry_without_link_uses_its_feed_summary(session, source, loopback_settings):
    entry = add_entry(
        session, source, None, identity="sans-lien", summary="<p>Pyongyang a tiré un missile.</p>"
    )

    report = fetch_pages(session, loopback_settings, fetcher=fast_fetcher(loopback_settings))

    (article,) = articles(session)
    assert entry.status == "skipped"
    assert entry.reason == "no link: feed summary used"
    assert entry.article_id == article.id
    assert article.reason == "no link: feed summary used"
    assert article.status == "fetched"
    assert article.url == "https://exemple.fr/rss#entry=sans-lien"
    assert (article.outlet, article.title, article.published) == (
        source.name,
        entry.title,
        PUBLISHED,
    )
    assert article.raw_content_type == "text/html; charset=utf-8"
    page = article.raw.decode("utf-8")
    assert "<p>Pyongyang a tiré un missile.</p>" in page
    assert "<title>Séoul s&#x27;inquiète d&#x27;un nouvel essai</title>" in page
    assert report.summary() == (
        "1 entry: 0 pages fetched, 1 from the feed summary (no link or empty page)"
    )


def test_an_entry_without_link_or_summary_is_a_skipped_article(session, source, loopback_settings):
    entry = add_entry(session, source, None, identity="vide")

    report = fetch_pages(session, loopback_settings, fetcher=fast_fetcher(loopback_settings))

    (article,) = articles(session)
    assert (entry.status, entry.reason, entry.article_id) == (
        "skipped",
        "no link and no summary in the feed",
        article.id,
    )
    assert (article.status, article.reason, article.url) == (
        "skipped",
        "no link and no summary in the feed",
        "https://exemple.fr/rss#entry=vide",
    )
    assert report.skipped == 1


def test_an_empty_page_uses_the_summary_or_is_skipped(
    session, source, http_server, loopback_settings
):
    empty = file_reply(PAGES / "empty.html")
    with_summary = add_entry(
        session, source, http_server.add("/vide-1", empty), summary="<p>Le résumé du flux.</p>"
    )
    without = add_entry(session, source, http_server.add("/vide-2", empty))

    report = fetch_pages(session, loopback_settings, fetcher=fast_fetcher(loopback_settings))

    by_url = {a.url: a for a in articles(session)}
    used, skipped = by_url[with_summary.link], by_url[without.link]
    assert (used.status, used.reason) == ("fetched", "empty page: feed summary used")
    assert "Le résumé du flux." in used.raw.decode()
    assert (skipped.status, skipped.reason) == (
        "skipped",
        "empty page and no summary in the feed: skipped",
    )
    assert (without.status, without.article_id) == ("skipped", skipped.id)
    assert (report.from_summary, report.skipped) == (1, 1)


def test_a_transient_failure_waits_grows_and_gives_up(
    session, source, http_server, loopback_settings
):
    entry = add_entry(session, source, http_server.add("/down", Reply(status=503)))
    fetcher = fast_fetcher(loopback_settings)
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    first = fetch_pages(session, loopback_settings, fetcher=fetcher, now=now)
    (article,) = articles(session)
    assert (article.status, article.attempts) == ("failed", 1)
    assert article.next_attempt_at == now + timedelta(minutes=30)
    assert article.reason == "HTTP 503 (attempt 1 of 4; next after 2026-03-01 12:30 UTC)"
    assert (entry.status, entry.article_id, entry.reason) == ("failed", article.id, article.reason)
    assert first.summary() == f"1 entry: 0 pages fetched, 1 failed: {entry.link} (HTTP 503)"

    # the next runs (every 15 minutes) do not ask before the wait is over
    fetch_pages(session, loopback_settings, fetcher=fetcher, now=now + timedelta(minutes=15))
    assert len(http_server.requests_to("/down")) == 1
    waits = []
    when = now
    for _ in range(3):
        when = article.next_attempt_at
        fetch_pages(session, loopback_settings, fetcher=fetcher, now=when)
        if article.next_attempt_at:
            waits.append(article.next_attempt_at - when)
    assert waits == [timedelta(hours=1), timedelta(hours=2)]
    assert (article.status, article.attempts, article.next_attempt_at) == ("failed", 4, None)
    assert article.reason == "gave up after 4 attempts: HTTP 503"

    fetch_pages(session, loopback_settings, fetcher=fetcher, now=when + timedelta(days=30))
    assert len(http_server.requests_to("/down")) == 4


def test_retry_after_longer_than_the_back_off_is_honoured(
    session, source, http_server, loopback_settings
):
    url = http_server.add("/busy", Reply(status=429, headers={"Retry-After": "7200"}))
    add_entry(session, source, url)
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    fetch_pages(session, loopback_settings, fetcher=fast_fetcher(loopback_settings), now=now)

    (article,) = articles(session)
    assert article.next_attempt_at == now + timedelta(hours=2)


def test_a_page_that_comes_back_is_fetched_on_retry(
    session, source, http_server, loopback_settings
):
    url = http_server.add("/flaky", Reply(status=500), file_reply(PAGES / "article.html"))
    entry = add_entry(session, source, url)
    fetcher = fast_fetcher(loopback_settings)

    fetch_pages(session, loopback_settings, fetcher=fetcher)
    (article,) = articles(session)
    report = fetch_pages(session, loopback_settings, fetcher=fetcher, now=article.next_attempt_at)

    assert (entry.status, entry.attempts, entry.reason) == ("fetched", 2, None)
    assert (article.status, article.attempts, article.reason) == ("fetched", 2, None)
    assert article.raw == ARTICLE
    assert report.retried == 1
    assert report.article_ids == [article.id]


def test_a_permanent_failure_is_never_asked_again_even_from_another_feed(
    session, source, http_server, loopback_settings
):
    url = http_server.add("/gone", Reply(status=410))
    add_entry(session, source, url)
    other = Source(name="Autre – Monde", url="https://autre.fr/rss", language="fr")
    session.add(other)
    session.commit()
    fetch_pages(session, loopback_settings, fetcher=fast_fetcher(loopback_settings))
    later = add_entry(session, other, url)

    fetch_pages(
        session,
        loopback_settings,
        fetcher=fast_fetcher(loopback_settings),
        now=datetime.now(UTC) + timedelta(days=365),
    )

    (article,) = articles(session)
    assert (article.status, article.next_attempt_at) == ("failed", None)
    assert article.reason == "HTTP 410 (permanent: not fetched again)"
    assert (later.status, later.article_id) == ("failed", article.id)
    assert len(http_server.requests_to("/gone")) == 1


def test_bad_pages_fail_with_reasons_and_the_run_goes_on(
    session, source, http_server, loopback_settings, outside_connects
):
    server = http_server
    server.add("/loop-a", redirect("/loop-b"))
    server.add("/loop-b", redirect("/loop-a"))
    cases = {
        server.add("/404", Reply(status=404)): "HTTP 404",
        server.add("/410", Reply(status=410)): "HTTP 410",
        server.url("/loop-a"): "redirect loop",
        server.add(
            "/to-127-0-0-2", redirect(server.url("/ok", host="127.0.0.2"))
        ): "refused: 127.0.0.2 is a loopback address",
        server.add(
            "/to-ipv6-loopback", redirect(server.url("/ok", host="[::1]"))
        ): "refused: ::1 is a loopback address",
        server.add(
            "/to-localhost", redirect(server.url("/ok", host="localhost"))
        ): "refused: localhost is a loopback name",
        server.add(
            "/to-metadata", redirect("http://169.254.169.254/latest/meta-data/")
        ): "refused: 169.254.169.254 is the cloud metadata address",
        "http://169.254.169.254/latest/meta-data/iam/": "refused: 169.254.169.254 is the cloud metadata address",
        "http://10.0.0.1/admin": "refused: 10.0.0.1 is a private address",
        "http://evil.example/article": "refused: 10.0.0.1 is a private address (evil.example resolves to it)",
        "file:///etc/passwd": "refused: only http and https are fetched, not file",
        server.add("/huge", huge_body(50_000_000)): "too large: over 1 MB",
        server.add("/bomb", gzip_bomb(2_000_000_000)): "too large: over 1 MB after decompression",
        server.add(
            "/pixel.png", file_reply(PAGES / "pixel.png")
        ): "not a web page: content-type image/png",
        server.add(
            "/disguised", file_reply(PAGES / "pixel.png", content_type="text/html")
        ): "not a web page: binary content",
    }
    transient = {
        server.add("/429", Reply(status=429, headers={"Retry-After": "3600"})): "HTTP 429",
        server.add("/500", Reply(status=500)): "HTTP 500",
        server.add("/silent", Reply(body=ARTICLE, delay=3)): "timeout after 0.5 s",
        server.add(
            "/drip", Reply(body=ARTICLE, drip=0.05, headers={"Content-Type": "text/html"})
        ): "timeout after 0.5 s",
    }
    good = add_entry(session, source, server.add("/ok", file_reply(PAGES / "article.html")))
    bad = {add_entry(session, source, url).id: reason for url, reason in cases.items()}
    later = {add_entry(session, source, url).id: reason for url, reason in transient.items()}

    def resolver(host: str, port: int) -> list[str]:
        assert host == "evil.example", f"unexpected lookup of {host}"
        return ["10.0.0.1"]

    fetcher = fast_fetcher(loopback_settings, deadline=0.5, resolver=resolver)
    report = fetch_pages(session, loopback_settings, fetcher=fetcher, workers=4)

    assert good.status == "fetched"
    by_url = {a.url: a for a in articles(session)}
    assert by_url[good.link].status == "fetched"
    for entry_id, reason in bad.items():
        entry = session.get(Entry, entry_id)
        page = by_url[entry.link]
        assert (page.status, page.reason, page.attempts, page.next_attempt_at) == (
            "failed",
            f"{reason} (permanent: not fetched again)",
            1,
            None,
        ), entry.link
        assert (entry.status, entry.reason, entry.article_id) == ("failed", page.reason, page.id)
    for entry_id, reason in later.items():
        entry = session.get(Entry, entry_id)
        page = by_url[entry.link]
        assert page.status == "failed"
        assert page.reason.startswith(f"{reason} (attempt 1 of 4; next after "), entry.link
        assert page.next_attempt_at is not None
    failed = len(cases) + len(transient)
    assert report.failed == failed
    assert report.summary().startswith(f"{failed + 1} entries: 1 pages fetched, {failed} failed")
    assert outside_connects == []
    assert len(server.requests_to("/ok")) == 1


def test_limit_bounds_the_run(session, source, http_server, loopback_settings):
    for n in range(3):
        add_entry(session, source, http_server.add(f"/{n}", file_reply(PAGES / "article.html")))

    report = fetch_pages(
        session, loopback_settings, fetcher=fast_fetcher(loopback_settings), limit=2
    )

    assert report.entries == 2
    assert len(articles(session)) == 2


def test_summary_lists_at_most_five_failures():
    report = PageReport(entries=9, fetched=2, failed=7)
    report.failures = [PageFailure(f"https://e.fr/{n}", "HTTP 404", n == 0) for n in range(7)]

    line = report.summary()

    assert line.startswith(
        "9 entries: 2 pages fetched, 7 failed, 1 given up: https://e.fr/0 (HTTP 404), "
    )
    assert line.endswith("https://e.fr/4 (HTTP 404) and 2 more")
