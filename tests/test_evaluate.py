"""The eval scorer: corpus reading, the pages it stores, and the scoring rules of the README."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.config import load_settings
from vigie.evaluate import (
    CorpusArticle,
    CorpusError,
    EvalResult,
    ExpectedDeclaration,
    ExpectedFigure,
    declaration_matches,
    evaluate_corpora,
    evaluate_corpus,
    feed_summary,
    load_corpus,
    page_bytes,
    render_eval,
    score,
    store_pages,
)
from vigie.store.models import Alert, Article, Entry, Fact, FactMention

CORPUS = """
articles:
- id: x-1
  url: https://www.gazette.fr/monde/envoi?xtor=RSS-1
  outlet: Gazette
  published: "2026-02-18T09:40:00+01:00"
  title: La Corée du Nord enverrait 3 000 soldats de plus
  text: |
    Premier paragraphe, qui dit que Pyongyang a envoyé au moins 3 000 soldats supplémentaires en Russie.

    Second paragraphe : « Nous tiendrons nos promesses envers nos amis russes », a déclaré Kim Jong Un.
  expect:
    relevant: true
    duplicate_of: null
    new_figures:
      - {value: 3000, about: Soldats}
    new_declarations:
      - {speaker: Kim Jong Un, quote: "Nous tiendrons nos promesses"}
- id: x-2
  url: https://www.gazette.fr/eco/carburant
  outlet: Gazette
  published: null
  title: Le prix du gazole
  text: |
    Le gazole augmente.
  expect:
    relevant: false
    duplicate_of: x-1
"""


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.yaml"
    path.write_text(CORPUS, encoding="utf-8")
    return path


def test_load_corpus_reads_expectations(corpus_file: Path) -> None:
    first, second = load_corpus(corpus_file)
    assert first.published == datetime(2026, 2, 18, 8, 40, tzinfo=UTC)
    assert first.figures == (ExpectedFigure(3000.0, "Soldats"),)
    assert first.declarations[0].speaker == "Kim Jong Un"
    assert len(first.paragraphs) == 2
    assert second.published is None
    assert second.duplicate_of == "x-1"
    assert second.language == "fr"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("articles:\n- id: a\n  title: t\n  text: x\n", "article a: missing url"),
        ("articles: 3\n", "expected a list under 'articles'"),
        (
            "articles:\n- {id: a, url: u, title: t, text: x}\n- {id: a, url: v, title: t, text: y}\n",
            "id a appears twice",
        ),
        (
            "articles:\n- {id: a, url: u, title: t, text: x, published: hier}\n",
            "published: not a date",
        ),
        (
            "articles:\n- {id: a, url: u, title: t, text: x, expect: {new_figures: [{value: 3}]}}\n",
            "article a: expect: malformed",
        ),
    ],
)
def test_load_corpus_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        load_corpus(path)


# --- pages -------------------------------------------------------------------------------------


def _article(corpus_file: Path, **changes) -> CorpusArticle:
    return dataclasses.replace(load_corpus(corpus_file)[0], **changes)


def test_plain_page_holds_every_paragraph(corpus_file: Path) -> None:
    page = page_bytes(_article(corpus_file)).decode("utf-8")
    assert page.startswith('<!DOCTYPE html><html lang="fr">')
    assert "Premier paragraphe" in page
    assert "« Nous tiendrons nos promesses" in page
    assert '<meta property="article:published_time" content="2026-02-18T09:40:00+01:00">' in page


def test_paywalled_page_shows_a_teaser_and_the_feed_holds_the_text(corpus_file: Path) -> None:
    article = _article(corpus_file, paywall=True)
    page = page_bytes(article).decode("utf-8")
    assert "Premier paragraphe" in page
    assert "Second paragraphe" not in page
    assert "réservé aux abonnés" in page
    assert "Second paragraphe" in feed_summary(article)
    assert "Second paragraphe" not in feed_summary(_article(corpus_file))


def test_broken_page_is_malformed_bytes(corpus_file: Path) -> None:
    raw = page_bytes(_article(corpus_file, broken_html=True, language="en"))
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"<!DOCTYPE" not in raw
    assert b"</html>" not in raw
    assert b'<html lang="en">' in raw
    assert b"Second paragraphe" in raw


def test_extraction_reads_the_stored_pages(session: Session, corpus_file: Path) -> None:
    """The pages the scorer stores go through the real extraction stage with their text whole."""
    from vigie.ingest.extract_stage import extract_pending

    article = load_corpus(corpus_file)[0]
    variants = [
        dataclasses.replace(article, id="plain", url="https://a.fr/1"),
        dataclasses.replace(article, id="paywall", url="https://a.fr/2", paywall=True),
        dataclasses.replace(article, id="broken", url="https://a.fr/3", broken_html=True),
    ]
    ids = store_pages(session, variants)
    assert session.scalars(select(Entry.identity).order_by(Entry.id)).all() == [
        "plain",
        "paywall",
        "broken",
    ]
    extract_pending(session, load_settings())
    session.commit()
    for article_id, corpus_id in ids.items():
        stored = session.get(Article, article_id)
        assert stored.status == "new", (corpus_id, stored.reason)
        assert "Premier paragraphe" in stored.text, corpus_id
        assert "Nous tiendrons nos promesses envers nos amis russes" in stored.text, corpus_id
        assert stored.published == datetime(2026, 2, 18, 8, 40, tzinfo=UTC)


# --- scoring -----------------------------------------------------------------------------------


_SERIAL = itertools.count()


def _fact(article: Article, kind: str, **values) -> Fact:
    return Fact(
        fingerprint=f"{kind}-{next(_SERIAL)}",
        kind=kind,
        article=article,
        published=article.published,
        baseline=False,
        evidence=values.pop("evidence", "…"),
        attributed=True,
        **values,
    )


def _stored(session: Session, corpus: list[CorpusArticle]) -> dict[int, str]:
    ids = {}
    for item in corpus:
        article = Article(url=item.url, canonical_url=item.url, title=item.title, status="analysed")
        session.add(article)
        session.flush()
        ids[article.id] = item.id
    return ids


def _alert(session: Session, fact: Fact) -> None:
    session.add(fact)
    session.add(FactMention(fact=fact, article_id=fact.article.id))
    session.add(Alert(fact=fact, previously_known=[]))
    session.flush()


def test_score_counts_right_false_and_missed_alerts(session: Session, corpus_file: Path) -> None:
    corpus = load_corpus(corpus_file)
    ids = _stored(session, corpus)
    first, second = (session.get(Article, i) for i in ids)
    second.status, second.duplicate_of_id = "duplicate", first.id
    # right: the value and "soldats" in the object, accents and case aside
    _alert(session, _fact(first, "figure", value=3000.0, measure="troops_sent", object="soldats"))
    # false: a value the article does not expect
    _alert(
        session, _fact(first, "figure", value=11000.0, measure="troops_sent", object="militaires")
    )
    # false: an alert on an article that expects nothing
    _alert(session, _fact(second, "figure", value=4.0, measure="fuel", object="centimes"))
    session.commit()

    result = score(session, corpus, ids)
    assert (result.alerts, result.right, result.expected, result.found) == (3, 1, 2, 1)
    assert result.precision == pytest.approx(1 / 3)
    assert result.recall == pytest.approx(0.5)
    assert sorted((p.article, p.value) for p in result.false_alerts) == [
        ("x-1", 11000.0),
        ("x-2", 4.0),
    ]
    [miss] = result.misses
    assert (miss.article, miss.kind, miss.speaker) == ("x-1", "declaration", "Kim Jong Un")
    assert "Second paragraphe" in miss.evidence
    assert "found no declaration" in miss.note
    assert result.duplicate_errors == []
    assert result.duplicates_checked == 1
    assert not result.ok
    as_json = result.to_dict()
    assert as_json["precision"] == pytest.approx(0.3333)
    assert as_json["misses"][0]["detail"] == "Nous tiendrons nos promesses"


def test_score_checks_duplicate_expectations(session: Session, corpus_file: Path) -> None:
    corpus = load_corpus(corpus_file)
    ids = _stored(session, corpus)
    first = session.get(Article, next(iter(ids)))
    _alert(session, _fact(first, "figure", value=3000.0, measure="m", evidence="3 000 Soldats"))
    _alert(
        session,
        _fact(first, "declaration", speaker="Kim Jong Un", quote="Nous tiendrons nos promesses !"),
    )
    session.commit()
    result = score(session, corpus, ids)
    assert (result.precision, result.recall) == (1.0, 1.0)
    assert result.duplicate_errors == ["x-2: expected a duplicate of x-1, ended status analysed"]


@pytest.mark.parametrize(
    ("speaker", "quote", "matches"),
    [
        ("Vladimir Poutine", "Nous attendons notre ami coréen pour ouvrir", True),
        ("Poutine", "nous attendons notre ami coreen pour ouvrir un nouveau chapitre", True),
        ("Vladimir Poutine", "Nous attendions notre amie coréenne pour ouvrir", True),  # ≥ 0.8
        ("Vladimir Poutine", "Un tout autre propos", False),
        ("Sergueï Lavrov", "Nous attendons notre ami coréen pour ouvrir", False),
    ],
)
def test_declaration_matching(session: Session, speaker: str, quote: str, matches: bool) -> None:
    article = Article(url="u", status="analysed")
    fact = _fact(
        article,
        "declaration",
        speaker=speaker,
        quote="Nous attendons notre ami coréen pour ouvrir un nouveau chapitre",
    )
    expected = ExpectedDeclaration("Vladimir Poutine", quote)
    assert declaration_matches(expected, fact) is matches


def test_kim_yo_jong_is_not_kim_jong_un() -> None:
    fact = Fact(kind="declaration", speaker="Kim Jong Un", quote="Ceux qui arment Kiev")
    assert not declaration_matches(ExpectedDeclaration("Kim Yo Jong", "Ceux qui arment Kiev"), fact)


def test_render_eval_prints_scores_and_evidence() -> None:
    from vigie.evaluate import Problem

    result = EvalResult(articles=2, alerts=2, right=1, expected=2, found=1)
    result.misses.append(
        Problem(
            "dev-c1",
            "declaration",
            speaker="Vladimir Poutine",
            detail="Nous attendons",
            evidence="« Nous attendons [notre ami] »",
            note="status analysed",
        )
    )
    result.false_alerts.append(
        Problem("dev-d2", "figure", value=5000.0, detail="marins", evidence="5 000 marins")
    )
    console = Console(record=True, width=120)
    render_eval(result, console)
    out = console.export_text()
    assert "precision" in out
    assert "0.500" in out
    assert "dev-c1 declaration Vladimir Poutine «Nous attendons»" in out
    assert "evidence: « Nous attendons [notre ami] »" in out  # printed as is, not as markup
    assert "dev-d2 figure 5000 «marins»" in out


@pytest.mark.corpus
def test_corpora_scored_in_worker_processes_score_as_one_by_one(tmp_path: Path) -> None:
    first = tmp_path / "first.yaml"
    first.write_text(CORPUS, encoding="utf-8")
    second = tmp_path / "second.yaml"
    second.write_text(CORPUS.replace("3 000", "4 000").replace("3000", "4000"), encoding="utf-8")
    in_workers = evaluate_corpora([first, second], workers=2)
    assert list(in_workers) == [first, second]
    for path in (first, second):
        assert dataclasses.asdict(in_workers[path]) == dataclasses.asdict(evaluate_corpus(path))
    assert in_workers[first].found_by_kind == {"figure": 1, "declaration": 1}
