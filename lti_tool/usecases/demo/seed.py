"""The demo organisation "Northwind Learning": scales, frameworks, roles and the lattice.

Seeding is idempotent: what exists (matched by slug, scale key, framework name,
competency code, role name, transition pair) is left as it is, except that a demo
competency's badge level is set when the stored one has none.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from lti_tool.domain.calculation import CalculationMethod
from lti_tool.domain.roles import Requirement, Transition, TransitionKind
from lti_tool.domain.scales import SHIPPED_SCALES, ProficiencyScale
from lti_tool.records import Tenant
from lti_tool.store.repositories import RoleRepository, TaxonomyRepository, TenantRepository

from ..demo.catalogue import CompetencySpec, FrameworkSpec, RoleSpec, demo_catalogue

DEMO_SLUG = "northwind"
DEMO_NAME = "Northwind Learning"
DEMO_URL = "https://learning.northwind.example"


def seed_demo(session: Session) -> Tenant:
    """Create the demo organisation and its content once; later calls change nothing."""
    tenant = TenantRepository(session).ensure(DEMO_SLUG, DEMO_NAME, DEMO_URL)
    taxonomy = TaxonomyRepository(session)
    scale_ids = {scale.key: taxonomy.ensure_scale(scale) for scale in SHIPPED_SCALES}
    scales = {scale.key: scale for scale in SHIPPED_SCALES}
    codes: dict[str, str] = {}
    for spec in demo_catalogue().frameworks:
        codes.update(_seed_framework(taxonomy, tenant, spec, scale_ids[spec.scale_key],
                                     scales[spec.scale_key]))
    _seed_roles(RoleRepository(session), tenant, codes)
    return tenant


def _seed_framework(taxonomy: TaxonomyRepository, tenant: Tenant, spec: FrameworkSpec,
                    scale_id: int, scale: ProficiencyScale) -> dict[str, str]:
    """Store one framework's tree and anchors; competency ids by code."""
    framework_id = taxonomy.framework_id(tenant.id, spec.name) or taxonomy.add_framework(
        tenant.id, spec.name, scale_id, CalculationMethod.parse(spec.calculation),
        description=spec.description)
    codes: dict[str, str] = {}
    for group in spec.groups:
        parent = _competency(taxonomy, framework_id, CompetencySpec(
            group.code, group.name, group.description), None)
        codes[group.code] = parent
        for child in group.children:
            codes[child.code] = _competency(taxonomy, framework_id, child, parent)
            for level, text in zip((lv.value for lv in scale.levels), child.anchors,
                                   strict=True):
                taxonomy.set_anchor(codes[child.code], level, text)
    return codes


def _competency(taxonomy: TaxonomyRepository, framework_id: str, spec: CompetencySpec,
                parent_id: str | None) -> str:
    found = taxonomy.competency_by_code(framework_id, spec.code)
    if found is not None:
        if spec.badge_level is not None:
            taxonomy.default_badge_level(int(found.id), spec.badge_level)
        return found.id
    return taxonomy.add_competency(framework_id, spec.code, spec.name, spec.description,
                                   parent_id=parent_id, badge_level=spec.badge_level).id


def _seed_roles(roles: RoleRepository, tenant: Tenant, codes: dict[str, str]) -> None:
    catalogue = demo_catalogue()
    ids = {spec.name: _role(roles, tenant, spec, codes) for spec in catalogue.roles}
    for source, target, kind in catalogue.transitions:
        roles.add_transition(Transition(ids[source], ids[target], TransitionKind(kind)))


def _role(roles: RoleRepository, tenant: Tenant, spec: RoleSpec, codes: dict[str, str]) -> str:
    found = roles.by_name(tenant.id, spec.name)
    if found is not None:
        return found.id
    requirements = [Requirement(codes[code], level, weight, minimum)
                    for code, level, weight, minimum in spec.requirements]
    return roles.add(tenant.id, spec.name, requirements, threshold=spec.threshold,
                     family=spec.family, description=spec.description).id
