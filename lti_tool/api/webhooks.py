"""/api/v1/webhooks: subscriptions to product events and their delivery log (scope: admin).

Deliveries are POSTs of `{id, type, created_at, tenant, data}` signed with the
subscription's secret in `CareerPath-Signature: t=<unix ts>,v1=<hex HMAC-SHA256(secret,
"<t>.<body>")>`; receivers de-duplicate by `id` (delivery is at least once).
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from ..bootstrap import services
from ..records import Delivery, Subscription
from ..usecases import webhook_subscriptions as subscriptions
from .callers import ADMIN, caller, requires
from .request_cycle import install
from .schemas.webhooks import (
    DeliveryOut,
    SubscriptionCreatedOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
)

bp = Blueprint("webhooks", __name__, description="Webhook subscriptions and deliveries")


def _db() -> Any:
    return services(current_app).database


def subscription_json(found: Subscription, secret: str | None = None) -> dict[str, Any]:
    body = {"id": found.id, "url": found.url, "event_types": list(found.event_types),
            "description": found.description, "active": found.active,
            "consecutive_failures": found.consecutive_failures,
            "disabled_reason": found.disabled_reason, "created_at": found.created_at}
    return body if secret is None else {**body, "secret": secret}


def delivery_json(found: Delivery) -> dict[str, Any]:
    return {"id": found.id, "event_id": found.event_id, "event_type": found.event_type,
            "status": found.status, "next_attempt_at": found.next_attempt_at,
            "delivered_at": found.delivered_at,
            "attempts": [vars(a) for a in found.attempts]}


@bp.route("/webhooks", methods=["GET"])
@bp.response(200, SubscriptionOut(many=True))
@requires(ADMIN)
def list_webhooks() -> Any:
    """The tenant's webhook subscriptions, without secrets (scope: admin)."""
    return [subscription_json(s) for s in subscriptions.list_subscriptions(
        _db(), caller().tenant_id)]


@bp.route("/webhooks", methods=["POST"])
@bp.arguments(SubscriptionIn)
@bp.response(201, SubscriptionCreatedOut)
@requires(ADMIN)
def create_webhook(data: dict[str, Any]) -> Any:
    """Subscribe an https URL to event types; `secret` is shown only now (scope: admin)."""
    made = subscriptions.create_subscription(
        _db(), services(current_app).settings.secret_key, caller().tenant_id, data["url"],
        data["event_types"], data["description"])
    return subscription_json(made.subscription, made.secret), 201, {"Cache-Control": "no-store"}


@bp.route("/webhooks/<id:subscription_id>", methods=["GET"])
@bp.response(200, SubscriptionOut)
@requires(ADMIN)
def get_webhook(subscription_id: int) -> Any:
    """One subscription (scope: admin)."""
    return subscription_json(subscriptions.get_subscription(_db(), caller().tenant_id,
                                                            subscription_id))


@bp.route("/webhooks/<id:subscription_id>", methods=["PATCH"])
@bp.arguments(SubscriptionPatch)
@bp.response(200, SubscriptionOut)
@requires(ADMIN)
def update_webhook(data: dict[str, Any], subscription_id: int) -> Any:
    """Change url, event types, description or `active` (re-enabling resets failures)."""
    return subscription_json(subscriptions.update_subscription(
        _db(), caller().tenant_id, subscription_id, **data))


@bp.route("/webhooks/<id:subscription_id>", methods=["DELETE"])
@bp.response(204)
@requires(ADMIN)
def delete_webhook(subscription_id: int) -> None:
    """Remove a subscription with its pending deliveries and log (scope: admin)."""
    subscriptions.delete_subscription(_db(), caller().tenant_id, subscription_id)


@bp.route("/webhooks/<id:subscription_id>/deliveries", methods=["GET"])
@bp.response(200, DeliveryOut(many=True))
@requires(ADMIN)
def list_deliveries(subscription_id: int) -> Any:
    """The 50 newest deliveries with every attempt: status, duration, error (scope: admin)."""
    return [delivery_json(d) for d in subscriptions.delivery_log(
        _db(), caller().tenant_id, subscription_id)]


install(bp)
