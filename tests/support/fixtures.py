"""Pytest fixtures around the loopback HTTP server (registered in tests/conftest.py).

def test_something(http_server, loopback_settings, outside_connects):
    url = http_server.add("/feed.xml", Reply(body=..., headers={"Content-Type": "text/xml"}))
    Fetcher(loopback_settings).get(url, kind="feed")
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from support.httpserver import LoopbackServer
from vigie.config import Settings, load_settings


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    """A started LoopbackServer on 127.0.0.1, stopped after the test."""
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def loopback_settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings that allow fetching from 127.0.0.1 only (VIGIE_ALLOW_PRIVATE_HOSTS=127.0.0.1)."""
    monkeypatch.setenv("VIGIE_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    return load_settings()


@pytest.fixture
def outside_connects(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to connect a socket anywhere but 127.0.0.1: refused, and recorded here.

    A test of the SSRF guard asserts this stays empty, so even a broken guard sends no packet
    off the machine.
    """
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host != "127.0.0.1":
            attempts.append(address)
            raise ConnectionRefusedError(f"the test forbids connecting to {address}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return attempts
