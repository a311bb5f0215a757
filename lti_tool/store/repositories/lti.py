"""Platform registrations, deployments and the tool's signing keys."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound

from ...clock import utcnow
from ...records import Deployment, PlatformRegistration, ToolKey
from ..models import DeploymentRow, PlatformRegistrationRow, ToolKeyRow
from .statements import insert_if_absent, pk, record_columns


def registration_record(row: PlatformRegistrationRow) -> PlatformRegistration:
    return PlatformRegistration(
        id=row.id, tenant_id=row.tenant_id, issuer=row.issuer, client_id=row.client_id,
        name=row.name, auth_login_url=row.auth_login_url, auth_token_url=row.auth_token_url,
        keyset_url=row.keyset_url, auth_audience=row.auth_audience,
        registered_via=row.registered_via, created_at=row.created_at, status=row.status,
        deployment_policy=row.deployment_policy)


def deployment_record(row: DeploymentRow) -> Deployment:
    return Deployment(id=row.id, registration_id=row.registration_id,
                      deployment_id=row.deployment_id, enabled=row.enabled,
                      created_at=row.created_at)


def key_record(row: ToolKeyRow) -> ToolKey:
    return ToolKey(kid=row.kid, private_key_encrypted=row.private_key_encrypted,
                   public_jwk=json.loads(row.public_jwk), status=row.status,
                   created_at=row.created_at, activated_at=row.activated_at,
                   retire_at=row.retire_at)


_REGISTRATIONS = PlatformRegistrationRow.__table__
_REGISTRATION_BY_CLIENT = select(
    *record_columns(PlatformRegistrationRow, PlatformRegistration)).where(
    _REGISTRATIONS.c.issuer == bindparam("issuer"),
    _REGISTRATIONS.c.client_id == bindparam("client_id"))


class LtiRepository:
    """Registrations keyed by (issuer, client_id), their deployments, and tool keys."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_registration(self, tenant_id: int | str, issuer: str, client_id: str, *,
                         auth_login_url: str, auth_token_url: str, keyset_url: str,
                         name: str = "", auth_audience: str | None = None,
                         registered_via: str = "manual", status: str = "active",
                         deployment_policy: str = "listed") -> PlatformRegistration:
        row = PlatformRegistrationRow(
            tenant_id=pk(tenant_id), issuer=issuer, client_id=client_id, name=name,
            auth_login_url=auth_login_url, auth_token_url=auth_token_url,
            keyset_url=keyset_url, auth_audience=auth_audience, registered_via=registered_via,
            status=status, deployment_policy=deployment_policy)
        self.session.add(row)
        self.session.flush()
        return registration_record(row)

    def registration(self, issuer: str, client_id: str) -> PlatformRegistration | None:
        """The registration every OIDC login looks up (a Core statement built once)."""
        row = self.session.execute(_REGISTRATION_BY_CLIENT,
                                   {"issuer": issuer, "client_id": client_id}).first()
        return None if row is None else PlatformRegistration(*row)

    def registration_by_id(self, registration_id: int | str) -> PlatformRegistration:
        row = self.session.get(PlatformRegistrationRow, pk(registration_id))
        if row is None:
            raise NotFound(f"registration {registration_id} does not exist")
        return registration_record(row)

    def registrations(self, tenant_id: int | str | None = None) -> list[PlatformRegistration]:
        query = select(PlatformRegistrationRow).order_by(PlatformRegistrationRow.id)
        if tenant_id is not None:
            query = query.where(PlatformRegistrationRow.tenant_id == pk(tenant_id))
        return [registration_record(row) for row in self.session.scalars(query)]

    def set_registration_status(self, registration_id: int | str,
                                status: str) -> PlatformRegistration:
        row = self.session.get(PlatformRegistrationRow, pk(registration_id))
        if row is None:
            raise NotFound(f"registration {registration_id} does not exist")
        row.status = status
        self.session.flush()
        return registration_record(row)

    def remove_registration(self, registration_id: int | str) -> None:
        """Delete a registration and its deployments; its courses keep their data."""
        row = self.session.get(PlatformRegistrationRow, pk(registration_id))
        if row is None:
            raise NotFound(f"registration {registration_id} does not exist")
        self.session.delete(row)
        self.session.flush()

    def ensure_deployment(self, registration_id: int | str, deployment_id: str,
                          enabled: bool = True) -> Deployment:
        """The deployment, recorded (with `enabled`) if new; an existing one is unchanged."""
        insert_if_absent(self.session, DeploymentRow, {
            "registration_id": pk(registration_id), "deployment_id": deployment_id,
            "enabled": enabled, "created_at": utcnow()})
        found = self.deployment(registration_id, deployment_id)
        assert found is not None
        return found

    def deployment(self, registration_id: int | str, deployment_id: str) -> Deployment | None:
        row = self.session.scalar(select(DeploymentRow).where(
            DeploymentRow.registration_id == pk(registration_id),
            DeploymentRow.deployment_id == deployment_id))
        return None if row is None else deployment_record(row)

    def deployments(self, registration_id: int | str) -> list[Deployment]:
        rows = self.session.scalars(select(DeploymentRow).where(
            DeploymentRow.registration_id == pk(registration_id)).order_by(DeploymentRow.id))
        return [deployment_record(row) for row in rows]

    def deployment_tenant(self, deployment_pk: int) -> int | None:
        """The tenant whose registration holds the deployment; None when either is gone."""
        row = self.session.get(DeploymentRow, deployment_pk)
        owner = None if row is None else self.session.get(PlatformRegistrationRow,
                                                          row.registration_id)
        return None if row is None or owner is None else owner.tenant_id

    def set_deployment_enabled(self, deployment_pk: int | str, enabled: bool) -> Deployment:
        row = self.session.get(DeploymentRow, pk(deployment_pk))
        if row is None:
            raise NotFound(f"deployment {deployment_pk} does not exist")
        row.enabled = enabled
        self.session.flush()
        return deployment_record(row)

    def add_key(self, kid: str, private_key_encrypted: str, public_jwk: Mapping[str, Any], *,
                status: str = "published", activated_at: datetime | None = None,
                retire_at: datetime | None = None) -> ToolKey:
        row = ToolKeyRow(kid=kid, private_key_encrypted=private_key_encrypted,
                         public_jwk=json.dumps(dict(public_jwk), sort_keys=True), status=status,
                         activated_at=activated_at, retire_at=retire_at)
        self.session.add(row)
        self.session.flush()
        return key_record(row)

    def keys(self, statuses: Iterable[str] = ("active", "published", "retired")) -> list[ToolKey]:
        rows = self.session.scalars(select(ToolKeyRow).where(ToolKeyRow.status.in_(
            list(statuses))).order_by(ToolKeyRow.created_at, ToolKeyRow.kid))
        return [key_record(row) for row in rows]

    def active_key(self) -> ToolKey | None:
        """The newest active key, the one that signs."""
        row = self.session.scalar(select(ToolKeyRow).where(ToolKeyRow.status == "active")
                                  .order_by(ToolKeyRow.activated_at.desc()).limit(1))
        return None if row is None else key_record(row)

    def set_key_status(self, kid: str, status: str, *, activated_at: datetime | None = None,
                       retire_at: datetime | None = None) -> ToolKey:
        row = self.session.get(ToolKeyRow, kid)
        if row is None:
            raise NotFound(f"key {kid!r} does not exist")
        row.status = status
        row.activated_at = activated_at or row.activated_at
        row.retire_at = retire_at or row.retire_at
        self.session.flush()
        return key_record(row)
