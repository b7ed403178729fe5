"""Backfill throughput at archive scale: `vigie backfill` on a WARC where almost nothing is relevant.

Builds a gzipped WARC of ``--records`` records (default 20 000) from ../shared/real-pages/bench
(150 pages in several languages, each replayed under many addresses and capture dates over two
months) with one record in fifty a relevant article (the dev corpus's texts as news pages), then
prints, in one run:
- the backfill end to end (`vigie backfill --workers 2` in a fresh SQLite store, as a person runs
  it: baseline, gate, extraction, dedup, analysis, digest): records per second;
- trafilatura alone (``bare_extraction`` with metadata, the pipeline's call) on a sample of the
  same records, in the same number of processes: records per second;
- their ratio (goal ≥ 3, moonshot 8);
- peak memory of the backfill (every process of it, summed, sampled every 50 ms) on the first
  2 000 records and on all of them (goal: under 1.5 GB, and flat).

    .venv/bin/python bench/backfill.py [--records 20000] [--sample 1000]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import psutil

from vigie.config import PROJECT_DIR
from vigie.evaluate import load_corpus, page_bytes

SHARED = PROJECT_DIR.parent / "shared"
BENCH_PAGES = SHARED / "real-pages" / "bench"
DEV_CORPUS = SHARED / "eval-dev" / "corpus.yaml"
FIRST_DAY = datetime(2025, 11, 1, 6, 0, tzinfo=UTC)
DAYS = 60
RELEVANT_EVERY = 50  # 2 %
WORKERS = 2
VIGIE = Path(sys.executable).parent / "vigie"


def _archives_module() -> ModuleType:
    """tests/support/archives.py, loaded by path (it imports nothing from the project)."""
    path = PROJECT_DIR / "tests" / "support" / "archives.py"
    spec = importlib.util.spec_from_file_location("vigie_bench_archives", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_warc(path: Path, records: int) -> int:
    """The archive; returns how many records are relevant articles."""
    archives = _archives_module()
    pages = [p.read_bytes() for p in sorted(BENCH_PAGES.glob("*.html"))]
    articles = [a for a in load_corpus(DEV_CORPUS) if a.relevant]
    randomiser = random.Random(13)
    relevant = 0
    with archives.ArchiveWriter(path) as warc:
        for number in range(records):
            when = FIRST_DAY + timedelta(minutes=randomiser.randrange(DAYS * 24 * 60))
            if number % RELEVANT_EVERY == RELEVANT_EVERY - 1:
                article = articles[relevant % len(articles)]
                url = f"https://actu{relevant % 7}.example/monde/{relevant}-{article.id}.html"
                warc.page(url, page_bytes(article), when)
                relevant += 1
            else:
                url = f"https://site{number % 97}.example/rubrique/{number}.html"
                warc.page(url, pages[number % len(pages)], when)
    return relevant


def _peak_rss(process: psutil.Process, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        try:
            tree = [process, *process.children(recursive=True)]
            total = 0
            for member in tree:
                try:
                    total += member.memory_info().rss
                except psutil.Error:
                    continue
            peak[0] = max(peak[0], total)
        except psutil.Error:
            return
        stop.wait(0.05)


def run_backfill(archive: Path, home: Path) -> tuple[float, int, str]:
    """`vigie backfill` over the whole archive window: wall seconds, peak RSS, its summary."""
    env = dict(os.environ, VIGIE_HOME=str(home), VIGIE_DATABASE_URL="", COLUMNS="400")
    env.pop("VIGIE_DATABASE_URL")
    last = FIRST_DAY + timedelta(days=DAYS)
    command = [
        str(VIGIE),
        "backfill",
        "--archive",
        str(archive),
        "--start",
        f"{FIRST_DAY:%Y-%m-%d}",
        "--end",
        f"{last:%Y-%m-%d}",
        "--workers",
        str(WORKERS),
    ]
    started = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_peak_rss, args=(psutil.Process(child.pid), stop, peak))
    sampler.start()
    output, _ = child.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"vigie backfill failed:\n{output[-3000:]}")
    lines = [line for line in output.splitlines() if "records," in line or "pages;" in line]
    return elapsed, peak[0], " ".join(output.split())[-700:] if not lines else lines[0]


def _sample(archive: Path, every: int) -> list[tuple[str, bytes]]:
    from warcio.archiveiterator import ArchiveIterator

    out = []
    with archive.open("rb") as handle:
        for number, record in enumerate(ArchiveIterator(handle)):
            if record.rec_type == "response" and number % every == 0:
                url = record.rec_headers.get_header("WARC-Target-URI")
                out.append((url, record.content_stream().read()))
    return out


def _trafilatura(job: tuple[str, bytes]) -> bool:
    import trafilatura

    url, raw = job
    doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True, include_comments=False)
    return doc is not None


def trafilatura_rate(records: list[tuple[str, bytes]]) -> float:
    """trafilatura alone on ``records`` in WORKERS processes (warmed first): records/s."""
    with ProcessPoolExecutor(WORKERS) as pool:
        list(pool.map(_trafilatura, records[: WORKERS * 2]))
        started = time.perf_counter()
        list(pool.map(_trafilatura, records, chunksize=4))
        return len(records) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--sample", type=int, default=1_000, help="records given to trafilatura")
    args = parser.parse_args()
    if not BENCH_PAGES.is_dir() or not DEV_CORPUS.is_file():
        raise SystemExit(f"{BENCH_PAGES} and {DEV_CORPUS} are needed")
    with tempfile.TemporaryDirectory(prefix="vigie-bench-backfill-") as tmp:
        folder = Path(tmp)
        small, large = folder / "small.warc.gz", folder / "large.warc.gz"
        started = time.perf_counter()
        relevant = build_warc(large, args.records)
        build_warc(small, args.small)
        size = large.stat().st_size / 1e6
        print(
            f"archive: {args.records} records ({relevant} relevant), {size:.0f} MB gzipped, "
            f"built in {time.perf_counter() - started:.0f} s; load average "
            f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
        )
        small_time, small_peak, _ = run_backfill(small, folder / "small")
        print(
            f"backfill, {args.small} records: {args.small / small_time:.0f} records/s, "
            f"peak memory {small_peak / 2**20:.0f} MB"
        )
        large_time, large_peak, summary = run_backfill(large, folder / "large")
        pipeline_rate = args.records / large_time
        print(
            f"backfill, {args.records} records: {large_time:.0f} s, "
            f"{pipeline_rate:.0f} records/s end to end on {WORKERS} workers, "
            f"peak memory {large_peak / 2**20:.0f} MB"
        )
        print(f"  {summary}")
        records = _sample(large, max(1, args.records // args.sample))
        reference = trafilatura_rate(records)
        print(
            f"trafilatura alone, {len(records)} of the same records on {WORKERS} processes: "
            f"{reference:.1f} records/s"
        )
        print(
            f"ratio: {pipeline_rate / reference:.1f} (goal ≥ 3, moonshot 8); peak memory "
            f"{small_peak / 2**20:.0f} MB at {args.small} records, {large_peak / 2**20:.0f} MB at "
            f"{args.records} (goal < 1536 MB and flat); load average {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
