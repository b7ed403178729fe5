"""Deduplication: new sentences, the labelled set's scores, and the stage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dedup_pairs import SEEDS, load_pairs
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from vigie.config import load_settings
from vigie.dedup import (
    NUM_PERM,
    STORY_BANDS,
    DedupReport,
    Fingerprint,
    canonical_holders,
    claim_canonicals,
    dedup_pending,
    fingerprint,
    is_copy,
    new_sentences,
    settle_second_copy,
    signature,
    text_hash,
)
from vigie.store.db import dispose_engines, get_engine
from vigie.store.models import Article, MinhashBand

T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def labelled():
    return load_pairs()


def add(session: Session, name: str, text: str, when: datetime, **fields) -> Article:
    url = f"https://www.example.fr/{name}"
    fields.setdefault("canonical_url", url)
    article = Article(url=url, text=text, published=when, status="new", **fields)
    session.add(article)
    session.commit()
    return article


def run(session: Session) -> DedupReport:
    report = dedup_pending(session, load_settings())
    session.expire_all()
    return report


# --- normalisation and new sentences -----------------------------------------------------------


def test_new_sentences_ignores_typography_and_keeps_order() -> None:
    old = "Le bilan s'élève à 10 morts. Kim a salué une «amitié invincible».\n(Avec AFP)"
    new = (
        "Kim a salué une “amitié  invincible”.\nLe bilan s’élève à 12 morts.\n"
        "Moscou n'a pas réagi. Afficher plus\nAFP Agence France-Presse"
    )
    assert new_sentences(old, new) == ["Le bilan s’élève à 12 morts.", "Moscou n'a pas réagi."]
    assert new_sentences(new, new) == []


def test_new_sentences_of_a_different_split_adds_nothing() -> None:
    old = "Pyongyang a envoyé des soldats. Moscou a fourni du pétrole."
    assert new_sentences(old, "Pyongyang a envoyé des soldats") == []


def test_text_hash_ignores_boilerplate_typography_and_case() -> None:
    text = "Séoul (AFP) - Kim a reçu Lavrov.\nIls ont parlé de l'Ukraine."
    copy = (
        "(Avec AFP)\nSÉOUL (AFP) – Kim a reçu  Lavrov.\nIls ont parlé de l’Ukraine…\nLire aussi : X"
    )
    assert text_hash(text) == text_hash(copy)
    assert text_hash(text) != text_hash(text.replace("Lavrov", "Choe"))


def test_signature_is_a_datasketch_minhash_that_round_trips() -> None:
    text = "La Corée du Nord a livré des obus à la Russie selon Séoul."
    assert len(signature(text).hashvalues) == NUM_PERM
    fp = fingerprint(text)
    back = Fingerprint.from_bytes(fp.to_bytes(), fp.text_hash)
    assert (back.hashvalues == fp.hashvalues).all()
    assert back.size == fp.size
    assert (back.hashvalues == signature(text).hashvalues).all()


# --- the labelled set ---------------------------------------------------------------------------


def test_labelled_set_is_large_and_covers_every_seed_pair(labelled) -> None:
    samples, pairs = labelled
    assert len(pairs) >= 60
    seeds = sorted(s.name for s in samples.values() if s.seed)
    assert len(seeds) == len(list(SEEDS.glob("*.txt")))
    labelled_seed_pairs = {frozenset((a, b)) for a, b, _ in pairs if a in seeds and b in seeds}
    assert len(labelled_seed_pairs) == len(seeds) * (len(seeds) - 1) // 2
    assert all(label != "duplicate" for a, b, label in pairs if a in seeds and b in seeds)


def test_duplicate_precision_and_recall_on_the_labelled_set(labelled, capsys) -> None:
    samples, pairs = labelled
    fps = {name: fingerprint(s.text) for name, s in samples.items()}
    tp = fp = fn = 0
    wrong = []
    for a, b, label in pairs:
        predicted = is_copy(fps[a], fps[b])
        actual = label == "duplicate"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
        if predicted != actual:
            wrong.append(f"{a}/{b} ({label})")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    with capsys.disabled():
        print(
            f"\ndedup labelled set: {len(pairs)} pairs, duplicates precision {precision:.3f}"
            f" recall {recall:.3f}" + (f"; wrong: {', '.join(wrong)}" if wrong else "")
        )
    assert precision >= 0.95, wrong
    assert recall >= 0.95, wrong


def test_the_stage_on_the_labelled_set_keeps_the_first_copy(session: Session, labelled) -> None:
    samples, pairs = labelled
    ids = {}
    for name, sample in samples.items():
        ids[name] = add(
            session,
            name,
            sample.text,
            sample.published,
            baseline=sample.seed is not None,
            seed_name=sample.seed,
        ).id
    report = run(session)
    rows = {a.id: a for a in session.scalars(select(Article))}

    def root(article_id: int) -> int:
        while rows[article_id].duplicate_of_id:
            article_id = rows[article_id].duplicate_of_id
        return article_id

    for a, b, label in pairs:
        same = root(ids[a]) == root(ids[b])
        assert same == (label == "duplicate"), (a, b, label)
    assert all(rows[ids[s.name]].status == "unique" for s in samples.values() if s.seed)
    assert report.processed == len(samples)
    assert report.unique == sum(1 for a in rows.values() if a.status == "unique")
    assert report.summary().startswith(f"{len(samples)} articles: {report.unique} unique")


# --- the stage ----------------------------------------------------------------------------------

WIRE = """Séoul, 3 mars (AFP) - La Corée du Nord a livré à la Russie plus de 9 millions d'obus depuis le début de la guerre, a estimé lundi le ministère sud-coréen de la Défense.
Ces livraisons ont été acheminées par au moins 15 000 conteneurs depuis le port de Rajin.
Pyongyang aurait également fourni des missiles balistiques KN-23, dont des débris ont été retrouvés en Ukraine.
En contrepartie, Moscou fournirait du pétrole raffiné et une assistance technique, selon le ministère.
Les deux pays démentent tout transfert d'armes, qui violerait les résolutions de l'ONU."""


def test_exact_copy_from_another_outlet_is_an_exact_duplicate(session: Session) -> None:
    first = add(session, "a", WIRE, T0, outlet="AFP")
    copy = add(
        session,
        "b",
        "(Avec AFP)\n" + WIRE.replace("'", "’").upper(),
        T0 + timedelta(hours=1),
        canonical_url="https://autre.fr/b?utm_source=x",
        outlet="Autre",
    )
    report = run(session)
    assert (report.unique, report.exact_duplicates) == (1, 1)
    assert copy.status == "duplicate"
    assert copy.duplicate_of_id == first.id
    assert copy.reason.startswith("exact duplicate of https://www.example.fr/a")
    assert copy.new_sentences is None
    assert copy.story_id == first.story_id == first.id


def test_near_copy_passes_only_its_own_sentences(session: Session) -> None:
    first = add(session, "a", WIRE, T0)
    extra = "Séoul a révisé mardi son estimation : 12 millions d'obus auraient été livrés."
    copy = add(
        session,
        "b",
        "Pyongyang a livré 9 millions d'obus\n" + WIRE + "\n" + extra,
        T0 + timedelta(hours=3),
    )
    report = run(session)
    assert report.near_duplicates == 1
    assert copy.status == "duplicate"
    assert copy.duplicate_of_id == first.id
    assert copy.new_sentences == ["Pyongyang a livré 9 millions d'obus", extra]
    assert "near duplicate of https://www.example.fr/a (similarity" in copy.reason
    assert session.scalar(select(func.count()).where(MinhashBand.article_id == copy.id)) == 0


def test_cut_copy_without_sentences_of_its_own_adds_nothing(session: Session) -> None:
    add(session, "a", WIRE, T0)
    cut = add(session, "b", "\n".join(WIRE.splitlines()[:3]), T0 + timedelta(hours=1))
    run(session)
    assert cut.status == "duplicate"
    assert cut.new_sentences is None


def test_baseline_is_the_original_whatever_the_dates(session: Session) -> None:
    live = add(session, "live", WIRE, T0 - timedelta(days=30))
    seed = add(
        session,
        "seed",
        WIRE + "\n(Avec AFP)",
        T0,
        baseline=True,
        seed_name="007_seed.txt",
        canonical_url=None,
    )
    run(session)
    assert seed.status == "unique"
    assert live.duplicate_of_id == seed.id
    assert live.reason.startswith("exact duplicate of 007_seed.txt")


def test_an_earlier_copy_arriving_late_takes_over_as_original(session: Session) -> None:
    later = add(session, "later", WIRE, T0 + timedelta(hours=5))
    run(session)
    assert later.status == "unique"
    earlier = add(session, "earlier", "Titre\n" + WIRE, T0)
    third = add(session, "third", WIRE + "\nFin.", T0 + timedelta(hours=9))
    report = run(session)
    assert report.superseded == 1
    assert earlier.status == "unique"
    assert earlier.duplicate_of_id is None
    assert later.status == "duplicate"
    assert later.duplicate_of_id == earlier.id
    assert third.duplicate_of_id == earlier.id
    assert later.story_id == earlier.story_id == third.story_id


def test_an_update_of_one_article_is_not_its_own_duplicate(session: Session) -> None:
    article = add(session, "a", WIRE, T0)
    run(session)
    updated = WIRE + "\nLe bilan a été revu à la hausse mardi."
    article.text = updated
    article.new_sentences = new_sentences(WIRE, updated)
    article.status = "new"
    session.commit()
    run(session)
    assert article.status == "unique"
    assert article.duplicate_of_id is None
    assert article.new_sentences == ["Le bilan a été revu à la hausse mardi."]
    bands = session.scalar(select(func.count()).where(MinhashBand.article_id == article.id))
    assert bands
    assert bands == len(fingerprint(WIRE).band_keys()) + STORY_BANDS


def test_the_index_survives_a_restart(db_url: str) -> None:
    with sessionmaker(get_engine(db_url), expire_on_commit=False)() as first_session:
        original_id = add(first_session, "a", WIRE, T0).id
        run(first_session)
    dispose_engines()
    with sessionmaker(get_engine(db_url), expire_on_commit=False)() as second_session:
        copy = add(second_session, "b", WIRE.replace("lundi", "lundi soir"), T0 + timedelta(1))
        run(second_session)
        assert copy.duplicate_of_id == original_id


def test_empty_text_is_skipped_with_a_reason(session: Session) -> None:
    article = add(session, "empty", " \n ", T0)
    report = run(session)
    assert article.status == "skipped"
    assert "no text" in article.reason
    assert report.skipped == 1
    assert report.processed == 1


def test_only_new_articles_are_decided_and_limit_is_respected(session: Session) -> None:
    for i in range(3):
        add(session, f"a{i}", WIRE.replace("9 millions", f"{i + 1} millions"), T0 + timedelta(i))
    done = add(session, "done", "Texte déjà analysé.", T0, canonical_url=None)
    done.status = "analysed"
    session.commit()
    report = dedup_pending(session, load_settings(), limit=1)
    assert report.processed == 1
    assert report.unique == 1
    report = run(session)
    assert report.processed == 2
    assert report.near_duplicates == 2
    assert run(session).processed == 0
    assert done.status == "analysed"
    assert done.text_hash is None


# --- second copies: one canonical URL, two fetches -------------------------------------------

PLAN = "Le gouvernement a annoncé mardi un plan de 3 milliards d'euros. Les syndicats réagissent."


def _extracted(session: Session, name: str, text: str | None, **fields) -> Article:
    article = Article(url=f"https://www.example.fr/{name}", text=text, status="new", **fields)
    session.add(article)
    session.flush()
    return article


def test_the_first_article_to_claim_an_address_holds_it(session: Session) -> None:
    first = _extracted(session, "a?utm=1", PLAN)
    second = _extracted(session, "a?utm=2", PLAN)
    other = _extracted(session, "b", PLAN)
    canonical = "https://www.example.fr/a"
    claimed = canonical_holders(session, [canonical])
    assert claimed == {}
    claims = [(first, canonical), (second, canonical), (other, "https://www.example.fr/b")]
    assert claim_canonicals(session, claims, claimed) == [None, first, None]
    assert first.canonical_url == canonical
    assert second.canonical_url is None
    assert claimed == {canonical: first, "https://www.example.fr/b": other}
    # a later batch finds the holders in the store, and a holder claiming again keeps its address
    assert canonical_holders(session, [canonical, "https://www.example.fr/b"]) == claimed
    assert claim_canonicals(session, [(first, canonical)], claimed) == [None]


def test_a_claim_lost_to_another_writer_finds_the_winner(session: Session) -> None:
    """The batch's holders were read before another process stored the address: the unique
    constraint refuses the batch, which is claimed again one article at a time: the article that
    holds the address is returned, and the rest of the batch still takes its own."""
    canonical = "https://www.example.fr/c"
    winner = _extracted(session, "c-elsewhere", PLAN, canonical_url=canonical)
    late = _extracted(session, "c", PLAN)
    alone = _extracted(session, "e", PLAN)
    claims = [(alone, "https://www.example.fr/e"), (late, canonical)]
    assert claim_canonicals(session, claims, claimed={}) == [None, winner]
    assert late.canonical_url is None
    assert alone.canonical_url == "https://www.example.fr/e"
    session.flush()
    stored = session.scalar(select(Article.canonical_url).where(Article.id == alone.id))
    assert stored == "https://www.example.fr/e"


def test_a_second_copy_with_the_same_text_is_a_duplicate(session: Session) -> None:
    holder = _extracted(session, "d", PLAN, canonical_url="https://www.example.fr/d")
    copy = _extracted(session, "d?x=1", "  " + PLAN.upper().lower())
    assert settle_second_copy(copy, holder, copy.text, "Titre", "fr") == "duplicate"
    assert (copy.status, copy.duplicate_of_id, copy.reason) == (
        "duplicate",
        holder.id,
        "same canonical URL",
    )
    assert holder.text == PLAN  # untouched


def test_a_second_copy_with_new_text_updates_an_analysed_holder(session: Session) -> None:
    holder = _extracted(
        session, "e", PLAN, canonical_url="https://www.example.fr/e", analysed_at=T0
    )
    holder.status = "analysed"
    newer = PLAN + " Le Premier ministre sera entendu jeudi au Sénat."
    copy = _extracted(session, "e?v=2", newer)
    assert settle_second_copy(copy, holder, newer, "Nouveau titre", "fr") == "update"
    assert (holder.text, holder.title, holder.status) == (newer, "Nouveau titre", "unique")
    assert holder.new_sentences == ["Le Premier ministre sera entendu jeudi au Sénat."]
    assert holder.analysed_at is None
    assert (copy.status, copy.duplicate_of_id) == ("duplicate", holder.id)
    assert copy.reason == f"update of article {holder.id}: 1 new sentences"


def test_a_foreign_second_copy_never_replaces_the_stored_text(session: Session) -> None:
    holder = _extracted(session, "f", PLAN, canonical_url="https://www.example.fr/f")
    copy = _extracted(session, "f?lang=en", "The government announced a plan on Tuesday.")
    copy.status = "skipped"
    assert settle_second_copy(copy, holder, copy.text, "Plan", "en") is None
    assert (holder.text, copy.status, copy.duplicate_of_id) == (PLAN, "skipped", None)
