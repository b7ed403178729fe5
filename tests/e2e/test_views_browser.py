"""The plugin in a real browser: `airflow api-server` on loopback over a store the real pipeline
filled, a login through Airflow's own form, each page opened in headless Chromium (Debian's
`chromium`, driven by Playwright), its content checked, a screenshot saved per page.

Screenshots go to ``$VIGIE_TEST_OUTPUT/browser`` (default: ``test-output/browser``, ignored by git).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.airflow_run import airflow_env
from support.views_store import HOSTILE, FilledStore, fill_store
from typer.testing import CliRunner

from vigie.cli import app as cli

pytestmark = [pytest.mark.airflow, pytest.mark.browser]

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("VIGIE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("VIGIE_TEST_OUTPUT", PROJECT / "test-output")) / "browser"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, migrated_airflow_db: Path
) -> Iterator[tuple[str, str, FilledStore]]:
    """The api-server over a filled store: (base URL, admin password, what the store holds)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the set-up installs Debian's chromium")
    work = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{work / 'vigie.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VIGIE_HOME", str(work))
        patch.setenv("VIGIE_DATABASE_URL", url)
        store = fill_store(work)
        result = CliRunner().invoke(cli, ["eval", str(HOSTILE)])
        assert result.exit_code == 0, result.output
    port = _free_port()
    home = work / "airflow"
    home.mkdir()
    shutil.copyfile(migrated_airflow_db, home / "airflow.db")
    env = airflow_env(home)
    env.update(
        AIRFLOW__API__HOST="127.0.0.1",
        AIRFLOW__API__PORT=str(port),
        AIRFLOW__API__WORKERS="1",
        AIRFLOW__API__BASE_URL=f"http://127.0.0.1:{port}",
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="admin:admin",
        VIGIE_HOME=str(work),
        VIGIE_DATABASE_URL=url,
    )
    log = (work / "api-server.log").open("w")
    process = subprocess.Popen(
        [BIN / "airflow", "api-server", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v2/monitor/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail((work / "api-server.log").read_text()[-4000:])
                time.sleep(0.5)
        passwords = json.loads(
            (work / "airflow" / "simple_auth_manager_passwords.json.generated").read_text()
        )
        yield base, passwords["admin"], store
    finally:
        os.killpg(process.pid, 2)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        log.close()


def test_pages_in_a_real_browser(server) -> None:
    from playwright.sync_api import sync_playwright

    base, password, store = server
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    refused = urllib.request.Request(f"{base}/vigie/alerts")
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(refused, timeout=10)
    assert anonymous.value.code == 401, "no login, no page"

    dialogs: list[str] = []
    console: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)

        # Airflow's own login form
        page.goto(f"{base}/auth/login")
        page.locator("input[name=username]").fill("admin")
        page.locator("input[type=password]").fill(password)
        page.keyboard.press("Enter")
        page.wait_for_function("() => !location.pathname.startsWith('/auth/login')", timeout=30000)
        assert any(c["name"] == "_token" for c in context.cookies()), "logged in"

        page.goto(f"{base}/vigie/alerts")
        page.screenshot(path=SHOTS / "alerts.png", full_page=True)
        hostile = page.locator("article.alert", has_text="Nos amis coréens")
        assert hostile.locator("blockquote.evidence mark").inner_text().startswith("<!channel>")
        assert store.hostile_title in hostile.inner_text(), "the hostile title shows as text"
        assert "Slack : envoyée le" in page.content()

        page.goto(f"{base}/vigie/alerts?historical=historical")
        assert page.locator("article.alert").count() == 1
        assert "non poussée" in page.locator("article.alert").inner_text()

        page.goto(f"{base}/vigie/figures?measure=troops_sent")
        page.wait_for_selector("#figure-chart .scatterlayer .point", timeout=30000)
        drawn = page.locator("#figure-chart .scatterlayer .point").count()
        rows = page.locator("table.points tbody tr").count()
        assert drawn >= 2, "a chart drawn with points"
        assert drawn <= rows
        page.screenshot(path=SHOTS / "figures.png", full_page=True)

        page.locator("table.points a", has_text="Pyongyang envoie des renforts").first.click()
        page.wait_for_selector("h1.article-title")
        assert page.locator("h1.article-title").inner_text() == store.hostile_title
        assert "4 000 soldats" in page.locator(".text").inner_text()
        page.screenshot(path=SHOTS / "article.png", full_page=True)

        page.goto(f"{base}/vigie/feeds")
        page.wait_for_selector(".spark .bars", state="attached", timeout=30000)
        first = page.locator("table.feeds tbody tr").first
        assert store.broken_feed in first.inner_text(), "failing feeds first"
        assert "HTTP 500" in first.locator("td.error").inner_text()
        charts = page.locator(".spark.js-plotly-plot").count()
        assert charts == page.locator("table.feeds tbody tr").count(), "a chart per feed"
        assert page.locator(".spark .bars .point").count() > 0, "bars drawn for entries"
        page.screenshot(path=SHOTS / "feeds.png", full_page=True)

        page.goto(f"{base}/vigie/quality")
        assert "100\u00a0%" in page.locator("table.scores").inner_text()
        page.screenshot(path=SHOTS / "quality.png", full_page=True)

        # inside the Airflow UI: the nav entry opens the page in Airflow's frame
        page.goto(f"{base}/plugin/vigie-alerts")
        frame = page.frame_locator("iframe")
        frame.locator("article.alert").first.wait_for(timeout=60000)
        page.screenshot(path=SHOTS / "airflow-ui.png", full_page=True)

        inline = page.evaluate("() => document.querySelectorAll('script:not([src])').length")
        browser.close()

    assert dialogs == [], "no script from an article ran"
    assert not [m for m in console if "Content Security Policy" in m], console
    assert inline >= 0
    assert sorted(p.name for p in SHOTS.glob("*.png")) == [
        "airflow-ui.png", "alerts.png", "article.png", "feeds.png", "figures.png", "quality.png",
    ]  # fmt: skip
