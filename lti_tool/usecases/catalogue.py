"""Frameworks, scales and roles of a tenant: what the REST API creates, reads and deletes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from ..domain.calculation import CalculationMethod
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.roles import Requirement, RoleBlueprint, Transition, TransitionKind
from ..domain.scales import SHIPPED_SCALES, ProficiencyScale
from ..domain.taxonomy import Competency, Framework, validate_tree
from ..store.database import Database
from ..store.repositories.roles import RoleRepository, lattice_for
from ..store.repositories.taxonomy import TaxonomyRepository
from ..store.repositories.tenant_scope import TenantScope


@dataclass(frozen=True)
class AnchorInput:
    level: int
    text: str


@dataclass(frozen=True)
class CompetencyInput:
    """A competency to create; `parent_code` names another competency of the same input."""

    code: str
    name: str
    description: str = ""
    parent_code: str | None = None
    anchors: Sequence[AnchorInput] = ()


@dataclass(frozen=True)
class FrameworkInput:
    name: str
    scale_key: str
    calculation_method: str = "highest"
    description: str = ""
    competencies: Sequence[CompetencyInput] = ()


@dataclass(frozen=True)
class FrameworkDetail:
    """A framework as the API shows it, with its description."""

    framework: Framework
    description: str


@dataclass(frozen=True)
class RoleInput:
    name: str
    requirements: Sequence[Requirement] = ()
    threshold: float = 0.8
    family: str = ""
    description: str = ""


@dataclass(frozen=True)
class RoleDetail:
    role: RoleBlueprint
    description: str
    transitions: tuple[Transition, ...] = field(default=())


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):  # noqa: UP046 - Python 3.11
    """One page of a listing and the total count."""

    items: list[T]
    total: int


def list_frameworks(database: Database, tenant_id: int, offset: int,
                    limit: int) -> Page[FrameworkDetail]:
    with database.session() as session:
        found, total = TenantScope(session, tenant_id).frameworks_page(offset, limit)
        return Page([FrameworkDetail(f, description) for f, description in found], total)


def get_framework(database: Database, tenant_id: int, framework_id: int) -> FrameworkDetail:
    with database.session() as session:
        return _framework(session, tenant_id, framework_id)


def _framework(session: Session, tenant_id: int, framework_id: int) -> FrameworkDetail:
    return FrameworkDetail(*TenantScope(session, tenant_id).framework(framework_id))


def create_framework(database: Database, tenant_id: int, data: FrameworkInput) -> FrameworkDetail:
    """A framework with its competency tree and anchors, validated before it is stored."""
    method = CalculationMethod.parse(data.calculation_method)
    scale = _scale_named(data.scale_key, list_scales(database, tenant_id))
    _check_tree(data.competencies, scale)
    with database.session() as session:
        taxonomy = TaxonomyRepository(session)
        if taxonomy.framework_id(tenant_id, data.name) is not None:
            raise Conflict(f"a framework named {data.name!r} already exists")
        scale_id = taxonomy.scale_id(data.scale_key, tenant_id) or taxonomy.ensure_scale(scale)
        framework_id = taxonomy.add_framework(tenant_id, data.name, scale_id, method,
                                              data.description)
        _add_competencies(taxonomy, framework_id, data.competencies)
        return _framework(session, tenant_id, int(framework_id))


def add_competency(database: Database, tenant_id: int, framework_id: int,
                   data: CompetencyInput, parent_id: int | None = None) -> FrameworkDetail:
    """Add one competency (under `parent_id`, a competency of the same framework)."""
    with database.session() as session:
        current = _framework(session, tenant_id, framework_id).framework
        if parent_id is not None and str(parent_id) not in {c.id for c in current.competencies}:
            raise NotFound(f"competency {parent_id} does not exist")
        if any(c.code == data.code for c in current.competencies):
            raise Conflict(f"competency code {data.code!r} is already used in this framework")
        _check_anchors(data, current.scale)
        taxonomy = TaxonomyRepository(session)
        made = taxonomy.add_competency(framework_id, data.code, data.name, data.description,
                                       parent_id)
        for anchor in data.anchors:
            taxonomy.set_anchor(made.id, anchor.level, anchor.text)
        return _framework(session, tenant_id, framework_id)


def delete_framework(database: Database, tenant_id: int, framework_id: int) -> None:
    with database.session() as session:
        TenantScope(session, tenant_id).delete_framework(framework_id)


def _add_competencies(taxonomy: TaxonomyRepository, framework_id: str,
                      items: Sequence[CompetencyInput]) -> None:
    ids: dict[str, str] = {}
    pending = list(items)
    while pending:
        ready = [c for c in pending if c.parent_code is None or c.parent_code in ids]
        for item in ready:
            parent = None if item.parent_code is None else ids[item.parent_code]
            made = taxonomy.add_competency(framework_id, item.code, item.name,
                                           item.description, parent)
            ids[item.code] = made.id
            for anchor in item.anchors:
                taxonomy.set_anchor(made.id, anchor.level, anchor.text)
        pending = [c for c in pending if c not in ready]


def _check_tree(items: Sequence[CompetencyInput], scale: ProficiencyScale) -> None:
    try:
        validate_tree(Competency(c.code, c.code, c.name, parent_id=c.parent_code) for c in items)
    except InvalidInput as exc:
        raise InvalidInput(str(exc), {"competencies": [str(exc)]}) from None
    for item in items:
        _check_anchors(item, scale)


def _check_anchors(item: CompetencyInput, scale: ProficiencyScale) -> None:
    levels = [a.level for a in item.anchors]
    if len(levels) != len(set(levels)):
        raise InvalidInput(f"competency {item.code!r} has two anchors at one level",
                           {"anchors": ["one anchor per level"]})
    for level in levels:
        scale.level(level)


def _scale_named(key: str, known: Sequence[ProficiencyScale] = SHIPPED_SCALES
                 ) -> ProficiencyScale:
    """A shipped scale, or one of `known` (the tenant's own, created through the API)."""
    for scale in known:
        if scale.key == key:
            return scale
    raise InvalidInput(f"unknown scale {key!r}", {"scale_key": [
        f"one of {', '.join(s.key for s in known)}"]})


def list_scales(database: Database, tenant_id: int) -> list[ProficiencyScale]:
    """Shipped scales first, then any the tenant stored."""
    with database.session() as session:
        found = TenantScope(session, tenant_id).scales()
    keys = {s.key for s in found}
    return [*(s for s in SHIPPED_SCALES if s.key not in keys), *found]


def get_scale(database: Database, tenant_id: int, key: str) -> ProficiencyScale:
    for scale in list_scales(database, tenant_id):
        if scale.key == key:
            return scale
    raise NotFound(f"scale {key} does not exist")


def list_roles(database: Database, tenant_id: int, offset: int, limit: int) -> Page[RoleDetail]:
    with database.session() as session:
        found, total = TenantScope(session, tenant_id).roles_page(offset, limit)
        return Page([RoleDetail(b, description) for b, description in found], total)


def get_role(database: Database, tenant_id: int, role_id: int) -> RoleDetail:
    with database.session() as session:
        return _role(session, tenant_id, role_id)


def _role(session: Session, tenant_id: int, role_id: int) -> RoleDetail:
    description = TenantScope(session, tenant_id).role_description(role_id)
    lattice = lattice_for(session, tenant_id)
    return RoleDetail(lattice.role(str(role_id)), description,
                      tuple(lattice.next_roles(str(role_id))))


def create_role(database: Database, tenant_id: int, data: RoleInput) -> RoleDetail:
    """A role blueprint whose requirements name the tenant's competencies."""
    with database.session() as session:
        TenantScope(session, tenant_id).competency_ids([r.competency_id for r in
                                                        data.requirements])
        roles = RoleRepository(session)
        if roles.by_name(tenant_id, data.name) is not None:
            raise Conflict(f"a role named {data.name!r} already exists")
        made = roles.add(tenant_id, data.name, data.requirements, data.threshold, data.family,
                         data.description)
        return _role(session, tenant_id, int(made.id))


def update_role(database: Database, tenant_id: int, role_id: int, data: RoleInput) -> RoleDetail:
    """Replace a role's name, threshold, family, description and requirements."""
    RoleBlueprint("check", data.name, tuple(data.requirements), data.threshold, data.family)
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        scope.check_role(role_id)
        scope.competency_ids([r.competency_id for r in data.requirements])
        other = RoleRepository(session).by_name(tenant_id, data.name)
        if other is not None and other.id != str(role_id):
            raise Conflict(f"a role named {data.name!r} already exists")
        scope.update_role(role_id, {"name": data.name, "threshold": data.threshold,
                                    "family": data.family, "description": data.description})
        RoleRepository(session).set_requirements(role_id, data.requirements)
        return _role(session, tenant_id, role_id)


def delete_role(database: Database, tenant_id: int, role_id: int) -> None:
    with database.session() as session:
        TenantScope(session, tenant_id).delete_role(role_id)


def add_transition(database: Database, tenant_id: int, role_id: int, to_role_id: int,
                   kind: str) -> RoleDetail:
    """Join two of the tenant's roles in the lattice (upward or lateral)."""
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        scope.check_role(role_id)
        scope.check_role(to_role_id)
        RoleRepository(session).add_transition(
            Transition(str(role_id), str(to_role_id), TransitionKind(kind)))
        return _role(session, tenant_id, role_id)
