"""What the admin pages need beyond the catalogue and platform use cases, confined to a tenant.

Every lookup answers NotFound for another tenant's object exactly as for a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.errors import InvalidInput, NotFound
from ..domain.roles import Requirement
from ..records import Deployment, Tenant, ToolKey
from ..store.database import Database
from ..store.repositories.lti import LtiRepository
from ..store.repositories.taxonomy import TaxonomyRepository
from ..store.repositories.tenant_scope import TenantScope
from ..store.repositories.tenants import TenantRepository
from .catalogue import (
    CompetencyInput,
    RoleDetail,
    RoleInput,
    add_competency,
    get_framework,
    get_role,
    update_role,
)
from .platforms import RegisteredPlatform, find_platform, list_platforms


@dataclass(frozen=True)
class TenantOverview:
    """How much a tenant holds, for the admin dashboard."""

    tenant: Tenant
    registrations: int
    deployments: int
    frameworks: int
    competencies: int
    roles: int
    api_keys: int


def tenants(database: Database) -> list[Tenant]:
    with database.session() as session:
        return TenantRepository(session).list()


def tenant(database: Database, tenant_id: int) -> Tenant:
    """The tenant, or NotFound (ids outside the database's range included)."""
    if not 0 < tenant_id < 2**31:
        raise NotFound(f"tenant {tenant_id} does not exist")
    with database.session() as session:
        return TenantRepository(session).get(tenant_id)


def overview(database: Database, tenant_id: int) -> TenantOverview:
    """Counts of the tenant's registrations, deployments, catalogue and live API keys."""
    found = tenant(database, tenant_id)
    with database.session() as session:
        counts = TenantRepository(session).counts(tenant_id)
    return TenantOverview(found, counts.registrations, counts.deployments, counts.frameworks,
                          counts.competencies, counts.roles, counts.api_keys)


def tenant_platforms(database: Database, tenant_id: int) -> list[RegisteredPlatform]:
    return [p for p in list_platforms(database) if p.registration.tenant_id == tenant_id]


def tenant_platform(database: Database, tenant_id: int, registration_id: int) -> RegisteredPlatform:
    """One of the tenant's registrations with its deployments."""
    try:
        found = find_platform(database, registration_id) if 0 < registration_id < 2**31 else None
    except NotFound:
        found = None
    if found is None or found.registration.tenant_id != tenant_id:
        raise NotFound(f"no platform registration with id {registration_id}")
    return found


def set_deployment_enabled(database: Database, tenant_id: int, deployment_pk: int,
                           enabled: bool) -> Deployment:
    """Enable or disable one deployment of one of the tenant's registrations."""
    with database.session() as session:
        repo = LtiRepository(session)
        owner = repo.deployment_tenant(deployment_pk) if 0 < deployment_pk < 2**31 else None
        if owner is None or owner != tenant_id:
            raise NotFound(f"deployment {deployment_pk} does not exist")
        return repo.set_deployment_enabled(deployment_pk, enabled)


def tool_keys(database: Database) -> list[ToolKey]:
    """Every signing key of the tool, newest first."""
    with database.session() as session:
        return list(reversed(LtiRepository(session).keys()))


def add_badged_competency(database: Database, tenant_id: int, framework_id: int,
                          data: CompetencyInput, parent_id: int | None,
                          badge_level: int | None) -> None:
    """Add a competency (catalogue rules) with the scale level that earns its badge."""
    scale = get_framework(database, tenant_id, framework_id).framework.scale
    if badge_level is not None and badge_level not in {lv.value for lv in scale.levels}:
        raise InvalidInput(f"badge level must be a level of the scale {scale.name!r}",
                           {"badge_level": ["not a level of the framework's scale"]})
    if not data.code.strip() or not data.name.strip():
        raise InvalidInput("a competency needs a code and a name",
                           {k: ["required"] for k in ("code", "name")
                            if not getattr(data, k).strip()})
    add_competency(database, tenant_id, framework_id, data, parent_id)
    if badge_level is not None:
        with database.session() as session:
            taxonomy = TaxonomyRepository(session)
            made = taxonomy.competency_by_code(framework_id, data.code)
            assert made is not None
            taxonomy.set_badge_level(int(made.id), badge_level)


def set_anchor(database: Database, tenant_id: int, framework_id: int, competency_id: int,
               level: int, text: str) -> None:
    """Create or replace the behavioural anchor of a competency at a level of its scale."""
    framework = get_framework(database, tenant_id, framework_id).framework
    if str(competency_id) not in {c.id for c in framework.competencies}:
        raise NotFound(f"competency {competency_id} does not exist")
    if level not in {lv.value for lv in framework.scale.levels}:
        raise InvalidInput(f"level {level} is not on the scale {framework.scale.name!r}",
                           {"level": ["not a level of the framework's scale"]})
    if not text.strip():
        raise InvalidInput("an anchor needs a text", {"text": ["required"]})
    with database.session() as session:
        TaxonomyRepository(session).set_anchor(competency_id, level, text.strip())


def badge_levels(database: Database, tenant_id: int, framework_id: int) -> dict[str, int]:
    """Competency id → badge level, for one of the tenant's frameworks."""
    with database.session() as session:
        TenantScope(session, tenant_id).check_framework(framework_id)
        return TaxonomyRepository(session).badge_levels(framework_id)


def set_requirement(database: Database, tenant_id: int, role_id: int,
                    requirement: Requirement) -> RoleDetail:
    """Add or replace the role's requirement on one competency."""
    detail = get_role(database, tenant_id, role_id)
    kept = [r for r in detail.role.requirements if r.competency_id != requirement.competency_id]
    return _replace_requirements(database, tenant_id, detail, [*kept, requirement])


def remove_requirement(database: Database, tenant_id: int, role_id: int,
                       competency_id: str) -> RoleDetail:
    detail = get_role(database, tenant_id, role_id)
    kept = [r for r in detail.role.requirements if r.competency_id != competency_id]
    return _replace_requirements(database, tenant_id, detail, kept)


def _replace_requirements(database: Database, tenant_id: int, detail: RoleDetail,
                          requirements: list[Requirement]) -> RoleDetail:
    role = detail.role
    return update_role(database, tenant_id, int(role.id), RoleInput(
        role.name, requirements, role.threshold, role.family, detail.description))
