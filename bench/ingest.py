"""Ingestion throughput: feed → pages → extraction → store, against trafilatura alone.

Serves ../shared/real-pages/bench (150 pages, several languages) from a loopback HTTP server
behind an RSS feed listing them (in a process of its own: it stands for the web, so neither its
CPU time nor its hold on the interpreter lock is charged to the pipeline), then prints, in one
run (about a minute on this machine):
- trafilatura alone on the same bytes, one core, the pipeline's call (``bare_extraction`` with
  metadata, no comments): pages per second, and pages per CPU-second, measured again just before
  each pipeline run, which is compared with it (the load other work puts on a shared machine
  changes within a minute: a figure taken once at the start flatters or wrongs later runs);
- the pipeline as ``vigie run`` runs it (``poll_feeds``, then ``fetch_and_extract``: pages go to
  the extraction workers as they arrive) into a fresh SQLite store, with every page through
  trafilatura (language gate off: the pipeline's own overhead), with one extraction worker
  process and with two: pages per second end to end, wall and CPU time per stage, the ratio to
  trafilatura alone (goals: ≥ 0.9 with one worker, ≥ 1.6 with two), and the same per
  CPU-second (less sensitive to other work on a shared machine); ``--gate`` adds the runs as
  deployed (language gate on: pages that plainly are not French skip trafilatura);
- peak memory (maxrss) of this process and of its largest worker process.

Everything is warmed first (one untimed trafilatura pass: dateparser and htmldate compile their
patterns on first use), so both sides are measured in steady state. The load average is printed:
on a shared 2-core machine, wall times with two workers mean little when it is above 1.

    .venv/bin/python bench/ingest.py [--pages 150] [--gate] [--runs 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from multiprocessing.connection import Connection
from pathlib import Path
from statistics import median
from types import ModuleType
from xml.sax.saxutils import escape

os.environ["VIGIE_ALLOW_PRIVATE_HOSTS"] = "127.0.0.1"

from sqlalchemy import func, select

from vigie.config import PROJECT_DIR, load_settings
from vigie.ingest.feeds import SourceSpec, poll_feeds, sync_sources
from vigie.ingest.stream import fetch_and_extract
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


def _serve(files: list[Path], control: Connection) -> None:
    """The loopback web: the pages and their feed, until told to stop; sends the feed's URL."""
    httpserver = _load_httpserver()
    with httpserver.LoopbackServer() as server:
        for i, file in enumerate(files):
            server.add(f"/page/{i:03d}.html", httpserver.file_reply(file, "text/html"))
        feed = httpserver.Reply(
            body=_feed(server.base_url, len(files)),
            headers={"Content-Type": "application/rss+xml"},
        )
        control.send(server.add("/feed.xml", feed))
        control.recv()


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
    """One run of ``vigie run``'s ingestion into a fresh store; seconds per stage."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["VIGIE_HOME"] = home
        os.environ["VIGIE_DATABASE_URL"] = f"sqlite:///{home}/vigie.db"
        settings = load_settings()
        with session_scope(settings.database_url) as session:
            sync_sources(session, [SourceSpec(name="Banc", url=feed_url)])
            session.commit()
            times: dict[str, float] = {}
            cpu_start, start = _cpu(), time.perf_counter()
            cpu, mark = cpu_start, start

            def lap(stage: str) -> None:
                nonlocal cpu, mark
                times[stage], times[f"{stage} cpu"] = time.perf_counter() - mark, _cpu() - cpu
                cpu, mark = _cpu(), time.perf_counter()

            feeds = poll_feeds(session, settings)
            lap("feed")
            ingested = fetch_and_extract(session, settings, workers=workers, language_gate=gate)
            lap("fetch + extract + store")
            times["total"] = time.perf_counter() - start
            times["cpu"] = _cpu() - cpu_start
            stored = session.scalar(select(func.count(Article.id)))
            statuses = dict(
                session.execute(select(Article.status, func.count()).group_by(Article.status)).all()
            )
        print(f"    {feeds.summary()}")
        print(f"    {ingested.pages.summary()}")
        print(f"    {ingested.extraction.summary()}")
        print(f"    stored articles: {stored} {statuses}")
        return times


def _listed(values: list[float]) -> str:
    return "/".join(f"{v:.2f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--gate", action="store_true", help="also run with the language gate on")
    parser.add_argument(
        "--runs", type=int, default=1, help="runs of each configuration; the median is the figure"
    )
    args = parser.parse_args()
    files = sorted(BENCH_PAGES.glob("*.html"))[: args.pages]
    pages = [f.read_bytes() for f in files]
    n = len(pages)
    print(f"{n} pages, {sum(map(len, pages)) / n / 1024:.0f} KB on average, from {BENCH_PAGES}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{os.cpu_count()} cores, load average {load} (other work on the machine skews wall times)"
    )

    web = multiprocessing.get_context("fork")
    control, child_end = web.Pipe()
    server = web.Process(target=_serve, args=(files, child_end), daemon=True)
    server.start()  # forked before the warm-up: a small process
    try:
        feed_url = control.recv()
        trafilatura_alone(pages)  # warm-up, untimed
        ratios: dict[tuple[bool, int], list[float]] = {}
        configurations = [
            (g, w) for g in ((False, True) if args.gate else (False,)) for w in (1, 2)
        ]
        for gate, workers in configurations * max(1, args.runs):
            label = (
                "language gate on (as deployed)"
                if gate
                else "language gate off (every page through trafilatura)"
            )
            wall, cpu = trafilatura_alone(pages)
            base, base_cpu = n / wall, n / cpu
            print(
                f"trafilatura alone (one core, bare_extraction with metadata): {base:.1f} "
                f"pages/s ({base_cpu:.1f} pages per CPU-second)"
            )
            print(f"pipeline, {workers} extraction worker{'s' if workers > 1 else ''}, {label}:")
            times = pipeline(feed_url, workers, gate)
            rate = n / times["total"]
            detail = ", ".join(
                f"{k} {v:.2f} s" + (f" ({times[f'{k} cpu']:.2f} CPU)" if k != "total" else "")
                for k, v in times.items()
                if "cpu" not in k
            )
            goal = 0.9 if workers == 1 else 1.6
            ratios.setdefault((gate, workers), []).append(rate / base)
            print(f"    {rate:.1f} pages/s end to end ({detail})")
            print(
                f"    ratio to trafilatura alone: {rate / base:.2f} (goal ≥ {goal}); "
                f"per CPU-second: {n / times['cpu']:.1f} pages, ratio {n / times['cpu'] / base_cpu:.2f}"
            )

        for gate in sorted({g for g, _ in ratios}):
            one, two = ratios[gate, 1], ratios[gate, 2]
            runs = (
                f" (median of {len(one)} runs: {_listed(one)} and {_listed(two)})"
                if len(one) > 1
                else ""
            )
            print(
                f"ratio to trafilatura alone, language gate {'on' if gate else 'off'}: "
                f"one worker {median(one):.2f} (goal ≥ 0.9), "
                f"two workers {median(two):.2f} (goal ≥ 1.6){runs}"
            )
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average at the end: {load}")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory: this process {own:.0f} MB, largest worker process {children:.0f} MB")
    finally:
        control.send(None)
        server.join()


if __name__ == "__main__":
    main()
