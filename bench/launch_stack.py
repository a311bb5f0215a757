"""The launch stack: the seeded tool under gunicorn and the sandbox LMS in its own process,
started for one configuration (SQLite without Redis; PostgreSQL + Redis) and torn down after."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.launch_scenario import LEARNERS, USERS, Launcher, seed_tool
from bench.load import Client
from bench.processes import (
    BenchSetupError,
    Processes,
    dedicated_redis,
    free_port,
    gunicorn,
    require_gunicorn,
    temporary_postgres,
    wait_ready,
)
from bench.server_timing import DIRECTORY_ENV, in_worker, read_served

# Both configurations run two gunicorn workers: without Redis the tool keeps login state,
# nonces and platform keys in the database (`cache_entries`), which every worker shares.
SERVERS = {"sqlite": ("-w", "2"), "sqlite-redis": ("-w", "2"), "postgres": ("-w", "2")}


@dataclass
class Stack:
    """The running tool (gunicorn), the sandbox LMS and what a launch needs."""

    kind: str
    server: tuple[str, ...]
    tool: Client
    launcher: Launcher
    procs: Processes
    tool_process: subprocess.Popen[bytes]
    workdir: Path
    env: dict[str, str]

    def worker_pids(self) -> list[int]:
        """gunicorn's worker processes (children of the master)."""
        path = Path(f"/proc/{self.tool_process.pid}/task/{self.tool_process.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def in_worker(self, wall_window: tuple[float, float]) -> dict[str, dict[str, float]]:
        """The tool's own time per request (login, launch) inside the measured window."""
        return in_worker(read_served(self.workdir), *wall_window, ("/lti/login", "/lti/launch"))


@contextmanager
def launch_stack(kind: str, learners: int = LEARNERS, users: int = USERS,
                 server: tuple[str, ...] | None = None,
                 returning: bool = False) -> Iterator[Stack]:
    """Seeded tool under `gunicorn -w 2` + sandbox LMS process; all torn down afterwards.

    returning: launch every learner once before handing the stack over, so that every
    measured launch is a returning learner's (the tool then checks that person, course and
    membership are current and writes nothing). Without it, how many measured launches are
    a learner's first (which write the person's names and the membership's LTI roles)
    depends on how many launches the machine gets through.

    kind: "sqlite" (SQLite file, no Redis), "sqlite-redis" (SQLite file + Redis db 15) or
    "postgres" (fresh database + Redis db 15).
    """
    require_gunicorn()
    workdir = Path(tempfile.mkdtemp(prefix="careerpath-launch-bench-"))
    procs = Processes(workdir)
    try:
        with _services(kind, workdir) as (database_url, redis_url):
            tool_port, lms_port = free_port(), free_port()
            tool_url, lms_url = f"http://127.0.0.1:{tool_port}", f"http://localhost:{lms_port}"
            key_path = workdir / "sandbox-key.pem"
            env = _tool_env(database_url, redis_url, tool_url)
            seed_tool(database_url, lms_url, learners)
            lms = procs.start("sandbox", [sys.executable, "-m", "bench.launch_bench", "sandbox",
                                          "--port", str(lms_port), "--key-path", str(key_path),
                                          "--tool-url", tool_url], env)
            wait_ready(Client(lms_url), "/jwks", lms, procs, "sandbox")
            key, kid = _platform_key(key_path)
            # the tool's app, each request timed inside its worker (bench.server_timing)
            tool_process = gunicorn(procs, "tool", "bench.server_timing:timed_tool()",
                                    tool_port, {**env, DIRECTORY_ENV: str(workdir)},
                                    server or SERVERS[kind])
            tool = Client(tool_url)
            wait_ready(tool, "/healthz", tool_process, procs, "tool")
            launcher = Launcher(tool, lms_url, key, kid, learners, users)
            first = launcher(0, 0)
            if first.error is not None:
                raise BenchSetupError(f"a first launch failed ({first.error}):\n"
                                      f"{procs.log_tail('tool')}")
            if returning:
                _launch_everyone(launcher, procs)
            yield Stack(kind, server or SERVERS[kind], tool, launcher, procs, tool_process,
                        workdir, env)
    finally:
        procs.stop_all()
        _remove(workdir)


def _launch_everyone(launcher: Launcher, procs: Processes) -> None:
    """One launch per learner (4 at a time): each learner's first launch, not measured."""
    from concurrent.futures import ThreadPoolExecutor

    def one(number: int) -> str | None:
        return launcher(number % launcher.users, number // launcher.users).error

    with ThreadPoolExecutor(4) as pool:
        failed = [e for e in pool.map(one, range(launcher.learners)) if e is not None]
    if failed:
        raise BenchSetupError(f"{len(failed)} first launches failed ({failed[0]}):\n"
                              f"{procs.log_tail('tool')}")


@contextmanager
def _services(kind: str, workdir: Path) -> Iterator[tuple[str, str | None]]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}", None
    elif kind == "sqlite-redis":
        with dedicated_redis() as redis_url:
            yield f"sqlite:///{workdir / 'bench.db'}", redis_url
    elif kind == "postgres":
        with temporary_postgres() as database_url, dedicated_redis() as redis_url:
            yield database_url, redis_url
    else:
        raise ValueError(f"unknown configuration {kind!r}: sqlite, sqlite-redis or postgres")


def _tool_env(database_url: str, redis_url: str | None, tool_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERPATH_")}
    env.update(CAREERPATH_DATABASE_URL=database_url, CAREERPATH_SECRET_KEY="bench-secret-key",  # noqa: S106
               CAREERPATH_SYNC_ON_LAUNCH="false", CAREERPATH_BASE_URL=tool_url,
               CAREERPATH_LOG_LEVEL="WARNING", PYTHONDONTWRITEBYTECODE="1")
    if redis_url:
        env["CAREERPATH_REDIS_URL"] = redis_url
    return env


def _platform_key(key_path: Path) -> tuple[Any, str]:
    """The sandbox's signing key (the file its process wrote) and its kid."""
    from lti_tool.sandbox import SandboxSettings, create_sandbox_app, platform_of

    keys = platform_of(create_sandbox_app(SandboxSettings(
        seed=False, key_path=str(key_path)))).keys
    return keys.active.private_key, keys.active.kid


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def serve_sandbox(port: int, key_path: str, tool_url: str) -> None:
    """The sandbox LMS in its own process (it publishes the platform's JWKS)."""
    from werkzeug.serving import make_server

    from lti_tool.sandbox import SandboxSettings, create_sandbox_app

    app = create_sandbox_app(SandboxSettings(
        base_url=f"http://localhost:{port}", tool_login_url=f"{tool_url}/lti/login",
        tool_launch_url=f"{tool_url}/lti/launch", tool_jwks_url=f"{tool_url}/lti/jwks",
        key_path=key_path, seed=False))
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()
