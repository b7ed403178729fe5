"""Cost of declaration extraction on top of spaCy, over real French pages.

Extracts the text of shared/real-pages (French set and the multi-language bench set, French
pages only), parses each once with the analyser's pipeline, then times ``extract_declarations``
alone. Prints the median and worst cost per article and the share of the spaCy parse, and, with
``--show``, every declaration found (the French set holds no Russia–DPRK article: any named
speaker there is a person outside the watch).

    .venv/bin/python bench/bench_declarations.py [--show]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import py3langid
import trafilatura

from vigie.config import DEFAULT_WATCH
from vigie.nlp.declarations import extract_declarations
from vigie.nlp.model import get_nlp, parse
from vigie.watch import load_watch

PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pages"


def _texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted([*PAGES.glob("fr/*.html"), *PAGES.glob("bench/*.html")]):
        text = trafilatura.extract(path.read_bytes())
        if text and py3langid.classify(text)[0] == "fr":
            texts.append((path.name, text))
    return texts


def main() -> None:
    show = "--show" in sys.argv
    watch = load_watch(DEFAULT_WATCH)
    get_nlp()
    texts = _texts()
    parse_ms, extract_ms, found = [], [], 0
    for name, text in texts:
        t0 = time.perf_counter()
        doc = parse(text, watch)
        t1 = time.perf_counter()
        declarations = extract_declarations(doc, watch)
        t2 = time.perf_counter()
        parse_ms.append((t1 - t0) * 1000)
        extract_ms.append((t2 - t1) * 1000)
        found += len(declarations)
        if show:
            for d in declarations:
                print(f"{name[:28]:28} [{d.how:7}] {d.speaker!s:24} {d.quote[:70]!r}")
    print(f"{len(texts)} French articles, {found} declarations")
    print(
        f"extract_declarations: median {statistics.median(extract_ms):.2f} ms, "
        f"max {max(extract_ms):.2f} ms per article"
    )
    print(
        f"spaCy parse: median {statistics.median(parse_ms):.1f} ms; declarations add "
        f"{100 * sum(extract_ms) / sum(parse_ms):.1f} % on top"
    )


if __name__ == "__main__":
    main()
