"""`make bench`: run every benchmark, print a table, write bench/results/latest.json."""

from __future__ import annotations

import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import sync_bench

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def main() -> int:
    benchmarks = [sync_bench.run()]
    report = {"when": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": {"python": platform.python_version(), "cpus": _cpus()},
              "benchmarks": benchmarks}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'benchmark':<12}{'figure':<34}{'measured':>12}{'target':>12}{'ratio':>8}  ok")
    for bench in benchmarks:
        print(f"{bench['name']:<12}{'wall time (s)':<34}{bench['seconds']:>12.2f}"
              f"{bench['target_seconds']:>12.1f}{bench['seconds_ratio']:>8.2f}  "
              f"{'yes' if bench['seconds'] <= bench['target_seconds'] else 'NO'}")
        print(f"{'':<12}{'peak RSS (MB)':<34}{bench['peak_rss_mb']:>12.1f}"
              f"{bench['target_peak_rss_mb']:>12.1f}{bench['rss_ratio']:>8.2f}  "
              f"{'yes' if bench['peak_rss_mb'] <= bench['target_peak_rss_mb'] else 'NO'}")
        print(f"{'':<12}{'HTTP requests / results synced':<34}"
              f"{bench['requests']:>12} {bench['results']:>11}")
    print(f"written to {RESULTS}")
    return 0 if all(b["pass"] for b in benchmarks) else 1


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main())
