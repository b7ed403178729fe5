"""The one back-off and Retry-After reader shared by fetches, feeds and alert deliveries."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tenacity import Retrying, retry_if_result, stop_after_attempt

from vigie.retry import (
    backoff,
    next_attempt_in,
    parse_retry_after,
    stop_when_wait_over,
    wait_retry_after,
)

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2024, 11, 5, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)

    assert parse_retry_after("120") == 120
    assert parse_retry_after(" 7 ") == 7
    assert parse_retry_after(later, now) == 90
    assert parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None
    assert parse_retry_after(None) is None


def test_backoff_doubles_up_to_its_cap():
    assert [backoff(n, MINUTE, HOUR) for n in range(1, 9)] == [
        MINUTE * m for m in (1, 2, 4, 8, 16, 32, 60, 60)
    ]
    assert backoff(0, MINUTE, HOUR) == MINUTE
    assert backoff(10_000, MINUTE, HOUR) == HOUR


def test_jitter_stays_within_its_bounds_and_varies():
    rng = random.Random(3)
    waits = [backoff(3, MINUTE, HOUR, jitter=0.2, rng=rng) for _ in range(50)]
    assert all(MINUTE * 4 * 0.8 <= w <= MINUTE * 4 * 1.2 for w in waits)
    assert len(set(waits)) > 40


def test_retry_after_wins_only_when_longer_and_never_past_the_cap():
    assert next_attempt_in(1, None, MINUTE, HOUR) == MINUTE
    assert next_attempt_in(1, 600, MINUTE, HOUR) == 10 * MINUTE
    assert next_attempt_in(4, 60, MINUTE, HOUR) == 8 * MINUTE
    assert next_attempt_in(1, 86_400, MINUTE, HOUR) == HOUR


class Answer:
    def __init__(self, status: int, retry_after: float | None = None) -> None:
        self.status = status
        self.retry_after = retry_after


def _loop(answers: list[Answer], *, retries: int, limit: float) -> tuple[Answer, list[float]]:
    slept: list[float] = []
    pending = iter(answers)
    retrying = Retrying(
        retry=retry_if_result(lambda a: a.status >= 500 or a.status == 429),
        wait=wait_retry_after(1.0, 3600.0),
        stop=stop_after_attempt(retries + 1) | stop_when_wait_over(limit),
        sleep=slept.append,
        retry_error_callback=lambda state: state.outcome.result(),
    )
    return retrying(lambda: next(pending)), slept


def test_the_loop_waits_what_the_server_asks_else_the_backoff():
    answer, slept = _loop([Answer(503, 5), Answer(500), Answer(200)], retries=3, limit=30)
    assert answer.status == 200
    assert slept == [5, 2]  # Retry-After, then the back-off of the second attempt


def test_the_loop_gives_up_rather_than_wait_past_its_limit_and_returns_the_last_answer():
    answer, slept = _loop([Answer(429, 3600), Answer(200)], retries=3, limit=30)
    assert (answer.status, answer.retry_after, slept) == (429, 3600, [])


def test_the_loop_stops_after_its_retries():
    answer, slept = _loop([Answer(500)] * 5, retries=2, limit=30)
    assert answer.status == 500
    assert slept == [1, 2]
