"""Starting course syncs: now, in the background, or when a launch finds them stale."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ...clock import utcnow
from ...records import SyncRun
from ...store.database import Database
from ...store.repositories.sync import SyncRepository
from ..sync.course import Progress, SyncPorts, sync_course
from ..tool_keys import signing_key

if TYPE_CHECKING:
    from ..adapters import Adapters


def synced_courses(database: Database) -> list[int]:
    """The courses whose LMS services are known, so `sync --all` can sync them."""
    with database.session() as session:
        return SyncRepository(session).synced_courses()


def course_tenant_id(database: Database, course_id: int) -> int:
    """The tenant a course belongs to."""
    with database.session() as session:
        tenant_id, _registration = SyncRepository(session).course_tenant(course_id)
    return tenant_id


def sync_ports(svc: Adapters) -> SyncPorts:
    """The real adapters for a sync."""
    secret = svc.settings.secret_key
    return SyncPorts(database=svc.database, http=svc.http, cache=svc.cache,
                     signing_key=lambda: signing_key(svc.database, secret, utcnow()),
                     settings=svc.settings)


def run_sync(svc: Adapters, course_id: int, trigger: str = "cli",
             progress: Progress | None = None) -> SyncRun:
    """Sync one course in this process and return the finished run."""
    return sync_course(sync_ports(svc), course_id, trigger, progress)


def sync_if_stale(svc: Adapters, course_id: int) -> str | None:
    """Queue a background sync when the course was never synced or is older than allowed."""
    max_age = timedelta(minutes=svc.settings.sync_max_age_minutes)
    with svc.database.session() as session:
        repo = SyncRepository(session)
        services = repo.service_endpoints(course_id)
        if services is None or not services.memberships_url:
            return None
        runs = repo.runs(course_id, limit=1)
        if runs and runs[0].status in ("queued", "running") and \
                utcnow() - runs[0].created_at < max_age:
            return None
        if services.last_synced_at and utcnow() - services.last_synced_at < max_age:
            return None
    return svc.jobs.enqueue_sync(course_id, "launch")
