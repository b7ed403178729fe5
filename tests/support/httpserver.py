"""A loopback HTTP server for tests and benches: files, bytes and scripted misbehaviour.

Everything it serves lives on 127.0.0.1 on a random port, so no packet leaves the machine.

    from support.httpserver import LoopbackServer, Reply, redirect, gzip_bomb

    with LoopbackServer() as server:
        server.add("/feed.xml", Reply(body=b"<rss/>", headers={"Content-Type": "text/xml"}))
        server.add("/flaky", Reply(status=429, headers={"Retry-After": "1"}), Reply(body=b"ok"))
        server.add("/moved", redirect("/feed.xml", status=301))
        server.add("/bomb", gzip_bomb(1_000_000_000))
        fetch(server.url("/feed.xml"))
        server.requests_to("/flaky")   # what the client sent, in order
        server.max_in_flight           # most requests held at once (received, not yet answered)
        server.add("/p", Reply(overlap=2))  # held until two requests are in flight together

``LoopbackServer(tls=context)`` serves HTTPS with that server-side SSLContext instead.
``LoopbackServer(keep_alive=True)`` speaks HTTP/1.1 and keeps connections open between requests
(bodies of known length); ``server.connections`` counts the connections it accepted.

A route answers with its replies in order, the last one repeating: a status sequence such as
429-then-200 is just two replies. A route may instead be a function of the request returning a
Reply, for anything a sequence cannot say. A Reply with an ``etag`` or ``last_modified`` answers
304 to a request whose If-None-Match / If-Modified-Since matches it. Bodies may be bytes or a
function returning an iterable of byte chunks, produced lazily as the client reads (a 50 MB page
is never held in memory). Unknown paths get 404.

This module imports nothing from the project, so benches can load it by path too.
"""

from __future__ import annotations

import contextlib
import gzip
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Body = bytes | Callable[[], Iterable[bytes]]
OVERLAP_WAIT = 5.0


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: Body = b""
    headers: dict[str, str] | list[tuple[str, str]] = field(default_factory=dict)
    #: seconds to wait before answering (keeps the request in flight)
    delay: float = 0.0
    #: when set, the body is sent one byte at a time, this many seconds apart
    drip: float | None = None
    #: sent as ETag; a request whose If-None-Match equals it gets 304 Not Modified
    etag: str | None = None
    #: sent as Last-Modified; a request whose If-Modified-Since equals it gets 304
    last_modified: str | None = None
    #: held until this many requests have been in flight at once (at most OVERLAP_WAIT seconds):
    #: a client that never overlaps its requests leaves ``max_in_flight`` below it
    overlap: int = 0


@dataclass(frozen=True)
class RecordedRequest:
    """What the server received: method, path (with query) and headers (lower-case names)."""

    method: str
    path: str
    headers: dict[str, str]
    received_at: float

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


Handler = Callable[[RecordedRequest], Reply]


def file_reply(
    path: Path | str,
    content_type: str | None = None,
    headers: dict[str, str] | None = None,
    **kwargs: object,
) -> Reply:
    """A file's bytes, unchanged; Content-Type guessed from the suffix unless given."""
    path = Path(path)
    guessed = {
        ".html": "text/html",
        ".htm": "text/html",
        ".xml": "text/xml",
        ".rss": "application/rss+xml",
        ".atom": "application/atom+xml",
        ".txt": "text/plain",
        ".json": "application/json",
        ".png": "image/png",
    }.get(path.suffix.lower(), "application/octet-stream")
    headers = dict(headers or {})
    headers.setdefault("Content-Type", content_type or guessed)
    return Reply(body=path.read_bytes(), headers=headers, **kwargs)  # type: ignore[arg-type]


def redirect(location: str, status: int = 302) -> Reply:
    """A redirect to ``location`` (absolute, or a path on this server)."""
    return Reply(status=status, headers={"Location": location})


def huge_body(size: int, content_type: str = "text/html", chunk: int = 65536) -> Reply:
    """``size`` bytes produced as they are read, never held in memory; no Content-Length."""

    def produce() -> Iterator[bytes]:
        block = b"<p>" + b"x" * (chunk - 7) + b"</p>\n"
        sent = 0
        while sent < size:
            piece = block[: size - sent]
            sent += len(piece)
            yield piece

    return Reply(body=produce, headers={"Content-Type": content_type})


def gzip_bomb(size: int, content_type: str = "text/html") -> Reply:
    """A gzip stream of ``size`` zero bytes, compressed as it is read (about 1000:1)."""

    def produce() -> Iterator[bytes]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = b"\0" * (1 << 20)
        sent = 0
        while sent < size:
            piece = zeros[: size - sent]
            sent += len(piece)
            out = compressor.compress(piece)
            if out:
                yield out
        yield compressor.flush()

    return Reply(body=produce, headers={"Content-Type": content_type, "Content-Encoding": "gzip"})


def gzipped(body: bytes, content_type: str = "text/html") -> Reply:
    """``body`` sent gzip-compressed, as a well-behaved server would."""
    return Reply(
        body=gzip.compress(body),
        headers={"Content-Type": content_type, "Content-Encoding": "gzip"},
    )


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 that answers from scripted routes and records requests."""

    def __init__(self, tls: ssl.SSLContext | None = None, keep_alive: bool = False) -> None:
        self.keep_alive = keep_alive
        self.connections = 0
        self._routes: dict[str, list[Reply] | Handler] = {}
        self._served: dict[str, int] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Condition()  # also signals a change of the in-flight count
        self._in_flight = 0
        self.max_in_flight = 0
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _RequestHandler)
        self._httpd.owner = self
        self.scheme = "https" if tls else "http"
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self._thread: threading.Thread | None = None

    # --- life cycle ---------------------------------------------------------------------

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- routes -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The URL of ``path`` on this server, optionally under another host name or address."""
        return f"{self.scheme}://{host}:{self.port}{path}"

    def add(self, path: str, *replies: Reply) -> str:
        """Answer ``path`` with ``replies`` in order, the last repeating; returns its URL."""
        if not replies:
            raise ValueError("a route needs at least one reply")
        with self._lock:
            self._routes[path] = list(replies)
            self._served[path] = 0
        return self.url(path)

    def route(self, path: str, handler: Handler) -> str:
        """Answer ``path`` with whatever ``handler(request)`` returns; returns its URL."""
        with self._lock:
            self._routes[path] = handler
        return self.url(path)

    def add_file(self, path: str, file: Path | str, **kwargs: object) -> str:
        return self.add(path, file_reply(file, **kwargs))  # type: ignore[arg-type]

    # --- what happened ------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def reset(self) -> None:
        """Forget recorded requests and the in-flight maximum (routes stay)."""
        with self._lock:
            self._requests.clear()
            self.max_in_flight = 0

    # --- used by the handler ------------------------------------------------------------

    def _choose(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self._requests.append(request)
            key = request.path if request.path in self._routes else request.path.split("?")[0]
            route = self._routes.get(key)
            if route is None:
                return Reply(status=404, body=b"not found", headers={"Content-Type": "text/plain"})
            if not callable(route):
                index = min(self._served[key], len(route) - 1)
                self._served[key] += 1
                return route[index]
        return route(request)

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            self._lock.notify_all()

    def _await_overlap(self, count: int) -> None:
        with self._lock:
            self._lock.wait_for(
                lambda: self.max_in_flight >= count or self._stopping.is_set(), OVERLAP_WAIT
            )

    def _connected(self) -> None:
        with self._lock:
            self.connections += 1

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: LoopbackServer

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-body is expected here (size caps, deadlines): stay quiet."""


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read ``server.requests`` instead."""

    def setup(self) -> None:
        super().setup()
        self.server.owner._connected()
        if self.server.owner.keep_alive:
            self.protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        owner = self.server.owner
        request = RecordedRequest(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            received_at=time.monotonic(),
        )
        owner._enter()
        try:
            reply = owner._choose(request)
            if reply.overlap:
                owner._await_overlap(reply.overlap)
            stopped = reply.delay and owner._stopping.wait(reply.delay)
        finally:
            owner._leave()
        if stopped:
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            self._answer(owner, reply, request)

    do_HEAD = do_GET

    def _answer(self, owner: LoopbackServer, reply: Reply, request: RecordedRequest) -> None:
        headers = list(reply.headers.items() if isinstance(reply.headers, dict) else reply.headers)
        if reply.etag is not None:
            headers.append(("ETag", reply.etag))
        if reply.last_modified is not None:
            headers.append(("Last-Modified", reply.last_modified))
        not_modified = (
            reply.etag is not None and request.header("if-none-match") == reply.etag
        ) or (
            reply.last_modified is not None
            and request.header("if-modified-since") == reply.last_modified
        )
        status = 304 if not_modified else reply.status
        body: Body = b"" if not_modified else reply.body
        self.send_response(status)
        for name, value in headers:
            if not (not_modified and name.lower() in ("content-type", "content-encoding")):
                self.send_header(name, value)
        if isinstance(body, bytes):
            self.send_header("Content-Length", str(len(body)))
        if not (owner.keep_alive and isinstance(body, bytes)):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        chunks: Iterable[bytes] = [body] if isinstance(body, bytes) else body()
        for chunk in chunks:
            if owner._stopping.is_set():
                return
            if reply.drip is None:
                self.wfile.write(chunk)
                continue
            for i in range(len(chunk)):
                self.wfile.write(chunk[i : i + 1])
                self.wfile.flush()
                if owner._stopping.wait(reply.drip):
                    return
