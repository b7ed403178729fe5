"""The UI page: behind the auth dependency, escaped, with a CSP; feed health readable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import HTTPException
from fastapi.testclient import TestClient

from vigie.store.models import Source
from vigie.web import create_app


def _deny() -> None:
    raise HTTPException(status_code=401, detail="login required")


def test_routes_require_the_auth_dependency(db_url: str) -> None:
    client = TestClient(create_app(_deny))
    for path in ("/feeds", "/feeds.json", "/alerts"):
        assert client.get(path).status_code == 401, path


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
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text
    assert "&lt;script&gt;" in page.text
    assert "HTTP 500 &lt;b&gt;boom&lt;/b&gt;" in page.text
    assert page.text.index("Le Soir") < page.text.index("RTS"), "failing feeds come first"
    rows = {r["name"]: r for r in client.get("/feeds.json").json()}
    assert rows["RTS"]["state"] == "ok"
    assert rows["<script>alert(1)</script> Le Soir"]["state"] == "failing"


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
    (row,) = client.get("/feeds.json").json()
    assert (row["failed_pages"], row["skipped_pages"]) == (1, 1)
