"""The analysis stage: facts, alerts, corroboration, idempotence, publication-time priority."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from vigie.analysis import analyse_pending, pending_articles
from vigie.config import load_settings
from vigie.nlp.types import Analysis, Declaration, Figure
from vigie.store.models import Alert, Article, Fact, FactMention

# --- a scripted analyser: each article's title names what it "finds" ---------------------------


def troops(value: float, qualifier: str | None = None, *, additional: bool = False) -> Figure:
    return Figure(
        value=value,
        measure="troops_sent",
        object="soldats",
        evidence=f"{qualifier or ''} {value:.0f} soldats envoyés.".strip(),
        qualifier=qualifier,
        additional=additional,
    )


def workers(value: float) -> Figure:
    return Figure(value=value, measure="workers", object="travailleurs", evidence="…")


def said(speaker: str | None, quote: str) -> Declaration:
    return Declaration(quote=quote, evidence=f"« {quote} », a-t-il dit.", speaker=speaker)


class ScriptedAnalyser:
    """Stands in for spaCy: returns the analysis scripted for each title, records the calls."""

    def __init__(self, script: dict[str, Analysis]) -> None:
        self.script = script
        self.calls: list[tuple[str, list[str] | None]] = []

    def analyse(self, title: str, text: str, *, focus: list[str] | None = None) -> Analysis:
        self.calls.append((title, focus))
        if title == "boom":
            raise ValueError("unreadable text")
        return self.script.get(title, Analysis(relevant=False, reason="no link between sides"))


def relevant(*facts: Figure | Declaration, events: list[str] | None = None) -> Analysis:
    return Analysis(
        relevant=True,
        reason="Russie–Corée du Nord linked in the title",
        events=events or [],
        figures=[f for f in facts if isinstance(f, Figure)],
        declarations=[d for d in facts if isinstance(d, Declaration)],
    )


def add_article(
    session: Session,
    title: str,
    day: int | None,
    *,
    baseline: bool = False,
    outlet: str = "Gazette du Nord",
    status: str = "unique",
    new_sentences: list[str] | None = None,
) -> Article:
    url = f"https://www.exemple.fr/{outlet.split()[-1].lower()}/{title.replace(' ', '-')}"
    article = Article(
        url=url,
        canonical_url=url,
        outlet=outlet,
        title=title,
        text=f"Texte de {title}.",
        published=datetime(2026, 1, day, 9, tzinfo=UTC) if day else None,
        status=status,
        baseline=baseline,
        seed_name=f"{title}.txt" if baseline else None,
        new_sentences=new_sentences,
    )
    session.add(article)
    session.commit()
    return article


@pytest.fixture
def settings(db_url: str):
    return load_settings()


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


# --- baseline, novelty, corroboration ----------------------------------------------------------

SCRIPT = {
    "seed": relevant(troops(15000, "environ"), said("Kim Jong Un", "l'alliance la plus sincère")),
    "same troops": relevant(troops(15000, "quelque")),
    "more troops": relevant(troops(3000, "au moins", additional=True)),
    "workers": relevant(workers(15000)),
    "new quote": relevant(said("Vladimir Poutine", "Nous ouvrons un nouveau chapitre")),
    "reworded quote": relevant(said("Kim Jong Un", "alliance la plus sincère")),
    "unattributed": relevant(said(None, "Une phrase sans auteur connu")),
    "noise": Analysis(relevant=False, reason="no Russia–DPRK link"),
}


def test_baseline_known_new_facts_alert_once(session: Session, settings) -> None:
    add_article(session, "seed", 20, baseline=True)  # dated after the others: still first
    for day, title in enumerate(
        ["same troops", "more troops", "workers", "new quote", "reworded quote", "unattributed"], 1
    ):
        add_article(session, title, day)
    add_article(session, "noise", 9)

    report = analyse_pending(session, settings, analyser=ScriptedAnalyser(SCRIPT))

    facts = {(f.kind, f.measure or f.speaker, f.value): f for f in session.scalars(select(Fact))}
    seed_troops = facts[("figure", "troops_sent", 15000)]
    assert seed_troops.baseline
    assert seed_troops.article.title == "seed"
    alerted = {(a.fact.article.title, a.fact.kind) for a in session.scalars(select(Alert))}
    assert alerted == {
        ("more troops", "figure"),
        ("workers", "figure"),
        ("new quote", "declaration"),
    }
    assert report.alerts == 3
    assert report.new_figures == 2
    assert report.new_declarations == 1
    assert report.corroborations == 2  # "same troops" and "reworded quote"
    assert report.unattributed == 1
    assert report.summary().startswith(
        "8 articles analysed: 7 relevant, 1 irrelevant; 3 new facts (2 figures, 1 declaration), "
        "2 corroborations; 3 alerts pending"
    )
    unattributed = session.scalars(select(Fact).where(Fact.attributed.is_(False))).one()
    assert unattributed.speaker is None
    mentions = session.scalars(
        select(FactMention).where(FactMention.fact_id == seed_troops.id)
    ).all()
    assert sorted(m.article_id for m in mentions) == sorted(
        a.id
        for a in session.scalars(select(Article).where(Article.title.in_(["seed", "same troops"])))
    )
    noise = session.scalars(select(Article).where(Article.title == "noise")).one()
    assert (noise.status, noise.relevant, noise.reason) == (
        "irrelevant",
        False,
        "no Russia–DPRK link",
    )
    seed = session.scalars(select(Article).where(Article.title == "seed")).one()
    assert seed.status == "analysed"
    assert seed.relevant
    assert seed.analysed_at is not None


def test_alert_lists_what_was_previously_known(session: Session, settings) -> None:
    add_article(session, "seed", 1, baseline=True)
    add_article(session, "new figure", 5)
    script = {**SCRIPT, "new figure": relevant(troops(30000))}
    analyse_pending(session, settings, analyser=ScriptedAnalyser(script))
    alert = session.scalars(select(Alert)).one()
    assert alert.historical is False
    [known] = alert.previously_known
    assert known["value"] == 15000
    assert known["qualifier"] == "environ"
    assert known["baseline"] is True
    assert known["article_url"].endswith("/seed")
    assert known["evidence"] == "environ 15000 soldats envoyés."


def test_previously_known_is_the_latest_earlier_facts_up_to_the_limit(
    session: Session, settings
) -> None:
    """Most recent first, none held after the alerted one, capped (novelty.yaml's limit)."""
    from vigie.novelty import load_rules

    limit = load_rules().previously_known_limit
    days = list(range(1, limit + 4))  # more earlier facts than the limit
    script = {}
    for day in days:
        add_article(session, f"troops {day}", day)
        script[f"troops {day}"] = relevant(troops(1000.0 * day))
    add_article(session, "undated", None)
    script["undated"] = relevant(troops(99000))
    analyse_pending(session, settings, analyser=ScriptedAnalyser(script))
    known = session.scalars(select(Alert).join(Fact).where(Fact.value == days[-2] * 1000.0)).one()
    values = [k["value"] for k in known.previously_known]
    assert values == [1000.0 * d for d in reversed(days[:-2])][:limit]
    last = session.scalars(select(Alert).join(Fact).where(Fact.value == 99000)).one()
    assert [k["value"] for k in last.previously_known][:2] == [days[-1] * 1000.0, days[-2] * 1000.0]
    assert len(last.previously_known) == limit


def test_second_outlet_corroborates_without_second_alert(session: Session, settings) -> None:
    add_article(session, "first", 1, outlet="Gazette du Nord")
    add_article(session, "second", 2, outlet="Le Matin Alpin")
    script = {"first": relevant(troops(20000)), "second": relevant(troops(20000, "environ"))}
    analyse_pending(session, settings, analyser=ScriptedAnalyser(script), historical=True)
    fact = session.scalars(select(Fact)).one()
    assert {m.outlet for m in fact.mentions} == {"Gazette du Nord", "Le Matin Alpin"}
    alert = session.scalars(select(Alert)).one()
    assert alert.historical is True
    assert alert.fact_id == fact.id


def test_rerun_adds_nothing(session: Session, settings) -> None:
    add_article(session, "seed", 1, baseline=True)
    add_article(session, "more troops", 2)
    analyser = ScriptedAnalyser(SCRIPT)
    analyse_pending(session, settings, analyser=analyser)
    before = (count(session, Fact), count(session, Alert), count(session, FactMention))

    again = analyse_pending(session, settings, analyser=analyser)
    assert again.analysed == 0
    assert len(analyser.calls) == 2
    # even forcing a re-analysis adds no fact, mention or alert
    for article in session.scalars(select(Article)):
        article.analysed_at = None
        article.status = "unique"
    session.commit()
    forced = analyse_pending(session, settings, analyser=analyser)
    assert forced.analysed == 2
    assert forced.alerts == 0
    assert forced.corroborations == 0
    assert (count(session, Fact), count(session, Alert), count(session, FactMention)) == before


# --- publication-time priority -----------------------------------------------------------------

ORDER_SCRIPT = {
    "a": relevant(troops(20000, "environ"), said("Kim Jong Un", "Nous vaincrons ensemble")),
    "b": relevant(troops(20000), workers(800)),
    "c": relevant(said("Kim Jong Un", "Nous vaincrons ensemble, camarades"), workers(800)),
    "d": relevant(troops(40000)),
    "e": relevant(troops(19700, "plus de")),  # within 2 %: the same fact
    "undated": relevant(troops(40000)),
}
DAYS = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "undated": None}


def _replay(session: Session, settings, order: list[str]) -> tuple[list, list, list]:
    """Articles arrive (and are analysed) one at a time in ``order``; what facts result?"""
    for model in (Alert, FactMention, Fact, Article):
        session.execute(delete(model))
    session.commit()
    analyser = ScriptedAnalyser(ORDER_SCRIPT)
    for title in order:
        add_article(session, title, DAYS[title])
        analyse_pending(session, settings, analyser=analyser)
    facts = sorted(
        (
            f.kind,
            f.measure or f.speaker,
            f.value,
            f.qualifier,
            f.quote,
            f.article.title,
            f.fingerprint,
        )
        for f in session.scalars(select(Fact))
    )
    alerts = sorted(a.fact.article.title for a in session.scalars(select(Alert)))
    titles = {a.id: a.title for a in session.scalars(select(Article))}
    mentions = sorted(
        (m.fact.fingerprint, titles[m.article_id]) for m in session.scalars(select(FactMention))
    )
    return facts, alerts, mentions


def test_any_arrival_order_gives_the_same_facts(session: Session, settings) -> None:
    forwards = _replay(session, settings, list(DAYS))
    assert _replay(session, settings, list(reversed(DAYS))) == forwards
    assert _replay(session, settings, ["c", "e", "a", "undated", "d", "b"]) == forwards
    facts, alerts, mentions = forwards
    holders = {(kind, what, value): title for kind, what, value, *_, title, _ in facts}
    assert holders == {
        ("figure", "troops_sent", 20000): "a",
        ("figure", "workers", 800): "b",
        ("figure", "troops_sent", 40000): "d",  # the undated copy comes after every date
        ("declaration", "Kim Jong Un", None): "a",
    }
    assert alerts == ["a", "a", "b", "d"]
    assert len(mentions) == 9


def test_late_older_article_takes_the_fact_without_second_alert(session: Session, settings) -> None:
    add_article(session, "b", 2)
    analyse_pending(session, settings, analyser=ScriptedAnalyser(ORDER_SCRIPT))
    alert = session.scalars(select(Alert).join(Fact).where(Fact.measure == "troops_sent")).one()
    assert alert.fact.article.title == "b"

    add_article(session, "a", 1)  # published earlier, arrives later
    report = analyse_pending(session, settings, analyser=ScriptedAnalyser(ORDER_SCRIPT))
    assert report.reattributed == 1
    session.expire_all()
    fact = session.get(Fact, alert.fact_id)
    assert fact.article.title == "a"
    assert fact.published == datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert (fact.qualifier, fact.evidence) == ("environ", "environ 20000 soldats envoyés.")
    assert count(session, Alert) == 3  # b's troops (moved to a) and workers, a's new quote
    assert len(fact.mentions) == 2


# --- what gets analysed, and failures ----------------------------------------------------------


def test_picks_unique_and_duplicates_with_new_sentences(session: Session, settings) -> None:
    seed = add_article(session, "seed", 9, baseline=True)
    update = add_article(
        session, "more troops", 1, status="duplicate", new_sentences=["Trois mille de plus."]
    )
    add_article(session, "plain copy", 2, status="duplicate", new_sentences=[])
    add_article(session, "waiting dedup", 3, status="new")
    later = add_article(session, "workers", None)
    assert pending_articles(session) == [seed.id, update.id, later.id]
    assert pending_articles(session, limit=1) == [seed.id]

    analyser = ScriptedAnalyser(SCRIPT)
    analyse_pending(session, settings, analyser=analyser)
    assert ("more troops", ["Trois mille de plus."]) in analyser.calls
    session.refresh(update)
    assert update.status == "duplicate"
    assert update.relevant is True
    assert sorted(a.fact.article.title for a in session.scalars(select(Alert))) == [
        "more troops",
        "workers",
    ]


def test_a_failing_article_is_recorded_and_the_run_goes_on(session: Session, settings) -> None:
    broken = add_article(session, "boom", 1)
    add_article(session, "workers", 2)
    report = analyse_pending(session, settings, analyser=ScriptedAnalyser(SCRIPT))
    assert report.failed == 1
    assert report.alerts == 1
    session.refresh(broken)
    assert broken.status == "failed"
    assert broken.reason == "analysis failed: ValueError: unreadable text"
    assert "1 failed" in report.summary()


# --- real French pages: nothing about Russia and North Korea, so no alert ----------------------


def test_no_alert_on_real_french_pages(session: Session, settings, shared_dir: Path) -> None:
    import json

    from vigie.dedup import dedup_pending
    from vigie.ingest.extract_stage import extract_pending
    from vigie.nlp.analyse import Analyser
    from vigie.watch import load_watch

    pages = shared_dir / "real-pages" / "fr"
    expected = json.loads((pages / "expected.json").read_text(encoding="utf-8"))
    for url, meta in expected.items():
        article = Article(url=url, status="fetched", raw_content_type="text/html")
        article.raw = (pages / meta["file"]).read_bytes()
        session.add(article)
    session.commit()
    extract_pending(session, settings)
    session.commit()
    dedup_pending(session, settings)
    session.commit()
    report = analyse_pending(session, settings, analyser=Analyser(load_watch(settings.watch_file)))

    assert report.analysed >= 15  # the pages did reach the analysis
    assert report.alerts == 0
    assert count(session, Alert) == 0


def test_real_analysis_finds_the_same_facts_in_any_order(
    session: Session, settings, shared_dir: Path
) -> None:
    """The seeds and the dev corpus through spaCy, arriving forwards then backwards."""
    from vigie.config import PROJECT_DIR
    from vigie.evaluate import load_corpus
    from vigie.nlp.analyse import Analyser
    from vigie.watch import load_watch

    analyser = Analyser(load_watch(settings.watch_file))
    corpus = [
        c
        for c in load_corpus(shared_dir / "eval-dev" / "corpus.yaml")
        if c.relevant and not c.duplicate_of
    ]
    corpus.sort(key=lambda c: c.published)

    def replay(order: list) -> tuple[list, list]:
        for model in (Alert, FactMention, Fact, Article):
            session.execute(delete(model))
        for seed in sorted((PROJECT_DIR / "seeds").glob("*.txt")):
            url = f"seed:{seed.name}"
            text = seed.read_text(encoding="utf-8")
            session.add(
                Article(url=url, canonical_url=url, text=text, status="unique", baseline=True)
            )
        session.commit()
        analyse_pending(session, settings, analyser=analyser)
        for item in order:
            session.add(
                Article(
                    url=item.url,
                    canonical_url=item.url,
                    title=item.title,
                    text=item.text,
                    published=item.published,
                    status="unique",
                )
            )
            session.commit()
            analyse_pending(session, settings, analyser=analyser)
        facts = sorted(
            (f.kind, f.measure or f.speaker or "", f.value or 0, f.quote or "", f.article.url)
            for f in session.scalars(select(Fact))
        )
        alerts = sorted(a.fact.article.url for a in session.scalars(select(Alert)))
        return facts, alerts

    forwards = replay(corpus)
    backwards = replay(list(reversed(corpus)))
    assert backwards == forwards
    assert len(forwards[1]) >= 5  # the corpus's new facts did raise alerts


# --- one flush an article: queries skip autoflush and test unwritten facts in Python -----------


def test_an_article_repeating_its_own_facts_records_each_once(session: Session, settings) -> None:
    """The second figure and quote meet the article's own facts, not yet written: no second
    fact, no second mention, no corroboration; the alerts' ids reach the report."""
    add_article(session, "twice", 1)
    script = {
        "twice": relevant(
            troops(20000),
            troops(20100, "environ"),
            said("Kim Jong Un", "Nous vaincrons ensemble"),
            said("Kim Jong Un", "Nous vaincrons ensemble !"),
        )
    }
    report = analyse_pending(session, settings, analyser=ScriptedAnalyser(script))
    assert (count(session, Fact), count(session, FactMention), count(session, Alert)) == (2, 2, 2)
    assert report.corroborations == 0
    assert sorted(report.alert_ids) == sorted(session.scalars(select(Alert.id)))


def test_a_take_over_is_seen_by_the_articles_next_facts(session: Session, settings) -> None:
    """A late older article takes a fact over, then names a figure only the taken fact's new
    value reaches: the take-over is written before the next query."""
    add_article(session, "later", 5)
    script = {"later": relevant(troops(20000)), "earlier": relevant(troops(20300), troops(20700))}
    analyse_pending(session, settings, analyser=ScriptedAnalyser(script))
    add_article(session, "earlier", 1)
    report = analyse_pending(session, settings, analyser=ScriptedAnalyser(script))
    assert (report.reattributed, report.corroborations, report.alerts) == (1, 0, 0)
    [fact] = session.scalars(select(Fact)).all()
    assert (fact.value, fact.article.title) == (20300, "earlier")
    assert count(session, FactMention) == 2


def _grid_facts(session: Session) -> list[Fact]:
    """Stored facts varied on every column the candidates' filters read."""
    article = add_article(session, "grid", 1)
    values = [(19000.0, None), (20000.0, None), (21500.0, None), (100.0, 20050.0), (None, None)]
    facts = [
        Fact(kind="figure", measure=measure, value=value, value_high=high, additional=additional)
        for measure in ("troops_sent", "workers", None)
        for additional in (False, True)
        for value, high in [*values, (30000.0, 20100.0)]
    ]
    facts += [
        Fact(kind="declaration", speaker=speaker, baseline=baseline, attributed=attributed)
        for speaker in ("Kim Jong Un", "Vladimir Poutine", None)
        for baseline in (False, True)
        for attributed in (False, True)
    ]
    for i, fact in enumerate(facts):
        fact.fingerprint, fact.article, fact.evidence = f"grid {i}", article, "e"
    session.add_all(facts)
    session.commit()
    return facts


def test_the_candidates_python_twins_agree_with_their_sql(session: Session) -> None:
    """``_is_*_candidate`` stands for the WHERE clause on facts not written yet: on stored
    facts both must pick the same ones."""
    from vigie.analysis import (
        _DECLARATION_FILTERS,
        _FIGURE_FILTER,
        _figure_params,
        _is_declaration_candidate,
        _is_figure_candidate,
    )

    facts = _grid_facts(session)
    some_fingerprint = facts[3].fingerprint
    for figure in (troops(20000), troops(20000, additional=True), workers(20200), workers(5)):
        for fingerprint in ("none", some_fingerprint):
            params = _figure_params(figure, fingerprint)
            stored = set(session.scalars(select(Fact.id).where(_FIGURE_FILTER), params))
            twin = {f.id for f in facts if _is_figure_candidate(f, figure, fingerprint)}
            assert twin == stored
    for speaker in ("Kim Jong Un", "Choe Son Hui", None):
        for fingerprint in ("none", facts[-1].fingerprint):
            where = _DECLARATION_FILTERS[speaker is not None]
            params = {"speaker": speaker, "fingerprint": fingerprint}
            stored = set(session.scalars(select(Fact.id).where(where), params))
            twin = {f.id for f in facts if _is_declaration_candidate(f, speaker, fingerprint)}
            assert twin == stored


def test_previously_known_reads_past_a_page_ending_in_a_tie(session: Session, settings) -> None:
    """More facts than a page share one date: the address settles them (highest first), as
    when the whole measure was read."""
    from vigie.novelty import load_rules

    limit = load_rules().previously_known_limit
    script = {}
    for i in range(2 * limit + 4):
        title = f"tie {i:02d}"
        add_article(session, title, 2, outlet=f"Outlet {i:02d}")
        script[title] = relevant(troops(1000.0 * (i + 1)))
    add_article(session, "seed", 3, baseline=True)
    script["seed"] = relevant(troops(500))
    add_article(session, "last", 4)
    script["last"] = relevant(troops(90000))
    analyse_pending(session, settings, analyser=ScriptedAnalyser(script))
    last = session.scalars(select(Alert).join(Fact).where(Fact.value == 90000)).one()
    urls = [k["article_url"] for k in last.previously_known]
    ties = sorted(
        (a.url for a in session.scalars(select(Article)) if a.title.startswith("tie")), reverse=True
    )
    assert urls == ties[:limit]
