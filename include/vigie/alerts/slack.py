"""Posting to Slack through the provider's incoming-webhook hook, with an outcome the outbox reads.

``SlackWebhookHook.send`` turns every non-200 answer into an ``AirflowException`` whose text keeps
the status but drops the ``Retry-After`` header; the hook's own ``client`` (the slack_sdk
``WebhookClient`` built from the connection) returns the whole response, so that is what is used.
The client's built-in retries are switched off: retrying is the outbox's job, with its claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from vigie.alerts.render import SlackMessage

CONN_ID = "vigie_slack"
CONN_TYPE = "slackwebhook"


@dataclass(frozen=True)
class SendResult:
    """What one send did: accepted, to retry later (maybe after ``retry_after`` s), or refused;
    ``channel_broken`` when the refusal is about the channel (revoked webhook), not the message.
    Shared by the Slack and e-mail senders."""

    ok: bool
    transient: bool = False
    reason: str | None = None
    retry_after: float | None = None
    channel_broken: bool = False


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds, whether given as a number or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


# Slack answers these when the webhook itself is gone or forbidden (no_service, invalid_token,
# action_prohibited, channel_is_archived): the next messages would be refused the same way.
CHANNEL_BROKEN = frozenset({401, 403, 404, 410})


def classify_status(status: int, body: str, retry_after: str | None) -> SendResult:
    """200 is delivered; 429, 408 and 5xx come back later; any other answer is final."""
    if status == 200:
        return SendResult(ok=True)
    reason = f"Slack HTTP {status}: {(body or '').strip()[:200]}"
    if status in (408, 429) or status >= 500:
        return SendResult(
            ok=False, transient=True, reason=reason, retry_after=retry_after_seconds(retry_after)
        )
    return SendResult(ok=False, reason=reason, channel_broken=status in CHANNEL_BROKEN)


class SlackSender:
    """One webhook for one delivery run (the connection is read once)."""

    def __init__(self, conn_id: str = CONN_ID) -> None:
        from airflow.providers.slack.hooks.slack_webhook import SlackWebhookHook

        self.hook = SlackWebhookHook(slack_webhook_conn_id=conn_id, retry_handlers=[])

    def send(self, message: SlackMessage) -> SendResult:
        try:
            response = self.hook.client.send(
                text=message.text,
                blocks=message.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        except Exception as exc:  # any failure to reach Slack is retried later
            return SendResult(ok=False, transient=True, reason=f"Slack unreachable: {exc!r}"[:300])
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        retry_after = headers.get("retry-after")
        if isinstance(retry_after, list):
            retry_after = retry_after[0] if retry_after else None
        return classify_status(response.status_code, response.body, retry_after)
