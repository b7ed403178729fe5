"""The delivery stage: alerts from the outbox to Slack and e-mail (DESIGN.md principle 4).

Channels. ``slack`` when the Airflow connection ``vigie_slack`` (type ``slackwebhook``) exists;
``email`` when ``VIGIE_ALERT_EMAIL_TO`` names someone and the connection ``smtp_default`` exists. A
channel that is not configured is skipped and the report says why. Each configured channel gets one
``Delivery`` row per alert, created here for alerts that have none.

Historical alerts (found by a backfill) are never pushed one by one: their row is created as
``skipped`` with the reason, so a replay of last year fills the store without flooding analysts.
A backfill run ends with ``deliver_backfill_digest``: one digest per channel listing what it found
(those alerts then show as ``sent``), unless ``VIGIE_BACKFILL_DIGEST`` is false.

Digest. When more than ``VIGIE_DIGEST_OVER`` alerts are due on a channel in one run, they go as one
digest (split over several Slack posts only where Block Kit's limits force it). Alerts waiting for
a retry count too, so a digest that failed is retried as a digest, not as a flood.

Never twice. Each message is sent under a claim: its deliveries get ``claimed_at`` (a conditional
UPDATE, so two concurrent runs cannot claim the same row) and that is committed *before* the send;
the outcome (sent, retry later, failed, unknown) is committed *right after* it, clearing the
claim. A claim is therefore held for one message only. Vigie is **at-most-once**: a send whose
outcome is unknown is recorded ``unknown`` with its reason and never sent again automatically,
whether the sender saw the request leave without an answer (a webhook that reads the post and
answers after the client's timeout, an SMTP server silent after the message's final dot) or a
claim older than ``CLAIM_TIMEOUT`` shows that a process died between the send and the record. The
report counts them (``unknown``), the stage tells operators, ``vigie alerts --json`` shows them
and ``vigie alerts retry --unknown`` puts them back in the outbox by hand. ``CLAIM_TIMEOUT`` is
longer than the deliver task's ``execution_timeout``, so only a dead process leaves one that old.

Failures. Only failures before the message was written are transient: 429 (honouring
``Retry-After``), 408, 5xx answers, refused connections and connect timeouts leave the alert
pending with ``attempts`` + 1, the reason and a ``next_attempt_at`` (``Retry-After``, else an
exponential back-off), and stop that channel for this run: the report lists it in
``failed_channels`` and ``raise_if_failed`` lets the task fail so Airflow retries. An unknown
outcome stops the channel the same way (a Slack that is slow for one post is slow for the next).
Any other refusal (4xx, SMTP 5xx) is final: ``failed`` with the reason; when it says the webhook
itself is gone (401, 403, 404, 410) the channel also stops, its other alerts stay pending and the
channel is reported failed. After ``VIGIE_DELIVERY_MAX_ATTEMPTS`` attempts a delivery is
``failed`` for good and the report says so. No send starts after ``SEND_BUDGET``: the rest waits
for the next run rather than be cut by the task's timeout.

A channel configured later receives the alerts recorded before it (as a digest when they are many).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from vigie.alerts.render import AlertView, Labels, load_labels
from vigie.alerts.serialize import view_of
from vigie.alerts.slack import SendResult
from vigie.config import Settings
from vigie.retry import next_attempt_in
from vigie.store.models import Alert, Article, Delivery, Fact

log = logging.getLogger("vigie.alerts")

SLACK_CONN_ID = "vigie_slack"
SLACK_CONN_TYPE = "slackwebhook"
SMTP_CONN_ID = "smtp_default"
CLAIM_TIMEOUT = timedelta(minutes=10)
SEND_BUDGET = timedelta(minutes=3)  # the deliver task's execution_timeout is 5 minutes
BACKOFF_CAP = timedelta(hours=1)
HISTORICAL_REASON = "historical (backfill): not pushed one by one"
UNCERTAIN_REASON = (
    "interrupted while sending (claimed at {at}): may have arrived; not repeated (at-most-once)"
)
REQUEUED = "re-queued by hand at {at} (was {status}: {reason})"


# What rendering an alert reads: its fact, the fact's article and mentions, loaded up front.
_WITH_FACT = (
    selectinload(Delivery.alert).selectinload(Alert.fact).selectinload(Fact.article),
    selectinload(Delivery.alert).selectinload(Alert.fact).selectinload(Fact.mentions),
)


class DeliveryError(RuntimeError):
    """A channel could not be reached: its alerts stay pending for the next attempt."""


@dataclass
class ChannelReport:
    """What one channel did in one run."""

    channel: str
    skipped: str | None = None  # why the channel was not used at all
    sent: int = 0  # alerts delivered
    messages: int = 0  # posts or e-mails that carried them
    digests: int = 0  # of which digests
    retrying: int = 0  # alerts whose send failed for now (pending, retried later)
    failed: int = 0  # alerts refused for good
    gave_up: int = 0  # alerts failed for good after the last allowed attempt
    unknown: int = 0  # sends whose outcome is unknown, never repeated (at-most-once)
    historical: int = 0  # historical alerts recorded as not pushed
    pending: int = 0  # alerts still pending after the run
    error: str | None = None  # what stopped the channel in this run

    def summary(self) -> str:
        if self.skipped:
            return f"{self.channel}: skipped ({self.skipped})"
        parts = [f"{self.sent} sent", f"{self.pending} pending"]
        if self.digests:
            parts.append(f"{self.digests} digest{'s' if self.digests > 1 else ''}")
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.gave_up:
            parts.append(f"{self.gave_up} failed for good after the last attempt")
        if self.unknown:
            parts.append(f"{self.unknown} with an unknown outcome, not repeated")
        if self.historical:
            parts.append(f"{self.historical} historical not pushed")
        if self.error:
            parts.append(f"stopped: {self.error}")
        return f"{self.channel}: " + ", ".join(parts)


@dataclass
class DeliveryReport:
    """The stage's outcome; the numbers go to XCom, ``summary()`` to the log."""

    sent: int = 0
    pending: int = 0
    failed: int = 0
    gave_up: int = 0
    unknown: int = 0
    digests: int = 0
    historical: int = 0
    failed_channels: list[str] = field(default_factory=list)
    channels: list[ChannelReport] = field(default_factory=list)

    def add(self, report: ChannelReport) -> None:
        self.channels.append(report)
        self.sent += report.sent
        self.pending += report.pending
        self.failed += report.failed
        self.gave_up += report.gave_up
        self.unknown += report.unknown
        self.digests += report.digests
        self.historical += report.historical
        if report.error:
            self.failed_channels.append(report.channel)

    def summary(self) -> str:
        return "; ".join(c.summary() for c in self.channels) or "no channel"

    def raise_if_failed(self) -> None:
        """Raise when a channel was down, so the task fails and Airflow retries it."""
        if not self.failed_channels:
            return
        down = [c for c in self.channels if c.channel in self.failed_channels]
        detail = "; ".join(f"{c.channel}: {c.error} ({c.pending} pending)" for c in down)
        raise DeliveryError(f"alert delivery failed, alerts kept pending for a retry: {detail}")


@dataclass(frozen=True)
class Channel:
    """How one channel renders and sends: one alert, or many as a digest."""

    name: str
    render_one: Callable[[AlertView], Any]
    render_digest: Callable[[list[AlertView]], list[tuple[list[int], Any]]]
    send: Callable[[Any], SendResult]


# --- which channels are configured -----------------------------------------------------------


def connection_type(conn_id: str) -> str | None:
    """The connection's type, or None when it does not exist (no log noise, no exception)."""
    from airflow.providers.common.compat.sdk import AirflowNotFoundException, BaseHook

    try:
        return BaseHook.get_connection(conn_id).conn_type or ""
    except AirflowNotFoundException:
        return None


def _slack_channel(labels: Labels) -> Channel | str:
    conn_type = connection_type(SLACK_CONN_ID)
    if conn_type is None:
        return f"no connection {SLACK_CONN_ID}"
    if conn_type.replace("_", "").replace("-", "").lower() != SLACK_CONN_TYPE:
        return f"connection {SLACK_CONN_ID} is of type {conn_type!r}, not {SLACK_CONN_TYPE}"
    from vigie.alerts.render import slack_alert, slack_digest
    from vigie.alerts.slack import SlackSender

    sender = SlackSender(SLACK_CONN_ID)
    return Channel(
        name="slack",
        render_one=lambda view: slack_alert(view, labels),
        render_digest=lambda views: slack_digest(views, labels),
        send=sender.send,
    )


def _email_channel(settings: Settings, labels: Labels) -> Channel | str:
    if not settings.alert_email_to:
        return "no VIGIE_ALERT_EMAIL_TO"
    if connection_type(SMTP_CONN_ID) is None:
        return f"no connection {SMTP_CONN_ID}"
    from vigie.alerts.email import EmailSender
    from vigie.alerts.render import email_alert, email_digest

    sender = EmailSender(settings.alert_email_to, SMTP_CONN_ID)
    return Channel(
        name="email",
        render_one=lambda view: email_alert(view, labels),
        render_digest=lambda views: [([v.id for v in views], email_digest(views, labels))],
        send=sender.send,
    )


def configured_channels(settings: Settings, labels: Labels) -> dict[str, Channel | str]:
    """Each channel, or the reason it is not configured."""
    return {"slack": _slack_channel(labels), "email": _email_channel(settings, labels)}


# --- the outbox ------------------------------------------------------------------------------


def _insert_missing(session: Session, channel: str, *, historical: bool) -> int:
    """Create this channel's missing deliveries in one statement (idempotent under races)."""
    status, reason = ("skipped", HISTORICAL_REASON) if historical else ("pending", None)
    missing = select(
        Alert.id, literal(channel), literal(status), literal(0), literal(reason)
    ).where(
        Alert.historical.is_(historical),
        ~exists().where(and_(Delivery.alert_id == Alert.id, Delivery.channel == channel)),
    )
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        dialect_insert = insert
    stmt = dialect_insert(Delivery).from_select(
        ["alert_id", "channel", "status", "attempts", "reason"], missing
    )
    if hasattr(stmt, "on_conflict_do_nothing"):
        stmt = stmt.on_conflict_do_nothing(index_elements=["alert_id", "channel"])
    # rows returned, not rowcount: drivers disagree on rowcount for INSERT … SELECT
    return len(session.execute(stmt.returning(Delivery.id)).all())


def _settle_stale_claims(session: Session, channel: str, now: datetime) -> int:
    """Claims left by a process that died mid-send become unknown: at-most-once (see above)."""
    stale = session.scalars(
        select(Delivery).where(
            Delivery.channel == channel,
            Delivery.status == "pending",
            Delivery.claimed_at.is_not(None),
            Delivery.claimed_at < now - CLAIM_TIMEOUT,
        )
    ).all()
    for delivery in stale:
        delivery.status = "unknown"
        delivery.attempts += 1
        delivery.reason = UNCERTAIN_REASON.format(at=delivery.claimed_at.isoformat())
        delivery.claimed_at = None
    return len(stale)


def _due(session: Session, channel: str, now: datetime) -> list[Delivery]:
    """Pending, unclaimed deliveries whose time has come, oldest alert first, fully loaded."""
    query = (
        select(Delivery)
        .where(
            Delivery.channel == channel,
            Delivery.status == "pending",
            Delivery.claimed_at.is_(None),
            or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now),
        )
        .order_by(Delivery.alert_id)
        .options(*_WITH_FACT)
    )
    return list(session.scalars(query))


def _claim(
    session: Session, deliveries: list[Delivery], now: datetime, *still: ColumnElement[bool]
) -> list[Delivery]:
    """Claim each row only if nobody else has and it is ``still`` as it was read (pending, by
    default); commit before anything is sent. Checking the state, not only the claim, matters:
    a row read just before another run sent it is unclaimed again once that run is done."""
    claimed = []
    for delivery in deliveries:
        query = update(Delivery).where(
            Delivery.id == delivery.id,
            Delivery.claimed_at.is_(None),
            *(still or (Delivery.status == "pending",)),
        )
        result = session.execute(
            query.values(claimed_at=now).execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            set_committed_value(delivery, "claimed_at", now)
            claimed.append(delivery)
    session.commit()
    return claimed


def _record(
    session: Session,
    deliveries: list[Delivery],
    result: SendResult,
    now: datetime,
    settings: Settings,
    report: ChannelReport,
) -> None:
    """Write the outcome of one send and release its claim, committed at once."""
    for delivery in deliveries:
        delivery.attempts += 1
        delivery.claimed_at = None
        delivery.reason = result.reason
        if result.ok:
            delivery.status, delivery.sent_at, delivery.next_attempt_at = "sent", now, None
            report.sent += 1
        elif result.unknown:
            delivery.status, delivery.next_attempt_at = "unknown", None
            report.unknown += 1
        elif not result.transient:
            delivery.status = "failed"
            report.failed += 1
        elif delivery.attempts >= settings.delivery_max_attempts:
            delivery.status = "failed"
            delivery.reason = f"gave up after {delivery.attempts} attempts: {result.reason}"
            report.gave_up += 1
        else:
            base = timedelta(seconds=settings.delivery_retry_seconds)
            # 2, 4, 8… minutes, or longer when Slack's Retry-After asks it; at most an hour
            wait = next_attempt_in(delivery.attempts, result.retry_after, base, BACKOFF_CAP)
            delivery.next_attempt_at = now + wait
            report.retrying += 1
    session.commit()


def _batches(
    channel: Channel, deliveries: list[Delivery], digest_over: int
) -> tuple[bool, list[tuple[list[int], Any]], dict[int, str]]:
    """Whether it is a digest, the messages to send (alert ids, payload), and alerts that could
    not be rendered (with the reason)."""
    views = [view_of(d.alert) for d in deliveries]
    broken: dict[int, str] = {}
    if len(views) > digest_over:
        try:
            return True, channel.render_digest(views), broken
        except Exception as exc:  # fall back to one message per alert
            log.warning("%s: digest not rendered (%r), sending one by one", channel.name, exc)
    batches = []
    for view in views:
        try:
            batches.append(([view.id], channel.render_one(view)))
        except Exception as exc:  # bad data gets a reason, the run goes on
            broken[view.id] = f"cannot render the alert: {exc!r}"[:300]
    return False, batches, broken


def _send_due(
    session: Session, channel: Channel, settings: Settings, now: datetime, report: ChannelReport
) -> None:
    deliveries = _due(session, channel.name, now)
    if not deliveries:
        return
    by_alert = {d.alert_id: d for d in deliveries}
    digest, batches, broken = _batches(channel, deliveries, settings.digest_over)
    for alert_id, reason in broken.items():
        delivery = by_alert[alert_id]
        delivery.status, delivery.reason = "failed", reason
        report.failed += 1
    session.commit()
    started = datetime.now(UTC)
    for ids, payload in batches:
        if datetime.now(UTC) - started > SEND_BUDGET:
            log.warning("%s: send budget spent; the rest waits for the next run", channel.name)
            return
        wanted = [by_alert[i] for i in ids]
        claimed = _claim(session, wanted, now)
        if not claimed:
            continue
        if len(claimed) < len(wanted):  # another run took some: send only ours
            views = [view_of(d.alert) for d in claimed]
            payload = channel.render_digest(views)[0][1] if digest else payload
        result = channel.send(payload)
        _record(session, claimed, result, now, settings, report)
        if result.ok:
            report.messages += 1
            report.digests += int(digest)
        elif result.unknown:
            report.error = result.reason
            log.error("%s: alerts %s: %s", channel.name, ids, result.reason)
            return
        elif result.transient:
            report.error = result.reason
            log.warning("%s: %s; the rest waits for the next run", channel.name, result.reason)
            return
        else:
            log.warning("%s: refused alerts %s: %s", channel.name, ids, result.reason)
            if result.channel_broken:
                report.error = result.reason
                return


def _count_pending(session: Session, channel: str) -> int:
    query = select(func.count()).where(Delivery.channel == channel, Delivery.status == "pending")
    return session.scalar(query) or 0


def deliver_pending(
    session: Session, settings: Settings, *, now: datetime | None = None
) -> DeliveryReport:
    """Send every due pending alert on every configured channel; see the module docstring."""
    now = now or datetime.now(UTC)
    labels = load_labels(settings.watch_file)
    report = DeliveryReport()
    for name, channel in configured_channels(settings, labels).items():
        channel_report = ChannelReport(name)
        if isinstance(channel, str):
            channel_report.skipped = channel
            log.info("%s: %s, skipped", name, channel)
            report.add(channel_report)
            continue
        channel_report.unknown = _settle_stale_claims(session, name, now)
        channel_report.historical = _insert_missing(session, name, historical=True)
        _insert_missing(session, name, historical=False)
        session.commit()
        _send_due(session, channel, settings, now, channel_report)
        channel_report.pending = _count_pending(session, name)
        report.add(channel_report)
    return report


def requeue(
    session: Session,
    *,
    alert_id: int | None = None,
    failed: bool = False,
    unknown: bool = False,
    channel: str | None = None,
    now: datetime | None = None,
) -> list[Delivery]:
    """Put deliveries back in the outbox by hand (``vigie alerts retry``); the ones re-queued.

    ``alert_id`` re-queues that alert's deliveries that are failed, unknown or skipped (never a
    sent or pending one); ``failed`` / ``unknown`` re-queue every delivery in that state. Each goes
    back as a fresh pending delivery, sent once by the next delivery run, with the old state kept
    in its reason.
    """
    now = now or datetime.now(UTC)
    states = set()
    if failed:
        states.add("failed")
    if unknown:
        states.add("unknown")
    query = select(Delivery).where(Delivery.claimed_at.is_(None))
    if alert_id is not None:
        query = query.where(
            Delivery.alert_id == alert_id,
            Delivery.status.in_(states or {"failed", "unknown", "skipped"}),
        )
    elif states:
        query = query.where(Delivery.status.in_(states))
    else:
        return []
    if channel is not None:
        query = query.where(Delivery.channel == channel)
    rows = list(session.scalars(query.order_by(Delivery.alert_id, Delivery.channel)))
    for delivery in rows:
        delivery.reason = REQUEUED.format(
            at=now.isoformat(timespec="seconds"), status=delivery.status, reason=delivery.reason
        )[:2000]
        delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, None
    session.commit()
    return rows


# --- the backfill digest ---------------------------------------------------------------------

DIGESTED_REASON = "historical (backfill): listed in the backfill digest"
# a historical delivery no digest has listed (nor tried to)
_NOT_DIGESTED = (Delivery.status == "skipped", Delivery.reason == HISTORICAL_REASON)


def _found(since: datetime, start: date | None, end: date | None) -> Any:
    """The alerts a backfill run found: created since it began, or (a re-run after a crash)
    about an article of its window."""
    found = Alert.created_at >= since
    if start is not None and end is not None:
        window = and_(
            Article.published >= datetime.combine(start, time(0), tzinfo=UTC),
            Article.published < datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC),
        )
        found = or_(found, Alert.fact_id.in_(select(Fact.id).join(Fact.article).where(window)))
    return and_(Alert.historical.is_(True), found)


def _found_any(session: Session, since: datetime, start: date | None, end: date | None) -> bool:
    """Whether the run found a historical alert that no digest has listed yet."""
    listed = exists().where(
        Delivery.alert_id == Alert.id,
        or_(Delivery.status != "skipped", Delivery.reason != HISTORICAL_REASON),
    )
    query = select(Alert.id).where(_found(since, start, end), ~listed).limit(1)
    return session.scalar(query) is not None


def _undigested(
    session: Session, channel: str, since: datetime, start: date | None, end: date | None
) -> list[Delivery]:
    """This channel's historical deliveries no digest has listed, of the alerts the run found."""
    query = (
        select(Delivery)
        .join(Delivery.alert)
        .where(
            _found(since, start, end),
            Delivery.channel == channel,
            *_NOT_DIGESTED,
            Delivery.claimed_at.is_(None),
        )
        .order_by(Delivery.alert_id)
        .options(*_WITH_FACT)
    )
    return list(session.scalars(query))


def deliver_backfill_digest(
    session: Session,
    settings: Settings,
    *,
    since: datetime,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> DeliveryReport:
    """The end of a backfill run: one digest per channel listing the historical alerts it found
    (never one message per alert), unless ``settings.backfill_digest`` is off.

    Listed alerts become ``sent`` on that channel; when the digest cannot be sent they stay
    ``skipped`` with the reason and are not retried (a digest late by hours is noise). A claim
    left by a crash is never sent again."""
    now = now or datetime.now(UTC)
    report = DeliveryReport()
    if not settings.backfill_digest or not _found_any(session, since, start, end):
        return report  # nothing found: not even the channels are looked up
    labels = load_labels(settings.watch_file)
    for name, channel in configured_channels(settings, labels).items():
        channel_report = ChannelReport(name)
        if isinstance(channel, str):
            channel_report.skipped = channel
            report.add(channel_report)
            continue
        channel_report.historical = _insert_missing(session, name, historical=True)
        session.commit()
        undigested = _undigested(session, name, since, start, end)
        deliveries = _claim(session, undigested, now, *_NOT_DIGESTED)
        if deliveries:
            _send_digest(session, channel, deliveries, now, channel_report)
        report.add(channel_report)
    return report


def _send_digest(
    session: Session,
    channel: Channel,
    deliveries: list[Delivery],
    now: datetime,
    report: ChannelReport,
) -> None:
    by_alert = {d.alert_id: d for d in deliveries}
    try:
        messages = channel.render_digest([view_of(d.alert) for d in deliveries])
    except Exception as exc:  # bad data gets a reason, the run goes on
        messages, report.error = [], f"digest not rendered: {exc!r}"[:300]
    outcome: dict[int, str | None] = dict.fromkeys(by_alert, report.error)
    for ids, payload in messages:
        result = channel.send(payload)
        for alert_id in ids:
            outcome[alert_id] = None if result.ok else result.reason
        if result.ok:
            report.messages += 1
            report.digests = 1
        else:
            report.error = result.reason
    for alert_id, failure in outcome.items():
        delivery = by_alert[alert_id]
        delivery.claimed_at = None
        delivery.attempts += 1
        if failure is None:
            delivery.status, delivery.sent_at, delivery.reason = "sent", now, DIGESTED_REASON
            report.sent += 1
        else:
            delivery.reason = f"{HISTORICAL_REASON}; backfill digest not delivered: {failure}"
            report.failed += 1
    session.commit()
