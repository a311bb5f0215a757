"""Several tool processes on one PostgreSQL database and one Redis, with the sandbox LMS.

Every test here needs both services: it skips with the reason when they are not configured
(CAREERPATH_TEST_POSTGRES_URL, CAREERPATH_TEST_REDIS_URL) and fails when CI is set.
Tool processes are real OS processes (`python -m lti_tool.cli serve|sync|worker`) sharing
the database, the Redis database and the secret key, as several hosts behind a balancer.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from lti_tool.config import in_ci, service_url_for_tests
from lti_tool.sandbox import SandboxSettings, create_sandbox_app, platform_of
from lti_tool.store import Database
from lti_tool.store.models import CourseRow, EvidenceRow
from lti_tool.usecases.platforms import PlatformInput, RegisteredPlatform, register_platform
from lti_tool.usecases.tool_keys import ensure_signing_key
from tests.support.browser import Browser
from tests.support.databases import fresh_postgres_database
from tests.support.servers import LiveServer

ROOT = Path(__file__).resolve().parents[2]
REDIS_HINT = "Redis not configured: set CAREERPATH_TEST_REDIS_URL=redis://127.0.0.1:6379/0"
# Redis databases of their own (the suite uses 0, the benchmarks 15): FLUSHDB before and
# after, never FLUSHALL. Tests of two xdist workers at once would empty each other's
# state mid-flow, so each worker has its own database (8–14), held under a file lock too
# (more than seven workers then wait for one another instead of sharing).
REDIS_DBS = range(8, 15)
SECRET = "reliability-test-secret-key-shared-by-processes"
START_TIMEOUT = 30.0


SOAK_HINT = "soak test: run it with `make soak` (pytest -m soak tests/reliability)"


def pytest_configure(config: pytest.Config) -> None:
    # also in setup.cfg's markers; registered here so --strict-markers passes either way
    config.addinivalue_line("markers", "soak: long reliability run (make soak)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test of this folder needs PostgreSQL and Redis; soak tests only run on demand."""
    soak_asked = "soak" in (config.getoption("markexpr", "") or "")
    for item in items:
        if "tests/reliability" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.postgres)
            item.add_marker(pytest.mark.redis)
            if item.get_closest_marker("soak") and not soak_asked:
                item.add_marker(pytest.mark.skip(reason=SOAK_HINT))


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database migrated to the latest revision, dropped afterwards."""
    yield from fresh_postgres_database(migrated=True)


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A dedicated Redis database (/14), emptied before and after the test."""
    base = service_url_for_tests("redis")
    if base is None:
        if in_ci():
            pytest.fail(f"CI is set but {REDIS_HINT}")
        pytest.skip(REDIS_HINT)
    database = _worker_redis_db()
    url_text = urlunsplit(urlsplit(base)._replace(path=f"/{database}"))
    from redis import Redis

    with _exclusive(Path(tempfile.gettempdir()) / f"careerpath-test-redis-{database}.lock"):
        connection = Redis.from_url(url_text)
        connection.flushdb()
        try:
            yield url_text
        finally:
            connection.flushdb()
            connection.close()


def _worker_redis_db() -> int:
    """This xdist worker's Redis database (gw0 → 14, gw1 → 13, …; 14 without xdist)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    number = int(worker) if worker.isdigit() else 0
    return REDIS_DBS[-1 - number % len(REDIS_DBS)]


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (blocking) for the block."""
    import fcntl

    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tool_env(database_url: str, redis_url: str,
             base_url: str = "http://127.0.0.1") -> dict[str, str]:
    """The environment every tool process of one test shares."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERPATH_")}
    env.update({"CAREERPATH_DATABASE_URL": database_url, "CAREERPATH_REDIS_URL": redis_url,
                "CAREERPATH_SECRET_KEY": SECRET, "CAREERPATH_BASE_URL": base_url,
                "CAREERPATH_SYNC_ON_LAUNCH": "false", "CAREERPATH_LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"})
    return env


def cli(env: dict[str, str], *args: str, timeout: float = 120.0) -> subprocess.CompletedProcess:
    """Run `python -m lti_tool.cli ARGS` in a process of its own and wait for it."""
    return subprocess.run([sys.executable, "-m", "lti_tool.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


class ToolProcess:
    """A `python -m lti_tool.cli ...` child in its own process group (killed by group id)."""

    def __init__(self, env: dict[str, str], *args: str, log: Path) -> None:
        self.log_path = log
        self._log = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, our interpreter
            [sys.executable, "-m", "lti_tool.cli", *args], env=env, cwd=ROOT,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, url: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"tool process exited: {self.output()}"
            try:
                if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{url} did not become healthy: {self.output()}")

    def descendants(self) -> list[int]:
        """Child processes, recursively (Linux /proc): an RQ work horse is one."""
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            found.extend(int(c) for c in children)
            queue.extend(int(c) for c in children)
        return found

    def kill(self) -> None:
        """SIGKILL the process and every descendant, as a crashed host or container would.

        An RQ worker forks a work horse per job in a process group of its own, so killing
        the worker's group alone would leave the horse running the sync.
        """
        if self.process.poll() is None:
            for pid in self.descendants():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text()[-3000:]


@dataclass
class Cluster:
    """Two tool processes (A, B) on one database and one Redis, and the sandbox LMS."""

    database_url: str
    redis_url: str
    env: dict[str, str]
    sandbox: Flask
    sandbox_url: str
    tool_urls: list[str]
    platform: RegisteredPlatform
    processes: list[ToolProcess] = field(default_factory=list)

    @property
    def database(self) -> Database:
        return Database(self.database_url)

    def stats(self) -> dict:
        return requests.get(f"{self.sandbox_url}/_sandbox/stats", timeout=10).json()

    def reset_stats(self) -> None:
        requests.post(f"{self.sandbox_url}/_sandbox/stats/reset", timeout=10)

    def launch_url(self, link_id: str, user: str, course: str) -> str:
        return f"{self.sandbox_url}/courses/{course}/links/{link_id}/launch?user={user}"

    def launch(self, browser: Browser, link_id: str, user: str, course: str,
               launch_at: str | None = None) -> requests.Response:
        """Course frame → login at A → LMS auth → id_token posted to `launch_at` (A or B)."""
        frame = browser.get(self.launch_url(link_id, user, course))
        assert frame.status_code == 200, frame.text[:300]
        auth_page = browser.submit(browser.frame(frame))
        assert auth_page.status_code == 200, auth_page.text[:300]
        if launch_at is None:
            return browser.submit(auth_page)
        from tests.support.browser import parse

        form = parse(auth_page.text).forms[0]
        return browser.session.post(f"{launch_at}/lti/launch", data=form.fields, timeout=15)

    def users(self, course: str, kind: str = "learner") -> list[str]:
        state = platform_of(self.sandbox).state
        with state.lock:
            return [m.user_id for m in state.course(course).members.values() if m.kind == kind]

    def course_id(self, context_id: str) -> int:
        db = self.database
        try:
            with db.session() as session:
                found = session.scalar(select(CourseRow.id).where(
                    CourseRow.context_id == context_id))
        finally:
            db.dispose()
        assert found is not None, f"course {context_id} is unknown to the tool"
        return int(found)

    def evidence_count(self) -> int:
        db = self.database
        try:
            with db.session() as session:
                return int(session.scalar(select(func.count()).select_from(EvidenceRow)) or 0)
        finally:
            db.dispose()

    def expected_evidence(self, context_id: str) -> int:
        """Completion + score for every graded result of the sandbox course."""
        state = platform_of(self.sandbox).state
        with state.lock:
            course = state.course(context_id)
            return 2 * sum(1 for item in course.line_items.values()
                           for result in item.results.values() if result.score is not None)


def start_cluster(postgres_url: str, redis_url: str, tmp_path: Path, tools: int,
                  extra_env: dict[str, str] | None = None) -> Cluster:
    """The sandbox in this process, `tools` tool processes; the platform registered."""
    ports = [free_port() for _ in range(tools)]
    tool_urls = [f"http://127.0.0.1:{port}" for port in ports]
    lms = LiveServer("127.0.0.1")
    lms_url = lms.url("localhost")
    first = tool_urls[0]
    sandbox = create_sandbox_app(SandboxSettings(
        base_url=lms_url, tool_login_url=f"{first}/lti/login",
        tool_launch_url=f"{first}/lti/launch", tool_jwks_url=f"{first}/lti/jwks",
        tool_deep_link_url=f"{first}/lti/launch"))
    settings = platform_of(sandbox).settings
    database = Database(postgres_url)
    try:
        platform = register_platform(database, PlatformInput(
            issuer=settings.issuer, client_id=settings.client_id,
            deployment_ids=[settings.deployment_id], auth_login_url=settings.auth_url,
            auth_token_url=settings.token_url, keyset_url=f"{settings.issuer}/jwks",
            name="Sandbox LMS"))
        # one key before any process starts: two first starts would each make one
        ensure_signing_key(database, SECRET, datetime.now(UTC))
    finally:
        database.dispose()
    lms.start(sandbox)
    env = {**tool_env(postgres_url, redis_url), **(extra_env or {})}
    cluster = Cluster(postgres_url, redis_url, env, sandbox, lms_url, tool_urls, platform)
    cluster._lms = lms  # type: ignore[attr-defined]
    try:
        for index, (port, url) in enumerate(zip(ports, tool_urls, strict=True)):
            process = ToolProcess({**env, "CAREERPATH_BASE_URL": url}, "serve", "--port",
                                  str(port), log=tmp_path / f"tool-{index}.log")
            cluster.processes.append(process)
        for process, url in zip(cluster.processes, tool_urls, strict=True):
            process.wait_healthy(url)
    except BaseException:
        stop_cluster(cluster)
        raise
    return cluster


def stop_cluster(cluster: Cluster) -> None:
    for process in cluster.processes:
        process.stop()
    cluster._lms.stop()  # type: ignore[attr-defined]


@pytest.fixture
def cluster(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[Cluster]:
    """Two tool processes A and B sharing PostgreSQL and Redis, and the sandbox LMS."""
    running = start_cluster(postgres_url, redis_url, tmp_path, tools=2)
    try:
        yield running
    finally:
        stop_cluster(running)
