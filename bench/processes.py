"""Child processes and throwaway backing services for the benchmarks.

Every child runs in its own session and is terminated (then killed) with its process group;
PostgreSQL gets a fresh database and Redis a dedicated database number, both cleaned up after.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from bench.load import Client

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("CAREERPATH_BENCH_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("CAREERPATH_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


class BenchSetupError(RuntimeError):
    """The benchmark could not be set up (missing gunicorn, a service down, ...)."""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_gunicorn() -> None:
    if importlib.util.find_spec("gunicorn") is None:
        raise BenchSetupError(
            f"gunicorn is not installed in {sys.prefix}: the launch and memory benchmarks "
            "serve the tool with `gunicorn -w 2`. Install it with "
            f"`{sys.executable} -m pip install 'gunicorn>=22'`.")


class Processes:
    """Child processes that are always terminated (then killed) when the block ends."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.children: list[tuple[str, subprocess.Popen[bytes], IO[bytes]]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True)
        self.children.append((name, child, log))
        return child

    def log_tail(self, name: str, lines: int = 25) -> str:
        path = self.logs / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, child: subprocess.Popen[bytes]) -> None:
        for entry in [e for e in self.children if e[1] is child]:
            _end(entry[1])
            entry[2].close()
            self.children.remove(entry)

    def stop_all(self) -> None:
        for _name, child, log in reversed(self.children):
            _end(child)
            log.close()
        self.children.clear()


def _end(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM the child's process group (gunicorn's workers too); SIGKILL after 10 s."""
    if child.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=10)


def wait_ready(client: Client, path: str, child: subprocess.Popen[bytes], procs: Processes,
               name: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise BenchSetupError(f"{name} exited with status {child.returncode}:\n"
                                  f"{procs.log_tail(name)}")
        with suppress(OSError):
            if client.request("GET", path).status == 200:
                return
        time.sleep(0.2)
    raise BenchSetupError(f"{name} did not answer {client.base}{path} in {seconds:.0f} s:\n"
                          f"{procs.log_tail(name)}")


GUNICORN_CONFIG = "python:lti_tool.gunicorn_conf"


def gunicorn(procs: Processes, name: str, app: str, port: int, env: dict[str, str],
             server: tuple[str, ...] = ("-w", "2")) -> subprocess.Popen[bytes]:
    require_gunicorn()
    # the tool's production settings (lti_tool/gunicorn_conf.py), for every app served here
    return procs.start(name, [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, *server,
                              "-b", f"127.0.0.1:{port}", "--backlog", "2048",
                              "--graceful-timeout", "5", app], env)


@contextmanager
def temporary_postgres(base_url: str = POSTGRES_URL) -> Iterator[str]:
    """A fresh database beside `base_url`'s, dropped afterwards (even after a failure)."""
    try:
        import psycopg
    except ImportError as exc:
        raise BenchSetupError("psycopg is not installed: pip install -e '.[postgres]'") from exc
    name = f"careerpath_bench_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(base_url)
    try:
        admin = psycopg.connect(base_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise BenchSetupError(f"PostgreSQL at {parts.hostname}:{parts.port} is not "
                              f"reachable ({exc}); set CAREERPATH_BENCH_POSTGRES_URL") from exc
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield parts._replace(path=f"/{name}").geturl()
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def dedicated_redis(url: str = REDIS_URL) -> Iterator[str]:
    """A Redis database number used by the benchmark alone: FLUSHDB before and after."""
    try:
        import redis
    except ImportError as exc:
        raise BenchSetupError("redis is not installed: pip install -e '.[redis]'") from exc
    if urlsplit(url).path.strip("/") in ("", "0"):
        raise BenchSetupError(f"{url} is Redis database 0, shared with the test suite; the "
                              "benchmark flushes its database, so name another (e.g. /15)")
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        raise BenchSetupError(f"Redis at {url} is not reachable ({exc}); set "
                              "CAREERPATH_BENCH_REDIS_URL") from exc
    try:
        yield url
    finally:
        with suppress(redis.RedisError):
            client.flushdb()
        client.close()

