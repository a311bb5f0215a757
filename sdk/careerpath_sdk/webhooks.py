"""Webhooks: manage subscriptions, and verify the deliveries your receiver gets.

Every delivery is a POST of `{id, type, created_at, tenant, data}` with the header
`CareerPath-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
Verify it against the raw body, then de-duplicate by `id`: delivery is at least once.
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import json
import time
from collections.abc import Iterable, Mapping
from typing import Any

from . import models
from .errors import APIError
from .transport import Transport

SIGNATURE_HEADER = "CareerPath-Signature"


class SignatureVerificationError(APIError):
    """A delivery whose signature is missing, malformed, stale or wrong: reject it (400)."""


def verify_signature(secret: str, headers: Mapping[str, str], body: bytes | str,
                     tolerance: int = 300, now: float | None = None) -> dict[str, Any]:
    """The delivered event when `headers` sign `body` with `secret` within `tolerance` s."""
    raw = body.encode() if isinstance(body, str) else body
    header = next((v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER.lower()), "")
    timestamp, candidates = _parse(header)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureVerificationError("the signature's timestamp is outside the tolerance")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw,
                        hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise SignatureVerificationError("the signature does not match the body")
    event: dict[str, Any] = json.loads(raw)
    return event


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp, candidates = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureVerificationError(f"missing or malformed {SIGNATURE_HEADER} header")
    return timestamp, candidates


class Webhooks:
    """Subscriptions (an API key with the admin scope)."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def list(self) -> list[models.WebhookSubscription]:
        """GET /api/v1/webhooks."""
        return [models.WebhookSubscription.from_json(s)
                for s in self._t.request("GET", "/webhooks").body]

    def create(self, url: str, event_types: Iterable[str],
               description: str = "") -> models.WebhookSubscription:
        """POST /api/v1/webhooks; the result's `secret` is shown only this once."""
        body = {"url": url, "event_types": list(event_types), "description": description}
        return models.WebhookSubscription.from_json(
            self._t.request("POST", "/webhooks", json=body).body)

    def get(self, subscription_id: int) -> models.WebhookSubscription:
        """GET /api/v1/webhooks/{subscription_id}."""
        return models.WebhookSubscription.from_json(
            self._t.request("GET", f"/webhooks/{subscription_id}").body)

    def update(self, subscription_id: int, **changes: Any) -> models.WebhookSubscription:
        """PATCH /api/v1/webhooks/{subscription_id}: url, event_types, description, active."""
        return models.WebhookSubscription.from_json(
            self._t.request("PATCH", f"/webhooks/{subscription_id}", json=changes).body)

    def delete(self, subscription_id: int) -> None:
        """DELETE /api/v1/webhooks/{subscription_id}."""
        self._t.request("DELETE", f"/webhooks/{subscription_id}")

    def deliveries(self, subscription_id: int) -> builtins.list[models.WebhookDelivery]:
        """GET /api/v1/webhooks/{subscription_id}/deliveries: the delivery log."""
        return [models.WebhookDelivery.from_json(d) for d in
                self._t.request("GET", f"/webhooks/{subscription_id}/deliveries").body]
