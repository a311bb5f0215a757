"""Launch throughput against the least a correct launch must do (issue 21).

Per configuration (SQLite + Redis; PostgreSQL + Redis) the tool is migrated, the demo
organisation seeded, the sandbox LMS registered into tenant "northwind" and 500 learners
given a current role, a course membership and evidence; the sandbox LMS runs in its own
process and serves the JWKS the tool fetches; every learner launches once before the
measurement, so that every measured launch is a returning learner's (the tool still checks
that person, course and membership are current). Beside the tool, the same way (`gunicorn -w 2`
on loopback, the tool's gunicorn settings), runs the reference: bench/bare_launch_app.py, a
bare Flask app doing a correct OIDC login and launch and nothing else (state and nonce in
Flask's signed cookie session, RS256 with one pre-loaded key, a one-line page).

The load generator (bench/load.py) runs 4 client processes, each one closed-loop user
playing the browser and the LMS: it starts the login, reads state and nonce from the 302,
signs the id_token with the platform's key and posts it with the login's cookies. A round is
10 s (after 1 s of warm-up); 2 rounds alternate bare, tool, bare, tool, so that a change in
the machine's speed over the run falls on both alike.

Reported per configuration: launches/s of each and the ratio tool ÷ bare (target ≥ 0.75);
the p99 of a launch (login + launch round trips; the generator's own signing not counted)
of each and the ratio tool ÷ bare (target ≤ 1.5); the CPU the servers' workers used per
launch (from /proc, context); and the tool's own time per request inside its workers
(bench/server_timing.py, context).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from bench.figures import context, figure
from bench.launch_scenario import LEARNERS, Launcher
from bench.launch_stack import SERVERS, Stack, launch_stack, serve_sandbox
from bench.load import (
    Client,
    LoadError,
    LoadResult,
    drive_processes,
    load_average,
    percentiles,
    process_tree_cpu,
)
from bench.processes import BenchSetupError, free_port, gunicorn, wait_ready
from bench.server_timing import DIRECTORY_ENV, in_worker, read_served

CLIENTS, ROUNDS, WARMUP, DURATION = 4, 2, 1.0, 10.0
TARGET_RATIO, TARGET_P99_RATIO = 0.75, 1.5
CONFIGURATIONS = ("sqlite-redis", "postgres")
LABELS = {"sqlite": "SQLite", "sqlite-redis": "SQLite+Redis", "postgres": "PG+Redis"}
BARE_PAGE = b"<p>Welcome, "
STEPS = ("login", "launch")


def serve_bare(stack: Stack) -> tuple[Launcher, int]:
    """bench/bare_launch_app.py under the tool's gunicorn options, trusting the platform's
    key; a launcher for it (its first launch checked) and the gunicorn master's pid."""
    public_path = stack.workdir / "bare-platform-public.pem"
    public_path.write_bytes(stack.launcher.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    port = free_port()
    env = {**os.environ, DIRECTORY_ENV: str(stack.workdir), "BARE_PUBLIC_KEY": str(public_path),
           "BARE_ISSUER": stack.launcher.lms_url, "BARE_CLIENT_ID": "careerpath-sandbox",
           "BARE_SECRET": os.urandom(24).hex()}
    # behind the same request timer as the tool (bench.server_timing)
    child = gunicorn(stack.procs, "bare", "bench.server_timing:timed_bare()", port, env,
                     stack.server)
    client = Client(f"http://127.0.0.1:{port}")
    wait_ready(client, "/healthz", child, stack.procs, "bare")
    tool = stack.launcher
    bare = Launcher(client, tool.lms_url, tool.key, tool.kid, tool.learners, tool.users,
                    login_path="/login", launch_path="/launch", expect=BARE_PAGE)
    first = bare(0, 0)
    if first.error is not None:
        raise BenchSetupError(f"a first bare launch failed ({first.error}):\n"
                              f"{stack.procs.log_tail('bare')}")
    return bare, child.pid


def measure(kind: str, clients: int = CLIENTS, rounds: int = ROUNDS, warmup: float = WARMUP,
            duration: float = DURATION, server: tuple[str, ...] | None = None
            ) -> dict[str, Any]:
    """Both apps of one configuration, `rounds` rounds alternating bare and tool."""
    with launch_stack(kind, users=clients, server=server, returning=True) as stack:
        bare, bare_pid = serve_bare(stack)
        served_by = {"bare": (bare, bare_pid),
                     "tool": (stack.launcher, stack.tool_process.pid)}
        runs: dict[str, list[LoadResult]] = {"bare": [], "tool": []}
        for _ in range(rounds):
            for name, (launcher, pid) in served_by.items():
                runs[name].append(drive_processes(
                    lambda launcher=launcher: launcher, clients=clients, warmup=warmup,
                    duration=duration, steps=STEPS,
                    server_cpu=lambda pid=pid: process_tree_cpu(pid)))
        served = list(read_served(stack.workdir))
        worker = {**_in_worker(served, runs["tool"], ("/lti/login", "/lti/launch")),
                  **_in_worker(served, runs["bare"], ("/login", "/launch"))}
        load = load_average()
    tool, reference = _summary(runs["tool"]), _summary(runs["bare"])
    for name, summary in (("tool", tool), ("bare", reference)):
        if not summary["completed"]:
            raise LoadError(f"no {name} launch completed: {summary['errors']}")
    if reference["errors"]:
        raise LoadError(f"the bare reference failed: {reference['errors']}")
    return {"configuration": kind, "server": "gunicorn " + " ".join(stack.server),
            "clients": clients, "rounds": rounds, "duration_s": duration,
            "tool": tool, "bare": reference,
            "ratio": tool["per_second"] / reference["per_second"],
            "p99_ratio": tool["p99_ms"] / reference["p99_ms"],
            "in_worker_ms": worker, "load_average": load}


def _in_worker(served: list[Any], runs: list[LoadResult], paths: tuple[str, ...]
               ) -> dict[str, dict[str, float]]:
    """Each path's time in the app during these rounds' measured windows."""
    windows = [run.wall_window for run in runs]
    mine = [s for s in served if any(start <= s.started < end for start, end in windows)]
    return in_worker(mine, float("-inf"), float("inf"), paths)


def _summary(runs: list[LoadResult]) -> dict[str, Any]:
    """Every round of one app together: rate over all measured seconds, latency
    percentiles over all launches, server CPU per launch."""
    completed = sum(run.completed for run in runs)
    seconds = sum(run.seconds for run in runs)
    latencies = percentiles([ms for run in runs for ms in run.iteration_ms])
    errors: dict[str, int] = {}
    for run in runs:
        for reason, count in run.errors.items():
            errors[reason] = errors.get(reason, 0) + count
    return {"completed": completed, "seconds": seconds,
            "per_second": completed / seconds if seconds else 0.0,
            "per_second_by_round": [round(run.rate, 1) for run in runs],
            "p50_ms": latencies["p50"], "p95_ms": latencies["p95"],
            "p99_ms": latencies["p99"], "max_ms": latencies["max"],
            "server_cpu_ms_per_launch": 1000 * sum(run.server_cpu_s for run in runs)
            / completed if completed else float("nan"),
            "client_cpu_share": [round(run.generator_cpu_share, 3) for run in runs],
            "errors": errors}


def run(configurations: tuple[str, ...] = CONFIGURATIONS, clients: int = CLIENTS,
        rounds: int = ROUNDS, duration: float = DURATION,
        servers: dict[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    measured = [measure(kind, clients, rounds, WARMUP, duration, (servers or {}).get(kind))
                for kind in configurations]
    return {"name": "launch", "clients": clients, "rounds": rounds, "warmup_s": WARMUP,
            "duration_s": duration, "learners": LEARNERS, "configurations": measured,
            "figures": [row for one in measured for row in _figures(one)]}


def _figures(one: dict[str, Any]) -> list[dict[str, Any]]:
    label = LABELS[one["configuration"]]
    tool, bare = one["tool"], one["bare"]
    answered = 100 * tool["completed"] / max(tool["completed"] + sum(
        tool["errors"].values()), 1)
    worker = one["in_worker_ms"]
    return [
        figure("launch", f"{label}: tool launches/s ÷ bare launches/s", one["ratio"],
               TARGET_RATIO, "ratio", lower_is_better=False),
        figure("launch", f"{label}: tool p99 ÷ bare p99 (login+launch)", one["p99_ratio"],
               TARGET_P99_RATIO, "ratio"),
        figure("launch", f"{label}: launches answered 200 + widget", answered, 100.0, "%",
               lower_is_better=False),
        context("launch", f"{label}: tool launches/s", tool["per_second"], "/s"),
        context("launch", f"{label}: bare launches/s", bare["per_second"], "/s"),
        context("launch", f"{label}: tool p99 login+launch", tool["p99_ms"], "ms"),
        context("launch", f"{label}: bare p99 login+launch", bare["p99_ms"], "ms"),
        context("launch", f"{label}: tool server CPU per launch",
                tool["server_cpu_ms_per_launch"], "ms"),
        context("launch", f"{label}: bare server CPU per launch",
                bare["server_cpu_ms_per_launch"], "ms"),
        context("launch", f"{label}: tool in-worker CPU p50, login",
                worker["/lti/login cpu"]["p50"], "ms"),
        context("launch", f"{label}: tool in-worker CPU p50, launch + widget",
                worker["/lti/launch cpu"]["p50"], "ms"),
        context("launch", f"{label}: bare in-worker CPU p50, login + launch",
                worker["/login cpu"]["p50"] + worker["/launch cpu"]["p50"], "ms"),
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.launch_bench")
    sub = parser.add_subparsers(dest="command")
    lms = sub.add_parser("sandbox", help="serve the sandbox LMS (used by the benchmark)")
    lms.add_argument("--port", type=int, required=True)
    lms.add_argument("--key-path", required=True)
    lms.add_argument("--tool-url", required=True)
    parser.add_argument("--only", choices=tuple(LABELS))
    parser.add_argument("--duration", type=float, default=DURATION)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--server", help="gunicorn options for the tool and the bare app "
                        f'alike (default "{" ".join(SERVERS["sqlite-redis"])}")')
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        serve_sandbox(args.port, args.key_path, args.tool_url)
        return 0
    import json

    from bench.run import print_table

    chosen = (args.only,) if args.only else CONFIGURATIONS
    servers = {kind: tuple(args.server.split()) for kind in chosen} if args.server else None
    result = run(chosen, clients=args.clients, rounds=args.rounds, duration=args.duration,
                 servers=servers)
    out = Path(os.environ.get("BENCH_LAUNCH_JSON", "")) if os.environ.get(
        "BENCH_LAUNCH_JSON") else None
    if out:
        out.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result["figures"])
    return 0 if all(row["ok"] for row in result["figures"]) else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (BenchSetupError, LoadError) as exc:
        print(f"launch benchmark: {exc}", file=sys.stderr)
        sys.exit(2)
