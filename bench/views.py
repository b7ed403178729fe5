"""Response times of the plugin's pages and JSON API over a large store: 100 000 alerts on
20 000 articles (two channels each, a fifth historical), 24 feeds polled every 15 minutes for
14 days, one `vigie eval` result. Rows are synthetic but shaped like the pipeline's, inserted in
bulk; each page and API call is requested through the app (FastAPI's test client, no network)
and its median and p95 printed, with the goal (200 ms on SQLite) beside them; the reference is
the former page's way (every alert loaded to show 200), timed once on the same store.

    .venv/bin/python bench/views.py [--database-url URL] [--alerts 100000] [--articles 20000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, text

from vigie.store.db import get_engine
from vigie.store.models import (
    Alert,
    Article,
    Delivery,
    EvalRun,
    Fact,
    FactMention,
    FeedFetch,
    Source,
)

T0 = datetime(2024, 6, 1, tzinfo=UTC)
SPAN_DAYS = 700
GOAL_MS = 200
REPEAT = 25
OUTLETS = [
    "Le Monde", "Le Figaro", "Libération", "France 24", "RFI", "franceinfo", "Le Parisien",
    "Ouest-France", "20 Minutes", "BFMTV", "TV5Monde", "Euronews", "Courrier international",
    "La Croix", "Les Échos",
]  # fmt: skip
MEASURES = [
    "troops_sent", "killed", "wounded", "killed_or_wounded", "captured", "workers", "shells",
    "ammunition", "containers", "missiles", "rocket_launchers", "artillery", "oil", "food",
]  # fmt: skip
OBJECTS = {"shells": "obus", "missiles": "missiles", "workers": "travailleurs", "oil": "barils"}
SPEAKERS = [
    "Kim Jong Un", "Vladimir Poutine", "Sergueï Lavrov", "Kim Yo Jong", "Choe Son Hui",
    "Dmitri Peskov", "Andreï Belooussov", "Volodymyr Zelensky", "Yoon Suk Yeol", "Lee Jae-myung",
]  # fmt: skip
EVENTS = [
    "troop_deployment", "casualties", "arms_transfer", "economic_aid", "labor", "agreement",
    "meeting", "diplomatic_exchange", "statement", "weapons_test",
]  # fmt: skip
CHUNK = 10_000


def _chunks(engine: Engine, table, rows: list[dict]) -> None:
    with engine.begin() as conn:
        for i in range(0, len(rows), CHUNK):
            conn.execute(insert(table), rows[i : i + CHUNK])


def fill(engine: Engine, n_alerts: int, n_articles: int, rng: random.Random) -> dict[str, int]:
    """Bulk-insert the synthetic store; counts per table."""
    now = datetime.now(UTC)
    sources = [
        {"id": i + 1, "name": f"{OUTLETS[i % len(OUTLETS)]} – flux {i + 1}",
         "url": f"https://feeds.example/{i + 1}.xml", "language": "fr", "active": True,
         "failure_count": 3 if i % 8 == 0 else 0, "last_fetched_at": now,
         "last_success_at": now - timedelta(hours=6 if i % 8 == 0 else 0),
         "failing_since": now - timedelta(hours=5) if i % 8 == 0 else None,
         "next_attempt_at": now + timedelta(hours=1) if i % 8 == 0 else None,
         "last_status": 500 if i % 8 == 0 else 304,
         "last_error": "HTTP 500 Internal Server Error" if i % 8 == 0 else None,
         "created_at": now}
        for i in range(24)
    ]  # fmt: skip
    _chunks(engine, Source.__table__, sources)
    fetches = []
    for source in sources:
        for k in range(14 * 96):
            failing = source["failure_count"] and k > 14 * 96 - 20
            status = 500 if failing else (200 if rng.random() < 0.2 else 304)
            fetches.append(
                {"source_id": source["id"], "fetched_at": now - timedelta(minutes=15 * k),
                 "outcome": "failed" if failing else ("new" if status == 200 else "unchanged"),
                 "status": status, "new_entries": rng.randint(1, 5) if status == 200 else 0,
                 "duration_ms": rng.randint(40, 900)}
            )  # fmt: skip
    _chunks(engine, FeedFetch.__table__, fetches)

    articles = []
    for i in range(1, n_articles + 1):
        published = T0 + timedelta(minutes=rng.randint(0, SPAN_DAYS * 24 * 60))
        baseline = i <= 20
        status = rng.choices(["analysed", "duplicate", "irrelevant", "failed"], [70, 10, 18, 2])[0]
        articles.append(
            {"id": i, "url": f"https://www.example-{i % 15}.fr/monde/article-{i}",
             "canonical_url": f"https://www.example-{i % 15}.fr/monde/article-{i}",
             "outlet": "seed" if baseline else rng.choice(OUTLETS),
             "title": f"Corée du Nord et Russie : article n° {i}", "published": published,
             "language": "fr", "text": "Paragraphe un.\nParagraphe deux, plus long. " * 20,
             "status": status, "relevant": status != "irrelevant",
             "events": rng.sample(EVENTS, rng.randint(1, 3)), "baseline": baseline,
             "duplicate_of_id": rng.randint(21, i - 1) if status == "duplicate" and i > 22 else None,
             "story_id": i - i % 5 or i, "created_at": published, "updated_at": published}
        )  # fmt: skip
    _chunks(engine, Article.__table__, articles)

    facts, alerts, deliveries, mentions = [], [], [], []
    n_facts = n_alerts + 200
    for f in range(1, n_facts + 1):
        article = articles[rng.randrange(20) if f <= 200 else rng.randrange(20, n_articles)]
        figure = rng.random() < 0.7
        measure = rng.choice(MEASURES)
        value = float(rng.choice([500, 1500, 2500, 3000, 10_000, 12_000, 3_000_000]))
        obj = OBJECTS.get(measure, "soldats")
        speaker = rng.choice(SPEAKERS)
        facts.append(
            {"id": f, "fingerprint": f"{f:064x}", "kind": "figure" if figure else "declaration",
             "article_id": article["id"], "published": article["published"],
             "baseline": f <= 200,
             "evidence": f"Selon le renseignement, au moins {value:,.0f} {obj} auraient été envoyés."
             if figure else f"« Nous resterons unis face à l'Occident », a déclaré {speaker}.",
             "measure": measure if figure else None, "value": value if figure else None,
             "qualifier": "au moins" if figure else None, "object": obj if figure else None,
             "speaker": None if figure else speaker,
             "quote": None if figure else "Nous resterons unis face à l'Occident",
             "attributed": True, "additional": False, "created_at": article["published"]}
        )  # fmt: skip
        if f <= 200:
            continue
        historical = rng.random() < 0.2
        alert_id = f - 200
        alerts.append(
            {"id": alert_id, "fact_id": f, "created_at": article["published"] + timedelta(minutes=7),
             "historical": historical,
             "previously_known": [{"value": 1500, "object": obj, "baseline": True}] if figure else []}
        )  # fmt: skip
        for channel in ("slack", "email"):
            status = (
                "skipped"
                if historical
                else rng.choices(["sent", "failed", "pending"], [95, 3, 2])[0]
            )
            deliveries.append(
                {"alert_id": alert_id, "channel": channel, "status": status,
                 "attempts": 8 if status == "failed" else 1,
                 "reason": "HTTP 500" if status == "failed" else None,
                 "sent_at": article["published"] + timedelta(minutes=8) if status == "sent" else None}
            )  # fmt: skip
        if rng.random() < 0.3:
            mentions.append(
                {"fact_id": f, "article_id": rng.randrange(21, n_articles), "outlet": rng.choice(OUTLETS)}
            )  # fmt: skip
    _chunks(engine, Fact.__table__, facts)
    _chunks(engine, Alert.__table__, alerts)
    _chunks(engine, Delivery.__table__, deliveries)
    _chunks(engine, FactMention.__table__, mentions)
    result = {"precision": 0.95, "recall": 0.9, "articles": 50, "alerts": 20, "right_alerts": 19,
              "expected_alerts": 21, "found_alerts": 19, "duplicates_checked": 4,
              "misses": [{"article": "a1", "kind": "figure", "value": 3000.0, "speaker": None,
                          "detail": "soldats", "evidence": "…", "note": ""}] * 2,
              "false_alerts": [], "duplicate_errors": [], "relevance_errors": []}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            insert(EvalRun.__table__),
            [{"ran_at": now, "corpus": "eval-dev/corpus.yaml", "precision": 0.95, "recall": 0.9,
              "result": result}],
        )  # fmt: skip
        conn.execute(text("ANALYZE"))  # the planner's statistics, as maintenance refreshes them
    return {
        "alerts": len(alerts), "articles": len(articles), "facts": len(facts),
        "deliveries": len(deliveries), "feed polls": len(fetches),
    }  # fmt: skip


def measure(client, path: str) -> tuple[float, float]:
    """Median and p95, in ms, of ``REPEAT`` requests after one warm-up."""
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vigie-bench-views-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/views.db"
        os.environ["VIGIE_HOME"] = tmp
        os.environ["VIGIE_DATABASE_URL"] = url
        from fastapi.testclient import TestClient

        from vigie.web import create_app

        engine = get_engine(url)
        start = time.perf_counter()
        counts = fill(engine, args.alerts, args.articles, random.Random(12))
        print(
            f"store ({engine.dialect.name}): "
            + ", ".join(f"{v:,} {k}".replace(",", " ") for k, v in counts.items())
            + f" — filled in {time.perf_counter() - start:.1f} s"
        )
        client = TestClient(create_app(None))
        deep = client.get("/api/alerts?limit=200").json()["next"]
        for _ in range(49):
            deep = client.get(f"/api/alerts?limit=200&after={deep}").json()["next"]
        calls = [
            "/alerts",
            "/alerts?kind=figure&measure=shells",
            "/alerts?speaker=Kim+Jong+Un",
            "/alerts?event=labor",
            "/alerts?outlet=Le+Monde&historical=live",
            "/alerts?channel=email&status=failed",
            "/alerts?status=pending",
            "/alerts?historical=historical",
            "/alerts?since=2025-03-01&until=2025-03-31",
            f"/alerts?after={deep}",
            "/figures?measure=troops_sent",
            "/articles/12345",
            "/feeds",
            "/quality",
            "/api/alerts",
            "/api/alerts?kind=declaration&speaker=Vladimir+Poutine&event=meeting",
            "/api/alerts?channel=slack&status=failed&since=2025-01-01",
            f"/api/alerts?after={deep}",
            "/api/figures?measure=shells",
            "/api/articles/12345",
            "/api/feeds",
            "/api/quality",
        ]
        print(f"{'call':<70} {'median':>9} {'p95':>9}  (goal {GOAL_MS} ms)")
        worst = 0.0
        for path in calls:
            median, p95 = measure(client, path)
            worst = max(worst, p95)
            shown = path if len(path) <= 68 else path[:65] + "…"
            flag = "" if p95 < GOAL_MS else "  over the goal"
            print(f"{shown:<70} {median:>6.1f} ms {p95:>6.1f} ms{flag}")
        # the reference, on the same data: the former page loaded every alert to show 200
        from vigie.alerts.serialize import list_alerts
        from vigie.store.db import session_scope

        start = time.perf_counter()
        with session_scope(url) as session:
            list_alerts(session)[:200]
        former = (time.perf_counter() - start) * 1000
        median, _ = measure(client, "/api/alerts?limit=200")
        print(
            f"reference: loading every alert as the former page did took {former:,.0f} ms once; "
            f"/api/alerts?limit=200 takes {median:.1f} ms ({former / median:,.0f}× less)"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"worst p95 {worst:.1f} ms (goal {GOAL_MS} ms); peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
