"""The composition root builds the services without Flask, and takes the adapters handed in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lti_tool.cache import MemoryCache
from lti_tool.config import Settings
from lti_tool.services import build_services
from lti_tool.store.database import Database


class QueuedJobs:
    """A job queue that only remembers what it was given."""

    def __init__(self) -> None:
        self.queued: list[tuple[int, str]] = []

    def enqueue_sync(self, course_id: int, trigger: str) -> str:
        self.queued.append((course_id, trigger))
        return f"job-{len(self.queued)}"


def test_building_the_services_imports_no_flask() -> None:
    code = ("import sys; import lti_tool.services, lti_tool.jobs.tasks; "
            "sys.exit('flask' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_adapters_handed_in_are_the_ones_used(tmp_path: Path) -> None:
    database, cache, jobs = Database(f"sqlite:///{tmp_path / 'x.db'}"), MemoryCache(), QueuedJobs()
    try:
        svc = build_services(Settings(cache="memory"), database=database, cache=cache,
                             jobs=jobs)
        assert (svc.database, svc.cache, svc.jobs) == (database, cache, jobs)
        svc.jobs.enqueue_sync(7, "test")
        assert jobs.queued == [(7, "test")]
    finally:
        database.dispose()


def test_without_redis_or_a_queue_syncs_run_in_a_thread(tmp_path: Path) -> None:
    from lti_tool.jobs import ThreadJobs

    svc = build_services(Settings(cache="memory",
                                  database_url=f"sqlite:///{tmp_path / 'x.db'}"))
    try:
        assert isinstance(svc.jobs, ThreadJobs)
        assert isinstance(svc.cache, MemoryCache)
    finally:
        svc.database.dispose()
