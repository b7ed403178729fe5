"""Ingestion throughput: feed → pages → extraction → store, against trafilatura alone.

Serves ../shared/real-pages/bench (150 pages, several languages) from a loopback HTTP server
behind an RSS feed listing them, then prints, in one run (under a minute on this machine):
- trafilatura alone on the same bytes, one core, the pipeline's call (``bare_extraction`` with
  metadata, no comments): pages per second, and pages per CPU-second;
- the pipeline (``poll_feeds``, ``fetch_pages``, ``extract_pending``) into a fresh SQLite store,
  with one extraction worker and with two worker processes, first as deployed (language gate on:
  pages that plainly are not French skip trafilatura), then with every page through trafilatura
  (the pipeline's own overhead): pages per second end to end, time per stage, the ratio to
  trafilatura alone (goals: ≥ 0.85 with one worker, ≥ 1.6 with two), and the same per CPU-second
  (less sensitive to other work on a shared machine);
- peak memory (maxrss) of this process and of its largest worker process.

Everything is warmed first (one untimed trafilatura pass: dateparser and htmldate compile their
patterns on first use), so both sides are measured in steady state. The load average is printed:
on a shared 2-core machine, wall times with two workers mean little when it is above 1.

    .venv/bin/python bench/ingest.py [--pages 150]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import ModuleType
from xml.sax.saxutils import escape

os.environ["VIGIE_ALLOW_PRIVATE_HOSTS"] = "127.0.0.1"

from sqlalchemy import func, select

from vigie.config import PROJECT_DIR, load_settings
from vigie.ingest.extract import extract_pending
from vigie.ingest.feeds import SourceSpec, poll_feeds, sync_sources
from vigie.ingest.pages import fetch_pages
from vigie.store.db import session_scope
from vigie.store.models import Article

BENCH_PAGES = PROJECT_DIR.parent / "shared" / "real-pages" / "bench"
HTTPSERVER = PROJECT_DIR / "tests" / "support" / "httpserver.py"


def _load_httpserver() -> ModuleType:
    """tests/support/httpserver.py, loaded by path (it imports nothing from the project)."""
    spec = importlib.util.spec_from_file_location("vigie_bench_httpserver", HTTPSERVER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _feed(base: str, count: int) -> bytes:
    now = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    items = "".join(
        f"<item><title>Page {i}</title><link>{base}/page/{i:03d}.html</link>"
        f"<guid>{base}/page/{i:03d}.html</guid>"
        f"<pubDate>{format_datetime(now - timedelta(minutes=i))}</pubDate>"
        f"<description>{escape(f'Résumé de la page {i}')}</description></item>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Banc</title><link>{base}/</link><description>bench</description>"
        f"{items}</channel></rss>"
    ).encode()


def trafilatura_alone(pages: list[bytes]) -> tuple[float, float]:
    """Wall and CPU seconds of the pipeline's trafilatura call over ``pages``, one core."""
    import trafilatura

    cpu = time.process_time()
    start = time.perf_counter()
    for i, raw in enumerate(pages):
        trafilatura.bare_extraction(
            raw,
            url=f"http://127.0.0.1/page/{i:03d}.html",
            with_metadata=True,
            include_comments=False,
            include_tables=True,
        )
    return time.perf_counter() - start, time.process_time() - cpu


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pipeline(feed_url: str, workers: int, gate: bool) -> dict[str, float]:
    """One run of the three stages into a fresh store; seconds per stage."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["VIGIE_HOME"] = home
        os.environ["VIGIE_DATABASE_URL"] = f"sqlite:///{home}/vigie.db"
        settings = load_settings()
        with session_scope(settings.database_url) as session:
            sync_sources(session, [SourceSpec(name="Banc", url=feed_url)])
            session.commit()
            times = {}
            cpu = _cpu()
            start = time.perf_counter()
            feeds = poll_feeds(session, settings)
            times["feed"] = time.perf_counter() - start
            mark = time.perf_counter()
            pages = fetch_pages(session, settings)
            times["fetch + store"] = time.perf_counter() - mark
            mark = time.perf_counter()
            extracted = extract_pending(session, settings, workers=workers, language_gate=gate)
            times["extract + store"] = time.perf_counter() - mark
            times["total"] = time.perf_counter() - start
            times["cpu"] = _cpu() - cpu
            stored = session.scalar(select(func.count(Article.id)))
            statuses = dict(
                session.execute(select(Article.status, func.count()).group_by(Article.status)).all()
            )
        print(f"    {feeds.summary()}")
        print(f"    {pages.summary()}")
        print(f"    {extracted.summary()}")
        print(f"    stored articles: {stored} {statuses}")
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=150)
    args = parser.parse_args()
    httpserver = _load_httpserver()
    files = sorted(BENCH_PAGES.glob("*.html"))[: args.pages]
    pages = [f.read_bytes() for f in files]
    n = len(pages)
    print(f"{n} pages, {sum(map(len, pages)) / n / 1024:.0f} KB on average, from {BENCH_PAGES}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{os.cpu_count()} cores, load average {load} (other work on the machine skews wall times)"
    )

    trafilatura_alone(pages)  # warm-up, untimed
    wall, cpu = trafilatura_alone(pages)
    base, base_cpu = n / wall, n / cpu
    print(
        f"trafilatura alone (one core, bare_extraction with metadata): {base:.1f} pages/s "
        f"({base_cpu:.1f} pages per CPU-second)"
    )
    with httpserver.LoopbackServer() as server:
        for i, file in enumerate(files):
            server.add(f"/page/{i:03d}.html", httpserver.file_reply(file, "text/html"))
        feed = httpserver.Reply(
            body=_feed(server.base_url, n), headers={"Content-Type": "application/rss+xml"}
        )
        feed_url = server.add("/feed.xml", feed)
        for gate in (True, False):
            for workers in (1, 2):
                label = (
                    "language gate on (as deployed)"
                    if gate
                    else "language gate off (every page through trafilatura)"
                )
                print(
                    f"pipeline, {workers} extraction worker{'s' if workers > 1 else ''}, {label}:"
                )
                times = pipeline(feed_url, workers, gate)
                rate = n / times["total"]
                detail = ", ".join(f"{k} {v:.2f} s" for k, v in times.items() if k != "cpu")
                goal = 0.85 if workers == 1 else 1.6
                print(f"    {rate:.1f} pages/s end to end ({detail})")
                print(
                    f"    ratio to trafilatura alone: {rate / base:.2f} (goal ≥ {goal}); "
                    f"per CPU-second: {n / times['cpu']:.1f} pages, ratio {n / times['cpu'] / base_cpu:.2f}"
                )

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: this process {own:.0f} MB, largest worker process {children:.0f} MB")


if __name__ == "__main__":
    main()
