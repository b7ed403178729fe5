"""Two worker processes deduplicating one store at once keep one original per story.

Each process decides its own half of 24 copies of one wire story, starting together, so
without the dedup lock both would find no original and keep their first copy.
"""

from __future__ import annotations

import multiprocessing
import time
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.store.models import Article

WIRE = """Moscou, 30 avril (AFP) - La Russie et la Corée du Nord ont lancé mercredi la construction d'un pont routier sur le fleuve Tumen, qui doit relier les deux pays d'ici 2026.
Le Premier ministre russe a participé par vidéoconférence à la cérémonie, aux côtés de son homologue nord-coréen.
L'ouvrage, long d'un kilomètre, doit coûter environ 9 milliards de roubles et permettre d'accroître les échanges.
Le commerce entre les deux pays a fortement progressé depuis la signature du traité de partenariat."""

COPIES = 24


def _worker(
    db_url: str,
    ids: list[int],
    start: multiprocessing.synchronize.Barrier,
    spans: multiprocessing.Queue,
) -> None:
    from vigie.dedup import dedup_article
    from vigie.store.db import session_scope

    with session_scope(db_url) as session:
        session.get(Article, ids[0])
        start.wait(60)
        began = time.monotonic()  # one clock for both processes (CLOCK_MONOTONIC)
        for article_id in ids:
            dedup_article(session, article_id)
    spans.put((began, time.monotonic()))


def test_two_processes_never_keep_two_copies_as_originals(db_url: str, session: Session) -> None:
    when = datetime(2025, 4, 30, 10, tzinfo=UTC)
    for i in range(COPIES):
        text = f"Titre {i} : un pont sur le Tumen\n" + WIRE + (f"\nAjout {i}." if i % 2 else "")
        url = f"https://outlet{i}.fr/pont"
        session.add(Article(url=url, canonical_url=url, text=text, status="new", published=when))
    session.commit()
    ids = list(session.scalars(select(Article.id).order_by(Article.id)))
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    spans = context.Queue()
    workers = [
        context.Process(target=_worker, args=(db_url, ids[half::2], start, spans))
        for half in (0, 1)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    (began_a, ended_a), (began_b, ended_b) = spans.get(timeout=5), spans.get(timeout=5)
    assert max(began_a, began_b) < min(ended_a, ended_b), "the two processes never overlapped"
    session.expire_all()
    rows = session.scalars(select(Article).order_by(Article.id)).all()
    originals = [a for a in rows if a.duplicate_of_id is None]
    assert len(originals) == 1
    assert originals[0].status == "unique"
    assert all(a.status == "duplicate" for a in rows if a.duplicate_of_id)
    assert {a.duplicate_of_id for a in rows if a.duplicate_of_id} == {originals[0].id}
    assert len({a.story_id for a in rows}) == 1
