"""The labelled corpus (tests/corpus/PART/*.yaml): its format, then the alert quality on it.

Three parts, reported and gated apart, because a rule is only as good as its score on text it
was not written against:
- ``tuned``: the first corpus, which the rules were developed on;
- ``classes``: cases invented for each way French news writes speakers and figures (appositions,
  inverted attributions, roles, number forms, the known window…), both ways; tuned on too;
- ``heldout``: articles written first, by another author, without reading the extractors, and
  never tuned on: the honest measure of generalisation.
Each file is scored on its own by ``vigie.evaluate.evaluate_corpus`` (a fresh store holding the
seeds and that file), so a file's novelty never depends on another file. Precision and recall per
file and per part are printed in the terminal summary of every run, with the misses and false
alerts of the parts tuned on (the held-out part shows its scores only); the run fails when a
part's precision or recall falls under its floor.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from vigie.config import DEFAULT_WATCH, PROJECT_DIR

pytestmark = pytest.mark.corpus

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
PARTS = ("tuned", "classes", "heldout")
CORPUS_FILES = sorted(p for part in PARTS for p in (CORPUS_DIR / part).glob("*.yaml"))
SEEDS_DIR = PROJECT_DIR / "seeds"
# (precision, recall) gates per part; the goal is 0.97 / 0.95 everywhere. The held-out part
# (eleven rounds, each written before the rules were tuned on the class files of its time:
# 79 + 74 + 61 + 71 + 56 + 100 + 97 + 69 + 63 + 67 + 62 expected alerts) measures 0.935 / 0.882
# (790 of 845 alerts right, 705 of 799 found) and is gated just under that against regressions;
# its recall is still below the 0.90 that issue 10 asks, and it is never tuned up by reading its
# misses. Round 11 (specialised and audiovisual press) scored 0.944 / 0.968 at first look.
FLOORS = {"tuned": (0.95, 0.95), "classes": (0.95, 0.95), "heldout": (0.93, 0.87)}


def _part(path: Path) -> str:
    return path.parent.name


def _name(path: Path) -> str:
    return f"{_part(path)}/{path.name}"


EVENTS = {
    "troop_deployment", "casualties", "arms_transfer", "economic_aid", "labor", "agreement",
    "meeting", "diplomatic_exchange", "statement", "weapons_test",
}  # fmt: skip
ARTICLE_KEYS = {"id", "url", "outlet", "published", "title", "text", "expect"}
OPTIONAL_KEYS = {"language", "html_body_only_paywall", "broken_html"}
EXPECT_KEYS = {"relevant", "duplicate_of", "new_figures", "new_declarations"}
OPTIONAL_EXPECT_KEYS = {"events", "note", "dup_group"}
ITEM_FLAGS = {"optional", "group", "note"}


def _load(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    assert isinstance(data.get("articles"), list), f"{path.name}: no 'articles' list"
    return data["articles"]


def _published(article: dict[str, Any]) -> datetime | None:
    value = article["published"]
    return None if value is None else datetime.fromisoformat(value)


# --- format -----------------------------------------------------------------------------------


def test_the_corpus_is_large_enough_and_ids_are_unique_across_files() -> None:
    ids = [a["id"] for path in CORPUS_FILES for a in _load(path)]
    sizes = Counter(_part(path) for path in CORPUS_FILES for _ in _load(path))
    assert sizes["tuned"] >= 80
    assert sizes["classes"] >= 60
    assert sizes["heldout"] >= 50
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def _check_article(article: dict[str, Any], where: str) -> None:
    keys = set(article)
    assert keys >= ARTICLE_KEYS, f"{where}: missing {ARTICLE_KEYS - keys}"
    assert not keys - ARTICLE_KEYS - OPTIONAL_KEYS, f"{where}: unknown keys"
    assert article["url"].startswith("https://"), where
    assert article["title"] is None or article["title"].strip(), where
    assert article["text"].strip(), where
    assert article.get("language", "fr") in {"fr", "en", "de"}, where
    published = _published(article)
    assert published is None or published.tzinfo is not None, f"{where}: no UTC offset"
    # a page dated after today loses its date to htmldate (which refuses future dates), so
    # a file dated ahead of the clock scores differently once the clock passes its dates
    assert published is None or published <= datetime.now(UTC), f"{where}: dated in the future"


def _check_expect(article: dict[str, Any], where: str) -> None:
    expect = article["expect"]
    keys = set(expect)
    assert keys >= EXPECT_KEYS, f"{where}: expect misses {EXPECT_KEYS - keys}"
    assert not keys - EXPECT_KEYS - OPTIONAL_EXPECT_KEYS, f"{where}: unknown expect keys"
    assert isinstance(expect["relevant"], bool), where
    assert set(expect.get("events") or []) <= EVENTS, f"{where}: unknown event"
    for figure in expect["new_figures"]:
        assert {"value", "about"} <= set(figure) <= {"value", "about"} | ITEM_FLAGS, where
        assert isinstance(figure["value"], int | float), where
        assert figure["value"] > 0, where
        assert str(figure["about"]).strip(), where
    for declaration in expect["new_declarations"]:
        assert {"speaker", "quote"} <= set(declaration) <= {"speaker", "quote"} | ITEM_FLAGS, where
        assert declaration["speaker"].strip(), where
        assert len(declaration["quote"].split()) >= 4, f"{where}: quote too short to alert"
    if expect["new_figures"] or expect["new_declarations"]:
        assert expect["relevant"], f"{where}: alerts expected from an irrelevant article"
        assert article.get("language", "fr") == "fr", f"{where}: alerts from a non-French page"


@pytest.mark.parametrize("path", CORPUS_FILES, ids=_name)
def test_corpus_file_format(path: Path) -> None:
    articles = _load(path)
    seed_stems = {p.stem for p in SEEDS_DIR.glob("*.txt")}
    by_id = {a["id"]: a for a in articles}
    assert len(by_id) == len(articles), "ids repeat inside the file"
    for article in articles:
        where = f"{path.name}:{article.get('id')}"
        _check_article(article, where)
        _check_expect(article, where)
        original = article["expect"]["duplicate_of"]
        if original is None:
            continue
        assert original in seed_stems or original in by_id, f"{where}: duplicate_of {original}?"
        assert original != article["id"], where
        if original in by_id and article["published"] is not None:
            before = _published(by_id[original])
            assert before is not None, f"{where}: {original} has no date"
            assert before <= _published(article), f"{where}: older than its original"


def test_the_corpus_holds_the_french_number_forms() -> None:
    """The forms the brief asks for are written literally, not escaped or normalised away."""
    text = "\n".join(a["text"] for path in CORPUS_FILES for a in _load(path))
    for form in (
        "\u202f",
        "\u00a0",
        "'000",
        "’500",
        "11.000",
        "nonante",
        "septante",
        "milliard",
        "millions",
    ):
        assert form in text, form


# --- alert quality ----------------------------------------------------------------------------


@dataclass
class _Scores:
    """Per-file results, shown at the end of the run by ``pytest_terminal_summary``."""

    results: dict[str, Any]

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.results:
            return
        tr = terminalreporter
        tr.write_sep("=", "labelled corpus: alert quality")
        for name, r in self.results.items():
            tr.write_line(
                f"{name:28} precision {r.precision:.3f} ({r.right}/{r.alerts})"
                f"   recall {r.recall:.3f} ({r.found}/{r.expected})"
                f"   figures {r.recall_of('figure'):.3f} declarations "
                f"{r.recall_of('declaration'):.3f}   duplicate problems {len(r.duplicate_errors)}"
            )
        for part in PARTS:
            results = [r for name, r in self.results.items() if name.startswith(part + "/")]
            precision, recall = overall(results)
            right = sum(r.right for r in results)
            alerts = sum(r.alerts for r in results)
            found = sum(r.found for r in results)
            expected = sum(r.expected for r in results)
            tr.write_line(
                f"{'part ' + part:28} precision {precision:.3f} ({right}/{alerts})"
                f"   recall {recall:.3f} ({found}/{expected})   floors {FLOORS[part]}"
            )
        # The held-out part shows its scores only: reading its misses is how it gets tuned on.
        shown = {n: r for n, r in self.results.items() if not n.startswith("heldout/")}
        for title, attr in (("missed", "misses"), ("false alert", "false_alerts")):
            for r in shown.values():
                for p in getattr(r, attr):
                    what = p.speaker if p.kind == "declaration" else f"{p.value:g}"
                    tr.write_line(f"  {title}: {p.article} {p.kind} {what} «{p.detail[:70]}»")
                    if p.evidence:
                        tr.write_line(f"      evidence: {p.evidence[:160]}")
                    if p.note:
                        tr.write_line(f"      {p.note[:160]}")
        for r in shown.values():
            for line in r.duplicate_errors:
                tr.write_line(f"  duplicate: {line}")
            for line in r.relevance_errors:
                tr.write_line(f"  relevance: {line}")


def overall(results: Any) -> tuple[float, float]:
    """Pooled precision and recall: every alert and every expectation of every file counts once."""
    results = list(results)
    alerts = sum(r.alerts for r in results)
    expected = sum(r.expected for r in results)
    precision = sum(r.right for r in results) / alerts if alerts else 1.0
    recall = sum(r.found for r in results) / expected if expected else 1.0
    return precision, recall


@pytest.fixture(scope="session")
def corpus_scores(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Every file scored once per session, on every core (each worker loads spaCy once)."""
    from vigie.evaluate import evaluate_corpora

    results: dict[str, Any] = {}
    request.config.pluginmanager.register(_Scores(results), "vigie-corpus-scores")
    scored = evaluate_corpora(
        CORPUS_FILES, seeds_dir=SEEDS_DIR, watch_file=DEFAULT_WATCH, workers=os.cpu_count() or 1
    )
    results.update((_name(path), result) for path, result in scored.items())
    return results


@pytest.mark.parametrize("path", CORPUS_FILES, ids=_name)
def test_every_article_and_expectation_is_scored(path: Path, corpus_scores: dict[str, Any]) -> None:
    articles = _load(path)
    result = corpus_scores[_name(path)]
    groups: set[str] = set()
    expected = 0
    for a in articles:
        for item in [*a["expect"]["new_figures"], *a["expect"]["new_declarations"]]:
            if item.get("optional") or item.get("group") in groups:
                continue
            groups.add(item.get("group") or f"{a['id']}:{len(groups)}")
            expected += 1
    assert result.articles == len(articles)
    assert result.expected == expected
    assert result.duplicates_checked >= sum(1 for a in articles if a["expect"]["duplicate_of"])


@pytest.mark.parametrize("part", PARTS)
def test_each_part_reaches_its_floor(part: str, corpus_scores: dict[str, Any]) -> None:
    precision, recall = overall(r for n, r in corpus_scores.items() if n.startswith(part + "/"))
    least_precision, least_recall = FLOORS[part]
    assert precision >= least_precision, f"{part}: precision {precision:.3f} (see the summary)"
    assert recall >= least_recall, f"{part}: recall {recall:.3f} (see the summary)"
