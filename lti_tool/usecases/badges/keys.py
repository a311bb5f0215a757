"""The badge key set, apart from the LTI keys: one active key signs badges and status lists;
rotating retires it to verification only, and a retired key stays published for as long as
a badge it signed is valid (for ever when one never expires). LTI key rotation
(`tool_keys`) never touches it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...lti.keys import SigningKey, generate_key
from ...sealing import unseal
from ...store.repositories.badge_keys import BadgeKey, SignedBadges
from ..ports import UnitsOfWork

FOREVER = "forever"


@dataclass(frozen=True)
class BadgeKeyState:
    """A key with how long it is published: `until` is a time, FOREVER, or None (no more)."""

    key: BadgeKey
    badges: int
    until: datetime | str | None

    def published_at(self, now: datetime) -> bool:
        if self.key.status == "active" or self.until == FOREVER:
            return True
        return isinstance(self.until, datetime) and self.until > now


def published_until(key: BadgeKey, signed: SignedBadges | None) -> datetime | str | None:
    """Until when `key` is published: the active key for ever; a retired key until the
    latest validUntil of the badges it signed (FOREVER if one never expires; None: none)."""
    if key.status == "active" or (signed is not None and signed.never_expire):
        return FOREVER
    return None if signed is None else signed.latest_valid_until


def ensure_badge_key(database: UnitsOfWork, secret: str, now: datetime) -> BadgeKey:
    """The active badge key, made when there is none (first issue after an upgrade)."""
    with database.unit_of_work() as uow:
        repo = uow.badge_keys
        active = repo.active()
        if active is not None:
            return active
        new = generate_key(secret, now)
        return repo.add(new.kid, new.private_key_encrypted, new.public_jwk, now)


def badge_signing_key(database: UnitsOfWork, secret: str, now: datetime) -> SigningKey:
    """The decrypted active badge key."""
    key = ensure_badge_key(database, secret, now)
    assert key.private_key_encrypted is not None, "an active badge key has its private part"
    return SigningKey(key.kid, unseal(key.private_key_encrypted, secret))


def rotate_badge_keys(database: UnitsOfWork, secret: str, now: datetime
                      ) -> tuple[BadgeKey, list[str]]:
    """A new active badge key; the previous active keys retire to verification only."""
    new = generate_key(secret, now)
    with database.unit_of_work() as uow:
        repo = uow.badge_keys
        previous = [key.kid for key in repo.keys() if key.status == "active"]
        for kid in previous:
            repo.retire(kid, now)
        return repo.add(new.kid, new.private_key_encrypted, new.public_jwk, now), previous


def badge_key_states(database: UnitsOfWork) -> list[BadgeKeyState]:
    """Every badge key with the number of badges it signed and how long it is published."""
    with database.unit_of_work() as uow:
        signed = uow.badge_keys.signed_badges()
        keys = uow.badge_keys.keys()
    return [BadgeKeyState(key, signed[key.kid].count if key.kid in signed else 0,
                          published_until(key, signed.get(key.kid))) for key in keys]


def badge_jwks(database: UnitsOfWork, now: datetime) -> dict[str, Any]:
    """The badge key set as published at `now`: the active key and the retired keys a
    valid badge still needs."""
    return {"keys": [state.key.public_jwk for state in badge_key_states(database)
                     if state.published_at(now)]}
