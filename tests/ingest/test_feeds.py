"""Sources file, and polling feeds served from loopback into Entry rows: memory, faults, back-off."""

from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from support.httpserver import LoopbackServer, Reply, file_reply, redirect
from support.shared import SHARED_DIR, shared_path

from vigie.config import DEFAULT_SOURCES, load_settings
from vigie.ingest import feeds
from vigie.ingest.feeds import (
    FeedOutcome,
    FeedReport,
    SourcesError,
    SourceSpec,
    feed_backoff,
    load_sources,
    poll_feeds,
    sync_sources,
)
from vigie.ingest.http import Fetcher
from vigie.store.db import get_engine
from vigie.store.models import Base, Entry, FeedFetch, Source

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
REAL_FEEDS_DIR = SHARED_DIR / "real-feeds"
REAL_FEEDS = sorted(REAL_FEEDS_DIR.glob("feedparser/**/*.xml")) + sorted(
    REAL_FEEDS_DIR.glob("fr/*.xml")
)
T0 = datetime(2024, 11, 5, 12, 0, tzinfo=UTC)
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def fast_fetcher(settings, **kwargs) -> Fetcher:
    options = {"deadline": 3.0, "connect_timeout": 1.0, "retries": 0, "backoff": 0.01}
    options.update(kwargs)
    return Fetcher(settings, **options)


def add_source(session, url: str, name: str = "Fil de test") -> Source:
    source = Source(name=name, url=url, language="fr")
    session.add(source)
    session.commit()
    return source


def poll(session, settings, now: datetime = T0, **kwargs) -> FeedReport:
    return poll_feeds(session, settings, fetcher=fast_fetcher(settings, **kwargs), now=now)


def entries_of(session, source: Source) -> list[Entry]:
    return list(
        session.scalars(select(Entry).where(Entry.source_id == source.id).order_by(Entry.id))
    )


def fetch_rows(session) -> list[FeedFetch]:
    return list(session.scalars(select(FeedFetch).order_by(FeedFetch.id)))


# --- the sources file ----------------------------------------------------------------------------


def test_default_sources_file_is_valid_and_broad():
    specs = load_sources(DEFAULT_SOURCES)

    assert len(specs) >= 20
    assert all(spec.url.startswith("https://") for spec in specs)
    assert all(spec.language == "fr" for spec in specs)
    outlets = {spec.name.split(" – ")[0] for spec in specs}
    for outlet in ("Le Monde", "Le Soir", "RTS", "Le Devoir", "Ouest-France", "RFI"):
        assert outlet in outlets


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "sources:\n  - name: A\n    url: https://a.example/rss\n    lang: fr\n",
            ":4: unknown key 'lang'",
        ),
        ("sources:\n  - name: A\n", ":2: source without 'url'"),
        (
            "sources:\n  - name: A\n    url: ftp://a.example/rss\n",
            ":3: url 'ftp://a.example/rss' is not an http(s) URL",
        ),
        (
            "sources:\n  - name: A\n    url: https://a.example/rss\n    verified: peut-être\n",
            ":4: 'verified': Input should be a valid boolean",
        ),
        (
            "sources:\n  - name: A\n    url: https://a.example/rss\n    min_interval_minutes: 0\n",
            ":4: 'min_interval_minutes': Input should be greater than or equal to 1",
        ),
        (
            "sources:\n  - {name: A, url: 'https://a.example/'}\n  - {name: B, url: 'https://a.example/'}\n",
            ":3: url 'https://a.example/' already listed on line 2",
        ),
        ("feeds:\n  - name: A\n", ":1: unknown key 'feeds'"),
        ("sources: nothing\n", "'sources' must be a list"),
        (
            "sources:\n  - name: [A, B]\n    url: https://a.example/\n",
            ":2: 'name' must be a non-empty text",
        ),
        ("sources:\n  - name: A\n  url: : :\n", "not valid YAML"),
        ("- name: A\n", ":1: expected a mapping with a 'sources' list at the top"),
        ("sources:\n  - just a name\n", ":2: each source must be a mapping"),
        ("sources:\n  - name: A\n    url:\n", ":3: 'url' must be a non-empty text"),
    ],
)
def test_bad_sources_files_name_the_line(tmp_path, text, message):
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(SourcesError) as caught:
        load_sources(path)

    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_values_are_read_as_written(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - name: 2024\n    url: https://a.example/rss\n    language: no\n"
        "    verified: off\n    min_interval_minutes: '30'\n",
        encoding="utf-8",
    )

    [spec] = load_sources(path)

    assert (spec.name, spec.language) == ("2024", "no")  # YAML 1.1 would say 2024 and False
    assert spec.verified is False
    assert spec.min_interval_minutes == 30


def test_default_sources_say_which_addresses_are_unproven():
    specs = {spec.name: spec for spec in load_sources(DEFAULT_SOURCES)}

    unproven = {name for name, spec in specs.items() if not spec.verified}
    for outlet in ("La Croix", "L'Humanité", "Ouest-France", "Sud Ouest", "RTBF", "La Libre"):
        assert any(name.startswith(outlet) for name in unproven), outlet
    for outlet in ("RTS", "Le Devoir", "DNA"):
        assert any(name.startswith(outlet) for name in unproven), outlet
    assert all(spec.note for spec in specs.values() if not spec.verified)
    urls = {spec.url for spec in specs.values()}
    for fixed in (
        "https://www.ladepeche.fr/rss.xml",
        "https://www.dna.fr/france-monde/rss",
        "https://www.leprogres.fr/france-monde/rss",
        "https://www.lavoixdunord.fr/rss",
        "https://partner-feeds.publishing.tamedia.ch/rss/24heures/monde",
        "https://www.lemonde.fr/rss/en_continu.xml",
    ):
        assert fixed in urls
    for gone in (
        "https://www.ladepeche.fr/actu/monde/rss.xml",
        "https://www.dna.fr/monde/rss",
        "https://www.leprogres.fr/monde/rss",
        "https://www.lavoixdunord.fr/monde/rss",
        "https://partner-feeds.24heures.ch/rss/24heures/monde",
        "https://www.lemonde.fr/en_continu/rss_full.xml",
    ):
        assert gone not in urls
    le_soir = next(spec for name, spec in specs.items() if name.startswith("Le Soir"))
    assert (le_soir.enabled, le_soir.verified) == (False, False)


def test_a_disabled_source_is_kept_but_not_polled(session):
    a = SourceSpec("A", "https://a.example/rss")
    sync_sources(session, [a])

    sync_sources(session, [SourceSpec("A", a.url, enabled=False, verified=False, note="doute")])
    source = session.scalars(select(Source)).one()
    assert (source.active, source.retired_reason) == (
        False,
        "disabled in the sources file (enabled: false)",
    )
    assert sync_sources(session, [SourceSpec("B", "https://b.example/rss", enabled=False)]) == 0
    sync_sources(session, [a])
    assert session.scalars(select(Source).where(Source.url == a.url)).one().active


def test_sync_adds_new_sources_and_never_deletes(session):
    a = SourceSpec("A", "https://a.example/rss")
    b = SourceSpec("B", "https://b.example/rss")

    assert sync_sources(session, [a, b]) == 2
    assert sync_sources(session, [a, b]) == 0
    assert sync_sources(session, [a]) == 0
    dropped = session.scalars(select(Source).where(Source.url == b.url)).one()
    assert not dropped.active
    assert dropped.retired_reason == "removed from the sources file"
    assert sync_sources(session, [SourceSpec("A renamed", a.url), b]) == 0
    assert dropped.active
    assert dropped.retired_reason is None
    assert session.scalar(select(Source.name).where(Source.url == a.url)) == "A renamed"


def test_sync_does_not_readd_a_feed_that_moved(session):
    source = add_source(session, "https://new.example/rss")
    source.previous_url = "https://old.example/rss"
    session.commit()

    assert sync_sources(session, [SourceSpec("Moved", "https://old.example/rss")]) == 0
    assert session.scalars(select(Source)).one().active


# --- every real feed -----------------------------------------------------------------------------


def _served_headers(path: Path) -> dict[str, str]:
    headers = {"Content-Type": "text/xml"}
    if "http" in path.name:
        opening = path.read_bytes()[:3000].decode("latin-1")
        comment = re.search(r"<!--(.*?)-->", opening, re.S)
        for line in (comment.group(1) if comment else "").splitlines():
            if line.strip().startswith("Header:"):
                name, _, value = line.split(":", 1)[1].strip().partition(":")
                headers = {k: v for k, v in headers.items() if k.lower() != name.strip().lower()}
                headers[name.strip()] = value.strip()
    return headers


@dataclass(frozen=True)
class Polled:
    outcome: FeedOutcome
    stored: int
    identified: bool
    row_outcome: str
    row_reason: str | None
    last_error: str | None


@pytest.fixture(scope="module")
def real_feeds_polled(tmp_path_factory) -> dict[Path, Polled]:
    """Every real feed served from loopback and polled in ONE run (one store, one server)."""
    url = os.environ.get("VIGIE_TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('real-feeds') / 'vigie.db'}"
    )
    engine = get_engine(url)
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    settings = load_settings({"VIGIE_ALLOW_PRIVATE_HOSTS": "127.0.0.1", "VIGIE_DATABASE_URL": url})
    with LoopbackServer() as server, Session(engine, expire_on_commit=False) as session:
        by_url = {}
        for n, path in enumerate(REAL_FEEDS):
            served = Reply(body=path.read_bytes(), headers=_served_headers(path))
            by_url[server.add(f"/{n}.xml", served)] = path
            session.add(Source(name=path.name, url=server.url(f"/{n}.xml")))
        session.commit()
        report = poll(session, settings)
        polled = {}
        for outcome in report.feeds:
            source = session.scalars(select(Source).where(Source.url == outcome.url)).one()
            stored = entries_of(session, source)
            (row,) = session.scalars(select(FeedFetch).where(FeedFetch.source_id == source.id))
            polled[by_url[outcome.url]] = Polled(
                outcome=outcome,
                stored=len(stored),
                identified=all(e.identity for e in stored),
                row_outcome=row.outcome,
                row_reason=row.reason,
                last_error=source.last_error,
            )
    return polled


def test_the_real_feeds_are_there() -> None:
    """The parametrized test below has no case without them: this one is skipped or, in CI, fails."""
    assert list(shared_path("real-feeds").glob("fr/*.xml"))


@pytest.mark.parametrize("path", REAL_FEEDS, ids=lambda p: str(p.relative_to(REAL_FEEDS_DIR)))
def test_every_real_feed_is_parsed_or_refused_with_a_reason(path, real_feeds_polled):
    polled = real_feeds_polled[path]

    outcome = polled.outcome
    assert outcome.outcome in ("new", "empty", "failed")
    assert polled.row_outcome == outcome.outcome
    assert polled.stored == outcome.new_entries
    assert polled.identified
    if outcome.outcome == "failed":
        assert outcome.reason
        assert polled.last_error == outcome.reason == polled.row_reason
        assert polled.stored == 0
    if path.parent.name == "fr":
        assert outcome.outcome == "new"
        assert polled.stored > 0


# --- bad input, each with a reason -------------------------------------------------------------


def test_new_entries_are_stored_with_their_fields(session, http_server, loopback_settings):
    source = add_source(session, http_server.add("/f", file_reply(FEEDS / "duplicate_guids.xml")))

    report = poll(session, loopback_settings)

    assert report.feeds[0].outcome == "new"
    stored = entries_of(session, source)
    assert [e.identity for e in stored] == ["exemple-1", "exemple-2"]
    first = stored[0]
    assert first.title == "Premier article"  # the first of two items sharing a GUID wins
    assert first.link == "https://exemple.fr/premier"
    assert first.published == datetime(2024, 11, 4, 7, 0, tzinfo=UTC)
    assert first.status == "pending"
    assert "1 repeated GUID(s) ignored, first kept" in fetch_rows(session)[0].reason
    assert report.summary() == "1 feed: 1 with new entries (2 entries)"


def test_entries_without_link_date_or_title_are_kept_and_noted(
    session, http_server, loopback_settings
):
    source = add_source(session, http_server.add("/f", file_reply(FEEDS / "missing_fields.xml")))

    poll(session, loopback_settings)

    by_identity = {e.identity: e for e in entries_of(session, source)}
    assert len(by_identity) == 4  # the item with nothing at all is dropped
    no_link = by_identity["sans-lien"]
    assert no_link.link is None
    assert no_link.reason == "no link in the feed"
    assert "Le résumé du fil" in no_link.summary
    no_date = by_identity["https://exemple.fr/sans-date"]
    assert no_date.published is None
    assert no_date.reason == "no date in the feed"
    no_title = by_identity["https://exemple.fr/sans-titre"]
    assert no_title.title is None
    assert no_title.reason == "no title in the feed"
    hashed = next(e for k, e in by_identity.items() if k.startswith("sha256:"))
    assert hashed.link is None
    assert hashed.title is None
    reason = fetch_rows(session)[0].reason
    assert "1 item(s) with no guid, link, title or summary ignored" in reason
    assert "2 item(s) without a usable date" in reason


def test_french_unreadable_and_future_dates(session, http_server, loopback_settings):
    source = add_source(session, http_server.add("/f", file_reply(FEEDS / "french_dates.xml")))

    poll(session, loopback_settings, now=datetime.now(UTC))

    french, unreadable, future = entries_of(session, source)
    assert french.published == datetime(2022, 9, 13, 14, 41, 30, tzinfo=UTC)
    assert unreadable.published is None
    assert unreadable.reason == "unreadable date 'hier soir'"
    assert future.published is None
    assert "in the future: ignored" in future.reason


def test_relative_links_resolve_against_the_feed_url(session, http_server, loopback_settings):
    source = add_source(
        session, http_server.add("/feeds/monde.xml", file_reply(FEEDS / "relative_links.xml"))
    )

    poll(session, loopback_settings)

    (entry,) = entries_of(session, source)
    assert entry.link == http_server.url("/monde/article-relatif")


@pytest.mark.parametrize("name", ["latin1_undeclared.xml", "cp1252_declared_utf8.xml"])
def test_missing_or_wrong_charset_still_decodes(session, http_server, loopback_settings, name):
    served = Reply(body=(FEEDS / name).read_bytes(), headers={"Content-Type": "text/xml"})
    source = add_source(session, http_server.add("/f", served))

    poll(session, loopback_settings)

    (entry,) = entries_of(session, source)
    assert entry.title == "Pyongyang répète ses essais à Séoul"
    assert "CharacterEncodingOverride" in source.bozo_reason


def test_a_malformed_but_usable_feed_is_kept_and_its_fault_recorded(
    session, http_server, loopback_settings
):
    source = add_source(session, http_server.add("/f", file_reply(FEEDS / "malformed_usable.xml")))

    report = poll(session, loopback_settings)

    assert report.feeds[0].outcome == "new"
    (entry,) = entries_of(session, source)
    assert entry.title == "Un « & » nu et une balise jamais fermée"
    assert source.bozo_reason.startswith("SAXParseException")
    assert "ill-formed but used" in fetch_rows(session)[0].reason


def test_a_truncated_feed_keeps_what_came_before_the_cut(session, http_server, loopback_settings):
    source = add_source(session, http_server.add("/f", file_reply(FEEDS / "truncated.xml")))

    poll(session, loopback_settings)

    assert [e.identity for e in entries_of(session, source)] == ["exemple-1"]
    assert "no element found" in source.bozo_reason


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (file_reply(PAGES / "article.html"), "not a feed: an HTML page was served"),
        (Reply(body=b"", headers=RSS), "empty response body"),
        (
            Reply(body=b"<?xml version='1.0'?>\n<rss version='2.0'><chan", headers=RSS),
            "no entries in an ill-formed feed: SAXParseException",
        ),
        (Reply(body=b"just some words", headers={"Content-Type": "text/plain"}), "not a feed: "),
        (Reply(status=404), "HTTP 404"),
        (Reply(status=500), "HTTP 500"),
        (Reply(body=b"<rss/>", headers=RSS, delay=3), "timeout after 0.5 s"),
        (Reply(body=b"<rss version='2.0'>" * 40, headers=RSS, drip=0.05), "timeout after 0.5 s"),
        (file_reply(PAGES / "pixel.png"), "not a feed: content-type image/png"),
    ],
    ids=["html-page", "empty", "truncated-head", "text", "404", "500", "timeout", "drip", "image"],
)
def test_a_feed_that_yields_nothing_usable_fails_with_a_reason(
    session, http_server, loopback_settings, reply, reason
):
    source = add_source(session, http_server.add("/f", reply))

    report = poll(session, loopback_settings, deadline=0.5)

    (outcome,) = report.feeds
    assert outcome.outcome == "failed"
    assert reason in outcome.reason
    assert source.failure_count == 1
    assert source.failing_since == T0
    assert source.next_attempt_at > T0
    assert entries_of(session, source) == []
    assert fetch_rows(session)[0].reason == outcome.reason


def test_one_failing_feed_does_not_stop_the_run(session, http_server, loopback_settings):
    add_source(session, http_server.add("/down", Reply(status=500)), name="Le Soir")
    add_source(session, http_server.add("/slow", Reply(body=b"<rss/>", delay=3)), name="RTS")
    good = add_source(
        session, http_server.add("/ok", file_reply(FEEDS / "duplicate_guids.xml")), name="Le Monde"
    )

    report = poll(session, loopback_settings, deadline=0.5)

    assert len(entries_of(session, good)) == 2
    assert report.summary() == (
        "3 feeds: 1 with new entries (2 entries), "
        "2 failed: Le Soir (HTTP 500), RTS (timeout after 0.5 s)"
    )
    assert len(fetch_rows(session)) == 3


# --- memory: validators, moves, retirement ---------------------------------------------------------


def test_conditional_get_unchanged_feed_costs_a_304_and_no_parsing(
    session, http_server, loopback_settings, monkeypatch
):
    served = file_reply(
        FEEDS / "duplicate_guids.xml", etag='"v1"', last_modified="Mon, 04 Nov 2024 09:00:00 GMT"
    )
    source = add_source(session, http_server.add("/f", served))
    poll(session, loopback_settings)
    assert source.etag == '"v1"'
    assert source.last_modified == "Mon, 04 Nov 2024 09:00:00 GMT"
    parses = []
    real_parse = feeds.parse_feed
    monkeypatch.setattr(
        feeds, "parse_feed", lambda *a, **k: parses.append(a) or real_parse(*a, **k)
    )

    report = poll(session, loopback_settings, now=T0 + timedelta(minutes=15))

    assert parses == []
    (outcome,) = report.feeds
    assert (outcome.outcome, outcome.status) == ("unchanged", 304)
    second = http_server.requests_to("/f")[1]
    assert second.header("if-none-match") == '"v1"'
    assert second.header("if-modified-since") == "Mon, 04 Nov 2024 09:00:00 GMT"
    assert len(entries_of(session, source)) == 2
    assert report.summary() == "1 feed: 1 unchanged (304)"


def test_validators_are_saved_only_once_entries_are_stored(
    session, http_server, loopback_settings, monkeypatch
):
    source = add_source(
        session, http_server.add("/f", file_reply(FEEDS / "duplicate_guids.xml", etag='"v1"'))
    )

    def disk_full(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(feeds, "_add_entries", disk_full)
        report = poll(session, loopback_settings)
    assert report.feeds[0].outcome == "failed"
    assert report.feeds[0].reason == "could not store entries: RuntimeError: disk full"
    assert source.etag is None
    assert entries_of(session, source) == []

    report = poll(session, loopback_settings, now=T0 + timedelta(hours=1))

    assert http_server.requests_to("/f")[1].header("if-none-match") is None
    assert report.feeds[0].outcome == "new"
    assert len(entries_of(session, source)) == 2
    assert source.etag == '"v1"'
    assert source.failure_count == 0


def test_a_gone_feed_is_retired(session, http_server, loopback_settings):
    source = add_source(session, http_server.add("/f", Reply(status=410)))

    report = poll(session, loopback_settings)

    assert report.feeds[0].outcome == "retired"
    assert not source.active
    assert "HTTP 410 Gone" in source.retired_reason
    assert report.summary() == "1 feed: 1 retired: Fil de test (HTTP 410 Gone)"
    assert poll(session, loopback_settings, now=T0 + timedelta(days=1)).feeds == []
    assert len(http_server.requests_to("/f")) == 1


@pytest.mark.parametrize("status", [301, 308])
def test_a_permanent_redirect_moves_the_feed(session, http_server, loopback_settings, status):
    old = http_server.add("/old", redirect("/new", status=status))
    new = http_server.add("/new", file_reply(FEEDS / "duplicate_guids.xml"))
    source = add_source(session, old)

    report = poll(session, loopback_settings)

    assert source.url == new
    assert source.previous_url == old
    assert f"moved permanently to {new}" in report.feeds[0].reason
    assert len(entries_of(session, source)) == 2
    poll(session, loopback_settings, now=T0 + timedelta(minutes=15))
    assert len(http_server.requests_to("/old")) == 1


def test_a_temporary_redirect_does_not_move_the_feed(session, http_server, loopback_settings):
    old = http_server.add("/old", redirect("/new", status=302))
    http_server.add("/new", file_reply(FEEDS / "duplicate_guids.xml"))
    source = add_source(session, old)

    poll(session, loopback_settings)

    assert source.url == old
    assert source.previous_url is None


# --- back-off --------------------------------------------------------------------------------------


def test_backoff_grows_with_failures_up_to_the_cap():
    settings = load_settings({"VIGIE_MAX_FEED_BACKOFF_HOURS": "24"})
    rng = random.Random(7)

    delays = [feed_backoff(n, settings, rng) for n in range(1, 13)]

    assert timedelta(minutes=4) < delays[0] < timedelta(minutes=6)
    growing = [d for d in delays if d < timedelta(hours=24)]
    assert growing == sorted(growing)
    assert len(set(growing)) == len(growing)
    assert delays[-1] == timedelta(hours=24)
    assert all(d <= timedelta(hours=24) for d in delays)


def test_a_failing_feed_backs_off_longer_each_time_and_recovers(
    session, http_server, loopback_settings
):
    source = add_source(
        session,
        http_server.add(
            "/f",
            Reply(status=500),
            Reply(status=500),
            Reply(status=500),
            file_reply(FEEDS / "duplicate_guids.xml"),
        ),
    )
    now, gaps = T0, []
    for _ in range(3):
        assert poll(session, loopback_settings, now=now).feeds[0].outcome == "failed"
        gaps.append(source.next_attempt_at - now)
        early = poll(session, loopback_settings, now=now + gaps[-1] / 2)
        assert early.feeds[0].outcome == "deferred"
        assert early.summary() == "1 feed: 1 deferred (backing off)"
        now = source.next_attempt_at

    assert gaps[0] < gaps[1] < gaps[2]
    assert source.failure_count == 3
    assert source.failing_since == T0
    assert len(http_server.requests_to("/f")) == 3
    assert [r.outcome for r in fetch_rows(session)].count("deferred") == 3

    assert poll(session, loopback_settings, now=now).feeds[0].outcome == "new"
    assert (source.failure_count, source.failing_since, source.next_attempt_at) == (0, None, None)


def test_retry_after_on_429_sets_the_next_attempt(session, http_server, loopback_settings):
    source = add_source(
        session, http_server.add("/f", Reply(status=429, headers={"Retry-After": "7200"}))
    )

    report = poll(session, loopback_settings)

    assert report.feeds[0].reason == "HTTP 429"
    assert source.next_attempt_at >= T0 + timedelta(hours=2)


def test_polling_is_polite_per_host(session, http_server, loopback_settings):
    for n in range(6):
        add_source(
            session,
            http_server.add(f"/f{n}", Reply(body=b"<rss/>", headers=RSS, delay=0.15, overlap=2)),
            name=f"F{n}",
        )

    report = poll_feeds(
        session,
        loopback_settings,
        fetcher=fast_fetcher(loopback_settings, per_host=2),
        now=T0,
        workers=6,
    )

    assert len(report.feeds) == 6
    assert http_server.max_in_flight == 2, "two at once, never more"


def test_summary_line_names_what_failed():
    report = FeedReport()
    for outcome in [
        FeedOutcome("Le Monde", "u1", "new", 200, 20),
        FeedOutcome("RFI", "u2", "new", 200, 11),
        FeedOutcome("La Croix", "u3", "unchanged", 304),
        FeedOutcome("Le Soir", "u4", "failed", 500, reason="HTTP 500"),
        FeedOutcome("RTS", "u5", "failed", None, reason="timeout after 20 s"),
        FeedOutcome("DNA", "u6", "empty", 200),
    ]:
        report.add(outcome)

    assert report.summary() == (
        "6 feeds: 2 with new entries (31 entries), 1 unchanged (304), 1 empty, "
        "2 failed: Le Soir (HTTP 500), RTS (timeout after 20 s)"
    )
    assert (report.new, report.failed, report.new_entries, report.polled) == (2, 2, 31, 6)


def test_a_feed_with_its_own_interval_is_not_asked_sooner(session, http_server, loopback_settings):
    source = add_source(session, http_server.add("/f", file_reply(FEEDS / "duplicate_guids.xml")))
    source.min_interval_minutes = 60
    session.commit()

    poll(session, loopback_settings, now=T0)
    resting = poll(session, loopback_settings, now=T0 + timedelta(minutes=15))
    poll(session, loopback_settings, now=T0 + timedelta(minutes=61))

    assert len(http_server.requests_to("/f")) == 2
    assert resting.feeds[0].outcome == "resting"
    assert resting.summary() == "1 feed: 1 resting (their polite interval)"
    assert len(fetch_rows(session)) == 2  # a rest is not a poll


def test_check_says_what_each_address_answers(http_server, loopback_settings, tmp_path):
    from vigie.ingest.feeds import check_sources

    good = http_server.add("/rss.xml", file_reply(FEEDS / "duplicate_guids.xml"))
    http_server.add("/old", redirect("/rss.xml", status=301))
    specs = [
        SourceSpec("Bon", good),
        SourceSpec("Déplacé", http_server.url("/old"), verified=False, note="ancien chemin"),
        SourceSpec("Absent", http_server.url("/monde/rss"), verified=False, note="deviné"),
        SourceSpec("Page", http_server.add("/page", file_reply(PAGES / "article.html"))),
    ]

    checks = check_sources(specs, loopback_settings, fetcher=fast_fetcher(loopback_settings))

    by_name = {c.name: c for c in checks}
    assert [c.name for c in checks] == ["Bon", "Déplacé", "Absent", "Page"]
    assert (by_name["Bon"].ok, by_name["Bon"].answer) == (True, "a feed, 2 items")
    assert by_name["Déplacé"].ok
    assert by_name["Déplacé"].moved_to == good
    assert (by_name["Absent"].ok, by_name["Absent"].answer) == (False, "HTTP 404 (permanent)")
    assert by_name["Page"].answer == "not a feed: an HTML page was served"
    assert len(http_server.requests_to("/rss.xml")) == 2  # once each, nothing stored
