"""Serves a labelled corpus as feeds and pages on 127.0.0.1 until killed (distributed smoke).

Writes the sources file listing the feeds and the port it listens on, then waits.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support.corpus_site import serve_corpus
from support.httpserver import LoopbackServer

from vigie.evaluate import load_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--port-file", type=Path, required=True)
    args = parser.parse_args()
    with LoopbackServer() as server:
        serve_corpus(server, load_corpus(args.corpus), args.sources)
        args.port_file.write_text(str(server.port))
        print(f"serving {args.corpus.name} on {server.base_url}", flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM})


if __name__ == "__main__":
    main()
