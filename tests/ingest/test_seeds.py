"""The baseline: seeds/ through the same path as feed articles, idempotent, dates read from text."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigie.ingest.seeds import ingest_seeds, parse_seed_date
from vigie.store.models import Article

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
PROJECT_SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _by_name(session: Session) -> dict[str, Article]:
    return {a.seed_name: a for a in session.scalars(select(Article).order_by(Article.id))}


def test_seeds_become_baseline_articles(session: Session) -> None:
    report = ingest_seeds(session, FIXTURES)
    assert (report.files, report.added, report.unchanged) == (4, 4, 0)
    assert report.extraction.new == 4
    articles = _by_name(session)
    assert set(articles) == {"iso_date_marker", "publie_le", "day_without_year", "no_date"}
    for name, article in articles.items():
        assert article.baseline is True
        assert article.url == f"seed:{name}.txt" == article.canonical_url
        assert article.status == "new"
        assert article.language == "fr"
        assert article.raw == (FIXTURES / f"{name}.txt").read_bytes()
        assert article.raw_content_type == "text/plain"
    assert "douze criées" in articles["iso_date_marker"].text
    assert "Afficher plus" not in articles["no_date"].text


def test_seed_metadata_is_read_from_the_text(session: Session) -> None:
    ingest_seeds(session, FIXTURES)
    articles = _by_name(session)
    marker, published, no_year, undated = (
        articles[n] for n in ("iso_date_marker", "publie_le", "day_without_year", "no_date")
    )
    assert marker.published == datetime(2024, 5, 2, tzinfo=UTC)
    assert published.published == datetime(2024, 2, 3, 8, 15, tzinfo=UTC)  # 09:15 in Paris
    assert no_year.published is None
    assert "date without a year («Le 3 mars») left unset" in no_year.reason
    assert undated.published is None
    assert marker.outlet == "AFP"  # the standalone credit line
    assert published.outlet == undated.outlet == no_year.outlet == "seed"
    assert marker.title is None  # a lead sentence and a byline: no headline
    assert published.title == "Les ports de pêche bretons attendent leur plan de modernisation"
    assert undated.title == "Les criées bretonnes face à la baisse des apports"


def test_ingesting_twice_adds_nothing(session: Session) -> None:
    ingest_seeds(session, FIXTURES)
    again = ingest_seeds(session, FIXTURES)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 4)
    assert session.scalar(select(func.count(Article.id))) == 4
    assert "4 already stored" in again.summary()


def test_a_changed_seed_updates_its_article(session: Session, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES, seeds)
    ingest_seeds(session, seeds)
    first = _by_name(session)["publie_le"]
    added = "La région a promis une enveloppe complémentaire pour la criée de Lorient."
    path = seeds / "publie_le.txt"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
    report = ingest_seeds(session, seeds)
    assert (report.changed, report.unchanged) == (1, 3)
    copies = list(
        session.scalars(
            select(Article).where(Article.seed_name == "publie_le").order_by(Article.id)
        )
    )
    assert next(c.id for c in copies) == first.id
    assert len(copies) == 2
    session.refresh(first)
    assert added in first.text
    assert copies[1].status == "duplicate"
    assert copies[1].duplicate_of_id == first.id
    assert copies[1].reason == f"update of article {first.id}: 1 new sentences"
    assert ingest_seeds(session, seeds).unchanged == 4  # the new bytes are now the stored ones


def test_missing_folder_is_reported_not_raised(session: Session, tmp_path: Path) -> None:
    report = ingest_seeds(session, tmp_path / "nowhere")
    assert report.files == 0
    assert "no seeds folder" in report.summary()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" date 2026-01-09 Le texte.", datetime(2026, 1, 9, tzinfo=UTC)),
        (
            "Titre\n\nPublié le : 13/07/2025 - 13:43Modifié le : 14/07/2025",
            datetime(2025, 7, 13, 11, 43, tzinfo=UTC),
        ),
        (
            "Titre\nPublié le 5 janvier 2024 à 18h30\nTexte",
            datetime(2024, 1, 5, 17, 30, tzinfo=UTC),
        ),
        ("Titre\nPublié le 31/02/2024\nTexte", None),
        ("Un texte sans date.", None),
    ],
)
def test_parse_seed_date(text: str, expected: datetime | None) -> None:
    assert parse_seed_date(text)[0] == expected


def test_project_seeds_ingest_cleanly(session: Session) -> None:
    if not PROJECT_SEEDS.is_dir():
        pytest.skip("no seeds/ in this checkout")
    report = ingest_seeds(session, PROJECT_SEEDS)
    files = len(list(PROJECT_SEEDS.glob("*.txt")))
    assert report.added == files
    assert not report.problems
    articles = list(session.scalars(select(Article)))
    assert all(a.baseline and a.status == "new" and a.language == "fr" and a.text for a in articles)
    assert ingest_seeds(session, PROJECT_SEEDS).added == 0


def test_an_impossible_stated_date_is_left_unset_with_a_note() -> None:
    published, note = parse_seed_date("Titre\nPublié le 31/02/2024 à 10:00\nTexte")
    assert published is None
    assert note == "impossible date «31/02/2024 à 10:00» left unset"
