"""The tool's signing keys: one active key, older ones published until they retire."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..lti.keys import SigningKey, generate_key
from ..records import ToolKey
from ..sealing import unseal
from .ports import UnitsOfWork

DEFAULT_RETIRE_AFTER_DAYS = 7


def ensure_signing_key(database: UnitsOfWork, secret: str, now: datetime) -> ToolKey:
    """The active key, made on first start when there is none."""
    with database.unit_of_work() as uow:
        repo = uow.tool_keys
        active = repo.active_key()
        if active is not None:
            return active
        new = generate_key(secret, now)
        repo.add_key(new.kid, new.private_key_encrypted, new.public_jwk, status="active",
                     activated_at=now)
        return repo.active_key() or _missing()


def tool_keys(database: UnitsOfWork) -> list[ToolKey]:
    """The tool's LTI keys that are active, published or retired, oldest first."""
    with database.unit_of_work() as uow:
        return uow.tool_keys.keys()


def rotate_keys(database: UnitsOfWork, secret: str, now: datetime,
                retire_after_days: int = DEFAULT_RETIRE_AFTER_DAYS) -> tuple[ToolKey, list[str]]:
    """Make a new active key; the old active one stays published `retire_after_days`."""
    new = generate_key(secret, now)
    with database.unit_of_work() as uow:
        repo = uow.tool_keys
        previous = [key.kid for key in repo.keys(("active",))]
        for kid in previous:
            repo.set_key_status(kid, "published",
                                retire_at=now + timedelta(days=retire_after_days))
        repo.add_key(new.kid, new.private_key_encrypted, new.public_jwk, status="active",
                     activated_at=now)
        return repo.active_key() or _missing(), previous


def published_jwks(database: UnitsOfWork, now: datetime) -> dict[str, Any]:
    """The active key and the published keys not yet past their retirement date."""
    with database.unit_of_work() as uow:
        repo = uow.tool_keys
        keys = []
        for key in repo.keys(("active", "published")):
            if key.status == "published" and key.retire_at is not None and key.retire_at <= now:
                repo.set_key_status(key.kid, "retired")
                continue
            keys.append(key.public_jwk)
        return {"keys": keys}


def signing_key(database: UnitsOfWork, secret: str, now: datetime) -> SigningKey:
    """The decrypted active key (made when missing)."""
    key = ensure_signing_key(database, secret, now)
    return SigningKey(key.kid, unseal(key.private_key_encrypted, secret))


def _missing() -> ToolKey:
    raise RuntimeError("the active key vanished during its own transaction")
