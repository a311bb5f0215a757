"""Typed, frozen records for stored things that have no domain type of their own.

The store returns them, use cases and entry points read them; this module imports nothing
of ours, so every layer may use it without reaching into the store.

Ids are the integer primary keys; the domain's string ids are `str()` of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Tenant:
    id: int
    slug: str
    name: str
    url: str
    created_at: datetime


@dataclass(frozen=True)
class Person:
    id: int
    tenant_id: int
    sub: str
    name: str
    given_name: str
    family_name: str
    email: str
    locale: str
    current_role_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class Course:
    id: int
    tenant_id: int
    registration_id: int | None
    context_id: str
    title: str
    label: str
    created_at: datetime


@dataclass(frozen=True)
class Membership:
    id: int
    course_id: int
    person_id: int
    roles: tuple[str, ...]
    status: str
    updated_at: datetime


@dataclass(frozen=True)
class LmsItem:
    id: int
    course_id: int
    kind: str
    lms_id: str
    title: str
    score_maximum: float | None
    effort: float
    tag: str
    resource_link_id: str


@dataclass(frozen=True)
class PlatformRegistration:
    id: int
    tenant_id: int
    issuer: str
    client_id: str
    name: str
    auth_login_url: str
    auth_token_url: str
    keyset_url: str
    auth_audience: str | None
    registered_via: str
    created_at: datetime
    status: str = "active"
    deployment_policy: str = "listed"

    @property
    def active(self) -> bool:
        """False while a Dynamic Registration waits for an admin's approval."""
        return self.status == "active"


@dataclass(frozen=True)
class Deployment:
    id: int
    registration_id: int
    deployment_id: str
    enabled: bool
    created_at: datetime


@dataclass(frozen=True)
class RegistrationInvitation:
    """A one-time Dynamic Registration link (its token is never stored, only its hash)."""

    id: int
    tenant_id: int | None
    deployment_ids: tuple[str, ...]
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    registration_id: int | None


@dataclass(frozen=True)
class ToolKey:
    """A signing key; `private_key_encrypted` is opaque to the store."""

    kid: str
    private_key_encrypted: str
    public_jwk: dict[str, Any]
    status: str
    created_at: datetime
    activated_at: datetime | None
    retire_at: datetime | None


@dataclass(frozen=True)
class CourseServices:
    """The AGS/NRPS endpoints a launch announced for a course."""

    course_id: int
    memberships_url: str
    lineitems_url: str
    ags_scopes: tuple[str, ...]
    differences_url: str
    last_synced_at: datetime | None


@dataclass(frozen=True)
class SyncRun:
    """One sync of one course."""

    id: int
    course_id: int
    status: str
    trigger: str
    counts: dict[str, int]
    cursor: dict[str, Any]
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class ApiKeyRecord:
    """A stored key: never the secret, only its hash."""

    id: int
    tenant_id: int
    prefix: str
    secret_hash: str
    name: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class IssuedBadge:
    """One issued OpenBadgeCredential, with its VC-JWT and revocation state."""

    id: str
    tenant_id: int
    person_id: int
    achievement_key: str
    kind: str
    name: str
    status_index: int
    credential: dict[str, Any]
    compact_jwt: str
    kid: str
    valid_from: datetime
    valid_until: datetime | None
    revoked_at: datetime | None
    revocation_reason: str

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True)
class Subscription:
    id: int
    tenant_id: int
    url: str
    event_types: tuple[str, ...]
    description: str
    active: bool
    consecutive_failures: int
    disabled_reason: str
    created_at: datetime


@dataclass(frozen=True)
class Attempt:
    attempt: int
    status_code: int | None
    duration_ms: int
    error: str
    attempted_at: datetime


@dataclass(frozen=True)
class Delivery:
    id: int
    event_id: str
    event_type: str
    status: str
    attempts: tuple[Attempt, ...]
    next_attempt_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class TenantCounts:
    """How many of each thing a tenant holds (live API keys only)."""

    registrations: int
    deployments: int
    frameworks: int
    competencies: int
    roles: int
    api_keys: int
