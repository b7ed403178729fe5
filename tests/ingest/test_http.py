"""The careful HTTP client: what it fetches, what it refuses and why, served from loopback only."""

from __future__ import annotations

import gzip
import ssl
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from support.httpserver import (
    LoopbackServer,
    Reply,
    gzip_bomb,
    gzipped,
    huge_body,
    redirect,
)

from vigie.config import Settings, load_settings
from vigie.ingest.http import Fetcher, address_refusal, embedded_ipv4

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Bonjour</p></body></html>"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def fetcher(settings: Settings, **kwargs: object) -> Fetcher:
    options: dict[object, object] = {"deadline": 2.0, "connect_timeout": 1.0, "backoff": 0.01}
    options.update(kwargs)
    return Fetcher(settings, **options)  # type: ignore[arg-type]


def test_fetches_a_page_and_keeps_its_headers(http_server, loopback_settings):
    url = http_server.add("/article", Reply(body=PAGE, headers=HTML))

    result = fetcher(loopback_settings).get(url)

    assert result.ok
    assert result.error is None
    assert result.status == 200
    assert result.body == PAGE
    assert result.headers["content-type"] == "text/html; charset=utf-8"
    assert result.headers["Content-Type"] == result.content_type
    (request,) = http_server.requests_to("/article")
    assert request.header("host") == f"127.0.0.1:{http_server.port}"
    assert "Vigie" in request.header("user-agent")


def test_decodes_gzip_bodies(http_server, loopback_settings):
    url = http_server.add("/zipped", gzipped(PAGE))

    result = fetcher(loopback_settings).get(url)

    assert result.ok
    assert result.body == PAGE


def test_connects_to_the_checked_address_with_the_real_host_name(http_server, monkeypatch):
    """Resolve once, check, connect to that address: a second DNS answer is never asked for."""
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_HOSTS", "127.0.0.0/8")
    lookups: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    http_server.add("/page", Reply(body=PAGE, headers=HTML))
    result = fetcher(load_settings(), resolver=resolver).get(
        http_server.url("/page", host="feeds.example")
    )

    assert result.ok
    assert lookups == ["feeds.example"]
    (request,) = http_server.requests_to("/page")
    assert request.header("host") == f"feeds.example:{http_server.port}"


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.0.0.1", "refused: 10.0.0.1 is a private address (evil.example resolves to it)"),
        ("169.254.169.254", "169.254.169.254 is the cloud metadata address"),
        ("100.64.12.1", "100.64.12.1 is a carrier-grade NAT address"),
        ("127.0.0.2", "127.0.0.2 is a loopback address"),
        ("::1", "::1 is a loopback address"),
        ("fe80::1", "fe80::1 is a link-local address"),
        ("224.0.0.251", "224.0.0.251 is a multicast address"),
        ("0.0.0.0", "0.0.0.0 is an unspecified address"),
        ("240.0.0.1", "240.0.0.1 is a private address"),
        ("::ffff:10.0.0.1", "hides 10.0.0.1, a private address"),
        ("2002:a9fe:a9fe::1", "hides 169.254.169.254, the cloud metadata address"),
        ("64:ff9b::7f00:1", "hides 127.0.0.1, a loopback address"),
        ("::a00:1", "hides 10.0.0.1, a private address"),
        ("fd00::1", "fd00::1 is a private address"),
    ],
)
def test_refuses_names_that_resolve_to_non_public_addresses(
    address, reason, loopback_settings, outside_connects
):
    result = fetcher(loopback_settings, resolver=lambda host, port: [address]).get(
        "http://evil.example/page"
    )

    assert not result.ok
    assert reason in result.error
    assert result.error.startswith("refused: ")
    assert outside_connects == []


def test_refuses_a_name_when_any_of_its_addresses_is_private(loopback_settings, outside_connects):
    result = fetcher(loopback_settings, resolver=lambda h, p: ["93.184.215.14", "10.1.2.3"]).get(
        "https://mixed.example/"
    )

    assert result.error == "refused: 10.1.2.3 is a private address (mixed.example resolves to it)"
    assert outside_connects == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/", "refused: 10.0.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is the cloud metadata"),
        ("http://[::ffff:169.254.169.254]/", "hides 169.254.169.254"),
        ("http://[::1]:8080/", "refused: ::1 is a loopback address"),
        ("http://100.100.100.200/", "carrier-grade NAT"),
        ("file:///etc/passwd", "refused: only http and https are fetched, not file"),
        ("ftp://example.org/feed.xml", "not ftp"),
        ("gopher://127.0.0.1:6379/_", "not gopher"),
        ("http://localhost/", "refused: localhost is a loopback name"),
        ("http:///no-host", "bad URL: no host"),
    ],
)
def test_refuses_literal_addresses_and_schemes_before_connecting(
    url, reason, loopback_settings, outside_connects
):
    def no_dns(host: str, port: int) -> list[str]:
        raise AssertionError(f"no lookup expected for {host}")

    result = fetcher(loopback_settings, resolver=no_dns).get(url)

    assert not result.ok
    assert reason in result.error
    assert outside_connects == []


def test_loopback_is_refused_unless_allowed(http_server, monkeypatch, outside_connects):
    monkeypatch.delenv("VIGIE_ALLOW_PRIVATE_HOSTS", raising=False)
    url = http_server.add("/page", Reply(body=PAGE, headers=HTML))

    result = fetcher(load_settings()).get(url)

    assert result.error == "refused: 127.0.0.1 is a loopback address"
    assert http_server.requests == []


def test_allowed_host_names_skip_the_address_check(http_server, monkeypatch):
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_HOSTS", "intranet.example")
    http_server.add("/page", Reply(body=PAGE, headers=HTML))

    result = fetcher(load_settings(), resolver=lambda h, p: ["127.0.0.1"]).get(
        http_server.url("/page", host="intranet.example")
    )

    assert result.ok


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("127.0.0.2", "refused: 127.0.0.2 is a loopback address"),
        ("[::1]", "refused: ::1 is a loopback address"),
        ("localhost", "refused: localhost is a loopback name"),
    ],
)
def test_redirects_are_checked_again(http_server, loopback_settings, host, reason):
    target = http_server.url("/secret", host=host)
    url = http_server.add("/jump", redirect(target))
    http_server.add("/secret", Reply(body=b"secret", headers=HTML))

    result = fetcher(loopback_settings).get(url)

    assert result.error == reason
    assert http_server.requests_to("/secret") == []


def test_redirect_loop_is_stopped(http_server, loopback_settings):
    http_server.add("/a", redirect("/b"))
    http_server.add("/b", redirect("/a"))

    result = fetcher(loopback_settings).get(http_server.url("/a"))

    assert result.error == "redirect loop"
    assert len(http_server.requests) == 2


def test_at_most_five_redirects(http_server, loopback_settings):
    for hop in range(7):
        http_server.add(f"/hop{hop}", redirect(f"/hop{hop + 1}"))
    http_server.add("/hop7", Reply(body=PAGE, headers=HTML))

    result = fetcher(loopback_settings).get(http_server.url("/hop0"))

    assert result.error == "too many redirects (over 5)"
    assert len(http_server.requests) == 6


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_is_reported(http_server, loopback_settings, status):
    url = http_server.add("/old", redirect("/new", status=status))
    http_server.add("/new", Reply(body=PAGE, headers=HTML))

    result = fetcher(loopback_settings).get(url)

    assert result.ok
    assert result.permanent_redirect == http_server.url("/new")
    assert result.url == http_server.url("/new")


def test_a_temporary_hop_makes_the_move_temporary(http_server, loopback_settings):
    url = http_server.add("/old", redirect("/middle", status=302))
    http_server.add("/middle", redirect("/new", status=301))
    http_server.add("/new", Reply(body=PAGE, headers=HTML))

    result = fetcher(loopback_settings).get(url)

    assert result.ok
    assert result.permanent_redirect is None


def test_http_errors_are_reasons(http_server, loopback_settings):
    url = http_server.add("/missing", Reply(status=404, body=b"nope"))

    result = fetcher(loopback_settings).get(url)

    assert not result.ok
    assert result.status == 404
    assert result.error == "HTTP 404"


def test_5xx_is_retried_then_reported(http_server, loopback_settings):
    url = http_server.add("/broken", Reply(status=500))

    result = fetcher(loopback_settings, retries=2).get(url)

    assert result.error == "HTTP 500"
    assert len(http_server.requests_to("/broken")) == 3


def test_429_honours_retry_after_then_succeeds(http_server, loopback_settings):
    url = http_server.add(
        "/busy",
        Reply(status=429, headers={"Retry-After": "0"}),
        Reply(status=503, headers={"Retry-After": "0"}),
        Reply(body=PAGE, headers=HTML),
    )

    result = fetcher(loopback_settings, retries=2).get(url)

    assert result.ok
    assert result.body == PAGE
    assert len(http_server.requests_to("/busy")) == 3


def test_a_long_retry_after_is_not_waited_for_but_reported(http_server, loopback_settings):
    url = http_server.add("/busy", Reply(status=429, headers={"Retry-After": "3600"}))

    result = fetcher(loopback_settings, retries=2, max_retry_wait=5).get(url)

    assert result.error == "HTTP 429"
    assert result.retry_after == 3600
    assert len(http_server.requests_to("/busy")) == 1


def test_a_silent_server_times_out(http_server, loopback_settings):
    url = http_server.add("/silent", Reply(body=PAGE, headers=HTML, delay=5))

    result = fetcher(loopback_settings, deadline=0.5).get(url)

    assert result.error == "timeout after 0.5 s"


def test_a_dripping_server_does_not_hold_a_worker(http_server, loopback_settings):
    """One byte every 0.1 s never trips a read timeout; the deadline on the whole attempt does."""
    url = http_server.add("/drip", Reply(body=PAGE * 10, headers=HTML, drip=0.1))

    result = fetcher(loopback_settings, deadline=0.6).get(url)

    assert result.error == "timeout after 0.6 s"
    assert result.body == b""


def test_a_50_mb_page_is_cut_at_the_cap(http_server, loopback_settings):
    url = http_server.add("/huge", huge_body(50_000_000))

    result = fetcher(loopback_settings).get(url)

    assert result.error == "too large: over 10 MB"
    assert result.body == b""


def test_an_announced_size_over_the_cap_is_refused_unread(http_server, loopback_settings):
    url = http_server.add("/big", Reply(body=b"x" * 2_000, headers=HTML))

    result = fetcher(loopback_settings, max_bytes=1_000).get(url)

    assert result.error == "too large: 0.002 MB announced, over 0.001 MB"


def test_a_gzip_bomb_is_stopped_after_decompression(http_server, loopback_settings):
    url = http_server.add("/bomb", gzip_bomb(2_000_000_000))

    result = fetcher(loopback_settings, max_bytes=1_000_000).get(url)

    assert result.error == "too large: over 1 MB after decompression"


def test_a_corrupt_gzip_body_is_a_reason(http_server, loopback_settings):
    body = gzip.compress(PAGE)[:20] + b"garbage" * 10
    url = http_server.add(
        "/corrupt", Reply(body=body, headers={**HTML, "Content-Encoding": "gzip"})
    )

    result = fetcher(loopback_settings).get(url)

    assert result.error.startswith("bad compressed body")


def test_binary_and_empty_pages_are_refused(http_server, loopback_settings):
    png = http_server.add(
        "/image", Reply(body=b"\x89PNG\r\n\x1a\n\0\0", headers={"Content-Type": "image/png"})
    )
    disguised = http_server.add("/disguised", Reply(body=b"\x89PNG\r\n\x1a\n\0\0\0", headers=HTML))
    empty = http_server.add("/empty", Reply(body=b"", headers=HTML))
    f = fetcher(loopback_settings)

    assert f.get(png).error == "not a web page: content-type image/png"
    assert f.get(disguised).error == "not a web page: binary content"
    assert f.get(empty).error == "empty response body"


def test_feeds_are_taken_leniently_but_not_images(http_server, loopback_settings):
    plain = http_server.add("/plain", Reply(body=b"<rss/>", headers={"Content-Type": "text/plain"}))
    octets = http_server.add(
        "/octets", Reply(body=b"<rss/>", headers={"Content-Type": "application/octet-stream"})
    )
    image = http_server.add("/image", Reply(body=b"GIF89a", headers={"Content-Type": "image/gif"}))
    f = fetcher(loopback_settings)

    assert f.get(plain, kind="feed").ok
    assert f.get(octets, kind="feed").ok
    assert f.get(image, kind="feed").error == "not a feed: content-type image/gif"
    assert f.get(plain, kind="page").ok


def test_conditional_get_sends_validators(http_server, loopback_settings):
    url = http_server.add(
        "/feed", Reply(body=b"<rss/>", etag='"v1"', last_modified="Tue, 05 Nov 2024 08:00:00 GMT")
    )

    result = fetcher(loopback_settings).get(
        url, etag='"v1"', last_modified="Tue, 05 Nov 2024 08:00:00 GMT", kind="feed"
    )

    assert result.ok
    assert result.status == 304
    (request,) = http_server.requests
    assert request.header("if-none-match") == '"v1"'
    assert request.header("if-modified-since") == "Tue, 05 Nov 2024 08:00:00 GMT"


def test_at_most_per_host_requests_at_once(http_server, loopback_settings):
    url = http_server.add("/slow", Reply(body=PAGE, headers=HTML, delay=0.2, overlap=2))
    f = fetcher(loopback_settings, per_host=2)
    results = []
    threads = [threading.Thread(target=lambda: results.append(f.get(url))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(r.ok for r in results)
    assert len(results) == 6
    assert http_server.max_in_flight == 2, "two at once, never more"


def test_connection_refused_is_a_reason(loopback_settings):
    with LoopbackServer() as server:
        url = server.url("/gone")
    result = fetcher(loopback_settings, retries=0).get(url)

    assert result.error.startswith("cannot connect to 127.0.0.1: connection refused")


def test_embedded_ipv4_forms():
    import ipaddress

    def inner(text: str) -> str | None:
        found = embedded_ipv4(ipaddress.ip_address(text))
        return str(found) if found else None

    assert inner("::ffff:192.168.1.1") == "192.168.1.1"
    assert inner("2002:c0a8:0101::") == "192.168.1.1"
    assert inner("64:ff9b::c0a8:101") == "192.168.1.1"
    assert inner("::c0a8:101") == "192.168.1.1"
    assert inner("2606:4700::1111") is None
    assert inner("::1") is None


def test_public_addresses_pass_the_guard(loopback_settings):
    import ipaddress

    assert address_refusal(ipaddress.ip_address("93.184.215.14"), loopback_settings) is None
    assert address_refusal(ipaddress.ip_address("2606:4700::1111"), loopback_settings) is None
    assert address_refusal(ipaddress.ip_address("127.0.0.1"), loopback_settings) is None
    assert address_refusal(ipaddress.ip_address("127.0.0.2"), loopback_settings) is not None


@pytest.fixture(scope="module")
def tls_pair(tmp_path_factory) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for feeds.example: (server context, client context trusting it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "feeds.example")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("feeds.example")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


def test_https_to_a_pinned_address_checks_the_certificate_of_the_name(tls_pair, monkeypatch):
    """SNI and verification use the URL's host name although the socket goes to the checked IP."""
    server_context, client_context = tls_pair
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    with LoopbackServer(tls=server_context) as server:
        server.add("/page", Reply(body=PAGE, headers=HTML))
        f = fetcher(
            load_settings(), resolver=lambda h, p: ["127.0.0.1"], tls_context=client_context
        )

        good = f.get(server.url("/page", host="feeds.example"))
        wrong = f.get(server.url("/page", host="other.example"))

        assert good.ok
        assert good.body == PAGE
        assert server.requests_to("/page")[0].header("host") == f"feeds.example:{server.port}"
        assert wrong.error.startswith("connection failed: TLS error")
        assert len(server.requests_to("/page")) == 1


# --- permanent or transient, name resolution, kept-alive connections ------------------------


def test_each_failure_says_whether_asking_again_can_help(http_server, loopback_settings):
    server = http_server
    server.add("/loop-a", redirect("/loop-b"))
    server.add("/loop-b", redirect("/loop-a"))
    permanent = [
        server.add("/404", Reply(status=404)),
        server.add("/410", Reply(status=410)),
        server.add("/403", Reply(status=403)),
        server.url("/loop-a"),
        server.add("/to-metadata", redirect("http://169.254.169.254/")),
        server.add("/huge", huge_body(3_000_000)),
        server.add("/bomb", gzip_bomb(50_000_000)),
        server.add("/png", Reply(body=b"\x89PNG\0\0", headers={"Content-Type": "image/png"})),
        server.add("/nul", Reply(body=b"\0\0binary", headers={"Content-Type": "text/html"})),
    ]
    transient = [
        server.add("/503", Reply(status=503)),
        server.add("/429", Reply(status=429, headers={"Retry-After": "3600"})),
        server.add("/408", Reply(status=408)),
        server.add("/slow", Reply(body=b"<p>tard</p>", delay=2)),
    ]
    client = fetcher(loopback_settings, retries=0, deadline=0.5, max_bytes=1_000_000)

    for url in permanent:
        result = client.get(url)
        assert result.error, url
        assert result.permanent, (url, result.error)
    for url in transient:
        result = client.get(url)
        assert result.error, url
        assert not result.permanent, (url, result.error)


def test_a_stalled_name_resolution_counts_against_the_deadline(loopback_settings):
    """The resolver never answers: the fetch ends at its deadline, not when the resolver does."""
    release = threading.Event()
    asked: list[str] = []

    def stalled(host: str, port: int) -> list[str]:
        asked.append(host)
        release.wait(30)
        return ["93.184.216.34"]

    client = fetcher(loopback_settings, resolver=stalled, deadline=0.4, retries=0)
    started = time.monotonic()
    result = client.get("http://lent.example/article")
    elapsed = time.monotonic() - started
    release.set()

    assert asked == ["lent.example"]
    assert result.error == "timeout after 0.4 s resolving lent.example"
    assert not result.permanent
    assert elapsed < 2


def test_a_slow_resolution_leaves_less_time_for_the_server(http_server, monkeypatch):
    """1 s resolving plus 1 s of a silent server overrun a 1.5 s deadline together, though each
    fits alone (half a second to spare either way: a busy machine does not decide it)."""
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_HOSTS", "127.0.0.1,lent.test")
    url = http_server.add("/a", Reply(body=b"<p>ok</p>", delay=1.0))

    def slow(host: str, port: int) -> list[str]:
        time.sleep(1.0)
        return ["127.0.0.1"]

    def quick(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    # the control: on this machine, now, the server alone fits in the deadline
    control = fetcher(load_settings(), resolver=quick, deadline=1.5, retries=0)
    assert control.get(url.replace("127.0.0.1", "lent.test")).ok
    client = fetcher(load_settings(), resolver=slow, deadline=1.5, retries=0)
    result = client.get(url.replace("127.0.0.1", "lent.test"))

    assert result.error == "timeout after 1.5 s"


def test_one_connection_carries_several_requests_to_a_host(loopback_settings):
    with LoopbackServer(keep_alive=True) as server:
        urls = [
            server.add(f"/p{n}", Reply(body=b"<p>page</p>", headers={"Content-Type": "text/html"}))
            for n in range(4)
        ]
        server.add("/gone", Reply(status=404, body=b"gone"))
        server.add("/moved", redirect("/p0", status=301))
        with fetcher(loopback_settings) as client:
            results = [client.get(u) for u in [*urls, server.url("/gone"), server.url("/moved")]]

        assert [r.status for r in results] == [200, 200, 200, 200, 404, 200]
        assert len(server.requests) == 7
        assert server.connections == 1


def test_a_kept_connection_closed_by_the_server_is_replaced(loopback_settings):
    """The server drops idle connections (Connection: close after each answer here): every
    request still gets its answer, on a new connection each time."""
    with LoopbackServer(keep_alive=False) as server:
        urls = [server.add(f"/p{n}", Reply(body=b"<p>page</p>")) for n in range(3)]
        with fetcher(loopback_settings) as client:
            assert [client.get(u).status for u in urls] == [200, 200, 200]
        assert server.connections == 3


def test_the_user_agent_names_the_operators_contact(http_server, monkeypatch):
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    monkeypatch.setenv("VIGIE_CONTACT", "veille@exemple.org")
    url = http_server.add("/a", Reply(body=b"<p>ok</p>"))

    fetcher(load_settings()).get(url)
    monkeypatch.delenv("VIGIE_CONTACT")
    fetcher(load_settings()).get(url)

    first, second = (r.header("user-agent") for r in http_server.requests)
    assert first.startswith("Vigie/")
    assert first.endswith("(veille d'actualité; veille@exemple.org)")
    assert second.endswith("(veille d'actualité)")
    assert "http" not in second
