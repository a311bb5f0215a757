"""The outbox end to end: publish in a transaction, deliver with retries, log, disable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lti_tool.config import OUTBOUND_LOOPBACK
from lti_tool.lms.http import new_session
from lti_tool.outbound import AllowList
from lti_tool.store import Database
from lti_tool.store.models import EventRow, WebhookDeliveryRow
from lti_tool.store.repositories.events import EventRepository
from lti_tool.store.repositories.tenants import TenantRepository
from lti_tool.usecases.events import BADGE_ISSUED, SYNC_COMPLETED, publish
from lti_tool.usecases.webhook_delivery import DeliveryPorts, deliver_due
from lti_tool.usecases.webhook_subscriptions import (
    create_subscription,
    delivery_log,
    get_subscription,
)
from lti_tool.webhooks.delivery import WebhookSender
from tests.integration.webhooks.receiver import Receiver, running

SECRET_KEY = "test-secret-for-webhooks"
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def _tenant(db: Database, slug: str = "acme") -> int:
    with db.session() as session:
        return TenantRepository(session).ensure(slug, slug.title()).id


def _ports(db: Database, clock: Clock) -> DeliveryPorts:
    loopback = new_session(AllowList.parse(OUTBOUND_LOOPBACK))  # the receiver is on 127.0.0.1
    return DeliveryPorts(db, WebhookSender(loopback), SECRET_KEY, clock=clock,
                         jitter=lambda: 1.0)


def _publish(db: Database, tenant_id: int, clock: Clock, kind: str = BADGE_ISSUED) -> str:
    with db.session() as session:
        return publish(session, tenant_id, kind, {"person_id": 7}, clock.now)


def test_a_receiver_that_fails_three_times_gets_the_event_applied_once(
        migrated_db: Database) -> None:
    tenant, clock = _tenant(migrated_db), Clock()
    with running(Receiver(failures=3)) as receiver:
        made = create_subscription(migrated_db, SECRET_KEY, tenant, receiver.url,
                                   [BADGE_ISSUED])
        receiver.secret = made.secret
        event_id = _publish(migrated_db, tenant, clock)
        for wait in (timedelta(0), timedelta(minutes=1), timedelta(minutes=5),
                     timedelta(minutes=30)):
            clock.advance(wait)
            assert deliver_due(_ports(migrated_db, clock)).attempted == 1
        clock.advance(timedelta(hours=3))
        assert deliver_due(_ports(migrated_db, clock)).attempted == 0
        _redeliver(migrated_db)  # at least once: a delivery may arrive again
        assert deliver_due(_ports(migrated_db, clock)).delivered == 1
    assert receiver.received == [event_id] * 5 and receiver.rejected == 0
    assert list(receiver.applied) == [event_id]
    event = receiver.applied[event_id]
    assert event["type"] == BADGE_ISSUED and event["data"] == {"person_id": 7}
    assert event["tenant"] == {"id": tenant, "slug": "acme"}
    log = delivery_log(migrated_db, tenant, made.subscription.id)
    assert [a.status_code for a in log[0].attempts][:4] == [500, 500, 500, 204]
    # the delivery log keeps the status and a fixed message, never the receiver's body
    assert log[0].attempts[0].error == "the subscriber answered HTTP 500"
    assert log[0].status == "delivered"


def _redeliver(db: Database) -> None:
    with db.session() as session:
        session.execute(WebhookDeliveryRow.__table__.update().values(status="pending"))


def test_a_receiver_that_always_fails_is_disabled_after_ten(migrated_db: Database) -> None:
    tenant, clock = _tenant(migrated_db), Clock()
    with running(Receiver(failures=10_000)) as receiver:
        made = create_subscription(migrated_db, SECRET_KEY, tenant, receiver.url,
                                   [SYNC_COMPLETED])
        receiver.secret = made.secret
        _publish(migrated_db, tenant, clock, SYNC_COMPLETED)
        for _ in range(14):
            deliver_due(_ports(migrated_db, clock))
            clock.advance(timedelta(days=1))
    found = get_subscription(migrated_db, tenant, made.subscription.id)
    assert not found.active and found.consecutive_failures == 10
    assert "10 failed deliveries" in found.disabled_reason
    assert len(receiver.received) == 10
    attempts = delivery_log(migrated_db, tenant, made.subscription.id)[0].attempts
    assert [a.attempt for a in attempts] == list(range(1, 11))
    assert all(a.status_code == 500 and a.duration_ms >= 0 for a in attempts)


def test_an_unreachable_receiver_is_logged_with_the_error(migrated_db: Database) -> None:
    tenant, clock = _tenant(migrated_db), Clock()
    made = create_subscription(migrated_db, SECRET_KEY, tenant, "http://127.0.0.1:9/none",
                               [BADGE_ISSUED])
    _publish(migrated_db, tenant, clock)
    report = deliver_due(_ports(migrated_db, clock))
    assert (report.attempted, report.failed) == (1, 1)
    attempt = delivery_log(migrated_db, tenant, made.subscription.id)[0].attempts[0]
    assert attempt.status_code is None and attempt.error


def test_a_rolled_back_change_publishes_nothing(migrated_db: Database) -> None:
    tenant, clock = _tenant(migrated_db), Clock()
    create_subscription(migrated_db, SECRET_KEY, tenant, "https://hooks.example.com/x",
                        [BADGE_ISSUED])
    with pytest.raises(RuntimeError), migrated_db.session() as session:
        TenantRepository(session).ensure("other", "Other")
        publish(session, tenant, BADGE_ISSUED, {"person_id": 1}, clock.now)
        raise RuntimeError("the change failed")
    with migrated_db.session() as session:
        assert session.scalar(select(func.count()).select_from(EventRow)) == 0
        assert session.scalar(select(func.count()).select_from(WebhookDeliveryRow)) == 0
        assert TenantRepository(session).by_slug("other") is None
    _publish(migrated_db, tenant, clock)
    with migrated_db.session() as session:
        assert session.scalar(select(func.count()).select_from(WebhookDeliveryRow)) == 1


def test_only_subscriptions_of_the_tenant_and_type_are_owed_the_event(
        migrated_db: Database) -> None:
    acme, globex, clock = _tenant(migrated_db), _tenant(migrated_db, "globex"), Clock()
    create_subscription(migrated_db, SECRET_KEY, acme, "https://a.example/x", [BADGE_ISSUED])
    create_subscription(migrated_db, SECRET_KEY, acme, "https://b.example/x", [SYNC_COMPLETED])
    create_subscription(migrated_db, SECRET_KEY, globex, "https://c.example/x", [BADGE_ISSUED])
    _publish(migrated_db, acme, clock)
    with migrated_db.session() as session:
        claimed = EventRepository(session).claim_due(clock.now, timedelta(minutes=2), 10)
    assert [d.url for d in claimed] == ["https://a.example/x"]


def test_claims_are_disjoint_while_leased(migrated_db: Database) -> None:
    tenant, clock = _tenant(migrated_db), Clock()
    create_subscription(migrated_db, SECRET_KEY, tenant, "https://a.example/x", [BADGE_ISSUED])
    for _ in range(4):
        _publish(migrated_db, tenant, clock)
    lease = timedelta(minutes=2)
    if migrated_db.dialect == "postgresql":
        with migrated_db.session() as first, migrated_db.session() as second:
            one = EventRepository(first).claim_due(clock.now, lease, 2)
            two = EventRepository(second).claim_due(clock.now, lease, 10)  # SKIP LOCKED
    else:
        with migrated_db.session() as first:
            one = EventRepository(first).claim_due(clock.now, lease, 2)
        with migrated_db.session() as second:
            two = EventRepository(second).claim_due(clock.now, lease, 10)
    assert len(one) == 2 and len(two) == 2
    assert not {d.id for d in one} & {d.id for d in two}
    with migrated_db.session() as third:
        assert EventRepository(third).claim_due(clock.now + lease, lease, 10)
