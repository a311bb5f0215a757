"""The badge key set: the key that signs badges now and the retired ones kept to verify."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound

from ..models.badges import BadgeKeyRow, BadgeRow


@dataclass(frozen=True)
class BadgeKey:
    """A key of the badge key set; `private_key_encrypted` is None for verification-only
    keys carried over from the LTI key set."""

    kid: str
    public_jwk: dict[str, Any]
    status: str
    origin: str
    created_at: datetime
    activated_at: datetime | None
    retired_at: datetime | None
    private_key_encrypted: str | None = None


@dataclass(frozen=True)
class SignedBadges:
    """What the badges one key signed need: how many, and the latest validUntil (None when
    one of them never expires)."""

    count: int
    never_expire: bool
    latest_valid_until: datetime | None


def _record(row: BadgeKeyRow) -> BadgeKey:
    return BadgeKey(kid=row.kid, public_jwk=json.loads(row.public_jwk), status=row.status,
                    origin=row.origin, created_at=row.created_at,
                    activated_at=row.activated_at, retired_at=row.retired_at,
                    private_key_encrypted=row.private_key_encrypted)


class BadgeKeyRepository:
    """Badge keys and the badges each signed, in one unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def active(self) -> BadgeKey | None:
        """The newest active key, the one that signs."""
        row = self.session.scalar(select(BadgeKeyRow).where(BadgeKeyRow.status == "active")
                                  .order_by(BadgeKeyRow.activated_at.desc()).limit(1))
        return None if row is None else _record(row)

    def keys(self) -> list[BadgeKey]:
        rows = self.session.scalars(select(BadgeKeyRow).order_by(BadgeKeyRow.created_at,
                                                                 BadgeKeyRow.kid))
        return [_record(row) for row in rows]

    def add(self, kid: str, private_key_encrypted: str, public_jwk: Mapping[str, Any],
            now: datetime) -> BadgeKey:
        row = BadgeKeyRow(kid=kid, private_key_encrypted=private_key_encrypted,
                          public_jwk=json.dumps(dict(public_jwk), sort_keys=True),
                          origin="badge", status="active", created_at=now, activated_at=now)
        self.session.add(row)
        self.session.flush()
        return _record(row)

    def retire(self, kid: str, now: datetime) -> BadgeKey:
        """The key signs no more; it stays published while its badges need it."""
        row = self.session.get(BadgeKeyRow, kid)
        if row is None:
            raise NotFound(f"badge key {kid!r} does not exist")
        row.status, row.retired_at = "retired", row.retired_at or now
        self.session.flush()
        return _record(row)

    def signed_badges(self) -> dict[str, SignedBadges]:
        """By kid: the badges signed with it (revoked ones too: a verifier must still
        check their signature to learn they are revoked)."""
        rows = self.session.execute(
            select(BadgeRow.kid, func.count(), func.count(BadgeRow.valid_until),
                   func.max(BadgeRow.valid_until)).group_by(BadgeRow.kid))
        return {kid: SignedBadges(total, total > dated, latest)
                for kid, total, dated, latest in rows}
