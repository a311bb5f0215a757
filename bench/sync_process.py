"""Run one course sync in a fresh process and report wall time, requests and peak RSS."""

from __future__ import annotations

import json
import os
import resource
import sys
import time

from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.usecases.sync_jobs import run_sync


def main() -> None:
    course_id = int(sys.argv[1])
    svc = services(create_app({"sync_on_launch": False}))
    started = time.perf_counter()
    if os.environ.get("CAREERPATH_BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        run = profiler.runcall(run_sync, svc, course_id, "bench")
        profiler.dump_stats(os.environ["CAREERPATH_BENCH_PROFILE"])
    else:
        run = run_sync(svc, course_id, "bench")
    took = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"status": run.status, "error": run.error, "seconds": took,
                      "requests": run.counts.get("requests", 0),
                      "evidence_created": run.counts.get("evidence_created", 0),
                      "results": run.counts.get("results", 0),
                      "peak_rss_mb": peak_kb / 1024}))


if __name__ == "__main__":
    main()
