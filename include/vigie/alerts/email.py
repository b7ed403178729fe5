"""Sending alert e-mails through the provider's SMTP hook, as multipart/alternative (text + HTML).

``SmtpHook.send_email_smtp`` builds an HTML-only message and re-sends the whole message up to
``retry_limit`` times on any error, even after the server took it. So the hook is used for what it
does well (reading ``smtp_default``, connecting with SSL/STARTTLS and logging in) and the message is
built here and handed once to the hook's connected client; retrying is the outbox's job.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from vigie.alerts.render import EmailParts, header_safe
from vigie.alerts.slack import SendResult

CONN_ID = "smtp_default"
DEFAULT_FROM = "Vigie <vigie@localhost>"


def build_message(parts: EmailParts, sender: str, to: Sequence[str]) -> EmailMessage:
    """A 7-bit clean MIME message: UTF-8 text and HTML as quoted-printable, RFC 2047 subject."""
    msg = EmailMessage()
    msg["Subject"] = header_safe(parts.subject)
    msg["From"] = header_safe(sender, 300)
    msg["To"] = ", ".join(header_safe(addr, 300) for addr in to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="vigie.local")
    msg.set_content(parts.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(parts.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg


def _smtp_outcome(exc: Exception) -> SendResult:
    """4xx and lost connections come back later; a 5xx refusal of the message is final.

    Authentication and TLS problems are the operator's to fix: the alert waits for them.
    """
    reason = f"SMTP: {exc!r}"[:300]
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        final = bool(codes) and all(code >= 500 for code in codes)
        return SendResult(ok=False, transient=not final, reason=reason)
    if isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPNotSupportedError):
        return SendResult(ok=False, transient=True, reason=reason)
    if isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500:
        return SendResult(ok=False, reason=reason)
    return SendResult(ok=False, transient=True, reason=reason)


class EmailSender:
    """Sends each message on its own connection: a run sends few (many become one digest)."""

    def __init__(self, to: Sequence[str], conn_id: str = CONN_ID) -> None:
        self.to = list(to)
        self.conn_id = conn_id

    def send(self, parts: EmailParts) -> SendResult:
        from airflow.providers.smtp.hooks.smtp import SmtpHook

        try:
            with SmtpHook(self.conn_id) as hook:
                msg = build_message(parts, hook.from_email or DEFAULT_FROM, self.to)
                # the hook has no public accessor for its logged-in client
                refused = hook._smtp_client.send_message(msg, to_addrs=self.to)
        except Exception as exc:  # every failure is classified, none is lost
            return _smtp_outcome(exc)
        if refused:
            return SendResult(ok=True, reason=f"SMTP refused some recipients: {refused!r}"[:300])
        return SendResult(ok=True)
