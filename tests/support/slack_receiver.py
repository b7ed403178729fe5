"""A Slack incoming-webhook stand-in on 127.0.0.1: records what is posted, answers as scripted.

    from support.slack_receiver import SlackReceiver, Answer

    with SlackReceiver() as slack:
        monkeypatch.setenv("AIRFLOW_CONN_VIGIE_SLACK", slack.connection())
        slack.script(Answer(500, "oops"), Answer(429, "ratelimited", retry_after=30))
        ...                      # the next posts get 500, then 429, then "ok" again
        slack.script(Answer(delay=3))   # reads the post (shown, as Slack would), answers 3 s late
        slack.script(Answer(reset=True))   # reads the post, then drops the connection
        slack.accepted           # JSON bodies answered 200, in order
        slack.received           # every post with the status it got
        slack.stop(); slack.start()   # down, then up again on the same port

Like Slack, it answers 200 ``ok`` to a valid post and 400 ``invalid_blocks`` to a body whose blocks
break Block Kit's size limits (more than 50 blocks, a section over 3000 characters, a header over
150, fallback text over 40000), so a test sees a message Slack itself would refuse.
This module imports nothing from the project.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "T000TEST/B000TEST/XXXXXXXXXXXXXXXXXXXXXXXX"


@dataclass(frozen=True)
class Answer:
    """One scripted reply."""

    status: int = 200
    body: str = "ok"
    retry_after: int | None = None
    #: seconds to wait, after reading the whole post, before answering
    delay: float = 0.0
    #: after reading the whole post, close the connection without answering
    reset: bool = False


@dataclass(frozen=True)
class Received:
    path: str
    status: int
    body: dict[str, Any] | None


def block_kit_problem(body: dict[str, Any]) -> str | None:
    """Why Slack would refuse this body (the limits of Block Kit), or None."""
    blocks = body.get("blocks") or []
    if len(blocks) > 50:
        return "too many blocks"
    if len(body.get("text") or "") > 40000:
        return "text too long"
    for block in blocks:
        text = (block.get("text") or {}).get("text", "")
        if block.get("type") == "header" and not 0 < len(text) <= 150:
            return "header text length"
        if block.get("type") == "section":
            if "text" in block and not 0 < len(text) <= 3000:
                return "section text length"
            fields = block.get("fields") or []
            if len(fields) > 10 or any(not 0 < len(f["text"]) <= 2000 for f in fields):
                return "section fields"
        if block.get("type") == "context" and len(block.get("elements") or []) > 10:
            return "context elements"
    return None


class SlackReceiver:
    """A threaded HTTP server that plays an incoming webhook on a fixed loopback port."""

    def __init__(self) -> None:
        self.port = 0
        self.received: list[Received] = []
        self._script: list[Answer] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle --------------------------------------------------------------------------

    def start(self) -> SlackReceiver:
        receiver = self
        self._stopping.clear()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                answer = receiver._answer(body)
                with receiver._lock:
                    receiver.received.append(Received(self.path, answer.status, body))
                if answer.reset:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if answer.delay and receiver._stopping.wait(answer.delay):
                    return
                payload = answer.body.encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                if answer.retry_after is not None:
                    self.send_header("Retry-After", str(answer.retry_after))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None

    def __enter__(self) -> SlackReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- scripting and records ---------------------------------------------------------------

    def script(self, *answers: Answer) -> None:
        """The next posts get these answers in order; then 200 ``ok`` again."""
        with self._lock:
            self._script.extend(answers)

    def _answer(self, body: dict[str, Any] | None) -> Answer:
        with self._lock:
            if self._script:
                return self._script.pop(0)
        if body is None:
            return Answer(400, "invalid_payload")
        if block_kit_problem(body):
            return Answer(400, "invalid_blocks")
        return Answer()

    @property
    def accepted(self) -> list[dict[str, Any]]:
        """The bodies Slack would have shown, in order."""
        with self._lock:
            return [r.body for r in self.received if r.status == 200 and r.body is not None]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def connection(self, timeout: int = 5) -> str:
        """The JSON for ``AIRFLOW_CONN_VIGIE_SLACK``: host = this server, password = the token."""
        return json.dumps(
            {
                "conn_type": "slackwebhook",
                "host": self.url,
                "password": TOKEN,
                "extra": {"timeout": timeout},
            }
        )
