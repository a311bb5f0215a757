"""Server timing: each request the tool's workers serve, recorded and summed up by path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench import server_timing
from bench.server_timing import RequestTimer, Served, in_worker, read_served


def page(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    if environ["PATH_INFO"] == "/boom":
        raise RuntimeError("the app failed")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"served " + environ["PATH_INFO"].encode()]


def call(app: RequestTimer, path: str) -> list[bytes]:
    return list(app({"PATH_INFO": path}, lambda *_args: None))


def test_each_request_is_recorded_and_its_response_passed_through(tmp_path: Path) -> None:
    app = RequestTimer(page, tmp_path)
    assert call(app, "/lti/login") == [b"served /lti/login"]
    assert call(app, "/lti/launch") == [b"served /lti/launch"]
    with pytest.raises(RuntimeError, match="the app failed"):
        call(app, "/boom")
    served = list(read_served(tmp_path))
    assert [s.path for s in served] == ["/lti/login", "/lti/launch", "/boom"]
    assert all(s.started <= s.ended and s.cpu >= 0 for s in served)


def test_each_worker_writes_a_file_of_its_own(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """gunicorn builds the app, then forks the workers: the file is opened per process."""
    app = RequestTimer(page, tmp_path)
    monkeypatch.setattr(server_timing.os, "getpid", lambda: 101)
    call(app, "/lti/login")
    monkeypatch.setattr(server_timing.os, "getpid", lambda: 102)
    call(app, "/lti/launch")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "server-timing-101.log", "server-timing-102.log"]
    assert sorted(s.path for s in read_served(tmp_path)) == ["/lti/launch", "/lti/login"]


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "server-timing-7.log").write_text(
        "/lti/login 10.000000 10.002000 0.001500\n/lti/laun")
    assert list(read_served(tmp_path)) == [Served("/lti/login", 10.0, 10.002, 0.0015)]


def test_in_worker_counts_only_the_window_and_the_asked_paths() -> None:
    served = [Served("/lti/login", 9.5, 9.6, 0.05),        # before the window
              Served("/lti/login", 10.0, 10.001, 0.0009),
              Served("/lti/login", 11.0, 11.003, 0.002),
              Served("/lti/launch", 12.0, 12.004, 0.0035),
              Served("/healthz", 12.5, 12.6, 0.001),
              Served("/lti/launch", 20.0, 20.5, 0.4)]      # after it
    summary = in_worker(served, 10.0, 20.0, ("/lti/login", "/lti/launch"))
    assert summary["/lti/login"]["p50"] == pytest.approx(1.0)
    assert summary["/lti/login"]["max"] == pytest.approx(3.0)
    assert summary["/lti/login cpu"]["max"] == pytest.approx(2.0)
    assert summary["/lti/launch"]["max"] == pytest.approx(4.0)
    assert set(summary) == {"/lti/login", "/lti/login cpu", "/lti/launch", "/lti/launch cpu"}


def test_the_timed_tool_needs_its_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(server_timing.DIRECTORY_ENV, raising=False)
    with pytest.raises(RuntimeError, match="set BENCH_TIMING_DIR"):
        server_timing.timed_tool()
