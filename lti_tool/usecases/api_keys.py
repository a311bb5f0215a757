"""API keys: create (shown once), list, revoke, and authenticate a bearer key."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from ..domain.errors import InvalidInput, NotAllowed, NotFound
from ..records import ApiKeyRecord, Tenant
from .ports import UnitOfWork, UnitsOfWork

SCOPES = ("read", "write", "admin")
KEY_MARK = "cp"


class InvalidApiKey(NotAllowed):
    """The bearer key is malformed, unknown or revoked (the API answers 401)."""

    code = "unauthorized"


@dataclass(frozen=True)
class CreatedApiKey:
    """A new key: `token` is shown once and never stored."""

    key: ApiKeyRecord
    token: str


@dataclass(frozen=True)
class ApiPrincipal:
    """Who is calling: a tenant's key with its scopes."""

    key_id: int
    tenant_id: int
    scopes: frozenset[str]


def parse_scopes(text: str | Iterable[str]) -> tuple[str, ...]:
    """`read,write` → ("read", "write"); unknown scopes are refused."""
    parts = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    unknown = sorted(set(parts) - set(SCOPES))
    if unknown or not parts:
        raise InvalidInput(f"scopes must be some of {', '.join(SCOPES)}; got {parts}",
                           {"scopes": [f"unknown scope {s!r}" for s in unknown] or ["empty"]})
    return tuple(s for s in SCOPES if s in parts)


def hash_secret(secret: str) -> str:
    """SHA-256 is enough for 32 random bytes: no dictionary can reach them."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(database: UnitsOfWork, tenant_slug: str, scopes: str | Iterable[str],
                   name: str = "") -> CreatedApiKey:
    """A new key for the tenant; the plain token is returned once."""
    wanted = parse_scopes(scopes)
    with database.unit_of_work() as uow:
        tenant = _tenant_by_slug(uow, tenant_slug)
        prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        key = uow.api_keys.add(tenant.id, prefix, hash_secret(secret), name, wanted)
    return CreatedApiKey(key, f"{KEY_MARK}_{prefix}_{secret}")


def create_tenant_key(database: UnitsOfWork, tenant_id: int, scopes: Iterable[str],
                      name: str = "") -> CreatedApiKey:
    """A new key for a tenant known by id (the API's key management)."""
    with database.unit_of_work() as uow:
        slug = uow.tenants.get(tenant_id).slug
    return create_api_key(database, slug, list(scopes), name)


def list_api_keys(database: UnitsOfWork, tenant_slug: str | None = None) -> list[ApiKeyRecord]:
    """Every key (of one tenant when a slug is given), oldest first."""
    with database.unit_of_work() as uow:
        tenant_id = None if tenant_slug is None else _tenant_by_slug(uow, tenant_slug).id
        return uow.api_keys.list(tenant_id)


def tenant_api_keys(database: UnitsOfWork, tenant_id: int) -> list[ApiKeyRecord]:
    with database.unit_of_work() as uow:
        return uow.api_keys.list(tenant_id)


def revoke_api_key(database: UnitsOfWork, key_id: int,
                   tenant_id: int | None = None) -> ApiKeyRecord:
    """Revoke a key from now on (another tenant's key is not found)."""
    if not 0 < key_id < 2**31:
        raise NotFound(f"API key {key_id} does not exist")
    with database.unit_of_work() as uow:
        return uow.api_keys.revoke(key_id, datetime.now(UTC), tenant_id)


def authenticate(database: UnitsOfWork, token: str) -> ApiPrincipal:
    """The principal of a bearer key; InvalidApiKey for anything else."""
    mark, _, rest = token.partition("_")
    prefix, _, secret = rest.partition("_")
    if mark != KEY_MARK or not prefix or not secret:
        raise InvalidApiKey("malformed API key")
    with database.unit_of_work() as uow:
        key = uow.api_keys.by_prefix(prefix)
    expected = key.secret_hash if key is not None else hash_secret("absent")
    if not hmac.compare_digest(expected, hash_secret(secret)) or key is None:
        raise InvalidApiKey("unknown API key")
    if key.revoked_at is not None:
        raise InvalidApiKey("this API key was revoked")
    return ApiPrincipal(key.id, key.tenant_id, frozenset(key.scopes))


def _tenant_by_slug(uow: UnitOfWork, slug: str) -> Tenant:
    tenant = uow.tenants.by_slug(slug)
    if tenant is None:
        raise NotFound(f"tenant {slug!r} does not exist")
    return tenant
