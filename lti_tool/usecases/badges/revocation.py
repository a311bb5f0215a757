"""Revoking an issued Open Badge: its bit is set in the tenant's status list."""

from __future__ import annotations

from datetime import datetime

from ...domain.errors import InvalidInput
from ...store.database import Database
from ...store.repositories.badges import BadgeRepository, IssuedBadge
from ..badges.issued import badge_event, owned_badge
from ..events import BADGE_REVOKED, publish


def revoke_badge(database: Database, badge_id: str, reason: str, now: datetime,
                 tenant_id: int | None = None) -> IssuedBadge:
    """Revoke the badge: its bit is set in the tenant's status list from now on.

    With `tenant_id`, another tenant's badge is NotFound. badge.revoked is published in the
    same transaction when the badge's state changes (first revocation or a new reason).
    """
    if not reason.strip():
        raise InvalidInput("a revocation needs a reason", {"reason": ["required"]})
    with database.session() as session:
        repo = BadgeRepository(session)
        before = owned_badge(repo, badge_id, tenant_id)
        revoked = repo.revoke(badge_id, reason.strip(), now)
        if not before.revoked or before.revocation_reason != revoked.revocation_reason:
            publish(session, revoked.tenant_id, BADGE_REVOKED, {
                **badge_event(revoked), "reason": revoked.revocation_reason,
                "revoked_at": revoked.revoked_at.isoformat() if revoked.revoked_at else None},
                now)
        return revoked
