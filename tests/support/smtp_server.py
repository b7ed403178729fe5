"""A loopback SMTP server (aiosmtpd) that records messages, can refuse them, and can go down.

    from support.smtp_server import SmtpServer

    with SmtpServer() as smtp:
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", smtp.connection())
        ...
        smtp.messages            # email.message.EmailMessage objects, parsed, in order
        smtp.refuse("550 5.7.1 rejected")   # the next DATA gets this answer
        smtp.stall(7)            # the next message is kept, but its answer comes 7 s late
        smtp.stop(); smtp.start()           # down (connection refused), then up on the same port

The connection it describes has ``disable_ssl`` and ``disable_tls`` (plain SMTP, as aiosmtpd
speaks) and ``retry_limit`` 0. This module imports nothing from the project.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

FROM = "Vigie <vigie@example.org>"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, _server, _session, envelope) -> str:
        answer = self.server._take(envelope)
        delay = self.server._next_stall()
        if delay:
            await asyncio.sleep(delay)
        return answer


class SmtpServer:
    """aiosmtpd's threaded controller on 127.0.0.1, restartable on its port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._refusals: list[str] = []
        self._stalls: list[float] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> SmtpServer:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def refuse(self, answer: str, times: int = 1) -> None:
        """Answer the next ``times`` messages with ``answer`` (e.g. ``451 4.3.0 try later``)."""
        with self._lock:
            self._refusals.extend([answer] * times)

    def stall(self, seconds: float, times: int = 1) -> None:
        """Keep the next ``times`` messages but answer each only after ``seconds``."""
        with self._lock:
            self._stalls.extend([seconds] * times)

    def _next_stall(self) -> float:
        with self._lock:
            return self._stalls.pop(0) if self._stalls else 0.0

    def _take(self, envelope) -> str:
        with self._lock:
            if self._refusals:
                return self._refusals.pop(0)
            raw = envelope.original_content or envelope.content
            self.messages.append(message_from_bytes(raw, policy=policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def connection(self, from_email: str = FROM, timeout: int = 5) -> str:
        """The JSON for ``AIRFLOW_CONN_SMTP_DEFAULT``."""
        extra = {
            "disable_ssl": True,
            "disable_tls": True,
            "retry_limit": 0,
            "timeout": timeout,
            "from_email": from_email,
        }
        return json.dumps(
            {"conn_type": "smtp", "host": "127.0.0.1", "port": self.port, "extra": extra}
        )
