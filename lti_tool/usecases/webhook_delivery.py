"""Delivering the outbox to webhook subscribers: claim what is due, post, log, back off.

At least once: a delivery is retried until a 2xx (receivers de-duplicate by event id) on
the schedule in `webhooks.delivery.SCHEDULE` with jitter, given up after MAX_ATTEMPTS;
a subscription with DISABLE_AFTER consecutive failures is disabled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..clock import utcnow
from ..sealing import unseal
from ..store.database import Database
from ..store.repositories.events import Attempt, DueDelivery, EventRepository
from ..webhooks.delivery import AttemptOutcome, WebhookSender, backoff, jitter
from .events import envelope

if TYPE_CHECKING:
    from .adapters import Adapters

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
DISABLE_AFTER = 10
LEASE = timedelta(minutes=2)
BATCH = 50


@dataclass
class DeliveryPorts:
    """What delivering needs: the database, a sender, the secret key, a clock, jitter."""

    database: Database
    sender: WebhookSender
    secret_key: str
    clock: Callable[[], datetime] = field(default=utcnow)
    jitter: Callable[[], float] = field(default=jitter)
    disable_after: int = DISABLE_AFTER
    max_attempts: int = MAX_ATTEMPTS


@dataclass(frozen=True)
class DeliveryReport:
    """What one pass did."""

    attempted: int
    delivered: int
    failed: int
    disabled: int


def deliver_due(ports: DeliveryPorts, limit: int = BATCH) -> DeliveryReport:
    """Claim the deliveries due now, post each once, and record every outcome."""
    with ports.database.session() as session:
        claimed = EventRepository(session).claim_due(ports.clock(), LEASE, limit)
    delivered = disabled = 0
    for due in claimed:
        outcome = _post(ports, due)
        delivered += outcome.delivered
        disabled += _record(ports, due, outcome)
    return DeliveryReport(len(claimed), delivered, len(claimed) - delivered, disabled)


def deliver_all_due(ports: DeliveryPorts, max_passes: int = 20) -> list[DeliveryReport]:
    """Run passes until nothing is due (inline delivery for tests and small installs)."""
    reports = []
    for _ in range(max_passes):
        report = deliver_due(ports)
        if report.attempted == 0:
            break
        reports.append(report)
    return reports


def _post(ports: DeliveryPorts, due: DueDelivery) -> AttemptOutcome:
    body = envelope(due.event_id, due.event_type, due.event_created_at, due.tenant_id,
                    due.tenant_slug, due.event_data)
    secret = unseal(due.encrypted_secret, ports.secret_key).decode()
    return ports.sender.post(due.url, secret, due.event_id, due.event_type, body)


def _record(ports: DeliveryPorts, due: DueDelivery, outcome: AttemptOutcome) -> bool:
    """Log the attempt, schedule the retry or give up; True when the subscription stopped."""
    now = ports.clock()
    retry_at = None
    if not outcome.delivered and due.attempt < ports.max_attempts:
        retry_at = now + backoff(due.attempt, ports.jitter())
    with ports.database.session() as session:
        repo = EventRepository(session)
        repo.record_attempt(due.id, Attempt(due.attempt, outcome.status_code,
                                            outcome.duration_ms, outcome.error, now),
                            outcome.delivered, retry_at)
        disabled = repo.count_outcome(due.subscription_id, outcome.delivered,
                                      ports.disable_after)
    if disabled:
        log.warning("webhook subscription %s disabled after %s consecutive failures",
                    due.subscription_id, ports.disable_after)
    return disabled


def delivery_ports(svc: Adapters) -> DeliveryPorts:
    """The real adapters for delivering."""
    return DeliveryPorts(database=svc.database, sender=WebhookSender(svc.http.session),
                         secret_key=svc.settings.secret_key)


def run_webhook_deliveries(svc: Adapters, limit: int = BATCH) -> DeliveryReport:
    """One delivery pass with the app's adapters (what the RQ job and a cron call)."""
    return deliver_due(delivery_ports(svc), limit)
