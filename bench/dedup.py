"""Deduplication lookups against a growing store: 10 000, 100 000 and 1 000 000 articles.

Stored articles get synthetic signatures (random uint32 values: unrelated texts) and their
real band rows, inserted in bulk; lookups run the stage's own queries (`_find_original`, the
dedup index, and `_find_story`, the story index) for fresh texts (misses) and for copies of
stored articles (hits, verified). A brute-force lookup compares a signature with every stored
one, where that finishes in reasonable time.

    .venv/bin/python bench/dedup.py [--database-url URL] [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session

from vigie import dedup
from vigie.store.db import get_engine
from vigie.store.models import Article

BATCH = 20_000
INCREMENTAL = 1_000
LOOKUPS = 200
SPAN_DAYS = 3 * 365
T0 = datetime(2023, 1, 1, tzinfo=UTC)


def insert(engine: Engine, start: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """Bulk-insert ``count`` kept articles from id ``start``; returns their signatures."""
    values = rng.integers(0, 2**32, size=(count, dedup.NUM_PERM), dtype=np.uint32)
    story = rng.integers(0, 2**32, size=(count, dedup.STORY_PERM), dtype=np.uint32)
    days = rng.uniform(0, SPAN_DAYS, size=count)
    header = dedup._HEADER.pack(dedup._SIGNATURE_VERSION, 400, 150)
    with engine.begin() as conn:
        for off in range(0, count, BATCH):
            n = min(BATCH, count - off)
            ids = np.arange(start + off, start + off + n)
            when = [T0 + timedelta(days=float(d)) for d in days[off : off + n]]
            now = datetime.now(UTC).isoformat(" ")
            arts = [
                (
                    int(i),
                    f"https://bench.example/{i}",
                    f"https://bench.example/{i}",
                    "unique",
                    f"{i:064x}",
                    header + values[off + k].tobytes() + story[off + k].tobytes(),
                    w.isoformat(" "),
                    int(i),
                    False,
                    now,
                    now,
                )
                for k, (i, w) in enumerate(zip(ids, when, strict=True))
            ]
            mark = "?" if engine.dialect.name == "sqlite" else "%s"
            conn.exec_driver_sql(
                "INSERT INTO articles (id, url, canonical_url, status, text_hash, minhash,"
                " published, story_id, baseline, created_at, updated_at)"
                f" VALUES ({', '.join([mark] * 11)})",
                arts,
            )
            keys = dedup.band_keys(values[off : off + n], dedup.BANDS, dedup.ROWS)
            rows = [(int(ids[r]), b, int(keys[r, b])) for r in range(n) for b in range(dedup.BANDS)]
            buckets = [dedup.time_bucket(w) for w in when]
            for bucket in sorted(set(buckets)):
                sel = [r for r in range(n) if buckets[r] == bucket]
                skeys = dedup.band_keys(
                    story[off : off + n][sel], dedup.STORY_BANDS, dedup.STORY_ROWS, salt=bucket
                )
                rows += [
                    (int(ids[r]), dedup.STORY_BAND_OFFSET + b, int(skeys[j, b]))
                    for j, r in enumerate(sel)
                    for b in range(dedup.STORY_BANDS)
                ]
            conn.exec_driver_sql(
                f"INSERT INTO minhash_bands (article_id, band, key) VALUES ({mark}, {mark}, {mark})",
                rows,
            )
    return values


def incremental(session: Session, start: int, count: int, rng: np.random.Generator) -> float:
    """Articles per second kept the stage's way: one transaction each, index in place."""
    began = time.perf_counter()
    for i in range(start, start + count):
        values = rng.integers(0, 2**32, size=dedup.NUM_PERM, dtype=np.uint32)
        story = rng.integers(0, 2**32, size=dedup.STORY_PERM, dtype=np.uint32)
        fp = dedup.Fingerprint(f"{i:064x}", values, 400, story, 150)
        article = Article(
            id=i, url=f"https://bench.example/{i}", status="new", published=T0, baseline=False
        )
        session.add(article)
        session.flush()
        dedup._keep(session, article, fp, dedup.DedupReport())
        session.commit()
    return count / (time.perf_counter() - began)


def lookups(session: Session, stored: int, rng: np.random.Generator) -> dict[str, list[float]]:
    """Time the stage's lookups: half misses (fresh texts), half hits (stored signatures)."""
    times: dict[str, list[float]] = {"dedup": [], "story": [], "hits": []}
    probe = Article(id=-1, url="probe", baseline=False)
    for i in range(LOOKUPS):
        if i % 2:
            article_id = random.randint(1, stored)
            blob = session.scalar(select(Article.minhash).where(Article.id == article_id))
            fp = dedup.Fingerprint.from_bytes(blob, "probe")
        else:
            values = rng.integers(0, 2**32, size=dedup.NUM_PERM, dtype=np.uint32)
            story = rng.integers(0, 2**32, size=dedup.STORY_PERM, dtype=np.uint32)
            fp = dedup.Fingerprint("probe", values, 400, story, 150)
        when = T0 + timedelta(days=random.uniform(0, SPAN_DAYS))
        start = time.perf_counter()
        original, _, _ = dedup._find_original(session, probe, fp)
        middle = time.perf_counter()
        dedup._find_story(session, probe, fp, when)
        end = time.perf_counter()
        session.rollback()
        times["dedup"].append(middle - start)
        times["story"].append(end - middle)
        times["hits"].append(float(original is not None) if i % 2 else 0.0)
    return times


def brute_force(session: Session, rng: np.random.Generator, runs: int = 3) -> float:
    """Median seconds to compare one signature with every stored one (no index)."""
    out = []
    for _ in range(runs):
        values = rng.integers(0, 2**32, size=dedup.NUM_PERM, dtype=np.uint32)
        start = time.perf_counter()
        best = 0.0
        for (blob,) in session.execute(select(Article.minhash)).yield_per(10_000):
            other = np.frombuffer(blob, dtype="<u4", count=dedup.NUM_PERM, offset=9)
            best = max(best, float(np.mean(values == other)))
        out.append(time.perf_counter() - start)
        session.rollback()
    return statistics.median(out)


def _big_cache(dbapi_connection, _record) -> None:
    """A 1 GB page cache: a bulk load into a 10^8-row index otherwise thrashes 2 MB."""
    dbapi_connection.execute("PRAGMA cache_size=-1000000")


def ms(values: list[float], q: float) -> float:
    return 1000 * float(np.quantile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--brute-force-up-to", type=int, default=100_000)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="vigie-bench-")
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    engine = get_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _big_cache)
        engine.dispose()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE minhash_bands, articles RESTART IDENTITY CASCADE"))
    rng = np.random.default_rng(1)
    random.seed(1)
    stored = 0
    print(
        f"store: {engine.dialect.name}; {dedup.BANDS}x{dedup.ROWS} dedup bands, "
        f"{dedup.STORY_BANDS}x{dedup.STORY_ROWS} story bands per article"
    )
    print(
        f"{'articles':>10} {'bulk/s':>9} {'bulk s':>9} {'one/s':>6} {'dedup med':>10} {'dedup p99':>10}"
        f" {'story med':>10} {'story p99':>10} {'hits':>5} {'brute ms':>9} {'peak MB':>8}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        start = time.perf_counter()
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP INDEX ix_minhash_band_key")
        insert(engine, stored + 1, size - INCREMENTAL - stored, rng)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE INDEX ix_minhash_band_key ON minhash_bands (band, key)")
            conn.exec_driver_sql("ANALYZE")
        took = time.perf_counter() - start
        rate = (size - INCREMENTAL - stored) / took
        with Session(engine) as session:
            one_by_one = incremental(session, size - INCREMENTAL + 1, INCREMENTAL, rng)
        stored = size
        with Session(engine) as session:
            times = lookups(session, stored, rng)
            brute = (
                f"{1000 * brute_force(session, rng):9.0f}"
                if stored <= args.brute_force_up_to
                else f"{'-':>9}"
            )
        hits = sum(times["hits"]) / (LOOKUPS // 2)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{stored:>10} {rate:>9.0f} {took:>9.1f} {one_by_one:>6.0f} {ms(times['dedup'], 0.5):>8.2f}ms"
            f" {ms(times['dedup'], 0.99):>8.2f}ms {ms(times['story'], 0.5):>8.2f}ms"
            f" {ms(times['story'], 0.99):>8.2f}ms {hits:>5.2f} {brute} {peak:>8.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
