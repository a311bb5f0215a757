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

For proportion, the same launcher also drives bench/floor_app.py, a tool that does nothing
but the protocol (signed state, one RS256 verification, a one-line page): its share of the
ceiling is the most any tool can reach here, reported as context, not as a target.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import serialization

from bench.figures import context, figure
from bench.launch_scenario import FORM, LEARNERS, USERS, Launcher
from bench.launch_stack import SERVERS, Stack, launch_stack, serve_sandbox
from bench.load import Client, LoadError, LoadResult, Outcome, drive, load_average
from bench.processes import BenchSetupError, Processes, free_port, gunicorn, wait_ready

WARMUP, DURATION = 3.0, 20.0
TARGET_RATIO, TARGET_P99_MS = 0.5, 50.0


# ---------------------------------------------------------------- the ceiling

def measure_ceiling(workdir: Path, procs: Processes, users: int = USERS,
                    warmup: float = WARMUP, duration: float = DURATION,
                    server: tuple[str, ...] = ("-w", "2")) -> LoadResult:
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
    child = gunicorn(procs, "ceiling", "bench.ceiling_app:create_app()", port, env, server)
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


# ---------------------------------------------------------------- the protocol floor

def measure_floor(stack: Stack, users: int = USERS, warmup: float = WARMUP,
                  duration: float = DURATION) -> LoadResult:
    """launches/s of bench/floor_app.py under gunicorn -w 2, driven by the tool's launcher."""
    public_path = stack.workdir / "floor-platform-public.pem"
    public_path.write_bytes(stack.launcher.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    port = free_port()
    env = {**os.environ, "FLOOR_PUBLIC_KEY": str(public_path),
           "FLOOR_STATE_SECRET": secrets.token_urlsafe(32)}
    child = gunicorn(stack.procs, "floor", "bench.floor_app:create_app()", port, env,
                     stack.server)
    try:
        client = Client(f"http://127.0.0.1:{port}")
        wait_ready(client, "/healthz", child, stack.procs, "floor")
        launcher = stack.launcher
        floor = Launcher(client, launcher.lms_url, launcher.key, launcher.kid,
                         launcher.learners, launcher.users)
        return drive(floor, users=users, warmup=warmup, duration=duration,
                     steps=("login", "launch"))
    finally:
        stack.procs.stop(child)


# ---------------------------------------------------------------- the benchmark

def measure(kind: str, users: int = USERS, warmup: float = WARMUP,
            duration: float = DURATION, server: tuple[str, ...] | None = None) -> dict[str, Any]:
    with launch_stack(kind, users=users, server=server) as stack:
        tool_server = " ".join(stack.server)
        launches = drive(stack.launcher, users=users, warmup=warmup, duration=duration,
                         steps=("login", "launch"))
        load_during_launches = load_average()
        in_worker = stack.in_worker(launches.wall_window)
        stack.procs.stop(stack.tool_process)
        floor = measure_floor(stack, users, warmup, duration)
        ceiling = measure_ceiling(stack.workdir, stack.procs, users, warmup, duration,
                                  stack.server)
    if ceiling.errors or not ceiling.completed:
        raise LoadError(f"the ceiling endpoint failed: {dict(ceiling.errors)}")
    if floor.errors or not floor.completed:
        raise LoadError(f"the protocol floor failed: {dict(floor.errors)}")
    return {"configuration": kind, "tool_server": f"gunicorn {tool_server}",
            "ceiling_server": f"gunicorn {tool_server}", "launches": launches.as_dict(),
            "ceiling": ceiling.as_dict(), "ratio": launches.rate / max(ceiling.rate, 1e-9),
            "in_worker_ms": in_worker,
            "floor": floor.as_dict(), "floor_ratio": floor.rate / max(ceiling.rate, 1e-9),
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
            context("launch", f"{label}: protocol floor launches/s ÷ ceiling",
                    one["floor_ratio"], "ratio"),
            context("launch", f"{label}: protocol floor p99 login+launch",
                    one["floor"]["latency_ms"]["iteration"]["p99"], "ms"),
            context("launch", f"{label}: launches/s ÷ protocol floor launches/s",
                    launches["per_second"] / max(one["floor"]["per_second"], 1e-9), "ratio"),
            *_where_time_goes(label, launches, one["in_worker_ms"]),
        ]
    return {"name": "launch", "users": users, "warmup_s": warmup, "duration_s": duration,
            "learners": LEARNERS, "configurations": measured, "figures": figures}


def _where_time_goes(label: str, launches: dict[str, Any],
                     in_worker: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    """Context: the tool's own time per request in a worker, and the share of a median
    launch spent waiting for a free worker (the listen queue) rather than being served."""
    login, launch = in_worker["/lti/login"], in_worker["/lti/launch"]
    served = login["p50"] + launch["p50"]
    median = launches["latency_ms"]["iteration"]["p50"]
    return [
        context("launch", f"{label}: in-worker time p99, login", login["p99"], "ms"),
        context("launch", f"{label}: in-worker time p99, launch + widget", launch["p99"], "ms"),
        context("launch", f"{label}: median launch, share waiting for a worker",
                1 - served / median if median > 0 else math.nan, "ratio"),
    ]


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
    parser.add_argument("--server", help="gunicorn options for the tool, the protocol floor "
                        f'and the ceiling alike (default "{" ".join(SERVERS["sqlite"])}")')
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        serve_sandbox(args.port, args.key_path, args.tool_url)
        return 0
    import json

    chosen = (args.only,) if args.only else ("sqlite", "postgres")
    servers = {kind: tuple(args.server.split()) for kind in chosen} if args.server else None
    result = run(chosen, users=args.users, duration=args.duration, servers=servers)
    print(json.dumps(result, indent=2))
    return 0 if all(row["ok"] for row in result["figures"]) else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (BenchSetupError, LoadError) as exc:
        print(f"launch benchmark: {exc}", file=sys.stderr)
        sys.exit(2)
