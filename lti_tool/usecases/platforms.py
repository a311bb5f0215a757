"""Registering LMS platforms (issuer + client id) with their deployments, for admins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from ..domain.errors import Conflict, InvalidInput, NotFound
from ..lti.platform_urls import check_platform_url
from ..records import Deployment, PlatformRegistration
from ..store.database import Database
from ..store.repositories.lti import LtiRepository
from ..store.repositories.tenants import TenantRepository


@dataclass(frozen=True)
class PlatformInput:
    issuer: str
    client_id: str
    deployment_ids: Sequence[str]
    auth_login_url: str
    auth_token_url: str
    keyset_url: str
    auth_audience: str | None = None
    name: str = ""
    tenant_slug: str | None = None
    registered_via: str = "manual"
    # set by Dynamic Registration: the invitation's tenant, and pending until approved
    tenant_id: int | None = None
    status: str = "active"
    deployment_policy: str = "listed"


@dataclass(frozen=True)
class RegisteredPlatform:
    registration: PlatformRegistration
    deployments: list[Deployment]


def register_platform(database: Database, data: PlatformInput) -> RegisteredPlatform:
    """Store a registration in a new tenant of its own (or the named one) with deployments."""
    with database.session() as session:
        return add_platform(session, data)


def add_platform(session: Session, data: PlatformInput) -> RegisteredPlatform:
    """`register_platform` inside the caller's unit of work.

    The tenant is `data.tenant_id`, else the tenant `data.tenant_slug` names (an operator's
    or tenant admin's explicit choice), else a new tenant with a fresh slug: a registration
    never lands in an existing tenant because its name or client id looks like that
    tenant's slug.
    """
    if not data.issuer or not data.client_id:
        raise InvalidInput("issuer and client id are required")
    check_platform_url("issuer", data.issuer) if "://" in data.issuer else None
    for field_name in ("auth_login_url", "auth_token_url", "keyset_url"):
        check_platform_url(field_name, getattr(data, field_name))
    repo = LtiRepository(session)
    if repo.registration(data.issuer, data.client_id) is not None:
        raise Conflict(f"issuer {data.issuer} with client id {data.client_id} is already "
                       "registered")
    name = data.name or urlsplit(data.issuer).hostname or data.issuer
    tenants, url = TenantRepository(session), data.issuer if "://" in data.issuer else ""
    if data.tenant_id is not None:
        tenant = tenants.get(data.tenant_id)
    elif data.tenant_slug:
        tenant = tenants.ensure(data.tenant_slug, name, url)
    else:
        tenant = tenants.create_fresh(_slug(f"{name}-{data.client_id}"), name, url)
    registration = repo.add_registration(
        tenant.id, data.issuer, data.client_id, auth_login_url=data.auth_login_url,
        auth_token_url=data.auth_token_url, keyset_url=data.keyset_url, name=name,
        auth_audience=data.auth_audience, registered_via=data.registered_via,
        status=data.status, deployment_policy=data.deployment_policy)
    deployments = [repo.ensure_deployment(registration.id, d) for d in data.deployment_ids]
    return RegisteredPlatform(registration, deployments)


def ensure_platform(database: Database, data: PlatformInput) -> RegisteredPlatform:
    """The registration for (issuer, client id), made when missing; deployments added."""
    with database.session() as session:
        repo = LtiRepository(session)
        existing = repo.registration(data.issuer, data.client_id)
        if existing is not None:
            for deployment_id in data.deployment_ids:
                repo.ensure_deployment(existing.id, deployment_id)
            return RegisteredPlatform(existing, repo.deployments(existing.id))
    return register_platform(database, data)


def list_platforms(database: Database) -> list[RegisteredPlatform]:
    with database.session() as session:
        repo = LtiRepository(session)
        return [RegisteredPlatform(r, repo.deployments(r.id)) for r in repo.registrations()]


def find_platform(database: Database, registration_id: int) -> RegisteredPlatform:
    with database.session() as session:
        repo = LtiRepository(session)
        try:
            registration = repo.registration_by_id(registration_id)
        except NotFound:
            raise NotFound(f"no platform registration with id {registration_id}") from None
        return RegisteredPlatform(registration, repo.deployments(registration.id))


def approve_platform(database: Database, registration_id: int) -> PlatformRegistration:
    """pending → active: the registration's launches are accepted from now on."""
    with database.session() as session:
        repo = LtiRepository(session)
        try:
            registration = repo.registration_by_id(registration_id)
        except NotFound:
            raise NotFound(f"no platform registration with id {registration_id}") from None
        if registration.active:
            raise Conflict(f"platform registration {registration_id} is already active")
        return repo.set_registration_status(registration.id, "active")


def remove_platform(database: Database, registration_id: int) -> PlatformRegistration:
    with database.session() as session:
        repo = LtiRepository(session)
        registration = find_platform(database, registration_id).registration
        repo.remove_registration(registration.id)
        return registration


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "tenant"
