"""Retrying politely: one back-off, one ``Retry-After`` reader, for fetches, feeds and alerts.

Two kinds of retry share them. Within one call (a fetch answered 429 or 5xx) ``tenacity`` runs
the loop: :class:`wait_retry_after` waits what the server asks, else the back-off, and
:class:`stop_when_wait_over` gives up rather than wait longer than the caller can. Across runs
(a feed, a page or an alert that failed) the next attempt is stored: :func:`next_attempt_in`
says when, from the number of attempts so far and what the server asked.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from tenacity.stop import stop_base
from tenacity.wait import wait_base

if TYPE_CHECKING:
    from tenacity import RetryCallState


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` (delta-seconds or an HTTP date); None if unreadable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff(
    attempt: int,
    base: timedelta,
    cap: timedelta,
    *,
    jitter: float = 0.0,
    rng: random.Random | None = None,
) -> timedelta:
    """``base`` × 2^(attempt − 1), moved by a random factor within ±``jitter`` (so that feeds
    or hosts that failed together do not come back together), never over ``cap``."""
    factor = (rng or random).uniform(1 - jitter, 1 + jitter) if jitter else 1.0
    exponent = min(max(attempt - 1, 0), 40)  # 2^40 × any base is past every cap
    return min(cap, base * (2**exponent) * factor)


def next_attempt_in(
    attempt: int,
    retry_after: float | None,
    base: timedelta,
    cap: timedelta,
    *,
    jitter: float = 0.0,
    rng: random.Random | None = None,
) -> timedelta:
    """How long something that failed ``attempt`` times rests: the back-off, or what the server
    asked (``Retry-After``, at most ``cap``) when that is longer."""
    wait = backoff(attempt, base, cap, jitter=jitter, rng=rng)
    if retry_after is not None:
        wait = max(wait, min(timedelta(seconds=retry_after), cap))
    return wait


class wait_retry_after(wait_base):
    """Wait what the last result's ``retry_after`` asks (seconds), else the back-off."""

    def __init__(self, base: float, cap: float, *, jitter: float = 0.0) -> None:
        self.base = timedelta(seconds=base)
        self.cap = timedelta(seconds=cap)
        self.jitter = jitter

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        asked = None
        if outcome is not None and not outcome.failed:
            asked = getattr(outcome.result(), "retry_after", None)
        if asked is not None:
            return float(asked)
        attempt = retry_state.attempt_number
        return backoff(attempt, self.base, self.cap, jitter=self.jitter).total_seconds()


class stop_when_wait_over(stop_base):
    """Give up when the next wait would be longer than ``limit`` seconds."""

    def __init__(self, limit: float) -> None:
        self.limit = limit

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.upcoming_sleep > self.limit
