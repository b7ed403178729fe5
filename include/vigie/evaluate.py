"""Alert quality over a labelled corpus: the pipeline's own stages, scored (eval-dev/README.md).

The corpus and the baseline go into a fresh temporary store through the same stages as live
news: seeds through ``ingest_seeds``; each corpus article as the page a fetch would have stored
(a small HTML page, honouring ``html_body_only_paywall``, ``broken_html`` and ``language``) with
its feed entry; then extraction, deduplication and analysis. The alerts are scored against what
the corpus expects; every miss and false alert comes back with its evidence.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from rapidfuzz import fuzz
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.config import load_settings
from vigie.dates import parse_datetime
from vigie.store.models import Alert, Article, Entry, Fact, FactMention, Source
from vigie.text import fold_quote, fold_words, sentences

# A declaration alert matches an expected quote at this similarity or above (README).
QUOTE_SIMILARITY = 80
# A feed summary is a teaser of this many characters, unless the page is paywalled.
TEASER_CHARS = 160
PAYWALL_NOTICE = "Cet article est réservé aux abonnés. Abonnez-vous pour lire la suite."


class CorpusError(ValueError):
    """A corpus file that cannot be scored, with the article and field named."""


# --- the corpus --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedFigure:
    value: float
    about: str
    optional: bool = False  # debatable: an alert on it is right, a miss is not counted
    group: str | None = None  # the same fact in several articles: one alert on any is right


@dataclass(frozen=True)
class ExpectedDeclaration:
    speaker: str
    quote: str
    optional: bool = False
    group: str | None = None


@dataclass(frozen=True)
class CorpusArticle:
    id: str
    url: str
    outlet: str
    published: datetime | None
    title: str | None
    text: str
    language: str = "fr"
    paywall: bool = False
    broken_html: bool = False
    relevant: bool | None = None
    duplicate_of: str | None = None
    dup_group: str | None = None
    figures: tuple[ExpectedFigure, ...] = ()
    declarations: tuple[ExpectedDeclaration, ...] = ()

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.text.split("\n\n") if p.strip()]


def _published(value: Any, where: str) -> datetime | None:
    if value is None or value == "":
        return None
    parsed = parse_datetime(value if isinstance(value, date) else str(value))
    if parsed is None:
        raise CorpusError(f"{where}: published: not a date: {value!r}")
    return parsed


ARTICLE_FIELDS = frozenset(
    {"id", "url", "outlet", "published", "title", "text", "expect", "language", "note"}
    | {"html_body_only_paywall", "broken_html"}
)
EXPECT_FIELDS = frozenset(
    {"relevant", "duplicate_of", "dup_group", "events", "new_figures", "new_declarations", "note"}
)
ITEM_FIELDS = frozenset({"value", "about", "speaker", "quote", "optional", "group", "note"})


def _flag(item: dict[str, Any]) -> tuple[bool, str | None]:
    group = item.get("group")
    return bool(item.get("optional")), (str(group) if group else None)


def _unknown(raw: dict[str, Any], known: frozenset[str], where: str) -> list[str]:
    return [f"{where}: unknown field {key!r} ignored" for key in sorted(set(raw) - known)]


def _article(raw: Any, index: int, path: Path, warnings: list[str]) -> CorpusArticle:
    where = f"corpus {path.name}: article #{index + 1}"
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: expected a mapping")
    where = f"corpus {path.name}: article {raw.get('id', f'#{index + 1}')}"
    missing = [k for k in ("id", "url", "text") if not raw.get(k)]
    if missing:
        raise CorpusError(f"{where}: missing {', '.join(missing)}")
    expect = raw.get("expect") or {}
    if not isinstance(expect, dict):
        raise CorpusError(f"{where}: expect: expected a mapping")
    warnings += _unknown(raw, ARTICLE_FIELDS, where) + _unknown(expect, EXPECT_FIELDS, where)
    try:
        figures = tuple(
            ExpectedFigure(float(f["value"]), str(f["about"]), *_flag(f))
            for f in expect.get("new_figures") or []
        )
        declarations = tuple(
            ExpectedDeclaration(str(d["speaker"]), str(d["quote"]), *_flag(d))
            for d in expect.get("new_declarations") or []
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CorpusError(f"{where}: expect: malformed ({exc!r})") from exc
    for item in [*(expect.get("new_figures") or []), *(expect.get("new_declarations") or [])]:
        warnings += _unknown(item, ITEM_FIELDS, where)
    title = raw.get("title")
    return CorpusArticle(
        id=str(raw["id"]),
        url=str(raw["url"]),
        outlet=str(raw.get("outlet") or urlsplit(str(raw["url"])).hostname or ""),
        published=_published(raw.get("published"), where),
        title=str(title).strip() if title and str(title).strip() else None,
        text=str(raw["text"]),
        language=str(raw.get("language") or "fr"),
        paywall=bool(raw.get("html_body_only_paywall")),
        broken_html=bool(raw.get("broken_html")),
        relevant=expect.get("relevant"),
        duplicate_of=expect.get("duplicate_of"),
        dup_group=str(expect["dup_group"]) if expect.get("dup_group") else None,
        figures=figures,
        declarations=declarations,
    )


def load_corpus(path: Path, warnings: list[str] | None = None) -> list[CorpusArticle]:
    """Read and check a corpus file (format: eval-dev/README.md).

    A missing title or date is ordinary input (a page without a headline); unknown fields are
    ignored and named in ``warnings``; what cannot be scored raises ``CorpusError``.
    """
    warnings = [] if warnings is None else warnings
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"corpus {Path(path).name}: cannot read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise CorpusError(f"corpus {Path(path).name}: expected a list under 'articles'")
    articles = [_article(raw, i, Path(path), warnings) for i, raw in enumerate(data["articles"])]
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise CorpusError(f"corpus {Path(path).name}: id {article.id} appears twice")
        seen.add(article.id)
    return articles


# --- pages as a fetch would store them ---------------------------------------------------------


def _teaser(article: CorpusArticle) -> str:
    first = article.paragraphs[0] if article.paragraphs else ""
    cut = first.find(". ")
    sentence = first[: cut + 1] if 0 < cut < TEASER_CHARS else first[:TEASER_CHARS]
    return sentence.strip()


def feed_summary(article: CorpusArticle) -> str:
    """What the feed says: a teaser, or the whole text when the page is paywalled."""
    if article.paywall:
        return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in article.paragraphs)
    return html.escape(_teaser(article), quote=False)


def page_bytes(article: CorpusArticle) -> bytes:
    """The article's page: a plain news page, a paywalled teaser, or malformed bytes."""
    title = html.escape(article.title or "")
    outlet = html.escape(article.outlet)
    meta = ['<meta charset="utf-8">', f"<title>{title + ' – ' if title else ''}{outlet}</title>"]
    if title:
        meta.append(f'<meta property="og:title" content="{title}">')
    meta.append(f'<meta property="og:site_name" content="{outlet}">')
    heading = f"<h1>{title}</h1>" if title else ""
    if article.published is not None:
        when = article.published.isoformat()
        meta.append(f'<meta property="article:published_time" content="{when}">')
    if article.paywall:
        body = [
            f"<p>{html.escape(_teaser(article), quote=False)}</p>",
            f'<p class="paywall">{PAYWALL_NOTICE}</p>',
        ]
    else:
        body = [f"<p>{html.escape(p, quote=False)}</p>" for p in article.paragraphs]
    head = "".join(meta)
    nav = "<header><nav><a href='/'>Accueil</a> · <a href='/monde'>Monde</a></nav></header>"
    foot = f"<footer><p>© {outlet} – Tous droits réservés</p></footer>"
    lang = html.escape(article.language)
    if not article.broken_html:
        page = (
            f'<!DOCTYPE html><html lang="{lang}"><head>{head}</head><body>{nav}<main><article>'
            f"{heading}{''.join(body)}</article></main>{foot}</body></html>"
        )
        return page.encode("utf-8")
    # no doctype, no </head>, unclosed paragraphs, stray closing tags, bytes that are not UTF-8
    # between paragraphs, and a page cut short
    start = f'<html lang="{lang}"><head>{head}<body>{nav}</div><article>{heading}'
    paragraphs = [f"<p>{part.removeprefix('<p>').removesuffix('</p>')}\n" for part in body]
    return (
        start.encode("utf-8")
        + b"</span>\xff\xfe".join(part.encode("utf-8") for part in paragraphs)
        + b'<div class="share">\x80\x81 Partager'
    )


def store_pages(session: Session, articles: list[CorpusArticle]) -> dict[int, str]:
    """Store each corpus article as fetched (raw page + feed entry): store id → corpus id."""
    sources: dict[str, Source] = {}
    ids: dict[int, str] = {}
    now = datetime.now(UTC)
    for item in articles:
        host = urlsplit(item.url).hostname or "corpus.invalid"
        source = sources.get(item.outlet)
        if source is None:
            # one feed per outlet: two outlets may share a host (a group's sites, an aggregator)
            feed = f"https://{host}/rss/{len(sources) + 1}.xml"
            source = Source(name=item.outlet, url=feed, language=item.language)
            session.add(source)
            sources[item.outlet] = source
        article = Article(
            url=item.url,
            outlet=item.outlet,
            title=item.title,
            published=item.published,
            status="fetched",
            raw_content_type="text/html; charset=utf-8",
            raw_fetched_at=now,
        )
        article.raw = page_bytes(item)
        session.add(article)
        session.flush()
        session.add(
            Entry(
                source=source,
                identity=item.id,
                link=item.url,
                title=item.title,
                summary=feed_summary(item),
                published=item.published,
                status="fetched",
                article_id=article.id,
            )
        )
        ids[article.id] = item.id
    session.commit()
    return ids


# --- scoring -----------------------------------------------------------------------------------


@dataclass
class Problem:
    """A miss or a false alert, with what the article said and what the pipeline made of it."""

    article: str
    kind: str
    value: float | None = None
    speaker: str | None = None
    detail: str = ""  # the expected `about` word or quote; the alert's object or quote
    evidence: str = ""
    note: str = ""
    cause: str = ""  # the class of the problem, for grouping (see ``_miss_cause``)


@dataclass
class EvalResult:
    """Scores over one corpus (README: precision, recall, duplicate expectations)."""

    articles: int = 0
    alerts: int = 0
    right: int = 0
    expected: int = 0
    found: int = 0
    expected_by_kind: dict[str, int] = field(default_factory=dict)
    found_by_kind: dict[str, int] = field(default_factory=dict)
    duplicates_checked: int = 0
    misses: list[Problem] = field(default_factory=list)
    false_alerts: list[Problem] = field(default_factory=list)
    duplicate_errors: list[str] = field(default_factory=list)
    relevance_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Right alerts / all alerts; 1.0 when there is no alert (nothing was wrong)."""
        return self.right / self.alerts if self.alerts else 1.0

    @property
    def recall(self) -> float:
        """Expected alerts found / expected alerts; 1.0 when nothing was expected."""
        return self.found / self.expected if self.expected else 1.0

    def recall_of(self, kind: str) -> float:
        """Recall of one kind (``figure`` or ``declaration``)."""
        expected = self.expected_by_kind.get(kind, 0)
        return self.found_by_kind.get(kind, 0) / expected if expected else 1.0

    @property
    def ok(self) -> bool:
        return self.precision == 1.0 and self.recall == 1.0 and not self.duplicate_errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "figure_recall": round(self.recall_of("figure"), 4),
            "declaration_recall": round(self.recall_of("declaration"), 4),
            "articles": self.articles,
            "alerts": self.alerts,
            "right_alerts": self.right,
            "expected_alerts": self.expected,
            "found_alerts": self.found,
            "expected_by_kind": dict(self.expected_by_kind),
            "found_by_kind": dict(self.found_by_kind),
            "duplicates_checked": self.duplicates_checked,
            "misses": [asdict(p) for p in self.misses],
            "false_alerts": [asdict(p) for p in self.false_alerts],
            "duplicate_errors": list(self.duplicate_errors),
            "relevance_errors": list(self.relevance_errors),
            "warnings": list(self.warnings),
        }


def _surname_matches(expected: str, got: str | None) -> bool:
    if not got:
        return False
    want, have = fold_quote(expected).split(), fold_quote(got).split()
    return want == have or (bool(want) and bool(have) and want[-1] == have[-1])


def figure_matches(expected: ExpectedFigure, fact: Fact) -> bool:
    """Same value, and the `about` word in the figure's object or sentence (no case, no accents)."""
    if fact.kind != "figure" or fact.value is None:
        return False
    if abs(fact.value - expected.value) > 1e-6 * max(1.0, abs(expected.value)):
        return False
    about = fold_words(expected.about)
    return about in fold_words(fact.object or "") or about in fold_words(fact.evidence or "")


def declaration_matches(expected: ExpectedDeclaration, fact: Fact) -> bool:
    """The speaker's surname, and the quote holding the expected words or close to them."""
    if fact.kind != "declaration" or not _surname_matches(expected.speaker, fact.speaker):
        return False
    want, got = fold_quote(expected.quote), fold_quote(fact.quote or "")
    if not want:
        return False
    # the expected words may be the quote's start: compare with as much of the quote
    similar = max(fuzz.ratio(want, got), fuzz.ratio(want, got[: len(want)]))
    return want in got or similar >= QUOTE_SIMILARITY


def _sentence_with(text: str, needle: str) -> str:
    """The sentence of ``text`` that holds ``needle`` (folded), for a miss's evidence."""
    target = fold_quote(needle)
    for sentence in sentences(text):
        if target and target in fold_quote(sentence):
            return sentence
    return ""


def _state(article: Article | None) -> str:
    if article is None:
        return "not stored"
    out = f"status {article.status}"
    if article.relevant is not None:
        out += ", relevant" if article.relevant else ", not relevant"
    if article.reason:
        out += f" ({article.reason})"
    return out


def _found(session: Session, article: Article | None, kind: str) -> str:
    """What the pipeline recorded for an article: its facts of ``kind``, new or known."""
    if article is None:
        return ""
    facts = session.scalars(
        select(Fact)
        .join(FactMention, FactMention.fact_id == Fact.id)
        .where(FactMention.article_id == article.id, Fact.kind == kind)
    ).all()
    shown = []
    for fact in facts:
        what = (
            f"{fact.qualifier + ' ' if fact.qualifier else ''}{fact.value:g} {fact.measure}"
            if kind == "figure" and fact.value is not None
            else f"{fact.speaker or 'unattributed'}: {fact.quote}"
        )
        whose = "baseline" if fact.baseline else f"article {fact.article_id}"
        shown.append(f"{what} (known from {whose})" if fact.article_id != article.id else what)
    return "found: " + "; ".join(shown) if shown else f"found no {kind}"


def _label_of(article: Article, ids: dict[int, str]) -> str:
    if article.id in ids:
        return ids[article.id]
    if article.seed_name:
        return Path(article.seed_name).stem
    return article.canonical_url or article.url


@dataclass
class _Expected:
    """One expected item of one article, with the key its group is counted under."""

    article: str
    kind: str
    item: ExpectedFigure | ExpectedDeclaration
    key: str  # the group's name, or a key of its own
    matched: bool = False


def _expectations(corpus: list[CorpusArticle]) -> dict[str, list[_Expected]]:
    out: dict[str, list[_Expected]] = {}
    for article in corpus:
        items: list[_Expected] = []
        for kind, expected in (("figure", article.figures), ("declaration", article.declarations)):
            for n, item in enumerate(expected):
                key = f"group:{item.group}" if item.group else f"{article.id}:{kind}:{n}"
                items.append(_Expected(article.id, kind, item, key))
        # required items are matched before optional ones
        out[article.id] = sorted(items, key=lambda e: e.item.optional)
    return out


def _matches(expected: _Expected, fact: Fact) -> bool:
    if expected.kind != fact.kind:
        return False
    if isinstance(expected.item, ExpectedFigure):
        return figure_matches(expected.item, fact)
    return declaration_matches(expected.item, fact)


def _miss_cause(stored: Article | None, kind: str, found: str) -> str:
    """Why an expected alert is missing, coarsely: where in the pipeline it was lost."""
    if stored is None:
        return "not stored"
    if stored.status == "duplicate":
        return "article ended as a duplicate"
    if stored.relevant is False:
        return "article judged not relevant"
    if found.startswith("found no"):
        return f"no {kind} extracted"
    if "known from" in found:
        return f"{kind} judged already known"
    return f"{kind} extracted differently (value, object or speaker)"


def _false_cause(fact: Fact, owner: str | None, articles: dict[str, CorpusArticle]) -> str:
    item = articles.get(owner or "")
    if item is None:
        return "alert on a baseline or unknown article"
    if item.relevant is False:
        return "alert on an article that is not relevant"
    return f"unexpected {fact.kind}"


def score(session: Session, corpus: list[CorpusArticle], ids: dict[int, str]) -> EvalResult:
    """Compare the store's alerts and statuses with what the corpus expects.

    Optional items are right when alerted and not counted when missed; the items of a ``group``
    count as one fact: the first alert on any of them is right, a second is false.
    """
    result = EvalResult(articles=len(corpus))
    by_corpus_id = {cid: session.get(Article, aid) for aid, cid in ids.items()}
    articles = {a.id: a for a in corpus}
    expectations = _expectations(corpus)
    satisfied: set[str] = set()
    alerts = session.scalars(select(Alert).order_by(Alert.id)).all()
    result.alerts = len(alerts)
    for alert in alerts:
        fact = alert.fact
        owner = ids.get(fact.article_id)
        candidates = [e for e in expectations.get(owner or "", []) if not e.matched]
        hit = next((e for e in candidates if _matches(e, fact)), None)
        if hit is not None and hit.key not in satisfied:
            hit.matched = True
            satisfied.add(hit.key)
            result.right += 1
            continue
        result.false_alerts.append(
            Problem(
                article=owner or _label_of(fact.article, ids),
                kind=fact.kind,
                value=fact.value,
                speaker=fact.speaker,
                detail=(fact.object if fact.kind == "figure" else fact.quote) or "",
                evidence=fact.evidence,
                note=(f"{fact.qualifier} " if fact.qualifier else "") + (fact.measure or ""),
                cause="second alert for one fact"
                if hit is not None
                else _false_cause(fact, owner, articles),
            )
        )
    required: dict[str, _Expected] = {}
    for items in expectations.values():
        for e in items:
            if not e.item.optional:
                required.setdefault(e.key, e)
    for key, first in required.items():
        result.expected_by_kind[first.kind] = result.expected_by_kind.get(first.kind, 0) + 1
        if key in satisfied:
            result.found_by_kind[first.kind] = result.found_by_kind.get(first.kind, 0) + 1
            continue
        for e in (e for items in expectations.values() for e in items if e.key == key):
            if e.item.optional:
                continue
            result.misses.append(
                _miss(session, articles[e.article], by_corpus_id.get(e.article), e)
            )
            break
    result.expected = sum(result.expected_by_kind.values())
    result.found = sum(result.found_by_kind.values())
    for item in corpus:
        _check_article(item, by_corpus_id.get(item.id), ids, result)
    _check_dup_groups(corpus, by_corpus_id, result)
    return result


def _miss(session: Session, item: CorpusArticle, stored: Article | None, e: _Expected) -> Problem:
    found = _found(session, stored, e.kind)
    if isinstance(e.item, ExpectedFigure):
        return Problem(
            article=item.id,
            kind="figure",
            value=e.item.value,
            detail=e.item.about,
            evidence=_sentence_with(item.text, e.item.about),
            note=f"{_state(stored)}; {found}",
            cause=_miss_cause(stored, "figure", found),
        )
    return Problem(
        article=item.id,
        kind="declaration",
        speaker=e.item.speaker,
        detail=e.item.quote,
        evidence=_sentence_with(item.text, " ".join(e.item.quote.split()[:4])),
        note=f"{_state(stored)}; {found}",
        cause=_miss_cause(stored, "declaration", found),
    )


def _check_dup_groups(
    corpus: list[CorpusArticle], stored: dict[str, Article | None], result: EvalResult
) -> None:
    """Of the articles sharing a ``dup_group``, all but one must end as duplicates."""
    groups: dict[str, list[str]] = {}
    for item in corpus:
        if item.dup_group:
            groups.setdefault(item.dup_group, []).append(item.id)
    for name, members in groups.items():
        result.duplicates_checked += len(members) - 1
        originals = [m for m in members if (a := stored.get(m)) is None or a.status != "duplicate"]
        if len(originals) != 1:
            result.duplicate_errors.append(
                f"dup_group {name}: expected all but one of {', '.join(members)} to end as "
                f"duplicates; {len(originals)} did not"
            )


def _check_article(
    item: CorpusArticle, stored: Article | None, ids: dict[int, str], result: EvalResult
) -> None:
    status = stored.status if stored is not None else "not stored"
    original = (
        _label_of(stored.duplicate_of, ids)
        if stored is not None and stored.duplicate_of is not None
        else None
    )
    if item.duplicate_of:
        result.duplicates_checked += 1
        if status != "duplicate":
            result.duplicate_errors.append(
                f"{item.id}: expected a duplicate of {item.duplicate_of}, ended {_state(stored)}"
            )
        elif original != item.duplicate_of:
            result.duplicate_errors.append(
                f"{item.id}: expected a duplicate of {item.duplicate_of}, marked a duplicate "
                f"of {original}"
            )
    elif status == "duplicate" and not item.dup_group:
        result.duplicate_errors.append(
            f"{item.id}: expected no duplicate, marked one of {original}"
        )
    known = item.relevant is not None and stored is not None and stored.relevant is not None
    if known and bool(stored.relevant) != bool(item.relevant):
        want = "relevant" if item.relevant else "not relevant"
        result.relevance_errors.append(f"{item.id}: expected {want}, got {_state(stored)}")


# --- the whole evaluation ----------------------------------------------------------------------


def evaluate_corpus(
    corpus_path: Path,
    *,
    seeds_dir: Path | None = None,
    watch_file: Path | None = None,
    analyser: Any = None,
) -> EvalResult:
    """Run the pipeline over the seeds and the corpus in a throw-away store, and score it.

    ``analyser`` lets tests reuse a loaded spaCy analyser; by default the stage builds its own.
    """
    from vigie.analysis import analyse_pending
    from vigie.dedup import dedup_pending
    from vigie.ingest.extract_stage import extract_pending
    from vigie.ingest.seeds import ingest_seeds
    from vigie.store.db import get_engine

    warnings: list[str] = []
    corpus = load_corpus(corpus_path, warnings)
    with tempfile.TemporaryDirectory(prefix="vigie-eval-") as tmp:
        env = {**os.environ, "VIGIE_HOME": tmp, "VIGIE_DATABASE_URL": f"sqlite:///{tmp}/eval.db"}
        if seeds_dir is not None:
            env["VIGIE_SEEDS_DIR"] = str(seeds_dir)
        if watch_file is not None:
            env["VIGIE_WATCH"] = str(watch_file)
        settings = load_settings(env)
        engine = get_engine(settings.database_url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                ingest_seeds(session, settings.seeds_dir)
                session.commit()
                ids = store_pages(session, corpus)
                extract_pending(session, settings)
                session.commit()
                dedup_pending(session, settings)
                session.commit()
                analyse_pending(session, settings, analyser=analyser)
                session.commit()
                result = score(session, corpus, ids)
                result.warnings = warnings
                return result
        finally:
            engine.dispose()


def evaluate_corpora(
    paths: Sequence[Path],
    *,
    seeds_dir: Path | None = None,
    watch_file: Path | None = None,
    workers: int = 1,
) -> dict[Path, EvalResult]:
    """``evaluate_corpus`` for several files, each in its own store, ``workers`` at a time: a
    suite scoring dozens of files uses every core. Each worker process loads the analyser once."""
    if workers <= 1 or len(paths) <= 1:
        analyser = _analyser(watch_file)
        return {
            path: evaluate_corpus(
                path, seeds_dir=seeds_dir, watch_file=watch_file, analyser=analyser
            )
            for path in paths
        }
    # spawned, not forked: the caller (a test session, the CLI) may run threads
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(workers, len(paths)), mp_context=spawn) as pool:
        futures = {
            path: pool.submit(_evaluate_in_worker, path, seeds_dir, watch_file) for path in paths
        }
        return {path: future.result() for path, future in futures.items()}


@cache
def _analyser(watch_file: Path | None) -> Any:
    from vigie.nlp.analyse import Analyser
    from vigie.watch import load_watch

    return Analyser(load_watch(watch_file))


def _evaluate_in_worker(path: Path, seeds_dir: Path | None, watch_file: Path | None) -> EvalResult:
    return evaluate_corpus(
        path, seeds_dir=seeds_dir, watch_file=watch_file, analyser=_analyser(watch_file)
    )


def render_eval(result: EvalResult, console: Console) -> None:
    """The scores as a table, then misses and false alerts grouped by cause, with evidence."""
    table = Table(title="Alert quality", show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("detail")
    table.add_row(
        "precision", f"{result.precision:.3f}", f"{result.right} right / {result.alerts} alerts"
    )
    table.add_row(
        "recall", f"{result.recall:.3f}", f"{result.found} found / {result.expected} expected"
    )
    for kind in ("figure", "declaration"):
        table.add_row(
            f"{kind} recall",
            f"{result.recall_of(kind):.3f}",
            f"{result.found_by_kind.get(kind, 0)} found / "
            f"{result.expected_by_kind.get(kind, 0)} expected",
        )
    table.add_row(
        "duplicates",
        f"{result.duplicates_checked - _expected_dup_errors(result)}/{result.duplicates_checked}",
        f"{len(result.duplicate_errors)} problems",
    )
    table.add_row(
        "articles", str(result.articles), f"{len(result.relevance_errors)} relevance mismatches"
    )
    console.print(table)
    for line in result.warnings:
        console.print(f"warning: {line}", markup=False, highlight=False)
    for title, problems in (("Missed", result.misses), ("False alerts", result.false_alerts)):
        by_cause: dict[str, list[Problem]] = {}
        for p in problems:
            by_cause.setdefault(p.cause or "other", []).append(p)
        for cause, group in sorted(by_cause.items(), key=lambda kv: -len(kv[1])):
            console.print(f"[bold]{title}: {cause} ({len(group)})[/bold]")
            for p in group:
                _print_problem(p, console)
    for title, lines in (
        ("Duplicate problems", result.duplicate_errors),
        ("Relevance mismatches", result.relevance_errors),
    ):
        if lines:
            console.print(f"[bold]{title}[/bold]")
        for line in lines:
            console.print(f"  {line}", markup=False, highlight=False)


def _print_problem(p: Problem, console: Console) -> None:
    what = p.speaker if p.kind == "declaration" else f"{p.value:g}" if p.value is not None else ""
    console.print(f"  {p.article} {p.kind} {what} «{p.detail}»", markup=False, highlight=False)
    if p.evidence:
        console.print(f"    evidence: {p.evidence}", markup=False, highlight=False)
    if p.note:
        console.print(f"    {p.note}", markup=False, highlight=False)


def _expected_dup_errors(result: EvalResult) -> int:
    return sum(1 for e in result.duplicate_errors if "expected a duplicate" in e)
