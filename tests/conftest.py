"""Shared test setup: every test runs isolated from the developer's own config and data."""

from __future__ import annotations

import os
import socket

import pytest
from hypothesis import HealthCheck, settings

# Property tests: no per-example deadline (a loaded 2-core CI machine is not a slow tagger),
# and in CI a fixed example sequence, so a run is repeatable; locally they explore.
settings.register_profile("afmon", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "afmon")


@pytest.fixture
def server():
    """A threaded HTTP server on 127.0.0.1 (tests/httpserver.py) with no routes yet; a test
    file that needs routes from the start defines its own."""
    from tests.httpserver import TestServer

    with TestServer() as srv:
        yield srv


@pytest.fixture
def store(tmp_path):
    """A fresh SQLite database file through the real Store."""
    from store import Store

    s = Store.open(tmp_path / "afmon.db")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Point platformdirs at a throwaway home, pin the timezone and locale."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield


@pytest.fixture(autouse=True)
def _steady_screen(monkeypatch):
    """No animations and no cursor blink: a pilot or a snapshot never catches a frame half-way
    through a transition or with the cursor blinked off. (textual is pinned exactly for the
    tests, so the reactive's default is a stable place to turn blinking off.)"""
    from textual import constants
    from textual.widgets import Input

    monkeypatch.setattr(constants, "TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr(Input.cursor_blink, "_default", False)
    yield


@pytest.fixture(autouse=True, scope="session")
def _loopback_only():
    """Tests never reach beyond 127.0.0.1: any other connect() fails loudly."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def check(address):
        if isinstance(address, tuple) and address:
            host = address[0]
            if host not in ("127.0.0.1", "::1", "localhost") and not str(host).startswith("127."):
                raise OSError(f"test tried to reach {address!r}: only loopback is allowed")

    def connect(self, address):
        check(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    os.environ.setdefault("NO_PROXY", "*")
    yield
    socket.socket.connect = real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]
