"""The analysis stage: relevance, events and facts for every article waiting for it.

An article's figures and declarations are compared with the facts the store holds (rules in
``vigie.novelty``). A fact nobody held becomes a Fact and, outside the baseline, one pending Alert
in the same transaction (DESIGN.md principle 4); a known fact gains a FactMention, the
corroboration count. Priority follows principle 7: the baseline holds its facts from the start;
beyond it the earliest publication holds a fact, so a late-arriving older article takes the fact
over (its attribution, evidence and wording) without a second alert. Each article is committed on
its own: a crash loses at most one article's work, and a re-run adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, and_, bindparam, false, or_, select, true
from sqlalchemy.orm import Session, defer, joinedload

from vigie.config import Settings
from vigie.nlp.types import Analysis, Declaration, Figure
from vigie.novelty import (
    candidate_range,
    declaration_fingerprint,
    figure_fingerprint,
    figures_compatible,
    load_rules,
    priority,
    quote_covered,
)
from vigie.store.models import Alert, Article, Fact, FactMention

log = logging.getLogger("vigie.analysis")

# Irrelevant verdicts committed together (see analyse_pending).
IRRELEVANT_BATCH = 200


class Analyser(Protocol):
    def analyse(self, title: str, text: str, *, focus: list[str] | None = None) -> Analysis: ...


@dataclass
class AnalysisReport:
    """What one analysis run did, in numbers an operator reads."""

    analysed: int = 0
    relevant: int = 0
    irrelevant: int = 0
    failed: int = 0
    new_figures: int = 0
    new_declarations: int = 0
    unattributed: int = 0
    baseline_facts: int = 0
    corroborations: int = 0
    reattributed: int = 0
    alerts: int = 0
    alert_ids: list[int] = field(default_factory=list)

    def add(self, other: AnalysisReport) -> None:
        """Fold the counts of one article's report into this one."""
        for name, value in vars(other).items():
            current = getattr(self, name)
            setattr(self, name, current + value)

    @property
    def new_facts(self) -> int:
        return self.new_figures + self.new_declarations

    def summary(self) -> str:
        kinds = (
            f"{_count(self.new_figures, 'figure')}, {_count(self.new_declarations, 'declaration')}"
        )
        line = (
            f"{self.analysed} articles analysed: {self.relevant} relevant, "
            f"{self.irrelevant} irrelevant; {self.new_facts} new facts ({kinds}), "
            f"{_count(self.corroborations, 'corroboration')}; {self.alerts} alerts pending"
        )
        extras = []
        if self.baseline_facts:
            extras.append(f"{self.baseline_facts} baseline facts")
        if self.reattributed:
            extras.append(f"{self.reattributed} facts taken over by an earlier article")
        if self.unattributed:
            extras.append(f"{_count(self.unattributed, 'unattributed quote')} kept without alert")
        if self.failed:
            extras.append(f"{self.failed} failed")
        return line + ("; " + ", ".join(extras) if extras else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def pending_articles(session: Session, limit: int | None = None) -> list[int]:
    """Ids waiting for analysis: baseline first, then by publication (undated last)."""
    rows = session.execute(
        select(Article.id, Article.status, Article.new_sentences)
        .where(
            Article.analysed_at.is_(None),
            or_(
                Article.status == "unique",
                and_(Article.status == "duplicate", Article.new_sentences.is_not(None)),
            ),
        )
        .order_by(
            Article.baseline.desc(),
            Article.published.is_(None),
            Article.published,
            Article.id,
        )
    ).all()
    ids = [row.id for row in rows if row.status == "unique" or row.new_sentences]
    return ids[:limit] if limit is not None else ids


def analyse_pending(
    session: Session,
    settings: Settings,
    *,
    analyser: Analyser | None = None,
    historical: bool = False,
    limit: int | None = None,
) -> AnalysisReport:
    """Analyse every article waiting for it; ``historical`` marks the alerts of a backfill.

    A relevant article's facts and alerts are committed with it. Irrelevant verdicts are
    committed in batches of ``IRRELEVANT_BATCH``: a crash costs only re-running the cheap gate on
    them, and a commit per article would cost more than the gate itself.
    """
    report = AnalysisReport()
    ids = pending_articles(session, limit)
    if not ids:
        return report
    if analyser is None:
        from vigie.nlp.analyse import Analyser as SpacyAnalyser
        from vigie.watch import load_watch

        analyser = SpacyAnalyser(load_watch(settings.watch_file))
    uncommitted = 0
    loaded: dict[int, Article] = {}
    for position, article_id in enumerate(ids):
        if position % IRRELEVANT_BATCH == 0:
            loaded = _load_articles(session, ids[position : position + IRRELEVANT_BATCH])
        article = loaded.get(article_id)
        if article is None:
            continue
        try:
            result = read_article(analyser, article)
        except Exception as exc:  # one bad article must not stop the run: record why
            log.exception("analysis of article %s failed", article_id)
            _mark_failed(article, exc)
            report.failed += 1
            uncommitted += 1
            continue
        if not result.relevant:
            record_analysis(session, article, result, report, historical=historical)
            uncommitted += 1
            if uncommitted >= IRRELEVANT_BATCH:
                session.commit()
                uncommitted = 0
            continue
        if uncommitted:
            session.commit()
            uncommitted = 0
        mine = AnalysisReport()
        try:
            record_analysis(session, article, result, mine, historical=historical)
            session.commit()
        except Exception as exc:  # a store error on one article: the others go on
            session.rollback()
            log.exception("recording the facts of article %s failed", article_id)
            _mark_failed(session.get(Article, article_id), exc)
            session.commit()
            report.failed += 1
            continue
        report.add(mine)
    session.commit()
    return report


def _load_articles(session: Session, ids: list[int]) -> dict[int, Article]:
    """The articles of ``ids`` in one query, held until the next batch: a ``session.get`` per
    article cost a query and, by autoflushing the previous verdict, a single-row UPDATE each
    (more than the gate itself); this way a batch's verdicts go out together at its commit.
    The raw page is not read here, so it is not loaded."""
    rows = session.scalars(
        select(Article).options(defer(Article.raw_compressed)).where(Article.id.in_(ids))
    )
    return {article.id: article for article in rows}


def _mark_failed(article: Article | None, exc: Exception) -> None:
    if article is None:
        return
    article.status = "failed"
    article.reason = f"analysis failed: {type(exc).__name__}: {exc}"[:2000]
    article.analysed_at = datetime.now(UTC)


def read_article(analyser: Analyser, article: Article) -> Analysis:
    """The analyser's verdict on one article; a near duplicate is read for its new sentences."""
    focus = article.new_sentences if article.status == "duplicate" else None
    return analyser.analyse(article.title or "", article.text or "", focus=focus)


def analyse_article(
    session: Session,
    article: Article,
    analyser: Analyser,
    report: AnalysisReport,
    *,
    historical: bool = False,
) -> None:
    """Analyse one article and record its facts (the caller commits)."""
    record_analysis(
        session, article, read_article(analyser, article), report, historical=historical
    )


ANALYSIS_REASON = " · analyse : "


def _with_earlier_reason(article: Article, reason: str) -> str:
    """The analysis verdict after what an earlier stage said ("empty page: feed summary
    used"), which stays readable; a re-analysis replaces only its own part."""
    earlier = article.reason or ""
    if ANALYSIS_REASON in earlier:
        earlier = earlier.partition(ANALYSIS_REASON)[0]
    elif article.analysed_at is not None:
        earlier = ""  # the whole reason was an earlier analysis's
    return f"{earlier}{ANALYSIS_REASON}{reason}" if earlier else reason


def record_analysis(
    session: Session,
    article: Article,
    result: Analysis,
    report: AnalysisReport,
    *,
    historical: bool = False,
) -> None:
    """Store the verdict on ``article`` and its new facts, mentions and alerts (no commit).

    A relevant article's new rows are written in one flush at the end rather than one per fact
    (a flush costs more than the queries): until then the queries skip autoflush and add what
    the session holds unwritten (see ``_unwritten``). Only a take-over, which rewrites a stored
    fact, is written at once.
    """
    if result.relevant:
        session.flush()  # anything the caller left pending is written, so what stays is ours
    report.analysed += 1
    article.relevant = result.relevant
    article.reason = _with_earlier_reason(article, result.reason)
    article.analysed_at = datetime.now(UTC)
    if not result.relevant:
        report.irrelevant += 1
        if article.status != "duplicate":
            article.status = "irrelevant"
        return
    report.relevant += 1
    article.events = list(result.events)
    if article.status != "duplicate":
        article.status = "analysed"
    alerts: list[Alert] = []
    for figure in result.figures:
        _record_figure(session, article, figure, report, historical, alerts)
    for declaration in result.declarations:
        _record_declaration(session, article, declaration, report, historical, alerts)
    session.flush()
    report.alert_ids += [alert.id for alert in alerts]


# --- recording facts ---------------------------------------------------------------------------


def _holder(fact: Fact) -> tuple:
    return priority(fact.baseline, fact.published, _address(fact.article))


def _address(article: Article) -> str:
    return article.canonical_url or article.url or ""


def _unwritten(session: Session) -> list[Fact]:
    """The facts added to the session and not flushed yet: this article's new ones, which the
    queries below (run without autoflush) do not see, so each is tested in Python by the same
    condition as its query's WHERE clause."""
    return [obj for obj in session.new if isinstance(obj, Fact)]


# The candidates' queries are built once, with parameters: building the expression and its
# cache key anew for every figure and quote cost more than running the query.
_FIGURE_FILTER = or_(
    and_(
        Fact.kind == "figure",
        Fact.measure == bindparam("measure"),
        Fact.additional == bindparam("additional"),
        or_(Fact.value <= bindparam("highest"), Fact.value_high <= bindparam("highest")),
        or_(Fact.value >= bindparam("lowest"), Fact.value_high >= bindparam("lowest")),
    ),
    Fact.fingerprint == bindparam("fingerprint"),
)
"""The stored facts a figure may repeat: same measure and kind, a value in reach
(``candidate_range``), or the same fingerprint. ``_is_figure_candidate`` is its twin."""


def _figure_params(figure: Figure, fingerprint: str) -> dict[str, Any]:
    lowest, highest = candidate_range(figure)
    return {
        "measure": figure.measure,
        "additional": bool(figure.additional),
        "lowest": lowest,
        "highest": highest,
        "fingerprint": fingerprint,
    }


def _is_figure_candidate(fact: Fact, figure: Figure, fingerprint: str) -> bool:
    """``_FIGURE_FILTER`` for a fact not written yet (a NULL value compares false)."""
    if fact.fingerprint == fingerprint:
        return True
    if (
        fact.kind != "figure"
        or fact.measure != figure.measure
        or fact.additional != bool(figure.additional)
    ):
        return False
    lowest, highest = candidate_range(figure)
    values = [v for v in (fact.value, fact.value_high) if v is not None]
    return any(v <= highest for v in values) and any(v >= lowest for v in values)


_DECLARATION_FILTERS = {
    True: or_(
        and_(
            Fact.kind == "declaration",
            or_(
                Fact.speaker == bindparam("speaker"),
                and_(Fact.baseline.is_(True), Fact.attributed == false()),
            ),
        ),
        Fact.fingerprint == bindparam("fingerprint"),
    ),
    False: or_(
        and_(Fact.kind == "declaration", or_(Fact.attributed == false(), Fact.baseline.is_(True))),
        Fact.fingerprint == bindparam("fingerprint"),
    ),
}
"""The stored facts a quote may repeat, by whether it has a speaker: the same speaker's (or,
unattributed, the other unattributed ones), the baseline's unattributed ones (all of the
baseline's, for an unattributed quote), or the same fingerprint (parameters ``speaker`` and
``fingerprint``). ``_is_declaration_candidate`` is their twin."""


def _is_declaration_candidate(fact: Fact, speaker: str | None, fingerprint: str) -> bool:
    """``_DECLARATION_FILTERS`` for a fact not written yet."""
    if fact.fingerprint == fingerprint:
        return True
    if fact.kind != "declaration":
        return False
    unattributed = fact.attributed is False
    if speaker is not None:
        return fact.speaker == speaker or (fact.baseline is True and unattributed)
    return unattributed or fact.baseline is True


def _candidates_query(where: ColumnElement[bool]) -> Select[tuple[Fact]]:
    """Facts matching ``where``, with the address of their articles (what ``_holder`` reads;
    the rest of an article, its text above all, is read only if something asks for it)."""
    article = joinedload(Fact.article).load_only(Article.canonical_url, Article.url)
    return select(Fact).options(article).where(where)


_FIGURE_CANDIDATES = _candidates_query(_FIGURE_FILTER)
_DECLARATION_CANDIDATES = {
    has_speaker: _candidates_query(where) for has_speaker, where in _DECLARATION_FILTERS.items()
}


def _candidates(session: Session, query: Select[tuple[Fact]], params: dict[str, Any]) -> list[Fact]:
    """The stored facts ``query`` finds, read without autoflush."""
    with session.no_autoflush:
        return list(session.scalars(query, params).all())


def _record_figure(
    session: Session,
    article: Article,
    figure: Figure,
    report: AnalysisReport,
    historical: bool,
    alerts: list[Alert],
) -> None:
    fingerprint = figure_fingerprint(figure)
    candidates = _candidates(session, _FIGURE_CANDIDATES, _figure_params(figure, fingerprint)) + [
        f for f in _unwritten(session) if _is_figure_candidate(f, figure, fingerprint)
    ]
    matches = [f for f in candidates if figures_compatible(figure, f)] or _same(
        candidates, fingerprint
    )
    if matches:
        _mention(session, min(matches, key=_holder), article, figure, report)
        return
    fact = Fact(
        fingerprint=fingerprint,
        kind="figure",
        article=article,
        published=article.published,
        baseline=article.baseline,
        measure=figure.measure,
        additional=bool(figure.additional),
        attributed=True,
    )
    _copy_figure(fact, figure)
    _new_fact(session, fact, article, figure.evidence, report, historical, alerts)


def _record_declaration(
    session: Session,
    article: Article,
    declaration: Declaration,
    report: AnalysisReport,
    historical: bool,
    alerts: list[Alert],
) -> None:
    """Match a quote against the same speaker's, or any the baseline holds unattributed.

    Beyond the baseline an unattributed quote is its own fact: it must not silence the alert of
    the first article that says who spoke (and the result must not depend on arrival order).
    """
    speaker = declaration.speaker
    fingerprint = declaration_fingerprint(speaker, declaration.quote)
    query = _DECLARATION_CANDIDATES[speaker is not None]
    params = {"speaker": speaker, "fingerprint": fingerprint}
    candidates = _candidates(session, query, params) + [
        f for f in _unwritten(session) if _is_declaration_candidate(f, speaker, fingerprint)
    ]
    matches = [f for f in candidates if quote_covered(declaration.quote, f.quote or "")] or _same(
        candidates, fingerprint
    )
    if matches:
        _mention(session, min(matches, key=_holder), article, declaration, report)
        return
    fact = Fact(
        fingerprint=fingerprint,
        kind="declaration",
        article=article,
        published=article.published,
        baseline=article.baseline,
        speaker=speaker,
        attributed=speaker is not None,
    )
    _copy_declaration(fact, declaration)
    _new_fact(session, fact, article, declaration.evidence, report, historical, alerts)


def _same(candidates: list[Fact], fingerprint: str) -> list[Fact]:
    """The fact already holding this fingerprint (one taken over keeps its first one).

    The candidates' query asks for it too, so that a new fact costs no query of its own.
    """
    return [f for f in candidates if f.fingerprint == fingerprint][:1]


def _copy_figure(fact: Fact, figure: Figure) -> None:
    fact.value = figure.value
    fact.value_high = figure.value_high
    fact.qualifier = figure.qualifier
    fact.object = figure.object
    fact.claimed_by = figure.claimed_by
    fact.period = figure.period
    fact.evidence = figure.evidence


def _copy_declaration(fact: Fact, declaration: Declaration) -> None:
    fact.quote = declaration.quote
    fact.evidence = declaration.evidence


def _new_fact(
    session: Session,
    fact: Fact,
    article: Article,
    evidence: str,
    report: AnalysisReport,
    historical: bool,
    alerts: list[Alert],
) -> None:
    """Add a fact, its first mention and, beyond the baseline, its alert (written later: the
    alert's id reaches the report after ``record_analysis``'s flush)."""
    session.add(fact)
    session.add(
        FactMention(fact=fact, article_id=article.id, outlet=article.outlet, evidence=evidence)
    )
    if fact.baseline:
        report.baseline_facts += 1
        return
    if not fact.attributed:
        report.unattributed += 1
        return
    # The article's unwritten facts are not missed: they share its holder, so none is earlier.
    with session.no_autoflush:
        known = previously_known(session, fact)
    alert = Alert(fact=fact, historical=historical, previously_known=known)
    session.add(alert)
    alerts.append(alert)
    report.alerts += 1
    if fact.kind == "figure":
        report.new_figures += 1
    else:
        report.new_declarations += 1


def _mention(
    session: Session,
    fact: Fact,
    article: Article,
    item: Figure | Declaration,
    report: AnalysisReport,
) -> None:
    """Record that ``article`` reports a known fact; an earlier article takes the fact over.

    The take-over rewrites a stored fact, so it is written at once: the next queries, which
    skip autoflush, must see the fact as it now is.
    """
    if _mentioned(session, fact, article):
        return
    session.add(
        FactMention(fact=fact, article_id=article.id, outlet=article.outlet, evidence=item.evidence)
    )
    if priority(article.baseline, article.published, _address(article)) < _holder(fact):
        _take_over(session, fact, article, item)
        report.reattributed += 1
        session.flush()
    else:
        report.corroborations += 1


def _mentioned(session: Session, fact: Fact, article: Article) -> bool:
    """Whether ``article`` already mentions ``fact``: a mention waiting in the session (this
    article named it before), or a stored one (an earlier analysis of the article)."""
    if any(
        isinstance(obj, FactMention) and obj.fact is fact and obj.article_id == article.id
        for obj in session.new
    ):
        return True
    if fact.id is None:
        return False
    with session.no_autoflush:
        stored = session.scalar(_MENTION, {"fact": fact.id, "article": article.id})
    return stored is not None


_MENTION = select(FactMention.id).where(
    FactMention.fact_id == bindparam("fact"), FactMention.article_id == bindparam("article")
)


def _take_over(session: Session, fact: Fact, article: Article, item: Figure | Declaration) -> None:
    """The earlier article becomes the fact's holder: its words, its date, its address."""
    fact.article = article
    fact.published = article.published
    fact.baseline = fact.baseline or article.baseline
    if isinstance(item, Figure):
        _copy_figure(fact, item)
        fingerprint = figure_fingerprint(item)
    else:
        _copy_declaration(fact, item)
        fingerprint = declaration_fingerprint(fact.speaker, item.quote)
    taken = session.scalar(select(Fact.id).where(Fact.fingerprint == fingerprint))
    if taken is None:
        fact.fingerprint = fingerprint
    if fact.id is not None:
        alert = session.scalar(select(Alert).where(Alert.fact_id == fact.id))
        if alert is not None:
            alert.previously_known = previously_known(session, fact)


# --- what was known before ---------------------------------------------------------------------


def previously_known(session: Session, fact: Fact) -> list[dict[str, Any]]:
    """The facts of the same measure (or speaker) held before ``fact``, most recent first.

    A measure gathers facts for as long as the store lives (archive backfills), so they are read
    as plain columns, not loaded as objects with their articles, and only the latest of them:
    the query sorts by baseline and date (the holder's order but for the address, which settles
    ties in Python) and reads one page; the whole measure only if that page ends amid a tie.
    """
    limit = load_rules().previously_known_limit
    what = fact.measure if fact.kind == "figure" else fact.speaker
    whole, paged = _known_queries(
        fact.kind, what is None, bool(fact.baseline), fact.published is not None
    )
    params = {"what": what, "published": fact.published, "page": 2 * limit + 1}
    rows = session.execute(paged, params).all()
    mine = _holder(fact)
    if len(rows) == params["page"] and not _settled(rows, mine, fact.id, limit):
        rows = session.execute(whole, params).all()
    earlier = [
        (holder, row) for row in rows if row.id != fact.id and (holder := _row_holder(row)) < mine
    ]
    earlier.sort(key=lambda pair: pair[0], reverse=True)  # stable: ties stay in id order
    return [_known(row) for _, row in earlier[:limit]]


@cache
def _known_queries(
    kind: str, unnamed: bool, baseline: bool, dated: bool
) -> tuple[Select[Any], Select[Any]]:
    """``previously_known``'s query for one kind of fact and of holder, whole and limited to a
    page (parameter ``page``), built once: the facts of the same measure or speaker (parameter
    ``what``; ``unnamed``: none) that can come before the holder in ``priority`` (parameter
    ``published``), latest first but for ties."""
    column = Fact.measure if kind == "figure" else Fact.speaker
    same = column.is_(None) if unnamed else column == bindparam("what")
    published = Fact.published <= bindparam("published")
    if baseline:  # only the baseline's facts, undated after every dated one
        before = and_(Fact.baseline.is_(True), published) if dated else Fact.baseline.is_(True)
    else:  # the baseline's and, an undated fact coming after every dated one, the dated ones
        before = or_(Fact.baseline.is_(True), published) if dated else true()
    whole = (
        select(*_KNOWN_COLUMNS, Article.canonical_url, Article.url)
        .join(Article, Fact.article_id == Article.id)
        .where(Fact.kind == kind, same, before)
        .order_by(Fact.baseline, Fact.published.is_(None).desc(), Fact.published.desc(), Fact.id)
    )
    return whole, whole.limit(bindparam("page"))


def _row_holder(row: Any) -> tuple:
    return priority(row.baseline, row.published, row.canonical_url or row.url or "")


def _settled(rows: Sequence[Any], mine: tuple, fact_id: int | None, limit: int) -> bool:
    """Whether ``rows`` (in the query's order) hold the ``limit`` latest facts before ``mine``
    for sure: they hold that many, and a later row is dated earlier than the last of them, so
    no fact beyond the page can tie with it."""
    found, last = 0, None
    for row in rows:
        date = (row.baseline, row.published is None, row.published)
        if last is not None:
            if date != last:
                return True
        elif row.id != fact_id and _row_holder(row) < mine:
            found += 1
            if found == limit:
                last = date
    return False


_KNOWN_COLUMNS = (
    Fact.id,
    Fact.kind,
    Fact.baseline,
    Fact.published,
    Fact.value,
    Fact.value_high,
    Fact.qualifier,
    Fact.object,
    Fact.additional,
    Fact.speaker,
    Fact.quote,
    Fact.evidence,
)


def _known(row: Any) -> dict[str, Any]:
    """One earlier fact as the alert shows it (``row``: ``_KNOWN_COLUMNS`` and the address)."""
    out: dict[str, Any] = {}
    if row.kind == "figure":
        out["value"] = row.value
        if row.value_high is not None:
            out["value_high"] = row.value_high
        out["qualifier"] = row.qualifier
        out["object"] = row.object
        if row.additional:
            out["additional"] = True
    else:
        out["speaker"] = row.speaker
        out["quote"] = row.quote
    out["evidence"] = row.evidence
    out["article_url"] = row.canonical_url or row.url or ""
    out["published"] = row.published.isoformat() if row.published else None
    out["baseline"] = row.baseline
    return out
