"""Sending alert e-mails through the provider's SMTP hook, as multipart/alternative (text + HTML).

``SmtpHook.send_email_smtp`` builds an HTML-only message and re-sends the whole message up to
``retry_limit`` times on any error, even after the server took it. So the hook is used for what it
does well (reading ``smtp_default``, connecting with SSL/STARTTLS and logging in) and the message is
built here and handed once to the hook's connected client; retrying is the outbox's job.

Not sent, or outcome unknown. Everything up to the end of the message (connecting, MAIL, RCPT,
DATA, writing the text and its final dot) fails with nothing delivered: transient. Once the final
dot is written the server may queue the message even if its answer never comes (a server that
stalls after DATA, a dropped connection): that outcome is unknown and is never sent again
automatically. smtplib's ``sendmail`` cannot say which step failed, so the transaction is spoken
here step by step on the hook's client, with an explicit socket timeout (the connection's
``timeout`` extra, 30 s by default in the hook).
"""

from __future__ import annotations

import io
import re
import smtplib
from collections.abc import Sequence
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from vigie.alerts.render import EmailParts, header_safe
from vigie.alerts.slack import SendResult, unknown_outcome

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


class _AfterData(Exception):
    """The message and its final dot were written; what came next is unknown."""


def _wire_bytes(msg: EmailMessage) -> bytes:
    """The message as smtplib's ``send_message`` writes it: CRLF lines, dots doubled, final dot."""
    out = io.BytesIO()
    BytesGenerator(out, policy=msg.policy.clone(linesep="\r\n")).flatten(msg)
    data = re.sub(rb"(?m)^\.", b"..", out.getvalue())
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _transaction(client: smtplib.SMTP, msg: EmailMessage, to: list[str]) -> dict:
    """MAIL, RCPT, DATA on a connected client; the refused recipients, as ``sendmail`` returns.

    Raises ``_AfterData`` when the answer to the message itself does not come.
    """
    client.ehlo_or_helo_if_needed()
    sender = parseaddr(str(msg["From"]))[1]
    code, answer = client.mail(sender)
    if code != 250:
        client.rset()
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    refused = {}
    for address in to:
        code, answer = client.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, answer)
    if len(refused) == len(to):
        client.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, answer = client.docmd("data")
    if code != 354:
        client.rset()
        raise smtplib.SMTPDataError(code, answer)
    client.send(_wire_bytes(msg))
    try:
        code, answer = client.getreply()
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise _AfterData() from exc
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)
    return refused


def logged_in_client(hook: Any) -> smtplib.SMTP:
    """The connected, logged-in ``smtplib`` client of an entered ``SmtpHook``.

    The hook has no public accessor for it (its public ``send_email_smtp`` re-sends whole
    messages, see above), so this reads the private ``_smtp_client`` that ``get_conn`` fills;
    ``tests/alerts/test_alert_email_hook.py`` pins that, and this fails loudly if it changes.
    """
    client = getattr(hook, "_smtp_client", None)
    if not isinstance(client, smtplib.SMTP):
        raise TypeError(
            "SmtpHook no longer keeps its logged-in client in _smtp_client "
            "(apache-airflow-providers-smtp changed): see vigie.alerts.email"
        )
    return client


class EmailSender:
    """Sends each message on its own connection: a run sends few (many become one digest)."""

    def __init__(self, to: Sequence[str], conn_id: str = CONN_ID) -> None:
        self.to = list(to)
        self.conn_id = conn_id

    def send(self, parts: EmailParts) -> SendResult:
        from airflow.providers.smtp.hooks.smtp import SmtpHook

        outcome: SendResult | None = None
        try:
            with SmtpHook(self.conn_id) as hook:
                msg = build_message(parts, hook.from_email or DEFAULT_FROM, self.to)
                client = logged_in_client(hook)
                client.timeout = hook.timeout
                if client.sock is not None:
                    client.sock.settimeout(hook.timeout)
                try:
                    refused = _transaction(client, msg, self.to)
                except _AfterData as exc:
                    outcome = unknown_outcome("SMTP", exc.__cause__ or exc)
                else:
                    outcome = SendResult(ok=True)
                    if refused:
                        reason = f"SMTP refused some recipients: {refused!r}"[:300]
                        outcome = SendResult(ok=True, reason=reason)
        except Exception as exc:  # every failure is classified, none is lost
            if outcome is None:
                return _smtp_outcome(exc)
        return outcome  # set whenever the block ended without an exception
