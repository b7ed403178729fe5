"""The article as operators and scripts see it: DESIGN.md's Article JSON shape."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from vigie.store.models import Article

# The store tracks finer steps than the contract names; each maps to one public status.
PUBLIC_STATUS = {
    "fetched": "new",
    "new": "new",
    "unique": "new",
    "analysed": "new",
    "duplicate": "duplicate",
    "irrelevant": "irrelevant",
    "skipped": "skipped",
    "failed": "failed",
}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def article_to_dict(article: Article, original: Article | None = None) -> dict[str, Any]:
    """One article in the contract's shape; ``original`` is the article it duplicates."""
    duplicate_of = None
    if original is not None:
        duplicate_of = original.seed_name or original.canonical_url or original.url
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url
        or (original.canonical_url if original is not None else None),
        "outlet": article.outlet,
        "title": article.title,
        "published": _iso(article.published),
        "language": article.language,
        "status": PUBLIC_STATUS.get(article.status, article.status),
        "relevant": bool(article.relevant),
        "duplicate_of": duplicate_of,
        "story": article.story_id,
        "events": list(article.events or []),
        "baseline": article.baseline,
        "reason": article.reason,
        "attempts": article.attempts or 0,
        "next_attempt": _iso(article.next_attempt_at),
    }


def list_articles(session: Session) -> list[dict[str, Any]]:
    """Every article, newest first, with its original joined in one query."""
    original = aliased(Article)
    rows = session.execute(
        select(Article, original)
        .outerjoin(original, Article.duplicate_of_id == original.id)
        .order_by(Article.published.desc().nulls_last(), Article.id.desc())
    )
    return [article_to_dict(article, orig) for article, orig in rows]


def page_problems(session: Session, limit: int | None = None) -> list[dict[str, Any]]:
    """Pages that failed or were skipped, newest first: the feeds view lists them per outlet."""
    rows = session.scalars(
        select(Article)
        .where(Article.status.in_(("failed", "skipped")), Article.baseline.is_(False))
        .order_by(Article.updated_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return [article_to_dict(article) for article in rows]


def page_problem_counts(session: Session) -> dict[tuple[str, str], int]:
    """(outlet, status) → how many pages failed or were skipped."""
    rows = session.execute(
        select(Article.outlet, Article.status, func.count())
        .where(Article.status.in_(("failed", "skipped")), Article.baseline.is_(False))
        .group_by(Article.outlet, Article.status)
    )
    return {(outlet or "", status): count for outlet, status, count in rows}
