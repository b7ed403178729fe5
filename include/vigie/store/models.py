"""The schema of Vigie's store.

One section per stage. Every table that a stage writes has the unique key that makes the stage
idempotent (DESIGN.md principle 3): entries per (source, identity), articles per canonical URL,
facts per fingerprint, alerts per fact, deliveries per (alert, channel).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator
from zlib_ng import zlib_ng


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes on every backend (SQLite forgets the zone; we store UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


# --- ingestion -------------------------------------------------------------------------------


class Source(Base):
    """A feed, with the memory that makes polling polite: validators, failures, back-off."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    language: Mapped[str] = mapped_column(String(10), default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    retired_reason: Mapped[str | None] = mapped_column(Text)
    previous_url: Mapped[str | None] = mapped_column(String(2000))
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failure_count: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bozo_reason: Mapped[str | None] = mapped_column(Text)
    # politeness: the feed is not asked more often than this, whatever the schedule
    min_interval_minutes: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entries: Mapped[list[Entry]] = relationship(back_populates="source")


class FeedFetch(Base):
    """One poll of one feed: what an operator reads to see a feed's health over time."""

    __tablename__ = "feed_fetches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    outcome: Mapped[str] = mapped_column(String(20))  # new | unchanged | empty | failed | deferred
    status: Mapped[int | None] = mapped_column(Integer)
    new_entries: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column(Integer)


class Entry(Base):
    """A feed item. Its identity (guid, else link, else a hash) is unique per source."""

    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("source_id", "identity", name="uq_entry_identity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    identity: Mapped[str] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # pending -> fetched | failed | skipped ; pages are fetched for pending entries only
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))

    source: Mapped[Source] = relationship(back_populates="entries")
    # set with the article it links to, before that article has an id: the page stage links
    # entries to pages it has not flushed yet, so one flush writes a batch of pages
    article: Mapped[Article | None] = relationship()


# --- articles --------------------------------------------------------------------------------


class Article(Base):
    """An extracted article, the raw page kept compressed so extraction can be re-run."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), index=True)
    # NULL until extraction has read the page; a copy superseded by another row keeps NULL
    canonical_url: Mapped[str | None] = mapped_column(String(2000), unique=True)
    outlet: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    language: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str | None] = mapped_column(Text)
    # fetched (raw stored, waiting for extraction) | new (extracted, waiting for dedup)
    # | unique (passed dedup, waiting for analysis) | duplicate | irrelevant | analysed
    # | skipped | failed ; the JSON shape maps these to DESIGN.md's statuses
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    # page fetches: how many were made, and when a transient failure may be asked again
    # (NULL on a failed page: given up for good)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    relevant: Mapped[bool | None] = mapped_column(Boolean)
    events: Mapped[list | None] = mapped_column(JSON)
    baseline: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    seed_name: Mapped[str | None] = mapped_column(String(300))
    # dedup
    text_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # sentences that go on to analysis when only part of the text is new (updates, wire copy)
    new_sentences: Mapped[list | None] = mapped_column(JSON)
    # raw page, zlib-compressed (see compress_raw)
    raw_compressed: Mapped[bytes | None] = mapped_column(LargeBinary)
    raw_content_type: Mapped[str | None] = mapped_column(String(200))
    raw_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    analysed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    duplicate_of: Mapped[Article | None] = relationship(remote_side=[id])

    @property
    def raw(self) -> bytes | None:
        return decompress_raw(self.raw_compressed)

    @raw.setter
    def raw(self, value: bytes | None) -> None:
        self.raw_compressed = compress_raw(value)


# Raw pages are kept in zlib's format, written by zlib-ng: at its level 2 it compresses HTML a
# little smaller than zlib at level 1 in 70 % of the time, and reads it back in 60 %; any zlib
# reads what it writes, and it reads what zlib wrote before.
RAW_LEVEL = 2


def compress_raw(page: bytes | None) -> bytes | None:
    """A raw page as ``Article.raw_compressed`` keeps it."""
    return zlib_ng.compress(page, RAW_LEVEL) if page else None


def decompress_raw(blob: bytes | None) -> bytes | None:
    """The raw page of an ``Article.raw_compressed`` value."""
    return zlib_ng.decompress(blob) if blob else None


class MinhashBand(Base):
    """One LSH band key of one article: a lookup reads the few rows sharing a key."""

    __tablename__ = "minhash_bands"
    __table_args__ = (Index("ix_minhash_band_key", "band", "key"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger)


# --- facts and alerts ------------------------------------------------------------------------


class Fact(Base):
    """A figure or a declaration, attributed to the earliest article that holds it."""

    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # figure | declaration
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[str] = mapped_column(Text)
    # figure
    measure: Mapped[str | None] = mapped_column(String(100), index=True)
    value: Mapped[float | None] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    qualifier: Mapped[str | None] = mapped_column(String(100))
    object: Mapped[str | None] = mapped_column(String(300))
    claimed_by: Mapped[str | None] = mapped_column(String(300))
    period: Mapped[str | None] = mapped_column(String(300))
    # an increment ("3 000 soldats supplémentaires"): never the same fact as a total
    additional: Mapped[bool] = mapped_column(Boolean, default=False)
    # declaration
    speaker: Mapped[str | None] = mapped_column(String(300), index=True)
    quote: Mapped[str | None] = mapped_column(Text)
    attributed: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article] = relationship()
    mentions: Mapped[list[FactMention]] = relationship(back_populates="fact")


class FactMention(Base):
    """An article that reports a fact: the source of corroboration counts."""

    __tablename__ = "fact_mentions"
    __table_args__ = (UniqueConstraint("fact_id", "article_id", name="uq_mention"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    outlet: Mapped[str | None] = mapped_column(String(300))
    evidence: Mapped[str | None] = mapped_column(Text)

    fact: Mapped[Fact] = relationship(back_populates="mentions")


class Alert(Base):
    """One alert per new fact, written in the same transaction as the fact (the outbox)."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    historical: Mapped[bool] = mapped_column(Boolean, default=False)
    previously_known: Mapped[list | None] = mapped_column(JSON)

    fact: Mapped[Fact] = relationship()
    deliveries: Mapped[list[Delivery]] = relationship(back_populates="alert")


class Delivery(Base):
    """The state of one alert on one channel: pending, sent (with time) or failed (with reason)."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("alert_id", "channel", name="uq_delivery"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))  # slack | email
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # set just before a send, cleared after: a claim left over marks a possibly-sent message
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    alert: Mapped[Alert] = relationship(back_populates="deliveries")


# --- quality ---------------------------------------------------------------------------------


class EvalRun(Base):
    """One `vigie eval` over a labelled corpus: its scores, misses and false alerts (as JSON),
    kept so the Quality page shows the latest without re-running the pipeline."""

    __tablename__ = "eval_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    corpus: Mapped[str] = mapped_column(String(1000))
    precision: Mapped[float] = mapped_column(Float)
    recall: Mapped[float] = mapped_column(Float)
    result: Mapped[dict] = mapped_column(JSON)
