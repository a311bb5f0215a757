"""Attacks on the admin sign-in: guess the token with many parallel attempts (a
read-then-write counter lets them all through before any is counted), and dodge the
per-address limit by sending a new X-Forwarded-For each time."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.cache import MemoryCache
from lti_tool.domain.errors import InvalidInput
from lti_tool.usecases.admin_session import MAX_FAILURES, TooManyAttempts, sign_in
from tests.security.world import ADMIN_TOKEN, CSRF, make_app
from tests.support.browser import Browser
from tests.support.servers import LiveServer

ATTEMPTS = 40


class RacingCache(MemoryCache):
    """A real in-process cache that holds every reader of a key until all attempts have
    read it: the worst interleaving a read-then-write counter can meet, made certain."""

    def __init__(self, parties: int) -> None:
        super().__init__()
        self._barrier = threading.Barrier(parties, timeout=2)

    def get(self, key: str) -> Any | None:
        found = super().get(key)
        if key.startswith("admin-sign-in"):
            try:
                self._barrier.wait()
            except threading.BrokenBarrierError:
                pass
        return found


def test_parallel_guesses_get_no_more_comparisons_than_the_limit() -> None:
    cache = RacingCache(ATTEMPTS)
    outcomes: list[str] = []

    def guess(n: int) -> None:
        try:
            sign_in(cache, ADMIN_TOKEN, f"guess-{n}", "198.51.100.7")
        except InvalidInput:
            outcomes.append("compared")
        except TooManyAttempts:
            outcomes.append("throttled")

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        list(pool.map(guess, range(ATTEMPTS)))
    assert outcomes.count("compared") == MAX_FAILURES, outcomes
    assert outcomes.count("throttled") == ATTEMPTS - MAX_FAILURES
    # even the right token waits out the window now, from that address
    with pytest.raises(TooManyAttempts):
        sign_in(cache, ADMIN_TOKEN, ADMIN_TOKEN, "198.51.100.7")
    # another address is not held up by it
    assert sign_in(cache, ADMIN_TOKEN, ADMIN_TOKEN, "198.51.100.8").super_admin


def test_parallel_guesses_over_http_are_throttled(tmp_path: Path) -> None:
    """The same through the live app and its shared (database) cache, 40 browsers at once."""
    app = make_app(tmp_path)
    server = LiveServer("127.0.0.1")
    server.start(app)
    try:
        browsers = [Browser() for _ in range(ATTEMPTS)]
        forms = [b.get(f"{server.url()}/admin/login") for b in browsers]
        start = threading.Barrier(ATTEMPTS, timeout=10)

        def guess(n: int) -> int:
            token = CSRF.search(forms[n].text).group(1)  # type: ignore[union-attr]
            start.wait()
            return browsers[n].session.post(f"{server.url()}/admin/login", data={
                "csrf": token, "token": f"guess-{n}"}, timeout=30).status_code

        with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
            statuses = list(pool.map(guess, range(ATTEMPTS)))
    finally:
        server.stop()
        services(app).database.dispose()
    assert statuses.count(401) <= MAX_FAILURES, statuses
    assert statuses.count(429) >= ATTEMPTS - MAX_FAILURES, statuses


def _attempt(app: Flask, remote: str, forwarded: str | None, token: str = "") -> int:
    client = app.test_client()
    environ: dict[str, str] = {"REMOTE_ADDR": remote}
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    form = client.get("/admin/login", environ_base=environ, headers=headers)
    found = re.search(r'name="csrf" value="([^"]+)"', form.get_data(as_text=True))
    assert found is not None
    return client.post("/admin/login", data={"csrf": found.group(1), "token": token or "bad"},
                       environ_base=environ, headers=headers).status_code


def test_without_proxy_hops_forwarded_for_is_not_trusted(tmp_path: Path) -> None:
    """Default (CAREERPATH_PROXY_HOPS=0): a made-up X-Forwarded-For per attempt does not
    buy new attempts; the peer address is the key."""
    app = make_app(tmp_path)
    statuses = [_attempt(app, "192.0.2.10", f"203.0.113.{n}") for n in range(MAX_FAILURES + 2)]
    assert statuses[:MAX_FAILURES] == [401] * MAX_FAILURES
    assert statuses[MAX_FAILURES:] == [429, 429]


def test_behind_one_proxy_the_client_address_is_the_key(tmp_path: Path) -> None:
    """CAREERPATH_PROXY_HOPS=1: the address the proxy saw is the key; every client behind
    the proxy has its own count; a forged left-most entry changes nothing."""
    app = make_app(tmp_path, proxy_hops=1)
    proxy = "10.0.0.2"
    attacker = [_attempt(app, proxy, f"198.51.100.{n}, 203.0.113.66")
                for n in range(MAX_FAILURES + 1)]
    assert attacker[-1] == 429, attacker
    # a colleague behind the same proxy is not locked out by the attacker
    assert _attempt(app, proxy, "203.0.113.77", ADMIN_TOKEN) == 303
    assert _attempt(app, proxy, "203.0.113.77") == 401
