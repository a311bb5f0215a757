"""The production gunicorn settings freeze what a worker allocated while loading the app."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench.processes import free_port

ROOT = Path(__file__).resolve().parents[3]


def _worker_gc(*options: str) -> dict[str, int]:
    """Serve tests.support.gc_report_app under gunicorn with `options`; its /gc answer."""
    pytest.importorskip("gunicorn", reason="gunicorn is installed by `make venv`")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", *options, "-w", "1", "-b", f"127.0.0.1:{port}",
         "tests.support.gc_report_app:create_app()"], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/gc", timeout=2) as reply:  # noqa: S310
                    return json.loads(reply.read())
            except OSError:
                time.sleep(0.1)
        pytest.fail("gunicorn did not answer in 30 s")
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_the_tool_settings_freeze_the_loaded_app() -> None:
    frozen = _worker_gc("-c", "python:lti_tool.gunicorn_conf")
    # the modules and the app (Flask, werkzeug, jinja: tens of thousands of objects) are
    # out of the collector's sight; what the request allocated is not
    assert frozen["frozen"] > 10_000
    assert frozen["tracked"] < frozen["frozen"] / 10


def test_without_them_nothing_is_frozen() -> None:
    assert _worker_gc()["frozen"] == 0
