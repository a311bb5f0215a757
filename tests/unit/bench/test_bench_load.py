"""The load generator's HTTP client: replies split by hand, loopback targets only."""

from __future__ import annotations

import gc

import pytest

from bench.load import Client, LoadError, parse_reply


def test_a_redirect_keeps_its_location_and_every_cookie() -> None:
    status, headers, body = parse_reply(
        b"HTTP/1.1 302 FOUND\r\nLocation: https://lms/auth?state=s1\r\n"
        b"Set-Cookie: lti1p3-state-s1=s1; Path=/\r\nset-cookie: other=2\r\n\r\n")
    assert status == 302 and body == b""
    assert headers.get("Location") == "https://lms/auth?state=s1"
    assert headers.get("SET-COOKIE") == "lti1p3-state-s1=s1; Path=/, other=2"
    assert headers.get("X-Missing") == ""


def test_a_body_is_kept_whole_and_a_chunked_one_decoded() -> None:
    page = b"<p data-readiness=\"0.7\">\r\n\r\nsecond part</p>"
    assert parse_reply(b"HTTP/1.1 200 OK\r\nContent-Length: 44\r\n\r\n" + page)[2] == page
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n" \
              b"5;ext=1\r\npedia\r\n0\r\n\r\n"
    assert parse_reply(chunked)[2] == b"Wikipedia"


@pytest.mark.parametrize("raw", [b"", b"garbage", b"HTTP/1.1 OK\r\n\r\n",
                                 b"HTTP/1.1 200 OK\r\nno end of headers"])
def test_what_is_not_a_response_is_a_load_error(raw: bytes) -> None:
    with pytest.raises(LoadError, match="not an HTTP response"):
        parse_reply(raw)


@pytest.mark.parametrize("url", ["http://example.com", "https://127.0.0.1:8000",
                                 "http://10.0.0.1:80"])
def test_only_loopback_http_is_ever_loaded(url: str) -> None:
    with pytest.raises(LoadError, match="only http://127.0.0.1"):
        Client(url)


def test_drive_freezes_the_generators_heap_before_its_window_opens(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Collecting a large heap takes a while: it must happen before the measured window
    opens, not inside it (it used to, and ate the whole window in a busy process)."""
    import bench.load as load

    frozen_when_opened: list[int] = []
    opening = load._Window.__init__  # noqa: SLF001 - the window under test

    def opened(self: object, *args: object) -> None:
        frozen_when_opened.append(gc.get_freeze_count())
        opening(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(load._Window, "__init__", opened)  # noqa: SLF001
    seen: list[int] = []

    def iteration(_user: int, _number: int) -> load.Outcome:
        seen.append(gc.get_freeze_count())
        return load.Outcome()

    try:
        # ends at the 5th measured iteration; the long duration only bounds a busy machine
        result = load.drive(iteration, users=2, warmup=0, duration=60, max_iterations=5)
    finally:
        gc.unfreeze()
    assert result.completed == 5 and result.stopped_by_cap
    assert frozen_when_opened and frozen_when_opened[0] > 0 and min(seen) > 0


def test_drive_reports_its_measured_window_on_the_wall_clock() -> None:
    """The servers' own records are matched to the window by wall-clock time."""
    import time

    import bench.load as load

    before = time.time()
    result = load.drive(lambda _user, _number: load.Outcome(), users=1, warmup=0,
                        duration=60, max_iterations=3)
    after = time.time()
    opened, closed = result.wall_window
    assert before <= opened <= closed <= after
    assert closed - opened == pytest.approx(result.seconds, abs=1e-6)  # epoch floats


def test_each_set_cookie_is_kept_apart_even_with_a_comma_in_its_expiry() -> None:
    _status, headers, _body = parse_reply(
        b"HTTP/1.1 302 FOUND\r\nSet-Cookie: session=a.b; Expires=Thu, 01 Jan 2026 00:00:00 GMT;"
        b" Secure\r\nSet-Cookie: lti1p3-state-s1=s1; Path=/\r\n\r\n")
    assert headers.cookies == {"session": "a.b", "lti1p3-state-s1": "s1"}


def test_drive_processes_counts_every_client_process_and_reads_the_servers_cpu() -> None:
    import os

    import bench.load as load

    readings: list[float] = []

    def server_cpu() -> float:
        readings.append(float(len(readings)))
        return readings[-1] * 0.5

    def make_iteration() -> load.Iteration:
        pid = os.getpid()  # built in the client process, after the fork

        def iteration(_user: int, number: int) -> load.Outcome:
            outcome = load.Outcome()
            outcome.steps["step"] = 1.0
            if number % 5 == 4:
                return outcome.fail(f"every fifth from {'a child' if pid else ''}")
            return outcome
        return iteration

    result = load.drive_processes(make_iteration, clients=2, warmup=0.1, duration=0.5,
                                  steps=("step",), server_cpu=server_cpu)
    assert result.users == 2 and result.completed > 0 and result.seconds == 0.5
    assert len(result.iteration_ms) == result.completed
    assert result.latency_ms["iteration"]["p50"] == 1.0
    assert sum(result.errors.values()) > 0
    assert len(readings) == 2 and result.server_cpu_s == 0.5  # read at open and close


def test_process_tree_cpu_sums_the_children_alive_now() -> None:
    import os
    import subprocess
    import sys

    import bench.load as load

    assert load.process_tree_cpu(os.getpid()) >= 0.0
    child = subprocess.Popen([sys.executable, "-c", "import time; sum(range(3_000_000)); "
                              "time.sleep(5)"])
    try:
        import time

        time.sleep(1.0)
        assert load.process_tree_cpu(os.getpid()) > 0.0
    finally:
        child.kill()
        child.wait()
