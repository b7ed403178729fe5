"""Stories: one event told by several outlets in their own words is one story, not a copy."""

from __future__ import annotations

from datetime import timedelta

from dedup_pairs import load_pairs
from sqlalchemy.orm import Session

from vigie.config import load_settings
from vigie.dedup import dedup_pending, fingerprint, is_copy, is_story_pair
from vigie.store.models import Article


def test_story_precision_and_recall_on_the_labelled_set(capsys) -> None:
    samples, pairs = load_pairs()
    fps = {name: fingerprint(s.text) for name, s in samples.items()}
    tp = fp = fn = 0
    wrong = []
    for a, b, label in pairs:
        if label == "duplicate":
            continue
        predicted = is_story_pair(fps[a], fps[b], samples[a].published, samples[b].published)
        actual = label == "story"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
        if predicted != actual:
            wrong.append(f"{a}/{b} ({label})")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    with capsys.disabled():
        print(
            f"\nstory labelled set: precision {precision:.3f} recall {recall:.3f}"
            + (f"; wrong: {', '.join(wrong)}" if wrong else "")
        )
    assert precision >= 0.9, wrong
    assert recall >= 0.75, wrong


def test_rewrites_are_not_copies_but_share_a_story(session: Session) -> None:
    samples, _ = load_pairs()
    assert not is_copy(
        fingerprint(samples["pertes_afp"].text), fingerprint(samples["pertes_croix"].text)
    )
    names = ["pertes_afp", "pertes_croix", "pont_afp"]
    rows = []
    for name in names:
        sample = samples[name]
        rows.append(
            Article(
                url=f"https://x.fr/{name}",
                canonical_url=f"https://x.fr/{name}",
                text=sample.text,
                published=sample.published,
                status="new",
            )
        )
    session.add_all(rows)
    session.commit()
    report = dedup_pending(session, load_settings())
    afp, croix, pont = rows
    assert [a.status for a in rows] == ["unique"] * 3
    assert croix.story_id == afp.story_id == afp.id
    assert pont.story_id == pont.id
    assert report.stories_grown == 1


def test_the_same_words_a_week_later_start_a_new_story(session: Session) -> None:
    samples, _ = load_pairs()
    first, rewrite = samples["missile_afp"], samples["missile_parisien"]
    rows = [
        Article(
            url="https://x.fr/a",
            canonical_url="https://x.fr/a",
            text=first.text,
            published=first.published,
            status="new",
        ),
        Article(
            url="https://x.fr/b",
            canonical_url="https://x.fr/b",
            text=rewrite.text,
            published=first.published + timedelta(days=8),
            status="new",
        ),
    ]
    session.add_all(rows)
    session.commit()
    dedup_pending(session, load_settings())
    assert rows[0].story_id != rows[1].story_id
