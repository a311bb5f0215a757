"""Background work: RQ workers on Redis at scale, a thread in the same process otherwise."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

log = logging.getLogger(__name__)
QUEUE = "careerpath"


class JobQueue(Protocol):
    """Where course syncs are sent to run without blocking a request."""

    def enqueue_sync(self, course_id: int, trigger: str) -> str:
        """Queue a sync of `course_id`; returns a job id."""
        ...


class ThreadJobs:
    """One process, no Redis: run each job in a daemon thread of this process."""

    def __init__(self, run_sync: object) -> None:
        self._run_sync = run_sync

    def enqueue_sync(self, course_id: int, trigger: str) -> str:
        name = f"sync-course-{course_id}"
        thread = threading.Thread(target=self._safely, args=(course_id, trigger), name=name,
                                  daemon=True)
        thread.start()
        return name

    def _safely(self, course_id: int, trigger: str) -> None:
        try:
            self._run_sync(course_id, trigger)  # type: ignore[operator]
        except Exception:  # noqa: BLE001 - the sync run records its own failure
            log.exception("background sync of course %s failed", course_id)


class RqJobs:
    """Redis queue: `careerpath worker` processes run the jobs, any host, any number."""

    def __init__(self, redis_url: str) -> None:
        from redis import Redis
        from rq import Queue

        self._queue = Queue(QUEUE, connection=Redis.from_url(redis_url))

    def enqueue_sync(self, course_id: int, trigger: str) -> str:
        job = self._queue.enqueue("lti_tool.jobs.tasks.sync_course_job", course_id, trigger,
                                  job_timeout=3600, result_ttl=86400, failure_ttl=7 * 86400)
        return str(job.id)
