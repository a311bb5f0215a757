"""`make bench`: run every benchmark, print a table, write bench/results/latest.json."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import course_pages_bench, launch_bench, memory_bench, readiness_bench, sync_bench
from bench.figures import context
from bench.machine_speed import reference_ms

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
BENCHMARKS = {"sync": sync_bench.run, "readiness": readiness_bench.run,
              "pages": course_pages_bench.run, "launch": launch_bench.run,
              "memory": memory_bench.run}


def main(argv: list[str]) -> int:
    chosen = argv or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {sorted(BENCHMARKS)}")
        return 2
    before = reference_ms()
    results = [BENCHMARKS[name]() for name in chosen]
    after = reference_ms()
    figures = [*(row for result in results for row in result["figures"]),
               context("machine", "reference Python workload before the runs", before, "ms"),
               context("machine", "reference Python workload after the runs", after, "ms")]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_average": os.getloadavg(), "reference_workload_ms": [before, after]},
        "figures": figures, "details": results}, indent=2) + "\n")
    print_table(figures)
    print(f"written to {RESULTS}")
    return 0 if all(row["ok"] for row in figures) else 1


def print_table(figures: list[dict[str, Any]]) -> None:
    print(f"{'benchmark':<11}{'figure':<62}{'measured':>12}{'target':>12}{'ratio':>7}  ok")
    for row in figures:
        name = f"{row['benchmark']:<11}{row['figure'] + ' (' + row['unit'] + ')':<62}"
        if row["target"] is None:  # context, not a target
            print(f"{name}{_number(row['measured']):>12}{'context':>12}{'':>7}  -")
            continue
        target = ("≤ " if row["lower_is_better"] else "≥ ") + _number(row["target"])
        print(f"{name}{_number(row['measured']):>12}{target:>12}{row['ratio']:>7.2f}  "
              f"{'yes' if row['ok'] else 'NO'}")


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 1000 else f"{value:.2f}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
