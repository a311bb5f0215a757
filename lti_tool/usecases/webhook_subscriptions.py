"""Managing a tenant's webhook subscriptions; the secret is shown once, stored encrypted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.errors import InvalidInput
from ..records import Delivery, Subscription
from ..sealing import seal
from ..webhooks.delivery import check_url
from ..webhooks.signing import new_secret
from .events import EVENT_TYPES
from .ports import UnitsOfWork


@dataclass(frozen=True)
class NewSubscription:
    """A subscription just made, with its signing secret (never shown again)."""

    subscription: Subscription
    secret: str


def create_subscription(database: UnitsOfWork, secret_key: str, tenant_id: int, url: str,
                        event_types: Sequence[str], description: str = "") -> NewSubscription:
    """Subscribe `url` to `event_types`; returns the subscription and its new secret."""
    _check(url, event_types)
    secret = new_secret()
    with database.unit_of_work() as uow:
        found = uow.webhooks.add_subscription(
            tenant_id, url, event_types, seal(secret.encode(), secret_key),
            description)
    return NewSubscription(found, secret)


def list_subscriptions(database: UnitsOfWork, tenant_id: int) -> list[Subscription]:
    with database.unit_of_work() as uow:
        return uow.webhooks.subscriptions(tenant_id)


def get_subscription(database: UnitsOfWork, tenant_id: int, subscription_id: int) -> Subscription:
    with database.unit_of_work() as uow:
        return uow.webhooks.subscription(tenant_id, subscription_id)


def update_subscription(database: UnitsOfWork, tenant_id: int, subscription_id: int, *,
                        url: str | None = None, event_types: Sequence[str] | None = None,
                        active: bool | None = None,
                        description: str | None = None) -> Subscription:
    """Change a subscription; re-activating one clears its failure count."""
    with database.unit_of_work() as uow:
        found = uow.webhooks.subscription(tenant_id, subscription_id)
        _check(url or found.url, event_types or found.event_types)
        return uow.webhooks.change_subscription(
            tenant_id, subscription_id, url=url, event_types=event_types,
            description=description, active=active,
            clear_failures=bool(active) and not found.active)


def delete_subscription(database: UnitsOfWork, tenant_id: int, subscription_id: int) -> None:
    with database.unit_of_work() as uow:
        uow.webhooks.delete_subscription(tenant_id, subscription_id)


def delivery_log(database: UnitsOfWork, tenant_id: int, subscription_id: int,
                 limit: int = 50) -> list[Delivery]:
    """The subscription's newest deliveries with every attempt."""
    with database.unit_of_work() as uow:
        uow.webhooks.subscription(tenant_id, subscription_id)
        return uow.webhooks.deliveries(subscription_id, limit)


def _check(url: str, event_types: Sequence[str]) -> None:
    problem = check_url(url)
    if problem:
        raise InvalidInput(f"url {problem}", {"url": [problem]})
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown or not event_types:
        raise InvalidInput("unknown or no event types",
                           {"event_types": [f"each one of {', '.join(EVENT_TYPES)}"]})
