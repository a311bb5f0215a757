"""/api/v1/people/<id>/badges and /api/v1/badges/<id>: issued Open Badges, and revocation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from ..bootstrap import services
from ..records import IssuedBadge
from ..usecases.badges import issued as issued_badges
from ..usecases.badges import revocation as badge_revocation
from .callers import ADMIN, READ, caller, requires
from .request_cycle import install
from .schemas.badges import BadgeOut, RevokeIn

bp = Blueprint("badges", __name__, description="Issued Open Badges 3.0 and their revocation")


def _db() -> Any:
    return services(current_app).database


def badge_json(found: IssuedBadge) -> dict[str, Any]:
    url = found.credential["id"]
    return {"id": found.id, "person_id": found.person_id, "kind": found.kind,
            "achievement_key": found.achievement_key, "name": found.name,
            "result": issued_badges.badge_result(found), "issued_at": found.valid_from,
            "valid_until": found.valid_until, "revoked": found.revoked,
            "revoked_at": found.revoked_at, "revocation_reason": found.revocation_reason,
            "url": url, "json_url": f"{url}.json", "jwt_url": f"{url}.jwt"}


@bp.route("/people/<id:person_id>/badges", methods=["GET"])
@bp.response(200, BadgeOut(many=True))
@requires(READ, widget=True)
def list_person_badges(person_id: int) -> Any:
    """A person's issued badges, oldest first, revoked ones included (read, or a widget
    token for its own person)."""
    return [badge_json(b) for b in issued_badges.person_badges(_db(), caller().tenant_id,
                                                               person_id)]


@bp.route("/badges/<uuid:badge_id>", methods=["GET"])
@bp.response(200, BadgeOut)
@requires(READ)
def get_badge(badge_id: uuid.UUID) -> Any:
    """One of the tenant's issued badges (scope: read)."""
    return badge_json(issued_badges.badge(_db(), str(badge_id), caller().tenant_id))


@bp.route("/badges/<uuid:badge_id>/revoke", methods=["POST"])
@bp.arguments(RevokeIn)
@bp.response(200, BadgeOut)
@requires(ADMIN)
def revoke_badge(data: dict[str, Any], badge_id: uuid.UUID) -> Any:
    """Revoke a badge with a reason: its status-list bit is set and `badge.revoked` is
    published (scope: admin). Revoking again keeps the first time and updates the reason."""
    return badge_json(badge_revocation.revoke_badge(
        _db(), str(badge_id), data["reason"], datetime.now(UTC), caller().tenant_id))


install(bp)
