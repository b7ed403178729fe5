"""How long the DAG folder takes to parse, against a one-task reference DAG, in fresh processes.

Each sample is a new interpreter that has already imported Airflow (its own cost is not ours)
and then times DagBag over the folder: what the dag-processor pays on every parse loop.
Prints the median and worst of N samples for Vigie's folder and for the reference, their ratio,
and the peak memory of a parsing process. Issue's bar: under 2 s for the folder.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

DAGS = Path(__file__).resolve().parent.parent / "dags"
SAMPLES = 7
REFERENCE = """
from datetime import datetime
from airflow.sdk import dag, task

@dag(schedule="@daily", start_date=datetime(2026, 1, 1), catchup=False)
def reference():
    @task
    def hello():
        return 1
    hello()

reference()
"""
PROBE = """
import json, resource, sys, time, logging
logging.disable(logging.CRITICAL)
from airflow.dag_processing.dagbag import DagBag
t0 = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1])
elapsed = time.perf_counter() - t0
assert not bag.import_errors, bag.import_errors
print(json.dumps({"seconds": elapsed, "dags": len(bag.dags),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def sample(folder: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ref_dir = Path(tmp)
        (ref_dir / "reference.py").write_text(REFERENCE)
        ours = [sample(DAGS) for _ in range(SAMPLES)]
        ref = [sample(ref_dir) for _ in range(SAMPLES)]
    med = statistics.median(s["seconds"] for s in ours)
    ref_med = statistics.median(s["seconds"] for s in ref)
    print(f"DAG folder parse ({ours[0]['dags']} DAGs, {SAMPLES} fresh processes)")
    print(
        f"  vigie dags/     median {med * 1000:7.1f} ms   worst {max(s['seconds'] for s in ours) * 1000:7.1f} ms"
    )
    print(
        f"  reference DAG   median {ref_med * 1000:7.1f} ms   worst {max(s['seconds'] for s in ref) * 1000:7.1f} ms"
    )
    print(f"  ratio vigie/reference: {med / ref_med:.2f}  (3 DAGs against 1)")
    print(f"  peak RSS of a parsing process: {max(s['rss_mb'] for s in ours):.0f} MB")
    print(f"  bar: under 2 s -> {'met' if med < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
