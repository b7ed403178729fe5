"""The `vigie` command: JSON shapes of DESIGN.md, feed health, and a backfill from an archive."""

from __future__ import annotations

import json
from pathlib import Path

from support.shapes import ARTICLE_KEYS, FIGURE_KEYS
from typer.testing import CliRunner

from vigie.cli import app

ARCHIVE = Path(__file__).parent / "fixtures" / "cli" / "archive_february.jsonl"


def test_backfill_replays_the_window_and_records_historical_alerts(db_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["backfill", "--archive", str(ARCHIVE), "--start", "2026-02-01", "--end", "2026-02-28"]
    )
    assert result.exit_code == 0, result.output
    assert "historical alerts" in result.output

    articles = json.loads(runner.invoke(app, ["articles", "--json"]).stdout)
    assert all(set(a) == ARTICLE_KEYS for a in articles)
    assert sum(a["baseline"] for a in articles) == 5, "the seeds are in the store"
    replayed = [a for a in articles if not a["baseline"]]
    assert {a["title"] for a in replayed} == {
        "Pyongyang aurait envoyé 2 500 soldats de plus en Russie cet hiver",
        "Le XV de France s'impose à Cardiff",
    }, "the May article is outside the window"
    rugby = next(a for a in replayed if "Cardiff" in a["title"])
    assert rugby["status"] == "irrelevant"
    assert rugby["relevant"] is False
    troops = next(a for a in replayed if "soldats" in a["title"])
    assert troops["canonical_url"].endswith("renforts-nord-coreens-hiver"), "utm_* removed"

    alerts = json.loads(runner.invoke(app, ["alerts", "--json"]).stdout)
    assert len(alerts) == 1
    (alert,) = alerts
    assert set(alert) == FIGURE_KEYS
    assert alert["value"] == 2500
    assert alert["historical"] is True
    assert alert["previously_known"], "the baseline's troop figures are what was known"

    again = runner.invoke(
        app, ["backfill", "--archive", str(ARCHIVE), "--start", "2026-02-01", "--end", "2026-02-28"]
    )
    assert again.exit_code == 0
    assert len(json.loads(runner.invoke(app, ["alerts", "--json"]).stdout)) == 1
    assert len(json.loads(runner.invoke(app, ["articles", "--json"]).stdout)) == len(articles)


def test_feeds_lists_every_source_with_its_state(db_url: str, session) -> None:
    from vigie.store.models import Source

    session.add(
        Source(
            name="Le Temps",
            url="https://www.letemps.ch/rss",
            failure_count=2,
            last_error="HTTP 503",
        )
    )
    session.commit()
    rows = json.loads(CliRunner().invoke(app, ["feeds", "--json"]).stdout)
    assert [(r["name"], r["state"], r["last_error"]) for r in rows] == [
        ("Le Temps", "never polled", "HTTP 503")
    ]


def test_feeds_check_asks_each_address_once_and_says_what_answers(
    http_server, monkeypatch, tmp_path: Path
) -> None:
    from support.httpserver import Reply, file_reply

    feed = Path(__file__).parent / "fixtures" / "feeds" / "duplicate_guids.xml"
    good = http_server.add("/rss.xml", file_reply(feed))
    missing = http_server.url("/monde/rss")
    http_server.add("/actu/monde/rss.xml", Reply(status=404))
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - {{name: Bon, url: '{good}'}}\n"
        f"  - {{name: Deviné, url: '{missing}', verified: false, note: deviné}}\n"
        f"  - {{name: Ancien, url: '{http_server.url('/actu/monde/rss.xml')}', enabled: false}}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VIGIE_SOURCES", str(sources))
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_HOSTS", "127.0.0.1")

    done = CliRunner().invoke(app, ["feeds", "--check", "--json"])

    assert done.exit_code == 1  # some address does not answer with a feed
    rows = {r["name"]: r for r in json.loads(done.stdout)}
    assert (rows["Bon"]["ok"], rows["Bon"]["answer"]) == (True, "a feed, 2 items")
    assert (rows["Deviné"]["ok"], rows["Deviné"]["verified"]) == (False, False)
    assert rows["Deviné"]["answer"] == "HTTP 404 (permanent)"
    assert rows["Ancien"]["enabled"] is False
    assert "1 of 3 addresses answer with a feed" in done.stderr
    assert sorted(r.path for r in http_server.requests) == [
        "/actu/monde/rss.xml",
        "/monde/rss",
        "/rss.xml",
    ]
