"""How fast this machine runs plain Python today: a fixed single-core workload, timed.

The same code measures 1.7–2× slower on some days' machines than on others (the sync and
readiness benchmarks, unchanged, went from 11.8 s and 0.87 s to 20 s and 1.9 s), and on
one machine the speed can change from one second to the next (this workload: 61, 60, then
37 ms in three runs). `make bench` prints this reference before and after its runs, so
that figures from different runs and machines can be put side by side.
"""

from __future__ import annotations

import json
import statistics
import time


def workload(scale: int = 20_000) -> int:
    """Dicts, sorting, JSON and string formatting, like the tool's own request work;
    returns a checksum so that the work cannot be skipped."""
    rows = [{"id": i, "name": f"learner-{i:05d}", "score": (i * 7919) % 1000 / 1000}
            for i in range(scale)]
    ranked = sorted(rows, key=lambda row: (-row["score"], row["name"]))
    text = json.dumps(ranked[: scale // 4])
    back = json.loads(text)
    index = {row["name"]: row["score"] for row in back}
    return len(text) + sum(int(1000 * v) for v in index.values())


def reference_ms(runs: int = 7, scale: int = 20_000) -> float:
    """Median wall time of `workload(scale)` over `runs` runs, in milliseconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        workload(scale)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
