"""Job functions an RQ worker imports by name; each builds the services from the
environment (no Flask app: `services.build_services`)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..services import Services


@cache
def _services() -> Services:
    from ..config import Settings
    from ..services import build_services

    return build_services(Settings.from_env())


def sync_course_job(course_id: int, trigger: str) -> dict[str, object]:
    """Run one course sync in a worker; the sync run record holds the outcome."""
    from ..usecases.sync.jobs import run_sync

    run = run_sync(_services(), course_id, trigger)
    return {"run_id": run.id, "status": run.status, "counts": run.counts}


def deliver_webhooks_job(limit: int = 50) -> dict[str, int]:
    """One webhook delivery pass in a worker (enqueue it every minute, e.g. from cron)."""
    from dataclasses import asdict

    from ..usecases.webhook_delivery import run_webhook_deliveries

    return asdict(run_webhook_deliveries(_services(), limit))
