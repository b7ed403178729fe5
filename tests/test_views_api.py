"""The plugin's JSON API and pages over a store filled by the real pipeline (dev corpus, a hostile
article, a broken feed, a small backfill): shapes, filters, paging, escaping, French display."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from support.shapes import ARTICLE_KEYS
from support.views_store import HOSTILE, FilledStore, empty_store, fill_store
from typer.testing import CliRunner

from vigie.alerts.serialize import list_alerts
from vigie.cli import app as cli
from vigie.store.db import session_scope
from vigie.web import create_app

PARIS = ZoneInfo("Europe/Paris")
COMMON = {"id", "kind", "article_url", "outlet", "published", "evidence", "events"}
TAIL = {"previously_known", "corroboration", "historical", "channels"}
FIGURE_KEYS = COMMON | TAIL | {"value", "measure", "object", "qualifier", "claimed_by"}
DECLARATION_KEYS = COMMON | TAIL | {"speaker", "quote"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FilledStore]:
    work = tmp_path_factory.mktemp("views")
    url = os.environ.get("VIGIE_TEST_DATABASE_URL") or f"sqlite:///{work / 'vigie.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VIGIE_HOME", str(work))
        patch.setenv("VIGIE_DATABASE_URL", url)
        empty_store(url)
        yield fill_store(work)


@pytest.fixture(scope="module")
def client(store: FilledStore) -> TestClient:
    return TestClient(create_app(lambda: None))


@pytest.fixture(scope="module")
def every_alert(store: FilledStore) -> list[dict]:
    """The oracle: what `vigie alerts --json` lists, newest created first."""
    with session_scope() as session:
        return list_alerts(session)


def _all_pages(client: TestClient, query: str, limit: int = 2) -> list[dict]:
    out, after, pages = [], None, 0
    while True:
        extra = f"&after={after}" if after else ""
        body = client.get(f"/api/alerts?{query}&limit={limit}{extra}").json()
        out += body["alerts"]
        pages += 1
        assert pages < 100, "paging does not end"
        after = body["next"]
        if after is None:
            return out


def _newest_first(alerts: list[dict]) -> list[int]:
    def key(a: dict) -> tuple:
        when = a["published"]
        return (when is not None, datetime.fromisoformat(when) if when else None)

    return [a["id"] for a in sorted(alerts, key=key, reverse=True)]


def test_alerts_api_pages_through_every_alert_in_the_design_shape(client, every_alert) -> None:
    assert len(every_alert) >= 7, "the pipeline raised the corpus's alerts"
    body = client.get("/api/alerts?limit=3").json()
    assert body["total"] == len(every_alert)
    assert body["total_exact"] is True
    assert len(body["alerts"]) == 3
    assert body["next"]
    paged = _all_pages(client, "", limit=3)
    assert [a["id"] for a in paged] == _newest_first(every_alert)
    assert len({a["id"] for a in paged}) == len(every_alert), "no alert twice across pages"
    by_id = {a["id"]: a for a in every_alert}
    for alert in paged:
        keys = FIGURE_KEYS if alert["kind"] == "figure" else DECLARATION_KEYS
        assert set(alert) == keys
        assert alert == by_id[alert["id"]], "the API and `vigie alerts --json` say the same"


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("kind=figure", lambda a: a["kind"] == "figure"),
        ("kind=declaration", lambda a: a["kind"] == "declaration"),
        ("speaker=Vladimir+Poutine", lambda a: a.get("speaker") == "Vladimir Poutine"),
        ("measure=troops_sent", lambda a: a.get("measure") == "troops_sent"),
        ("event=labor", lambda a: "labor" in a["events"]),
        ("event=statement", lambda a: "statement" in a["events"]),
        ("outlet=Le+Matin+Alpin", lambda a: a["outlet"] == "Le Matin Alpin"),
        ("channel=slack&status=sent", lambda a: a["channels"]["slack"]["status"] == "sent"),
        ("status=skipped", lambda a: any(c["status"] == "skipped" for c in a["channels"].values())),
        ("status=failed", lambda a: any(c["status"] == "failed" for c in a["channels"].values())),
        ("historical=historical", lambda a: a["historical"]),
        ("historical=live", lambda a: not a["historical"]),
        (
            "since=2026-03-01&until=2026-06-09",
            lambda a: (
                a["published"]
                and date(2026, 3, 1)
                <= datetime.fromisoformat(a["published"]).astimezone(PARIS).date()
                <= date(2026, 6, 9)
            ),
        ),
        (
            "kind=figure&historical=live&event=troop_deployment",
            lambda a: (
                a["kind"] == "figure" and not a["historical"] and "troop_deployment" in a["events"]
            ),
        ),
    ],
)
def test_each_filter_keeps_exactly_the_matching_alerts(client, every_alert, query, keep) -> None:
    expected = _newest_first([a for a in every_alert if keep(a)])
    got = _all_pages(client, query)
    assert [a["id"] for a in got] == expected
    assert client.get(f"/api/alerts?{query}").json()["total"] == len(expected)


def test_the_filters_select_something_and_not_everything(client, every_alert) -> None:
    """The corpus gives each filter both cases, so the test above compares real subsets."""
    for query in ("kind=figure", "event=labor", "historical=historical", "status=skipped"):
        total = client.get(f"/api/alerts?{query}").json()["total"]
        assert 0 < total < len(every_alert), query


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("kind=rumeur", "kind"),
        ("event=party", "event"),
        ("status=lost", "status"),
        ("since=14/03/2026", "since"),
        ("historical=maybe", "historical"),
        ("after=garbage", "cursor"),
        ("limit=many", "limit"),
    ],
)
def test_bad_filters_are_refused_with_the_parameter_named(client, query, named) -> None:
    answer = client.get(f"/api/alerts?{query}")
    assert answer.status_code == 400
    assert named in answer.json()["detail"]
    page = client.get(f"/alerts?{query}")
    assert page.status_code == 400
    assert named in page.text


def test_alerts_page_reads_as_french_and_shows_the_evidence(client, every_alert) -> None:
    page = client.get("/alerts")
    assert page.status_code == 200
    text = page.text
    figure = next(a for a in every_alert if a["kind"] == "figure" and a["value"] >= 1000)
    digits = f"{figure['value']:,}".replace(",", "\u202f")
    assert digits in text, "thousands are set apart with a narrow no-break space (CLDR French)"
    visible = re.sub(r"<[^>]*>", " ", text)
    assert not re.search(rf"(?<!\d){figure['value']}(?!\d)", visible), "no run-together digits"
    when = datetime.fromisoformat(figure["published"]).astimezone(PARIS)
    assert f" à {when:%H:%M}" in text
    assert "T07:00:00" not in text, "no raw ISO timestamps"
    assert "<mark>" in text, "the figure or quote is set off in its sentence"
    assert "Déjà connu" in text
    assert "Corroboration" in text
    assert "Slack : envoyée le" in text
    assert "non poussée (historical (backfill)" in text


def test_alerts_page_is_paged_with_a_link_to_older_alerts(client, every_alert) -> None:
    first = client.get("/alerts?limit=2").text
    link = re.search(r'rel="next" href="([^"]+)"', first)
    assert link, "a link to the next page"
    second = client.get(link.group(1).replace("&amp;", "&")).text
    ids_first = re.findall(r'id="alerte-(\d+)"', first)
    ids_second = re.findall(r'id="alerte-(\d+)"', second)
    assert len(ids_first) == len(ids_second) == 2
    assert not set(ids_first) & set(ids_second)
    assert "les plus récentes" in second


def test_hostile_title_and_quote_are_text_everywhere(client, store) -> None:
    hostile = client.get("/api/alerts?outlet=Le+Courrier+%3C%21here%3E+Pi%C3%A9g%C3%A9").json()
    assert hostile["total"] == 2
    article_id = client.get("/api/alerts?limit=200").json()["alerts"]
    pages = ["/alerts", "/figures?measure=troops_sent", "/feeds"]
    detail_id = next(
        a["id"]
        for a in (client.get(f"/api/articles/{i}").json()["article"] for i in range(1, 40))
        if a.get("title") == store.hostile_title
    )
    pages.append(f"/articles/{detail_id}")
    assert article_id
    for path in pages:
        answer = client.get(path)
        assert answer.status_code == 200, path
        csp = answer.headers["content-security-policy"]
        script_src = csp.split("script-src")[1].split(";")[0]
        assert script_src.strip() == "'self'", "only this app's own scripts"
        assert "<script>alert" not in answer.text, path
        scripts = re.findall(r"<script[^>]*>", answer.text)
        assert all("src=" in s or 'type="application/json"' in s for s in scripts), (path, scripts)
    article = client.get(f"/articles/{detail_id}").text
    assert "&lt;script&gt;alert(&#39;titre&#39;)&lt;/script&gt;" in article
    assert "&lt;!here&gt;" in article
    chart = client.get("/figures?measure=troops_sent").text
    data = json.loads(re.search(r'id="figure-data">(.*?)</script>', chart, re.S).group(1))
    assert any("&lt;!here&gt;" in p["text"] for p in data["points"]), "hover text is escaped"


def test_article_api_and_page_show_status_story_facts_and_text(client, store) -> None:
    details = [client.get(f"/api/articles/{i}") for i in range(1, 40)]
    details = [d.json() for d in details if d.status_code == 200]
    assert {frozenset(d["article"]) for d in details} == {frozenset(ARTICLE_KEYS)}
    hostile = next(d for d in details if d["article"]["title"] == store.hostile_title)
    assert {f["kind"] for f in hostile["new_facts"]} == {"figure", "declaration"}
    assert all(f["alert_id"] for f in hostile["new_facts"])
    assert "4 000 soldats" in hostile["text"]
    duplicate = next(d for d in details if d["article"]["status"] == "duplicate")
    assert duplicate["duplicate_of_id"]
    page = client.get(f"/articles/{duplicate['article']['id']}").text
    assert f'/articles/{duplicate["duplicate_of_id"]}"' in page, "links to its original"
    assert "doublon" in page
    known = next(d for d in details if d["known_facts"])
    assert "déjà connu" in client.get(f"/articles/{known['article']['id']}").text
    irrelevant = next(d for d in details if d["article"]["status"] == "irrelevant")
    assert "hors sujet" in client.get(f"/articles/{irrelevant['article']['id']}").text
    assert client.get("/api/articles/999999").status_code == 404


def test_figures_api_and_page_mark_the_baseline_and_link_points(client) -> None:
    measures = client.get("/api/figures").json()["measures"]
    assert measures[0] == "troops_sent", "the most reported measure comes first"
    points = client.get("/api/figures?measure=troops_sent").json()["points"]
    assert any(p["baseline"] for p in points), "the baseline's values are there"
    assert any(p["alert_id"] for p in points), "and the values that raised alerts"
    assert all(p["article"]["id"] for p in points)
    page = client.get("/figures?measure=troops_sent").text
    data = json.loads(re.search(r'id="figure-data">(.*?)</script>', page, re.S).group(1))
    dated = [p for p in points if p["published"]]
    assert len(data["points"]) == len(dated)
    assert {p["link"] for p in data["points"]} == {f"/articles/{p['article']['id']}" for p in dated}
    assert "référence" in page
    baseline = {p["value"] for p in points if p["baseline"]}
    assert set(data["reference"]) == baseline, "undated baseline values are marked too"
    assert "/static/plotly.min.js" in page


def test_feeds_put_the_broken_feed_first_with_its_error(client, store) -> None:
    feeds = client.get("/api/feeds").json()
    first = feeds[0]
    assert first["name"] == store.broken_feed
    assert first["state"] in {"failing", "backing off"}
    assert first["last_status"] == 500
    assert "500" in first["last_error"]
    assert first["failed_polls"] == 1
    assert first["backoff_until"] is not None
    healthy = [f for f in feeds if f["state"] == "ok"]
    assert healthy
    assert all(f["share_304"] == 0 for f in healthy), "one poll each, all 200"
    assert sum(sum(d["entries"] for d in f["entries_per_day"]) for f in healthy) >= 10
    assert all(len(f["entries_per_day"]) == 14 for f in feeds)
    page = client.get("/feeds").text
    assert page.index(store.broken_feed) < page.index(healthy[0]["name"].replace("'", "&#39;"))
    assert "HTTP 500" in page
    assert 'data-chart="entries"' in page


def test_quality_shows_the_latest_eval_once_the_command_has_run(client) -> None:
    assert client.get("/api/quality").json() is None
    assert "Aucune évaluation" in client.get("/quality").text
    result = CliRunner().invoke(cli, ["eval", str(HOSTILE), "--json"])
    assert result.exit_code == 0, result.output
    latest = client.get("/api/quality").json()
    scores = json.loads(result.stdout)
    assert (latest["precision"], latest["recall"]) == (scores["precision"], scores["recall"])
    assert latest["result"]["expected_alerts"] == scores["expected_alerts"] == 2
    assert latest["corpus"].endswith("hostile_corpus.yaml")
    page = client.get("/quality").text
    assert "Précision" in page
    assert "Rappel" in page
    assert "100\u00a0%" in page


def test_plotly_is_served_locally(client) -> None:
    script = client.get("/static/plotly.min.js")
    assert script.status_code == 200
    assert script.text.startswith("/**\n* plotly.js")
    assert client.get("/static/../web.py").status_code == 404
    assert client.get("/static/secrets.txt").status_code == 404


def test_every_store_row_is_reachable_from_the_pages(client, store, tmp_path: Path) -> None:
    """Every page answers over the filled store (no template error on any real row)."""
    for path in ("/", "/alerts", "/figures", "/feeds", "/quality"):
        assert client.get(path).status_code == 200, path
    for measure in client.get("/api/figures").json()["measures"]:
        assert client.get(f"/figures?measure={measure}").status_code == 200, measure
    for i in range(1, 40):
        answer = client.get(f"/articles/{i}")
        assert answer.status_code in (200, 404), i
