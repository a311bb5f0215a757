"""Publishing product events to the outbox, in the transaction of the change behind them.

`publish` writes the event and one pending delivery per interested webhook subscription
with the caller's session: when that transaction rolls back, nothing was published.
The delivery runner (`webhook_delivery.deliver_due`) posts them afterwards, at least once.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import InvalidInput
from ..store.repositories.events import EventRepository

PERSON_READY_FOR_ROLE = "person.ready_for_role"
BADGE_ISSUED = "badge.issued"
BADGE_REVOKED = "badge.revoked"
SYNC_COMPLETED = "sync.completed"
EVIDENCE_ADDED = "evidence.added"
EVENT_TYPES = (PERSON_READY_FOR_ROLE, BADGE_ISSUED, BADGE_REVOKED, SYNC_COMPLETED,
               EVIDENCE_ADDED)


def publish(session: Session, tenant_id: int, event_type: str, payload: Mapping[str, Any],
            now: datetime | None = None) -> str:
    """Record `event_type` with `payload` (JSON-ready) for the tenant; returns the event id."""
    if event_type not in EVENT_TYPES:
        raise InvalidInput(f"unknown event type {event_type!r}",
                           {"type": [f"one of {', '.join(EVENT_TYPES)}"]})
    event_id = f"evt_{uuid.uuid4().hex}"
    data = json.dumps(dict(payload), sort_keys=True, separators=(",", ":"))
    EventRepository(session).add_event(event_id, tenant_id, event_type, data, now or utcnow())
    return event_id


def envelope(event_id: str, event_type: str, created_at: datetime, tenant_id: int,
             tenant_slug: str, data: str) -> bytes:
    """The body every subscriber receives: `{id, type, created_at, tenant, data}`."""
    return json.dumps({"id": event_id, "type": event_type,
                       "created_at": created_at.isoformat().replace("+00:00", "Z"),
                       "tenant": {"id": tenant_id, "slug": tenant_slug},
                       "data": json.loads(data)}, separators=(",", ":")).encode()
