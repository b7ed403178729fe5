"""Posting to Slack through the provider's incoming-webhook hook, with an outcome the outbox reads.

``SlackWebhookHook.send`` turns every non-200 answer into an ``AirflowException`` whose text keeps
the status but drops the ``Retry-After`` header; the hook's own ``client`` (the slack_sdk
``WebhookClient`` built from the connection) returns the whole response, so that is what is used.
The client's built-in retries are switched off: retrying is the outbox's job, with its claims.

Not sent, or outcome unknown. A post that failed before Slack had it can be sent again; one whose
answer never came (the webhook read it, then was slow past the client's timeout, or the
connection dropped) may have been shown, and sending it again would show it twice. The client
posts with ``urllib.request``, whose ``AbstractHTTPHandler.do_open`` wraps every error raised
while connecting and writing the request in ``URLError`` and lets errors raised while waiting for
or reading the answer through as they are (``TimeoutError``, ``RemoteDisconnected``, a reset);
``HTTPError`` answers are turned into responses by the client. So ``URLError`` means "not sent"
(transient), and any other exception "outcome unknown": never repeated automatically. The
timeout is explicit: the connection's ``timeout`` extra, else ``DEFAULT_TIMEOUT``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.error import HTTPError, URLError

from vigie.alerts.render import SlackMessage
from vigie.retry import parse_retry_after

CONN_ID = "vigie_slack"
CONN_TYPE = "slackwebhook"
DEFAULT_TIMEOUT = 15  # seconds to connect, post and read the answer


@dataclass(frozen=True)
class SendResult:
    """What one send did: accepted, to retry later (maybe after ``retry_after`` s), refused, or
    ``unknown`` (the message was written but no answer came: it may have arrived, and is never
    sent again automatically); ``channel_broken`` when the refusal is about the channel (revoked
    webhook), not the message. Shared by the Slack and e-mail senders."""

    ok: bool
    transient: bool = False
    reason: str | None = None
    retry_after: float | None = None
    channel_broken: bool = False
    unknown: bool = False


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
            ok=False, transient=True, reason=reason, retry_after=parse_retry_after(retry_after)
        )
    return SendResult(ok=False, reason=reason, channel_broken=status in CHANNEL_BROKEN)


def unknown_outcome(channel: str, exc: BaseException) -> SendResult:
    """The message left but no answer came: recorded as such, never sent again by itself."""
    reason = (
        f"{channel}: no answer after the message was sent ({exc!r}); it may have arrived, "
        "not sent again (vigie alerts retry to send it anyway)"
    )
    return SendResult(ok=False, unknown=True, reason=reason[:400])


class SlackSender:
    """One webhook for one delivery run (the connection is read once)."""

    def __init__(self, conn_id: str = CONN_ID) -> None:
        from airflow.providers.common.compat.sdk import BaseHook
        from airflow.providers.slack.hooks.slack_webhook import SlackWebhookHook

        extra = BaseHook.get_connection(conn_id).extra_dejson
        self.timeout = int(extra.get("timeout") or DEFAULT_TIMEOUT)
        self.hook = SlackWebhookHook(
            slack_webhook_conn_id=conn_id, retry_handlers=[], timeout=self.timeout
        )

    def send(self, message: SlackMessage) -> SendResult:
        try:
            client = self.hook.client
        except Exception as exc:  # the connection cannot be read: nothing left
            return SendResult(ok=False, transient=True, reason=f"Slack not set up: {exc!r}"[:300])
        try:
            response = client.send(
                text=message.text,
                blocks=message.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        except HTTPError as exc:  # answered; the client normally turns these into responses
            return classify_status(exc.code, "", exc.headers.get("Retry-After"))
        except URLError as exc:  # raised while connecting or writing: Slack does not have it
            reason = f"Slack unreachable, nothing sent: {exc.reason!r}"
            return SendResult(ok=False, transient=True, reason=reason[:300])
        except Exception as exc:  # raised while waiting for the answer: it may have arrived
            return unknown_outcome("Slack", exc)
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        retry_after = headers.get("retry-after")
        if isinstance(retry_after, list):
            retry_after = retry_after[0] if retry_after else None
        return classify_status(response.status_code, response.body, retry_after)
