"""Tenants: the organisations using the tool."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import Conflict, NotFound

from ...records import Tenant, TenantCounts
from ..models import (
    ApiKeyRow,
    CompetencyRow,
    DeploymentRow,
    FrameworkRow,
    PlatformRegistrationRow,
    RoleRow,
    TenantRow,
)
from .statements import insert_if_absent, pk


def tenant_record(row: TenantRow) -> Tenant:
    return Tenant(id=row.id, slug=row.slug, name=row.name, url=row.url,
                  created_at=row.created_at)


class TenantRepository:
    """Read and write tenants in one unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def ensure(self, slug: str, name: str, url: str = "") -> Tenant:
        """The tenant with `slug`, created with `name` and `url` when absent."""
        insert_if_absent(self.session, TenantRow, {"slug": slug, "name": name, "url": url})
        found = self.by_slug(slug)
        assert found is not None
        return found

    def create(self, slug: str, name: str, url: str = "") -> Tenant | None:
        """A new tenant with exactly `slug`; None when that slug is taken."""
        if not insert_if_absent(self.session, TenantRow, {"slug": slug, "name": name,
                                                          "url": url}):
            return None
        return self.by_slug(slug)

    def create_fresh(self, base_slug: str, name: str, url: str = "") -> Tenant:
        """A new tenant whose slug is `base_slug`, or `base_slug-N` when that is taken.

        Never answers an existing tenant: the slugs' unique constraint decides every race.
        """
        base = base_slug[:56] or "tenant"
        for n in range(1, 1000):
            slug = base if n == 1 else f"{base}-{n}"
            found = self.create(slug, name, url)
            if found is not None:
                return found
        raise Conflict(f"no free tenant slug starting with {base!r}")

    def get(self, tenant_id: int | str) -> Tenant:
        row = self.session.get(TenantRow, pk(tenant_id))
        if row is None:
            raise NotFound(f"tenant {tenant_id} does not exist")
        return tenant_record(row)

    def by_slug(self, slug: str) -> Tenant | None:
        row = self.session.scalar(select(TenantRow).where(TenantRow.slug == slug))
        return None if row is None else tenant_record(row)

    def list(self) -> list[Tenant]:
        rows = self.session.scalars(select(TenantRow).order_by(TenantRow.id))
        return [tenant_record(row) for row in rows]

    def counts(self, tenant_id: int) -> TenantCounts:
        """Counts of the tenant's registrations, deployments, catalogue and live API keys."""
        def count(*where: ColumnElement[bool], model: type = RoleRow) -> int:
            query = select(func.count()).select_from(model)
            return int(self.session.scalar(query.where(*where)) or 0)

        registrations = select(PlatformRegistrationRow.id).where(
            PlatformRegistrationRow.tenant_id == tenant_id)
        frameworks = select(FrameworkRow.id).where(FrameworkRow.tenant_id == tenant_id)
        return TenantCounts(
            count(PlatformRegistrationRow.tenant_id == tenant_id, model=PlatformRegistrationRow),
            count(DeploymentRow.registration_id.in_(registrations), model=DeploymentRow),
            count(FrameworkRow.tenant_id == tenant_id, model=FrameworkRow),
            count(CompetencyRow.framework_id.in_(frameworks), model=CompetencyRow),
            count(RoleRow.tenant_id == tenant_id),
            count(ApiKeyRow.tenant_id == tenant_id, ApiKeyRow.revoked_at.is_(None),
                  model=ApiKeyRow))
