"""The careful HTTP client for feeds and pages: nothing a hostile URL or server does can hurt us.

Why not plain ``requests``: a fetcher that follows links found in feeds must not be turned against
the machine it runs on (SSRF). So every request resolves the host once, refuses the request unless
every address is globally routable (or allowed by VIGIE_ALLOW_PRIVATE_HOSTS), and then connects to
that very checked address, sending the right Host header and TLS server name: a DNS answer that
changes between check and connect (rebinding) cannot slip past. Redirects are followed by hand,
each hop checked again. A whole attempt has a deadline enforced by a watchdog that closes the
socket, so a server dripping one byte a second cannot hold a worker; bodies are counted after
decompression, so a gzip bomb stops early. 429 and 5xx are retried with backoff, honouring
Retry-After up to a cap. Name resolution runs inside the same deadline (a stalled resolver cannot
hold a worker either).

Each failure says whether it is ``permanent`` (404, 410, other 4xx, refused address, redirect
loop, binary or oversized body, a type that is not a page): the callers never ask for that URL
again. Timeouts, 5xx, 429 and lost connections are transient: they are retried later.

Connections are kept alive per host for the life of a ``Fetcher`` (one run), so a run that asks
one outlet for twenty pages opens one or two connections, not twenty. ``requests.Session`` would
pool them too, but it resolves names itself when it connects, which would reopen the rebinding
hole the checked address closes; the pool here holds ``http.client`` connections made to checked
addresses.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, TypeVar
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from requests.structures import CaseInsensitiveDict
from tenacity import Retrying, retry_if_result, stop_after_attempt

from vigie import __version__ as _vigie_version
from vigie.config import Settings
from vigie.ingest.decode import looks_binary
from vigie.retry import parse_retry_after, stop_when_wait_over, wait_retry_after

Kind = Literal["page", "feed"]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

USER_AGENT = f"Vigie/{_vigie_version} (veille d'actualité)"
ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
    "*/*;q=0.5",
}
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_REDIRECTS = 5
_NO_CAP = 86_400.0  # the back-off within one fetch is bounded by max_retry_wait instead
_CHUNK = 65536
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_METADATA = ipaddress.ip_address("169.254.169.254")
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_NOT_FEED_MAJOR = ("image/", "audio/", "video/", "font/")
_NOT_FEED_TYPES = ("application/pdf", "application/zip", "application/gzip", "application/x-gzip")
_TRANSIENT_4XX = frozenset({408, 425, 429})
_DRAIN_LIMIT = 65536  # a small error or redirect body is read so its connection can be reused


def _user_agent(settings: Settings) -> str:
    """Who is asking, with the operator's contact (VIGIE_CONTACT) when one is set."""
    contact = (settings.contact or "").strip()
    return f"Vigie/{_vigie_version} (veille d'actualité; {contact})" if contact else USER_AGENT


def _default_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass
class FetchResult:
    """What one ``Fetcher.get`` learnt: the response, or a human reason why there is none."""

    url: str
    status: int | None = None
    headers: CaseInsensitiveDict = field(default_factory=CaseInsensitiveDict)
    body: bytes = b""
    error: str | None = None
    permanent_redirect: str | None = None
    retry_after: float | None = None
    elapsed_ms: int = 0
    #: the failure will not go away by asking again (404, 410, refused, loop, binary, too large)
    permanent: bool = False

    @property
    def ok(self) -> bool:
        """True for a usable answer: a 2xx with a body, or 304 Not Modified."""
        return (
            self.error is None
            and self.status is not None
            and (200 <= self.status < 300 or self.status == 304)
        )

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class _Refused(Exception):
    """The request was stopped before or while talking to the server; str() is the reason.

    ``permanent`` when asking again can only end the same way (a refused address, a body that is
    too large or binary), as opposed to a timeout or a lost connection."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, IPv4-compatible), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip))
    return None


def _kind_of_address(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public internet address, or None when it is one."""
    if ip.is_loopback:
        return "a loopback address"
    if ip == _METADATA:
        return "the cloud metadata address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip in _CGNAT:
        return "a carrier-grade NAT address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "a site-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "not a public address"
    return None


def address_refusal(ip: IPAddress, settings: Settings) -> str | None:
    """Why connecting to ``ip`` is refused, or None when it is allowed."""
    if any(ip in net for net in settings.allowed_networks):
        return None
    inner = embedded_ipv4(ip)
    if inner is not None and (why := _kind_of_address(inner)):
        return f"{ip} hides {inner}, {why}"
    if why := _kind_of_address(ip):
        return f"{ip} is {why}"
    if inner is not None and isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return f"{ip} is an IPv4-mapped address"
    return None


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


def _seconds(s: float) -> str:
    return f"{s:g} s"


def _request_target(path: str, query: str) -> str:
    """Path and query as sent on the wire: spaces and non-ASCII percent-encoded, the rest kept."""
    safe = "/%:@!$&'()*+,;=-._~"
    target = quote(path or "/", safe=safe)
    if query:
        target += "?" + quote(query, safe=safe + "?")
    return target


def _host_header(host: str, port: int, scheme: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    return shown if port == default else f"{shown}:{port}"


class _Attempt:
    """One request to a checked address; a watchdog closes the socket at the deadline."""

    def __init__(self, deadline_at: float, deadline: float) -> None:
        self.deadline_at = deadline_at
        self.deadline = deadline
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline_at - time.monotonic()), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Attempt:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            if self._sock is not None:
                self._sock.close()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                with contextlib.suppress(OSError):
                    self._sock.shutdown(socket.SHUT_RDWR)

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                sock.close()

    def detach(self) -> bool:
        """Take the socket back from the watchdog (to keep it alive); False if it already fired."""
        with self._lock:
            if self.expired:
                return False
            self._sock = None
            return True

    def remaining(self) -> float:
        left = self.deadline_at - time.monotonic()
        if left <= 0 or self.expired:
            raise _Refused(f"timeout after {_seconds(self.deadline)}")
        return left


class _Decoder:
    """Decompresses gzip/deflate bodies piece by piece, never producing more than asked for."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._wbits: int | None = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            self._wbits = 47  # zlib or gzip header, detected
        else:
            raise _Refused(f"unsupported content-encoding {encoding}", permanent=True)
        self._raw_fallback = encoding == "deflate"
        self._d = zlib.decompressobj(self._wbits) if self._wbits else None
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        """Decoded bytes of ``data``, at most ``limit`` + 1 (enough to see a cap crossed)."""
        if self._d is None:
            return data
        out = []
        produced = 0
        pending = data
        while pending and produced <= limit:
            try:
                piece = self._d.decompress(pending, limit + 1 - produced)
            except zlib.error as exc:
                if self._raw_fallback and not self._started:
                    self._d = zlib.decompressobj(-15)
                    self._raw_fallback = False
                    continue
                raise _Refused(f"bad compressed body: {exc}") from exc
            self._started = True
            out.append(piece)
            produced += len(piece)
            if self._d.eof:
                pending = self._d.unused_data
                if pending:
                    self._d = zlib.decompressobj(self._wbits or 47)
            else:
                pending = self._d.unconsumed_tail
        return b"".join(out)

    def finish(self) -> None:
        """A compressed body must end where its stream ends, or it was cut or corrupt."""
        if self._d is not None and self._started and not self._d.eof:
            raise _Refused("bad compressed body: truncated or corrupt stream")
        if self._d is not None and not self._started:
            raise _Refused("bad compressed body: no data")


@cache
def _default_tls() -> ssl.SSLContext:
    """The system's certificates, loaded once per process (a twentieth of a second each time):
    a context is safe to share between fetchers and threads."""
    return ssl.create_default_context()


class Fetcher:
    """A thread-safe, polite, SSRF-proof HTTP GET for feeds and pages, for the life of one run.

    ``resolver(host, port)`` returns the host's addresses; tests inject a fake one. ``deadline``
    (default: VIGIE_FETCH_TIMEOUT_SECONDS) bounds one whole attempt (name resolution, connect,
    redirects, body); ``retries`` more attempts are made on 429 and 5xx, waiting ``backoff`` × 2^n
    seconds with jitter, or what Retry-After asks when it is at most ``max_retry_wait``. At most
    ``per_host`` requests go to one host at a time, over connections kept alive until ``close()``.
    HTTPS certificates are checked against the URL's host name with ``tls_context`` (default: the
    system's trust store). The user agent names the operator's contact (VIGIE_CONTACT).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Callable[[str, int], list[str]] | None = None,
        user_agent: str | None = None,
        max_bytes: int = 10_000_000,
        connect_timeout: float = 10.0,
        deadline: float | None = None,
        per_host: int = 2,
        retries: int = 2,
        backoff: float = 1.0,
        max_retry_wait: float = 30.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.settings = settings
        self.resolver = resolver or _default_resolver
        self.user_agent = user_agent or _user_agent(settings)
        self.max_bytes = max_bytes
        self.connect_timeout = connect_timeout
        self.deadline = deadline if deadline is not None else settings.fetch_timeout_seconds
        self.per_host = per_host
        self.retries = retries
        self.backoff = backoff
        self.max_retry_wait = max_retry_wait
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        self._idle: dict[tuple[str, str, int], list[http.client.HTTPConnection]] = {}
        self._tls = tls_context or _default_tls()

    # --- public -------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        kind: Kind = "page",
    ) -> FetchResult:
        """GET ``url``; never raises for network or server trouble: ``error`` says what failed."""
        started = time.monotonic()
        headers = {
            "User-Agent": self.user_agent,
            "Accept": accept or ACCEPT[kind],
            "Accept-Language": "fr, en;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        retrying = Retrying(
            retry=retry_if_result(lambda answer: answer.status in RETRY_STATUSES),
            wait=wait_retry_after(self.backoff, _NO_CAP, jitter=0.2),
            stop=stop_after_attempt(self.retries + 1) | stop_when_wait_over(self.max_retry_wait),
            retry_error_callback=lambda state: state.outcome.result(),  # the last answer
        )
        result = retrying(self._follow, url, headers, kind)
        result.elapsed_ms = int((time.monotonic() - started) * 1000)
        return result

    def close(self) -> None:
        """Close the connections kept alive (the end of a run)."""
        with self._hosts_lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for conn in connections:
                conn.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- redirects ----------------------------------------------------------------------

    def _follow(self, url: str, headers: dict[str, str], kind: Kind) -> FetchResult:
        """One attempt: the request and its redirects, under one deadline.

        The deadline counts time spent resolving names and talking to servers, not time queued
        for a per-host slot.
        """
        budget = self.deadline
        seen = {url}
        current = url
        permanent: str | None = None
        still_permanent = True
        for hop in range(MAX_REDIRECTS + 1):
            result, spent = self._one(
                current, headers if hop == 0 else _drop_validators(headers), kind, budget
            )
            budget -= spent
            if result.status not in (301, 302, 303, 307, 308) or result.error:
                result.permanent_redirect = permanent
                return result
            location = result.headers.get("location")
            if not location:
                result.error = f"HTTP {result.status} without a Location"
                result.permanent = True
                return result
            target = urljoin(current, location.strip()).split("#", 1)[0]
            if still_permanent and result.status in (301, 308):
                permanent = target
            else:
                still_permanent = False
            if target in seen:
                return FetchResult(
                    url=target,
                    status=result.status,
                    headers=result.headers,
                    error="redirect loop",
                    permanent_redirect=permanent,
                    permanent=True,
                )
            seen.add(target)
            current = target
        return FetchResult(
            url=current,
            status=result.status,
            headers=result.headers,
            error=f"too many redirects (over {MAX_REDIRECTS})",
            permanent_redirect=permanent,
            permanent=True,
        )

    # --- one request --------------------------------------------------------------------

    def _resolve_checked(
        self, url: str, deadline_at: float
    ) -> tuple[SplitResult, str, int, list[str]]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise _Refused(
                f"refused: only http and https are fetched, not {scheme or 'no scheme'}",
                permanent=True,
            )
        try:
            host = parts.hostname
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError as exc:
            raise _Refused(f"bad URL: {exc}", permanent=True) from exc
        if not host:
            raise _Refused("bad URL: no host", permanent=True)
        host = host.rstrip(".")
        try:
            literal: IPAddress | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError as exc:
                why = f"bad URL: host {host!r} is not a valid name"
                raise _Refused(why, permanent=True) from exc
        if literal is not None:
            if why := address_refusal(literal, self.settings):
                raise _Refused(f"refused: {why}", permanent=True)
            return parts, str(literal), port, [str(literal)]
        if host in self.settings.allowed_hostnames:
            return parts, host, port, self._resolve(host, port, deadline_at)
        if host == "localhost" or host.endswith(".localhost"):
            raise _Refused(f"refused: {host} is a loopback name", permanent=True)
        addresses = self._resolve(host, port, deadline_at)
        for address in addresses:
            try:
                ip = ipaddress.ip_address(address)
            except ValueError as exc:
                raise _Refused(
                    f"refused: {host} resolves to {address!r}, not an address", permanent=True
                ) from exc
            if why := address_refusal(ip, self.settings):
                raise _Refused(f"refused: {why} ({host} resolves to it)", permanent=True)
        return parts, host, port, addresses

    def _resolve(self, host: str, port: int, deadline_at: float) -> list[str]:
        """The resolver's answer, waited for no later than ``deadline_at``.

        ``getaddrinfo`` takes no timeout, so it runs in a daemon thread that is abandoned (and
        ends on its own) when the deadline passes first.
        """
        box: dict[str, object] = {}

        def ask() -> None:
            try:
                box["addresses"] = self.resolver(host, port)
            except BaseException as exc:  # handed over to the waiting thread
                box["error"] = exc

        worker = threading.Thread(target=ask, name=f"vigie-dns-{host}", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline_at - time.monotonic()))
        if worker.is_alive():
            raise _Refused(f"timeout after {_seconds(self.deadline)} resolving {host}")
        error = box.get("error")
        if isinstance(error, OSError | UnicodeError):
            raise _Refused(f"cannot resolve {host}: {error}") from error
        if isinstance(error, BaseException):
            raise error
        addresses = box.get("addresses")
        if not addresses:
            raise _Refused(f"cannot resolve {host}: no address")
        return list(addresses)  # type: ignore[call-overload]

    def _host_slot(self, host: str) -> threading.BoundedSemaphore:
        with self._hosts_lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.BoundedSemaphore(self.per_host)
            return slot

    def _one(
        self, url: str, headers: dict[str, str], kind: Kind, budget: float
    ) -> tuple[FetchResult, float]:
        """One request (no redirect followed) within ``budget`` seconds; returns the time spent."""
        resolving = time.monotonic()
        try:
            parts, host, port, addresses = self._resolve_checked(url, resolving + budget)
        except _Refused as exc:
            failed = FetchResult(url=url, error=str(exc), permanent=exc.permanent)
            return failed, time.monotonic() - resolving
        spent_resolving = time.monotonic() - resolving
        budget -= spent_resolving
        with self._host_slot(host):
            started = time.monotonic()
            with _Attempt(started + budget, self.deadline) as attempt:
                try:
                    result = self._exchange(
                        url, parts, host, port, addresses, headers, kind, attempt
                    )
                except _Refused as exc:
                    result = FetchResult(url=url, error=str(exc), permanent=exc.permanent)
                except (OSError, http.client.HTTPException) as exc:
                    if attempt.expired or isinstance(exc, TimeoutError):
                        reason = f"timeout after {_seconds(self.deadline)}"
                    else:
                        reason = f"connection failed: {_describe(exc)}"
                    result = FetchResult(url=url, error=reason)
                except ValueError as exc:  # http.client refusing a header or target it cannot send
                    result = FetchResult(url=url, error=f"bad request: {exc}"[:300], permanent=True)
            return result, spent_resolving + time.monotonic() - started

    def _connect(
        self, scheme: str, host: str, port: int, addresses: list[str], attempt: _Attempt
    ) -> socket.socket:
        last: OSError | None = None
        for address in addresses:
            timeout = min(self.connect_timeout, attempt.remaining())
            try:
                sock = socket.create_connection((address, port), timeout=timeout)
            except TimeoutError:
                raise _Refused(f"timeout after {_seconds(timeout)} connecting to {host}") from None
            except OSError as exc:
                last = exc
                continue
            attempt.attach(sock)
            if scheme == "https":
                sock = self._tls.wrap_socket(sock, server_hostname=host)
                attempt.attach(sock)
            sock.settimeout(attempt.remaining())
            return sock
        raise _Refused(f"cannot connect to {host}: {_describe(last)}")

    def _idle_connection(self, key: tuple[str, str, int]) -> http.client.HTTPConnection | None:
        with self._hosts_lock:
            pool = self._idle.get(key)
            return pool.pop() if pool else None

    def _keep(self, key: tuple[str, str, int], conn: http.client.HTTPConnection) -> None:
        with self._hosts_lock:
            self._idle.setdefault(key, []).append(conn)

    def _exchange(
        self,
        url: str,
        parts: SplitResult,
        host: str,
        port: int,
        addresses: list[str],
        headers: dict[str, str],
        kind: Kind,
        attempt: _Attempt,
    ) -> FetchResult:
        """Send the request on a kept-alive connection to this host, else on a new one.

        A kept connection the server has closed meanwhile fails before any answer arrives; the
        request is then sent once more on a fresh connection (a GET can safely be repeated).
        """
        scheme = parts.scheme.lower()
        key = (scheme, host, port)
        conn = self._idle_connection(key)
        reused = conn is not None
        if conn is None:
            conn = http.client.HTTPConnection(host, port)
            conn.sock = self._connect(scheme, host, port, addresses, attempt)
        else:
            attempt.attach(conn.sock)
            conn.sock.settimeout(attempt.remaining())
        try:
            try:
                response = self._request(conn, parts, host, port, scheme, headers)
            except (ConnectionError, http.client.RemoteDisconnected, BrokenPipeError):
                if not reused or attempt.expired:
                    raise
                conn.close()
                conn = http.client.HTTPConnection(host, port)
                conn.sock = self._connect(scheme, host, port, addresses, attempt)
                response = self._request(conn, parts, host, port, scheme, headers)
            result = self._receive(url, response, kind, attempt)
            if _finished(response) and not response.will_close and attempt.detach():
                response.close()  # frees the connection for the next request; the socket stays
                self._keep(key, conn)
                conn = None
            return result
        finally:
            if conn is not None:
                conn.close()

    @staticmethod
    def _request(
        conn: http.client.HTTPConnection,
        parts: SplitResult,
        host: str,
        port: int,
        scheme: str,
        headers: dict[str, str],
    ) -> http.client.HTTPResponse:
        conn.putrequest(
            "GET",
            _request_target(parts.path, parts.query),
            skip_host=True,
            skip_accept_encoding=True,
        )
        conn.putheader("Host", _host_header(host, port, scheme))
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        return conn.getresponse()

    def _receive(
        self, url: str, response: http.client.HTTPResponse, kind: Kind, attempt: _Attempt
    ) -> FetchResult:
        result = FetchResult(
            url=url,
            status=response.status,
            headers=CaseInsensitiveDict(_joined_headers(response.getheaders())),
        )
        result.retry_after = parse_retry_after(result.headers.get("retry-after"))
        if response.status in (301, 302, 303, 307, 308) or response.status == 304:
            _drain(response)
            return result
        if response.status >= 400:
            result.error = f"HTTP {response.status}"
            result.permanent = response.status < 500 and response.status not in _TRANSIENT_4XX
            _drain(response)
            return result
        refusal = _type_refusal(result.content_type, kind)
        if refusal:
            result.error, result.permanent = refusal, True
            return result
        length = result.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            result.error = f"too large: {_mb(int(length))} announced, over {_mb(self.max_bytes)}"
            result.permanent = True
            return result
        result.body = self._read_body(response, result.headers.get("content-encoding", ""), attempt)
        if not result.body:
            result.error = "empty response body"
        elif kind == "page" and looks_binary(result.body):
            result.error, result.permanent = "not a web page: binary content", True
        return result

    def _read_body(
        self, response: http.client.HTTPResponse, encoding: str, attempt: _Attempt
    ) -> bytes:
        decoder = _Decoder(encoding)
        compressed = decoder._d is not None
        parts: list[bytes] = []
        size = 0
        raw = 0
        while True:
            attempt.remaining()
            chunk = response.read1(_CHUNK)
            if attempt.expired:
                attempt.remaining()
            if not chunk:
                break
            raw += len(chunk)
            decoded = decoder.feed(chunk, self.max_bytes - size)
            size += len(decoded)
            if size > self.max_bytes or raw > self.max_bytes:
                after = " after decompression" if compressed else ""
                raise _Refused(f"too large: over {_mb(self.max_bytes)}{after}", permanent=True)
            parts.append(decoded)
        decoder.finish()
        return b"".join(parts)


def _finished(response: http.client.HTTPResponse) -> bool:
    """True when the whole answer was read, so its connection may carry the next request."""
    return response.isclosed() or response.length == 0


def _drain(response: http.client.HTTPResponse) -> None:
    """Read a small announced body (a redirect's, an error page's) to free the connection."""
    if response.length is not None and response.length <= _DRAIN_LIMIT:
        with contextlib.suppress(OSError, http.client.HTTPException):
            response.read()


def _drop_validators(headers: dict[str, str]) -> dict[str, str]:
    """Validators belong to the URL asked for, not to where it redirects."""
    return {k: v for k, v in headers.items() if k not in ("If-None-Match", "If-Modified-Since")}


def _joined_headers(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    joined: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return joined


def _type_refusal(content_type: str | None, kind: Kind) -> str | None:
    """Why a Content-Type is not what ``kind`` needs; feeds are taken leniently (text, octet)."""
    if not content_type:
        return None
    media = content_type.split(";", 1)[0].strip().lower()
    if kind == "page":
        if media in _PAGE_TYPES:
            return None
        return f"not a web page: content-type {media}"
    if media.startswith(_NOT_FEED_MAJOR) or media in _NOT_FEED_TYPES:
        return f"not a feed: content-type {media}"
    return None


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "no address to try"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or exc})"
    if isinstance(exc, http.client.HTTPException):
        return f"bad HTTP response ({type(exc).__name__}: {exc})"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


T = TypeVar("T")
R = TypeVar("R")


def in_threads(fn: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[tuple[T, R]]:
    """``(item, fn(item))`` as each finishes, with at most 2 × ``workers`` results waiting.

    Network I/O runs in the threads; the caller consumes results (and writes the database) on its
    own thread, and a slow consumer never lets finished page bodies pile up in memory.
    """
    workers = max(1, workers)
    pending: dict[Future[R], T] = {}
    source = iter(items)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vigie-fetch") as pool:
        for item in source:
            pending[pool.submit(fn, item)] = item
            if len(pending) >= 2 * workers:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                item = pending.pop(future)
                yield item, future.result()
                nxt = next(source, _END)
                if nxt is not _END:
                    pending[pool.submit(fn, nxt)] = nxt  # type: ignore[arg-type]


_END = object()
