"""The UI page: behind the auth dependency, escaped, with a CSP; feed health readable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import HTTPException
from fastapi.testclient import TestClient

from vigie.store.models import Source
from vigie.web import create_app


def _deny() -> None:
    raise HTTPException(status_code=401, detail="login required")


PATHS = (
    "/alerts",
    "/figures",
    "/articles/1",
    "/feeds",
    "/quality",
    "/static/plotly.min.js",
    "/api/alerts",
    "/api/figures",
    "/api/articles/1",
    "/api/feeds",
    "/api/quality",
)


def test_routes_require_the_auth_dependency(db_url: str) -> None:
    client = TestClient(create_app(_deny))
    for path in PATHS:
        assert client.get(path).status_code == 401, path


def test_airflow_login_is_required_without_a_token(db_url: str) -> None:
    """The plugin's own dependency: no Airflow JWT (header or cookie), no page."""
    from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
    from airflow.api_fastapi.core_api.security import requires_access_view

    client = TestClient(create_app(requires_access_view(AccessView.WEBSITE)))
    for path in PATHS:
        answer = client.get(path)
        assert answer.status_code == 401, path
        assert "Vigie" not in answer.text


def test_the_plugin_mounts_the_app_and_lists_its_pages() -> None:
    import importlib.util

    from vigie.config import PROJECT_DIR

    spec = importlib.util.spec_from_file_location(
        "vigie_plugin", PROJECT_DIR / "plugins" / "vigie_plugin.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (mounted,) = module.VigiePlugin.fastapi_apps
    assert mounted["url_prefix"] == "/vigie"
    routes = {route.path for route in mounted["app"].routes}
    for view in module.VigiePlugin.external_views:
        assert view["href"].removeprefix("/vigie") in routes, view
        assert view["url_route"], "shown inside the Airflow UI"


def test_feed_health_page_is_escaped_and_locked_down(session, db_url: str) -> None:
    now = datetime.now(UTC)
    session.add_all(
        [
            Source(
                name="<script>alert(1)</script> Le Soir",
                url="https://www.lesoir.be/rss",
                last_fetched_at=now,
                failure_count=3,
                failing_since=now - timedelta(hours=5),
                last_error="HTTP 500 <b>boom</b>",
                next_attempt_at=now - timedelta(minutes=1),
            ),
            Source(
                name="RTS",
                url="https://www.rts.ch/info/rss",
                last_fetched_at=now,
                last_success_at=now,
            ),
        ]
    )
    session.commit()
    client = TestClient(create_app(lambda: None))
    page = client.get("/feeds")
    assert page.status_code == 200
    assert "script-src 'self';" in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text
    assert "&lt;script&gt;" in page.text
    assert "HTTP 500 &lt;b&gt;boom&lt;/b&gt;" in page.text
    assert page.text.index("Le Soir") < page.text.index("RTS"), "failing feeds come first"
    rows = {r["name"]: r for r in client.get("/api/feeds").json()}
    assert rows["RTS"]["state"] == "ok"
    assert rows["<script>alert(1)</script> Le Soir"]["state"] == "failing"


def test_a_filtered_count_stops_at_a_thousand(session, db_url: str) -> None:
    from vigie.store.models import Alert, Article, Fact

    article = Article(url="https://exemple.fr/a", canonical_url="https://exemple.fr/a", outlet="X")
    session.add(article)
    session.flush()
    for i in range(1002):
        fact = Fact(
            fingerprint=f"f{i}", kind="figure", article_id=article.id, evidence="…", value=i + 1.0
        )
        session.add(fact)
        session.flush()
        session.add(Alert(fact_id=fact.id))
    session.commit()
    client = TestClient(create_app(lambda: None))
    everything = client.get("/api/alerts?limit=1").json()
    assert (everything["total"], everything["total_exact"]) == (1002, True)
    figures = client.get("/api/alerts?limit=1&kind=figure").json()
    assert (figures["total"], figures["total_exact"]) == (1000, False)
    assert "plus de 1\u202f000 alertes" in client.get("/alerts?kind=figure").text


def test_the_feeds_page_lists_failed_and_skipped_pages(session, db_url: str) -> None:
    from vigie.store.models import Article

    session.add(Source(name="Le Soir", url="https://www.lesoir.be/rss"))
    session.add_all(
        [
            Article(
                url="https://www.lesoir.be/gone<b>",
                outlet="Le Soir",
                title="Un article <i>parti</i>",
                status="failed",
                reason="HTTP 410 (permanent: not fetched again)",
                attempts=1,
            ),
            Article(
                url="https://www.lesoir.be/rss#entry=vide",
                outlet="Le Soir",
                status="skipped",
                reason="no link and no summary in the feed",
            ),
        ]
    )
    session.commit()
    client = TestClient(create_app(lambda: None))

    page = client.get("/feeds").text

    assert "Pages en échec ou ignorées (2)" in page
    assert "HTTP 410 (permanent: not fetched again)" in page
    assert "no link and no summary in the feed" in page
    assert "Un article &lt;i&gt;parti&lt;/i&gt;" in page
    assert "<b>" not in page
