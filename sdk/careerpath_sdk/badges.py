"""Issued Open Badges: a person's badges, one badge, and revoking it."""

from __future__ import annotations

from . import models
from .transport import Transport


class Badges:
    """Badges issued by the tool (read scope, or a widget token for its own person;
    revoking needs the admin scope)."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def list(self, person_id: int) -> list[models.Badge]:
        """GET /api/v1/people/{person_id}/badges: the person's badges, oldest first."""
        return [models.Badge.from_json(b)
                for b in self._t.request("GET", f"/people/{person_id}/badges").body]

    def get(self, badge_id: str) -> models.Badge:
        """GET /api/v1/badges/{badge_id}."""
        return models.Badge.from_json(self._t.request("GET", f"/badges/{badge_id}").body)

    def revoke(self, badge_id: str, reason: str) -> models.Badge:
        """POST /api/v1/badges/{badge_id}/revoke with {reason} (admin scope); publishes
        badge.revoked."""
        return models.Badge.from_json(
            self._t.request("POST", f"/badges/{badge_id}/revoke", json={"reason": reason}).body)
