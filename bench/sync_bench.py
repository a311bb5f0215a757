"""Sync benchmark (issue 21): the tool's course sync against a bare client, same course.

The sandbox LMS serves 5,000 members × 40 line items (200,000 results, 164,000 graded),
once as Moodle answers and once as Canvas does (paging, Link headers, page caps). For
each flavour and each database (a SQLite file; PostgreSQL when it answers) the bare client
(`bench/bare_sync_client.py`) and the tool's sync (`bench/sync_process.py`) read the whole
course from that same sandbox process, each in its own process so each peak RSS is its
own. Every round runs the two back to back, the order alternating between rounds (bare
first in odd rounds, the tool first in even ones), each against a fresh copy of the same
prepared database. The figure is the best (shortest) tool run ÷ the best bare run: the
machine is shared, and the shortest run is the one least disturbed by other work.

The bare client always stores into SQLite (issue 21 defines it with sqlite3); on the
PostgreSQL rows it is the same reference, run beside the tool on PostgreSQL.

`CAREERPATH_BENCH_SYNC_ROUNDS` (default 2) sets the rounds; `CAREERPATH_BENCH_POSTGRES_URL`
(default postgresql://postgres@127.0.0.1:5432/test) the server that gets temporary
databases (dropped afterwards); `CAREERPATH_BENCH_PROFILE` (a directory) makes each tool
sync write a cProfile file there.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from bench.bare_sync_client import command_line
from bench.figures import context, figure
from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.clock import utcnow
from lti_tool.sandbox.flavours import flavour_named
from lti_tool.store import upgrade
from lti_tool.store.repositories.courses import CourseRepository
from lti_tool.store.repositories.sync import SyncRepository
from lti_tool.usecases.platforms import PlatformInput, register_platform
from lti_tool.usecases.tool_keys import published_jwks, signing_key

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO, TARGET_RSS_MB = 2.0, 150.0
AGS_SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
              "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"]
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
FLAVOURS = ("moodle", "canvas")
# HTTP requests per 1,000 results: Moodle pages as the tool asks (1,000 a page); Canvas
# caps per_page at 100 (lib/api.rb), so at least 10 requests per 1,000 results there.
REQUESTS_TARGET = {"moodle": 5.0, "canvas": 11.0}
SANDBOX_TYPE_ID = 1  # the sandbox's own registration is its first tool type
CLIENT_ID = "careerpath-sandbox"
SECRET = "bench-secret"  # noqa: S105 - signs a throwaway benchmark database
# the page sizes the tool asks for (usecases/sync/stages.py), asked by the bare client too
ROSTER_LIMIT, RESULTS_LIMIT = 500, 1000
POSTGRES_URL = os.environ.get("CAREERPATH_BENCH_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@dataclass
class Prepared:
    """A migrated tool database with the sandbox registered and the load course's services."""

    course_id: int
    memberships_url: str
    lineitems_url: str
    kid: str
    key_file: Path
    jwks: dict[str, Any]


def prepare_tool(database_url: str, lms: str, flavour: str, workdir: Path) -> Prepared:
    """Migrate, register the sandbox, record the load course's services, make the tool's
    key (its PEM written for the bare client, which signs as the same tool)."""
    upgrade(database_url)
    svc = services(create_app({"database_url": database_url, "secret_key": SECRET}))
    platform = register_platform(svc.database, PlatformInput(
        issuer=lms, client_id=CLIENT_ID, deployment_ids=["sandbox-deployment-1"],
        auth_login_url=f"{lms}/auth", auth_token_url=f"{lms}/token",
        keyset_url=f"{lms}/jwks"))
    urls = flavour_named(flavour)
    memberships = urls.memberships_url(lms, "load-course", SANDBOX_TYPE_ID)
    lineitems = urls.lineitems_url(lms, "load-course", SANDBOX_TYPE_ID)
    with svc.database.session() as session:
        course = CourseRepository(session).upsert_course(
            platform.registration.tenant_id, "load-course", platform.registration.id,
            title="Load test course")
        SyncRepository(session).save_services(course.id, memberships, lineitems,
                                              [*AGS_SCOPES, NRPS_SCOPE])
    key = signing_key(svc.database, SECRET, utcnow())
    key_file = workdir / "tool-key.pem"
    key_file.write_bytes(key.private_pem)
    key_file.chmod(0o600)
    jwks = published_jwks(svc.database, utcnow())
    svc.database.dispose()
    return Prepared(course.id, memberships, lineitems, key.kid, key_file, jwks)


@contextmanager
def jwks_server(jwks: dict[str, Any], port: int) -> Iterator[None]:
    """The tool's JWKS on loopback (all the sandbox needs from the tool to verify its
    client assertions), served from a thread of this process."""
    body = json.dumps(jwks).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def sandbox(flavour: str, lms_port: int, tool: str, learners: int, line_items: int
            ) -> Iterator[dict[str, Any]]:
    """The sandbox LMS in its own process, seeded with the load course; its counts."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.sandbox_process", "--port", str(lms_port),
         "--tool-url", tool, "--learners", str(learners), "--line-items", str(line_items),
         "--flavour", flavour], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True)
    try:
        seeded = json.loads(child.stdout.readline())  # type: ignore[union-attr]
        wait_for(f"http://localhost:{lms_port}/jwks")
        yield seeded
    finally:
        child.terminate()
        child.wait(timeout=10)


class SqliteCopies:
    """Fresh copies of the prepared SQLite file, one per run."""

    name = "sqlite"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.template = workdir / "template.db"
        self.url = f"sqlite:///{self.template}"

    @contextmanager
    def copy(self) -> Iterator[str]:
        path = self.workdir / f"run-{uuid.uuid4().hex[:8]}.db"
        source, target = sqlite3.connect(self.template), sqlite3.connect(path)
        with source, target:
            source.backup(target)
        source.close()
        target.close()
        try:
            yield f"sqlite:///{path}"
        finally:
            for leftover in self.workdir.glob(f"{path.name}*"):
                leftover.unlink()


class PostgresCopies:
    """A template database on the bench's PostgreSQL, and fresh copies of it per run."""

    name = "postgresql"

    def __init__(self, base_url: str) -> None:
        import psycopg

        self.base = urlsplit(base_url)
        self.admin = psycopg.connect(base_url, autocommit=True, connect_timeout=5)
        self.prefix = f"careerpath_bench_{uuid.uuid4().hex[:8]}"
        self.template_name = f"{self.prefix}_template"
        self.admin.execute(f'CREATE DATABASE "{self.template_name}"')
        self.url = self._url(self.template_name)
        self.made = [self.template_name]

    def _url(self, name: str) -> str:
        return self.base._replace(path=f"/{name}").geturl()

    @contextmanager
    def copy(self) -> Iterator[str]:
        name = f"{self.prefix}_{len(self.made)}"
        self.admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template_name}"')
        self.made.append(name)
        try:
            yield self._url(name)
        finally:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for name in self.made:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.close()


def postgres_available(url: str = POSTGRES_URL) -> str | None:
    """None when PostgreSQL answers at `url`, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    try:
        psycopg.connect(url, autocommit=True, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        return f"PostgreSQL at {urlsplit(url).hostname}:{urlsplit(url).port} does not " \
               f"answer ({str(exc).strip().splitlines()[0]})"
    return None


def run_tool(database_url: str, course_id: int, profile: Path | None) -> dict[str, Any]:
    """One `careerpath sync` of the course in its own process (bench/sync_process.py)."""
    env = {**os.environ, "CAREERPATH_DATABASE_URL": database_url,
           "CAREERPATH_SECRET_KEY": SECRET, "CAREERPATH_SYNC_ON_LAUNCH": "false"}
    env.pop("CAREERPATH_REDIS_URL", None)
    env.pop("CAREERPATH_BENCH_PROFILE", None)
    if profile is not None:
        env["CAREERPATH_BENCH_PROFILE"] = str(profile)
    done = subprocess.run([sys.executable, "-m", "bench.sync_process", str(course_id)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
                          check=True)
    measured: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if measured["status"] != "succeeded":
        raise RuntimeError(f"the benchmark sync failed: {measured['error']}")
    measured["graded_stored"] = measured["evidence_created"] // 2
    return measured


def run_bare(prepared: Prepared, lms: str, workdir: Path) -> dict[str, Any]:
    """One run of the bare client in its own process, into a fresh SQLite file."""
    path = workdir / f"bare-{uuid.uuid4().hex[:8]}.db"
    try:
        done = subprocess.run([
            sys.executable, "-m", "bench.bare_sync_client", *command_line(
                token_url=f"{lms}/token", client_id=CLIENT_ID, key=prepared.key_file,
                kid=prepared.kid, memberships_url=prepared.memberships_url,
                lineitems_url=prepared.lineitems_url, database=path,
                roster_limit=ROSTER_LIMIT, results_limit=RESULTS_LIMIT)],
            cwd=ROOT, capture_output=True, text=True, timeout=900, check=True)
    finally:
        for leftover in workdir.glob(f"{path.name}*"):
            leftover.unlink()
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def rounds() -> int:
    return max(1, int(os.environ.get("CAREERPATH_BENCH_SYNC_ROUNDS", "2")))


def run_combination(flavour: str, copies: SqliteCopies | PostgresCopies, lms: str,
                    prepared: Prepared, workdir: Path) -> dict[str, Any]:
    """Bare and tool, back to back, alternating which goes first; every run kept."""
    tools, bares = [], []
    profiles = os.environ.get("CAREERPATH_BENCH_PROFILE")
    for number in range(rounds()):
        order = ("bare", "tool") if number % 2 == 0 else ("tool", "bare")
        for which in order:
            if which == "bare":
                bares.append(run_bare(prepared, lms, workdir))
                continue
            profile = (Path(profiles) / f"sync-{flavour}-{copies.name}-{number + 1}.prof"
                       if profiles else None)
            with copies.copy() as url:
                tools.append(run_tool(url, prepared.course_id, profile))
    return {"flavour": flavour, "database": copies.name, "tool_runs": tools,
            "bare_runs": bares, "load_average": os.getloadavg()}


def combination_figures(combo: dict[str, Any], graded: int) -> list[dict[str, Any]]:
    """The figures of one flavour × database: ratio, RSS, stored; context beside them."""
    tool = min(combo["tool_runs"], key=lambda run: run["seconds"])
    bare = min(combo["bare_runs"], key=lambda run: run["seconds"])
    label = f"{combo['flavour']} / {combo['database']}"
    combo.update(tool_seconds=tool["seconds"], bare_seconds=bare["seconds"],
                 ratio=tool["seconds"] / bare["seconds"],
                 tool_peak_rss_mb=max(run["peak_rss_mb"] for run in combo["tool_runs"]),
                 bare_peak_rss_mb=max(run["peak_rss_mb"] for run in combo["bare_runs"]))
    stored = min(run["graded_stored"] for run in combo["tool_runs"])
    bare_stored = min(run["stored"] for run in combo["bare_runs"])
    return [
        figure("sync", f"{label}: tool ÷ bare client wall time (best of {len(combo['tool_runs'])})",
               combo["ratio"], TARGET_RATIO, "×"),
        context("sync", f"{label}: tool sync wall time", tool["seconds"], "s"),
        context("sync", f"{label}: bare client wall time", bare["seconds"], "s"),
        figure("sync", f"{label}: tool peak RSS", combo["tool_peak_rss_mb"], TARGET_RSS_MB,
               "MB"),
        context("sync", f"{label}: bare client peak RSS", combo["bare_peak_rss_mb"], "MB"),
        figure("sync", f"{label}: graded results stored by the tool (of {graded:,})", stored,
               graded, "results", lower_is_better=False),
        figure("sync", f"{label}: graded results stored by the bare client", bare_stored,
               graded, "results", lower_is_better=False),
        figure("sync", f"{label}: tool HTTP requests per 1,000 results",
               1000 * tool["requests"] / max(tool["results"], 1),
               REQUESTS_TARGET[combo["flavour"]], "requests"),
    ]


def run_flavour(learners: int, line_items: int, flavour: str, databases: list[str]
                ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One sandbox (as `flavour`) and the tool's JWKS; every database against it."""
    workdir = Path(tempfile.mkdtemp(prefix="careerpath-bench-"))
    tool_port, lms_port = free_port(), free_port()
    tool, lms = f"http://127.0.0.1:{tool_port}", f"http://localhost:{lms_port}"
    combos, rows = [], []
    try:
        with sandbox(flavour, lms_port, tool, learners, line_items) as seeded:
            for name in databases:
                combo, combo_rows = _one_database(name, flavour, lms, tool_port, workdir,
                                                  seeded)
                combos.append(combo)
                rows.extend(combo_rows)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"flavour": flavour, "seeded": seeded, "combinations": combos}, rows


def _one_database(name: str, flavour: str, lms: str, tool_port: int, workdir: Path,
                  seeded: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    copies: SqliteCopies | PostgresCopies = (SqliteCopies(workdir) if name == "sqlite"
                                             else PostgresCopies(POSTGRES_URL))
    try:
        prepared = prepare_tool(copies.url, lms, flavour, workdir)
        with jwks_server(prepared.jwks, tool_port):
            combo = run_combination(flavour, copies, lms, prepared, workdir)
    finally:
        if isinstance(copies, PostgresCopies):
            copies.close()
    rows = combination_figures(combo, int(seeded["graded"]))
    print(f"sync {flavour} / {name}: tool {combo['tool_seconds']:.2f} s, bare "
          f"{combo['bare_seconds']:.2f} s, ratio {combo['ratio']:.2f}, tool RSS "
          f"{combo['tool_peak_rss_mb']:.0f} MB", file=sys.stderr, flush=True)
    return combo, rows


def run(learners: int = 5000, line_items: int = 40) -> dict[str, Any]:
    """The sync benchmark: each flavour × each database that answers; figures of all."""
    databases, skipped = ["sqlite"], postgres_available()
    if skipped is None:
        databases.append("postgresql")
    else:
        print(f"sync benchmark: PostgreSQL rows SKIPPED: {skipped}", file=sys.stderr,
              flush=True)
    flavours, figures = [], []
    for flavour in FLAVOURS:
        result, rows = run_flavour(learners, line_items, flavour, databases)
        flavours.append(result)
        figures.extend(rows)
    if skipped is not None:
        figures.append(context("sync", f"PostgreSQL rows skipped: {skipped}", 0, "-"))
    return {"name": "sync", "rounds": rounds(), "postgresql_skipped": skipped,
            "flavours": flavours, "figures": figures}


if __name__ == "__main__":
    selected = [arg for arg in sys.argv[1:] if arg in (*FLAVOURS, "sqlite", "postgresql")]
    only_flavours = [f for f in selected if f in FLAVOURS] or list(FLAVOURS)
    only_databases = [d for d in selected if d in ("sqlite", "postgresql")] or ["sqlite"]
    out = []
    for chosen in only_flavours:
        summary, _rows = run_flavour(5000, 40, chosen, only_databases)
        out.append(summary)
    with suppress(BrokenPipeError):
        print(json.dumps(out, indent=2))
