"""Job functions an RQ worker imports by name; each builds the app from the environment."""

from __future__ import annotations

from functools import cache

from flask import Flask


@cache
def _app() -> Flask:
    from .. import create_app

    return create_app()


def sync_course_job(course_id: int, trigger: str) -> dict[str, object]:
    """Run one course sync in a worker; the sync run record holds the outcome."""
    from ..bootstrap import services
    from ..usecases.sync_jobs import run_sync

    run = run_sync(services(_app()), course_id, trigger)
    return {"run_id": run.id, "status": run.status, "counts": run.counts}


def deliver_webhooks_job(limit: int = 50) -> dict[str, int]:
    """One webhook delivery pass in a worker (enqueue it every minute, e.g. from cron)."""
    from dataclasses import asdict

    from ..bootstrap import services
    from ..usecases.webhook_delivery import run_webhook_deliveries

    return asdict(run_webhook_deliveries(services(_app()), limit))
