"""Course sync runs as instructors and API callers see them: list, one run, start one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.errors import Conflict, NotFound
from ...records import SyncRun
from ...store.database import Database
from ...store.repositories.sync import SyncRepository
from ...store.repositories.tenant_scope import TenantScope
from ..catalogue import Page

if TYPE_CHECKING:
    from ...jobs import JobQueue


def list_runs(database: Database, tenant_id: int, course_id: int, offset: int,
              limit: int) -> Page[SyncRun]:
    """The tenant's course's sync runs, newest first."""
    with database.session() as session:
        TenantScope(session, tenant_id).course(course_id)
        runs, total = SyncRepository(session).runs_page(course_id, offset, limit)
        return Page(runs, total)


def get_run(database: Database, tenant_id: int, course_id: int, run_id: int) -> SyncRun:
    """One run of the tenant's course; NotFound for a run of any other course."""
    with database.session() as session:
        TenantScope(session, tenant_id).course(course_id)
        run = SyncRepository(session).run(run_id)  # NotFound when there is none
        if run.course_id != course_id:
            raise NotFound(f"sync run {run_id} does not exist")
        return run


def latest_runs(database: Database, tenant_id: int, course_id: int,
                limit: int = 5) -> tuple[list[SyncRun], bool]:
    """The course's latest runs and whether the LMS announced its services (syncable)."""
    with database.session() as session:
        TenantScope(session, tenant_id).course(course_id)
        repo = SyncRepository(session)
        services = repo.service_endpoints(course_id)
        return repo.runs(course_id, limit=limit), bool(services and services.memberships_url)


def start_sync(database: Database, jobs: JobQueue, tenant_id: int, course_id: int,
               trigger: str) -> str:
    """Queue a background sync of the tenant's course; the job id (Conflict: not syncable)."""
    _runs, syncable = latest_runs(database, tenant_id, course_id, limit=1)
    if not syncable:
        raise Conflict(f"course {course_id} has no known LMS services yet: launch the tool "
                       "from the course once, then sync")
    return jobs.enqueue_sync(course_id, trigger)
