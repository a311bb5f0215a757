"""Run one course sync in a fresh process and report wall time, requests and peak RSS.

With `CAREERPATH_BENCH_PROFILE` (a file name) the sync runs under cProfile and the stats
go to that file; the profile's clock is the main thread's CPU time (`time.thread_time`),
so waits (for the LMS, for the read-ahead thread) cost nothing in it and a loaded machine
changes it little. `CAREERPATH_BENCH_PROFILE_CLOCK=wall` profiles wall time instead.
With `CAREERPATH_BENCH_PROFILE_SERIAL=1` the pages are fetched and stored in the main
thread (no read-ahead, no write-behind), so the profile holds the HTTP, JSON and storing
work too (bench/SYNC_PROFILE.md).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.store.database import Database
from lti_tool.usecases.sync.jobs import run_sync


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not `ru_maxrss`: Linux keeps that across
    execve, so a child started by a large parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def server_cpu_seconds(database: Database) -> float | None:
    """CPU seconds (user + system) of the PostgreSQL backends serving this process's
    database, read from /proc while the pool still holds them open (the server runs on
    this machine in the bench); None on SQLite or when /proc cannot be read."""
    if database.engine.dialect.name != "postgresql":
        return None
    with database.engine.connect() as connection:
        pids = list(connection.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()").scalars())
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class InlineWrites:
    """WriteBehind's interface, each store run at once in the calling thread (serial
    profiles: cProfile sees only the thread it runs in)."""

    def __init__(self, _writers: int = 1) -> None:
        pass

    def submit(self, store: Callable[..., Any], *args: Any) -> list[Any]:
        return [store(*args, turn=lambda: None)]

    def drain(self) -> list[Any]:
        return []

    def __enter__(self) -> InlineWrites:
        return self

    def __exit__(self, *_error: object) -> None:
        return None


def main() -> None:
    course_id = int(sys.argv[1])
    svc = services(create_app({"sync_on_launch": False}))
    started = time.perf_counter()
    cpu_started = time.process_time()
    if os.environ.get("CAREERPATH_BENCH_PROFILE"):
        import cProfile

        if os.environ.get("CAREERPATH_BENCH_PROFILE_SERIAL"):
            from lti_tool.usecases.sync import stages as sync_stages

            sync_stages.read_ahead = lambda pages: pages  # type: ignore[assignment]
            sync_stages.WriteBehind = InlineWrites  # type: ignore[assignment,misc]

        clock = (time.perf_counter if os.environ.get("CAREERPATH_BENCH_PROFILE_CLOCK") == "wall"
                 else time.thread_time)
        profiler = cProfile.Profile(clock)
        run = profiler.runcall(run_sync, svc, course_id, "bench")
        profiler.dump_stats(os.environ["CAREERPATH_BENCH_PROFILE"])
    else:
        run = run_sync(svc, course_id, "bench")
    took = time.perf_counter() - started
    print(json.dumps({"status": run.status, "error": run.error, "seconds": took,
                      "cpu_seconds": time.process_time() - cpu_started,
                      "requests": run.counts.get("requests", 0),
                      "evidence_created": run.counts.get("evidence_created", 0),
                      "results": run.counts.get("results", 0),
                      "peak_rss_mb": peak_rss_mb(),
                      "server_cpu_seconds": server_cpu_seconds(svc.database)}))


if __name__ == "__main__":
    main()
