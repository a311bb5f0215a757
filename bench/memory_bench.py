"""Memory of the tool's gunicorn workers under launches (PostgreSQL + Redis, `gunicorn -w 2`).

Phase 1 drives launches (bench/launch_scenario.py's complete login → launch → readiness widget,
16 users, 500 learners) until N have completed, then reads each worker's VmRSS from
/proc/<pid>/status. Phase 2 keeps the same load on for the soak and samples every worker's
RSS every 10 s; "flat" = last sample − the sample at 30 s, per worker (the worst worker is
reported), with the least-squares slope in MB/min.

`make bench` runs a short version (1,000 launches, 60 s soak) to stay within its time
budget; `make soak` (`python -m bench.memory_bench --soak`) runs the full one: 10,000
launches, then a 2-minute soak.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.figures import figure
from bench.launch_stack import Stack, launch_stack
from bench.load import LoadError, drive, load_average
from bench.processes import BenchSetupError

TARGET_RSS_MB, TARGET_GROWTH_MB = 150.0, 10.0
SAMPLE_EVERY, FLAT_FROM = 10.0, 30.0
SHORT = {"launches": 1_000, "launch_seconds": 180.0, "soak_seconds": 60.0}
FULL = {"launches": 10_000, "launch_seconds": 1_800.0, "soak_seconds": 120.0}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LoadError(f"no VmRSS for process {pid}")


def slope_mb_per_min(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) samples, in MB per minute."""
    if len(samples) < 2:
        return 0.0
    xs, ys = [t for t, _ in samples], [m for _, m in samples]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return 60 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0


class Sampler(threading.Thread):
    """Every worker's RSS at 0, 10, 20 … s from its start until stopped."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.pids = pids
        self.samples: dict[int, list[tuple[float, float]]] = {pid: [] for pid in pids}
        self.stopped = threading.Event()
        self.error: str | None = None

    def run(self) -> None:
        started = time.monotonic()
        tick = 0
        while not self.stopped.is_set():
            at = started + tick * SAMPLE_EVERY
            self.stopped.wait(max(0.0, at - time.monotonic()))
            if self.stopped.is_set() and tick:
                return
            for pid in self.pids:
                try:
                    self.samples[pid].append((tick * SAMPLE_EVERY, rss_mb(pid)))
                except (OSError, LoadError) as exc:
                    self.error = f"worker {pid} went away during the soak: {exc}"
                    return
            tick += 1


def measure(stack: Stack, launches: int, launch_seconds: float,
            soak_seconds: float) -> dict[str, Any]:
    pids = stack.worker_pids()
    if not pids:
        raise BenchSetupError("found no gunicorn worker processes to measure")
    first = drive(stack.launcher, warmup=0.0, duration=launch_seconds,
                  max_iterations=launches, steps=("login", "launch"))
    after = {pid: rss_mb(pid) for pid in pids}
    sampler = Sampler(pids)
    sampler.start()
    soak = drive(stack.launcher, warmup=0.0, duration=soak_seconds, max_iterations=10**6,
                 steps=("login", "launch"))
    time.sleep(0.05)
    sampler.stopped.set()
    sampler.join(timeout=5)
    if sampler.error:
        raise LoadError(sampler.error)
    if stack.worker_pids() != pids:
        raise LoadError(f"gunicorn's workers changed during the run: {pids} → "
                        f"{stack.worker_pids()} (a worker was restarted)")
    workers = []
    for pid, samples in sampler.samples.items():
        base = next((mb for t, mb in samples if t >= FLAT_FROM), samples[0][1])
        workers.append({"pid": pid, "rss_after_launches_mb": round(after[pid], 1),
                        "samples_mb": [[t, round(mb, 2)] for t, mb in samples],
                        "growth_from_30s_mb": round(samples[-1][1] - base, 2),
                        "slope_mb_per_min": round(slope_mb_per_min(
                            [s for s in samples if s[0] >= FLAT_FROM]), 3)})
    return {"launches_before_sampling": first.completed, "phase1": first.as_dict(),
            "soak": soak.as_dict(), "soak_seconds": soak_seconds, "workers": workers,
            "server": " ".join(stack.server), "load_average": load_average()}


def run(soak: bool = False, kind: str = "postgres", **overrides: float) -> dict[str, Any]:
    plan = {**(FULL if soak else SHORT), **overrides}
    with launch_stack(kind) as stack:
        measured = measure(stack, int(plan["launches"]), plan["launch_seconds"],
                           plan["soak_seconds"])
    workers = measured["workers"]
    worst_rss = max(w["rss_after_launches_mb"] for w in workers)
    worst_growth = max(w["growth_from_30s_mb"] for w in workers)
    worst_slope = max(w["slope_mb_per_min"] for w in workers)
    done = measured["launches_before_sampling"]
    errors = sum(measured["phase1"]["errors"].values()) + sum(measured["soak"]["errors"]
                                                                .values())
    span = f"{measured['soak_seconds']:.0f} s soak"
    figures = [
        figure("memory", f"worker RSS after {done:,} launches", worst_rss, TARGET_RSS_MB,
               "MB"),
        figure("memory", f"RSS growth 30 s→end of {span}", worst_growth, TARGET_GROWTH_MB,
               "MB"),
    ]
    attempted = done + measured["soak"]["completed"] + errors
    figures.append(figure("memory", "launches answered 200 + widget",
                          100 * (attempted - errors) / max(attempted, 1), 100.0, "%",
                          lower_is_better=False))
    return {"name": "memory", "mode": "soak" if soak else "short", "configuration": kind,
            "target_launches": plan["launches"], "worst_slope_mb_per_min": worst_slope,
            **measured, "figures": figures}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory_bench")
    parser.add_argument("--soak", action="store_true",
                        help="10,000 launches, then a 2-minute soak (make soak)")
    parser.add_argument("--configuration", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--launches", type=int, help="launches before sampling")
    parser.add_argument("--soak-seconds", type=float, help="length of the sampled soak")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in (("launches", args.launches),
                                   ("soak_seconds", args.soak_seconds)) if v is not None}
    result = run(args.soak, args.configuration, **overrides)
    from bench.run import RESULTS, print_table

    out = RESULTS.with_name("soak.json" if args.soak else "memory.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result["figures"])
    print(f"worst RSS slope over the soak: {result['worst_slope_mb_per_min']:+.3f} MB/min; "
          f"written to {out}")
    return 0 if all(row["ok"] for row in result["figures"]) else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (BenchSetupError, LoadError) as exc:
        print(f"memory benchmark: {exc}", file=sys.stderr)
        sys.exit(2)
