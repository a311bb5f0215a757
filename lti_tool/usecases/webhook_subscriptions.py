"""Managing a tenant's webhook subscriptions; the secret is shown once, stored encrypted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.errors import InvalidInput
from ..sealing import seal
from ..store.database import Database
from ..store.repositories.events import (
    Delivery,
    EventRepository,
    Subscription,
    subscription_record,
)
from ..webhooks.delivery import check_url
from ..webhooks.signing import new_secret
from .events import EVENT_TYPES


@dataclass(frozen=True)
class NewSubscription:
    """A subscription just made, with its signing secret (never shown again)."""

    subscription: Subscription
    secret: str


def create_subscription(database: Database, secret_key: str, tenant_id: int, url: str,
                        event_types: Sequence[str], description: str = "") -> NewSubscription:
    """Subscribe `url` to `event_types`; returns the subscription and its new secret."""
    _check(url, event_types)
    secret = new_secret()
    with database.session() as session:
        found = EventRepository(session).add_subscription(
            tenant_id, url, event_types, seal(secret.encode(), secret_key),
            description)
    return NewSubscription(found, secret)


def list_subscriptions(database: Database, tenant_id: int) -> list[Subscription]:
    with database.session() as session:
        return EventRepository(session).subscriptions(tenant_id)


def get_subscription(database: Database, tenant_id: int, subscription_id: int) -> Subscription:
    with database.session() as session:
        return subscription_record(
            EventRepository(session).owned_subscription(tenant_id, subscription_id))


def update_subscription(database: Database, tenant_id: int, subscription_id: int, *,
                        url: str | None = None, event_types: Sequence[str] | None = None,
                        active: bool | None = None,
                        description: str | None = None) -> Subscription:
    """Change a subscription; re-activating one clears its failure count."""
    with database.session() as session:
        row = EventRepository(session).owned_subscription(tenant_id, subscription_id)
        _check(url or row.url, event_types or row.event_types.split())
        if url is not None:
            row.url = url
        if event_types is not None:
            row.event_types = " ".join(sorted(set(event_types)))
        if description is not None:
            row.description = description
        if active is not None:
            if active and not row.active:
                row.consecutive_failures, row.disabled_reason = 0, ""
            row.active = active
        session.flush()
        return subscription_record(row)


def delete_subscription(database: Database, tenant_id: int, subscription_id: int) -> None:
    with database.session() as session:
        EventRepository(session).delete_subscription(tenant_id, subscription_id)


def delivery_log(database: Database, tenant_id: int, subscription_id: int,
                 limit: int = 50) -> list[Delivery]:
    """The subscription's newest deliveries with every attempt."""
    with database.session() as session:
        repo = EventRepository(session)
        repo.owned_subscription(tenant_id, subscription_id)
        return repo.deliveries(subscription_id, limit)


def _check(url: str, event_types: Sequence[str]) -> None:
    problem = check_url(url)
    if problem:
        raise InvalidInput(f"url {problem}", {"url": [problem]})
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown or not event_types:
        raise InvalidInput("unknown or no event types",
                           {"event_types": [f"each one of {', '.join(EVENT_TYPES)}"]})
