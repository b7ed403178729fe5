"""Daily upkeep: prune old raw pages, refresh planner statistics, list feeds in long back-off."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import text, update
from sqlalchemy.orm import Session

from vigie.config import Settings
from vigie.health import long_backoffs
from vigie.store.models import Article


@dataclass
class MaintenanceReport:
    pruned_pages: int = 0
    statistics: str = ""
    long_backoff: list[str] = field(default_factory=list)

    def summary(self) -> str:
        feeds = "; ".join(self.long_backoff) or "none"
        return (
            f"{self.pruned_pages} raw pages pruned; statistics {self.statistics}; "
            f"feeds in long back-off: {feeds}"
        )


def prune_raw_pages(session: Session, before: datetime) -> int:
    """Drop stored raw pages fetched before ``before``: their extracted text stays."""
    result = session.execute(
        update(Article)
        .where(Article.raw_fetched_at < before, Article.raw_compressed.is_not(None))
        .where(Article.status != "fetched")  # still waiting for extraction: keep
        .values(raw_compressed=None)
    )
    return result.rowcount or 0


def refresh_statistics(session: Session) -> str:
    """ANALYZE, so the planner keeps using the band and date indexes as the store grows."""
    session.execute(text("ANALYZE"))
    return f"refreshed ({session.get_bind().dialect.name})"


def run_maintenance(session: Session, settings: Settings, now: datetime) -> MaintenanceReport:
    report = MaintenanceReport()
    report.pruned_pages = prune_raw_pages(session, now - timedelta(days=settings.raw_cache_days))
    session.commit()
    report.statistics = refresh_statistics(session)
    report.long_backoff = [
        f"{h.name} (since {h.failing_since:%Y-%m-%d %H:%M}, {h.failure_count} failures: "
        f"{h.last_error})"
        for h in long_backoffs(session, now, hours=settings.max_feed_backoff_hours)
    ]
    return report
