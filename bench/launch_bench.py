"""Launch throughput: OIDC login → launch → readiness widget through `gunicorn -w 2`.

Per configuration (SQLite without Redis; PostgreSQL + Redis) the tool is migrated, the demo
organisation seeded, the sandbox LMS registered into tenant "northwind" and 500 learners
given a current role, a course membership and evidence. The sandbox LMS runs in its own
process and serves its JWKS, which the tool fetches over HTTP. The load generator
(bench/load.py) plays the browser *and* the platform's auth endpoint: it starts the login at
the tool, reads state and nonce from the 302, signs the id_token with the sandbox's key
(as the certification tests do) and posts it to /lti/launch with the state cookie.

Measured: completed launches per second at 16 users over 20 s (after a 3 s warm-up), ÷ the
requests per second of bench/ceiling_app.py (one RS256 verification per request) served the
same way in the same run. Latency of a launch = the login request's + the launch request's
round trips (the generator's own signing, standing in for the LMS, is not counted).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization

from bench.figures import figure
from bench.load import Client, LoadError, LoadResult, Outcome, drive, load_average

ROOT = Path(__file__).resolve().parents[1]
USERS, WARMUP, DURATION, LEARNERS = 16, 3.0, 20.0, 500
TARGET_RATIO, TARGET_P99_MS = 0.5, 50.0
COURSE, LINK = "bench-course", "bench-readiness"
POSTGRES_URL = os.environ.get("CAREERPATH_BENCH_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("CAREERPATH_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
WIDGET_MARKER = b"data-readiness="


class BenchSetupError(RuntimeError):
    """The benchmark could not be set up (missing gunicorn, a service down, ...)."""


# ---------------------------------------------------------------- processes and services

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


def gunicorn(procs: Processes, name: str, app: str, port: int, env: dict[str, str],
             server: tuple[str, ...] = ("-w", "2")) -> subprocess.Popen[bytes]:
    require_gunicorn()
    return procs.start(name, [sys.executable, "-m", "gunicorn", *server,
                              "-b", f"127.0.0.1:{port}", "--backlog", "2048",
                              "--graceful-timeout", "5", app], env)


# Both configurations run two gunicorn workers: without Redis the tool keeps login state,
# nonces and platform keys in the database (`cache_entries`), which every worker shares.
SERVERS = {"sqlite": ("-w", "2"), "postgres": ("-w", "2")}


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


# ---------------------------------------------------------------- the seeded tool

def seed_tool(database_url: str, lms_url: str, learners: int = LEARNERS) -> None:
    """Migrate; demo organisation; the sandbox in tenant "northwind"; learners with evidence."""
    from bench.launch_seed import seed_learners
    from lti_tool import create_app
    from lti_tool.bootstrap import ensure_tool_key, services
    from lti_tool.store import upgrade
    from lti_tool.usecases.demo_seed import DEMO_SLUG, seed_demo
    from lti_tool.usecases.platforms import PlatformInput, register_platform

    upgrade(database_url)
    app = create_app({"database_url": database_url, "sync_on_launch": False})
    database = services(app).database
    ensure_tool_key(app)
    with database.session() as session:
        seed_demo(session)
    platform = register_platform(database, PlatformInput(
        issuer=lms_url, client_id="careerpath-sandbox", deployment_ids=["sandbox-deployment-1"],
        auth_login_url=f"{lms_url}/auth", auth_token_url=f"{lms_url}/token",
        keyset_url=f"{lms_url}/jwks", name="Sandbox LMS", tenant_slug=DEMO_SLUG))
    seed_learners(database, platform.registration.id, COURSE, learners)
    database.engine.dispose()


@dataclass
class Launcher:
    """One complete launch as the browser + LMS would do it; returns the timed steps."""

    tool: Client
    lms_url: str
    key: Any
    kid: str
    learners: int = LEARNERS
    users: int = USERS

    def sub(self, user: int, number: int) -> str:
        return f"bench-learner-{(user + self.users * number) % self.learners:04d}"

    def __call__(self, user: int, number: int) -> Outcome:
        outcome, sub = Outcome(), self.sub(user, number)
        login = self.tool.request("POST", "/lti/login", urlencode({
            "iss": self.lms_url, "login_hint": sub, "client_id": "careerpath-sandbox",
            "target_link_uri": f"{self.tool.base}/lti/launch",
            "lti_deployment_id": "sandbox-deployment-1"}).encode(), FORM)
        outcome.steps["login"] = login.ms
        if login.status != 302:
            return outcome.fail(f"{login.status} from /lti/login")
        query = parse_qs(urlsplit(login.headers.get("Location", "")).query)
        state, nonce = query.get("state", [""])[0], query.get("nonce", [""])[0]
        cookie = f"lti1p3-state-{state}"
        if not state or cookie not in login.headers.get("Set-Cookie", ""):
            return outcome.fail("login: no state or no state cookie")
        token = jwt.encode(self.claims(sub, nonce), self.key, algorithm="RS256",
                           headers={"kid": self.kid})
        launch = self.tool.request("POST", "/lti/launch", urlencode({
            "state": state, "id_token": token}).encode(),
            {**FORM, "Cookie": f"{cookie}={state}"})
        outcome.steps["launch"] = launch.ms
        if launch.status != 200:
            return outcome.fail(f"{launch.status} from /lti/launch")
        if WIDGET_MARKER not in launch.body:
            return outcome.fail("launch: 200 without the readiness widget")
        return outcome

    def claims(self, sub: str, nonce: str) -> dict[str, Any]:
        now, number = int(time.time()), int(sub.rsplit("-", 1)[1])
        api = f"{self.lms_url}/api/courses/{COURSE}"
        return {
            "iss": self.lms_url, "aud": "careerpath-sandbox", "azp": "careerpath-sandbox",
            "sub": sub, "exp": now + 300, "iat": now, "nonce": nonce,
            "name": f"Bench Learner {number}", "given_name": "Bench",
            "family_name": f"Learner {number}", "email": f"{sub}@example.edu",
            LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
            LTI + "deployment_id": "sandbox-deployment-1",
            LTI + "target_link_uri": f"{self.tool.base}/lti/launch",
            LTI + "resource_link": {"id": LINK, "title": "Next-role readiness"},
            LTI + "roles": [LEARNER_ROLE],
            LTI + "context": {"id": COURSE, "label": "BENCH", "title": "Bench course"},
            LTI + "custom": {"widget": "readiness"},
            LTI + "launch_presentation": {"document_target": "iframe", "locale": "en",
                                          "return_url": f"{self.lms_url}/courses/{COURSE}"},
            LTI + "tool_platform": {"guid": "sandbox-bench", "name": "Sandbox LMS",
                                    "url": self.lms_url},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                          "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"],
                "lineitems": f"{api}/lineitems"},
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{api}/memberships", "service_versions": ["2.0"]},
        }


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


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

    def worker_pids(self) -> list[int]:
        """gunicorn's worker processes (children of the master)."""
        path = Path(f"/proc/{self.tool_process.pid}/task/{self.tool_process.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []


@contextmanager
def launch_stack(kind: str, learners: int = LEARNERS, users: int = USERS,
                 server: tuple[str, ...] | None = None) -> Iterator[Stack]:
    """Seeded tool under `gunicorn -w 2` + sandbox LMS process; all torn down afterwards.

    kind: "sqlite" (SQLite file, no Redis) or "postgres" (fresh database + Redis db 15).
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
            tool_process = gunicorn(procs, "tool", "lti_tool:create_app()", tool_port, env,
                                    server or SERVERS[kind])
            tool = Client(tool_url)
            wait_ready(tool, "/healthz", tool_process, procs, "tool")
            launcher = Launcher(tool, lms_url, key, kid, learners, users)
            first = launcher(0, 0)
            if first.error is not None:
                raise BenchSetupError(f"a first launch failed ({first.error}):\n"
                                      f"{procs.log_tail('tool')}")
            yield Stack(kind, server or SERVERS[kind], tool, launcher, procs, tool_process,
                        workdir)
    finally:
        procs.stop_all()
        _remove(workdir)


@contextmanager
def _services(kind: str, workdir: Path) -> Iterator[tuple[str, str | None]]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}", None
    elif kind == "postgres":
        with temporary_postgres() as database_url, dedicated_redis() as redis_url:
            yield database_url, redis_url
    else:
        raise ValueError(f"unknown configuration {kind!r}: sqlite or postgres")


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


# ---------------------------------------------------------------- the ceiling

def measure_ceiling(workdir: Path, procs: Processes, users: int = USERS,
                    warmup: float = WARMUP, duration: float = DURATION) -> LoadResult:
    """requests/s of bench/ceiling_app.py under gunicorn -w 2, same generator, same users."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_path = workdir / "ceiling-public.pem"
    public_path.write_bytes(private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    now = int(time.time())
    token = jwt.encode({"sub": "ceiling", "aud": "careerpath-ceiling", "iat": now,
                        "exp": now + 3600, "nonce": secrets.token_urlsafe(24)}, private,
                       algorithm="RS256", headers={"kid": "ceiling"})
    body = urlencode({"state": secrets.token_urlsafe(24), "token": token}).encode()
    port = free_port()
    env = {**os.environ, "CEILING_PUBLIC_KEY": str(public_path)}
    child = gunicorn(procs, "ceiling", "bench.ceiling_app:create_app()", port, env)
    try:
        client = Client(f"http://127.0.0.1:{port}")
        wait_ready(client, "/healthz", child, procs, "ceiling")

        def verify(_user: int, _number: int) -> Outcome:
            outcome = Outcome()
            reply = client.request("POST", "/verify", body, FORM)
            outcome.steps["request"] = reply.ms
            return outcome if reply.status == 200 else outcome.fail(f"{reply.status} /verify")

        return drive(verify, users=users, warmup=warmup, duration=duration,
                     steps=("request",))
    finally:
        procs.stop(child)


# ---------------------------------------------------------------- the benchmark

def measure(kind: str, users: int = USERS, warmup: float = WARMUP,
            duration: float = DURATION, server: tuple[str, ...] | None = None) -> dict[str, Any]:
    with launch_stack(kind, users=users, server=server) as stack:
        tool_server = " ".join(stack.server)
        launches = drive(stack.launcher, users=users, warmup=warmup, duration=duration,
                         steps=("login", "launch"))
        load_during_launches = load_average()
        stack.procs.stop(stack.tool_process)
        ceiling = measure_ceiling(stack.workdir, stack.procs, users, warmup, duration)
    if ceiling.errors or not ceiling.completed:
        raise LoadError(f"the ceiling endpoint failed: {dict(ceiling.errors)}")
    return {"configuration": kind, "tool_server": f"gunicorn {tool_server}",
            "ceiling_server": "gunicorn -w 2", "launches": launches.as_dict(),
            "ceiling": ceiling.as_dict(), "ratio": launches.rate / max(ceiling.rate, 1e-9),
            "load_average_after_launches": load_during_launches,
            "load_average_after_ceiling": load_average()}


def run(configurations: tuple[str, ...] = ("sqlite", "postgres"), users: int = USERS,
        warmup: float = WARMUP, duration: float = DURATION,
        servers: dict[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    measured = [measure(kind, users, warmup, duration, (servers or {}).get(kind))
                for kind in configurations]
    figures = []
    for one in measured:
        label = {"sqlite": "SQLite", "postgres": "PG+Redis"}[one["configuration"]]
        launches = one["launches"]
        figures += [
            figure("launch", f"{label}: launches/s ÷ ceiling req/s", one["ratio"],
                   TARGET_RATIO, "ratio", lower_is_better=False),
            figure("launch", f"{label}: p99 login+launch", launches["latency_ms"]["iteration"]
                   ["p99"], TARGET_P99_MS, "ms"),
            figure("launch", f"{label}: launches answered 200 + widget", 100 * launches[
                "completed"] / max(launches["completed"] + sum(launches["errors"].values()), 1),
                100.0, "%", lower_is_better=False),
        ]
    return {"name": "launch", "users": users, "warmup_s": warmup, "duration_s": duration,
            "learners": LEARNERS, "configurations": measured, "figures": figures}


def serve_sandbox(port: int, key_path: str, tool_url: str) -> None:
    """The sandbox LMS in its own process (it publishes the platform's JWKS)."""
    from werkzeug.serving import make_server

    from lti_tool.sandbox import SandboxSettings, create_sandbox_app

    app = create_sandbox_app(SandboxSettings(
        base_url=f"http://localhost:{port}", tool_login_url=f"{tool_url}/lti/login",
        tool_launch_url=f"{tool_url}/lti/launch", tool_jwks_url=f"{tool_url}/lti/jwks",
        key_path=key_path, seed=False))
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.launch_bench")
    sub = parser.add_subparsers(dest="command")
    lms = sub.add_parser("sandbox", help="serve the sandbox LMS (used by the benchmark)")
    lms.add_argument("--port", type=int, required=True)
    lms.add_argument("--key-path", required=True)
    lms.add_argument("--tool-url", required=True)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--duration", type=float, default=DURATION)
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--sqlite-server", help='gunicorn options for the SQLite run '
                        f'(default "{" ".join(SERVERS["sqlite"])}")')
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        serve_sandbox(args.port, args.key_path, args.tool_url)
        return 0
    import json

    chosen = (args.only,) if args.only else ("sqlite", "postgres")
    servers = {"sqlite": tuple(args.sqlite_server.split())} if args.sqlite_server else None
    result = run(chosen, users=args.users, duration=args.duration, servers=servers)
    print(json.dumps(result, indent=2))
    return 0 if all(row["ok"] for row in result["figures"]) else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (BenchSetupError, LoadError) as exc:
        print(f"launch benchmark: {exc}", file=sys.stderr)
        sys.exit(2)
