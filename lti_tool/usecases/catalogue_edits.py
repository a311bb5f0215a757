"""Edits of a tenant's catalogue the REST API offers beyond create and read: competency
update and delete (or archive), evidence rule update, scale create, transition delete."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.rules import EvidenceRule, condition_from_dict
from ..domain.scales import SHIPPED_SCALES, ProficiencyScale, scale_with_mastery_point
from ..store.database import Database
from ..store.repositories.roles import RoleRepository
from ..store.repositories.taxonomy import TaxonomyRepository
from ..store.repositories.tenant_scope import TenantScope
from .catalogue import AnchorInput, FrameworkDetail, RoleDetail, get_framework, get_role
from .course_mapping import RuleInput

UNSET: Any = object()


@dataclass(frozen=True)
class CompetencyChange:
    """A partial update: fields left UNSET keep their value; `anchors` replaces them all."""

    name: Any = UNSET
    description: Any = UNSET
    parent_id: Any = UNSET
    anchors: Any = UNSET
    badge_level: Any = UNSET


@dataclass(frozen=True)
class ScaleInput:
    key: str
    name: str
    levels: Sequence[tuple[int, str, bool]]  # value, label, is the mastery point


def update_competency(database: Database, tenant_id: int, framework_id: int,
                      competency_id: int, change: CompetencyChange) -> FrameworkDetail:
    """Change a competency's name, description, parent, anchors or badge level."""
    scale = get_framework(database, tenant_id, framework_id).framework.scale
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        found = scope.live_competency(framework_id, competency_id)
        if change.parent_id is not UNSET:
            scope.check_parent(found, change.parent_id)
        if change.badge_level is not UNSET and change.badge_level is not None:
            _check_level(scale, change.badge_level, "badge_level")
        TaxonomyRepository(session).update_competency(found, {
            name: getattr(change, name)
            for name in ("parent_id", "name", "description", "badge_level")
            if getattr(change, name) is not UNSET})
        if change.anchors is not UNSET:
            _replace_anchors(session, found, scale, change.anchors)
        session.flush()
    return get_framework(database, tenant_id, framework_id)


def delete_competency(database: Database, tenant_id: int, framework_id: int,
                      competency_id: int, force: bool = False) -> str:
    """Delete an unused competency ("deleted"); one that rules or evidence use is refused
    (Conflict) unless `force`, which archives it ("archived"): hidden from catalogue and
    readiness, its rules and role requirements dropped, its evidence kept."""
    with database.session() as session:
        found = TenantScope(session, tenant_id).live_competency(framework_id, competency_id)
        taxonomy = TaxonomyRepository(session)
        if taxonomy.has_live_children(found):
            raise Conflict("this competency has child competencies; move or delete them first")
        in_use = [what for what, used in zip(("evidence rules", "evidence"),
                                             taxonomy.competency_uses(found), strict=True)
                  if used]
        if not in_use:
            taxonomy.delete_competency(found)
            return "deleted"
        if not force:
            raise Conflict(f"this competency is used by {' and '.join(in_use)}; delete with "
                           "?force=true to archive it (its evidence is kept)")
        taxonomy.drop_rules_and_requirements(found)
        taxonomy.archive_competency(found, utcnow())
        return "archived"


def update_rule(database: Database, tenant_id: int, course_id: int, rule_id: int,
                data: RuleInput) -> EvidenceRule:
    """Replace an evidence rule's item, competency, level and condition."""
    try:
        condition = condition_from_dict(data.condition)
    except InvalidInput as exc:
        raise InvalidInput(str(exc), {"condition": [str(exc)]}) from None
    rule = EvidenceRule(str(rule_id), str(data.lms_item_id), str(data.competency_id),
                        data.level, condition)
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        scope.course(course_id)
        scope.rule(course_id, rule_id)
        for item_id in sorted(rule.items()):
            scope.lms_item(item_id, course_id)
        scope.competency_ids([str(data.competency_id)])
        return scope.update_rule(course_id, rule)


def create_scale(database: Database, tenant_id: int, data: ScaleInput) -> ProficiencyScale:
    """A tenant's own proficiency scale; its key may not be a shipped or existing one."""
    scale = scale_with_mastery_point(data.key, data.name, list(data.levels))
    if any(s.key == data.key for s in SHIPPED_SCALES):
        raise Conflict(f"scale key {data.key!r} is a shipped scale")
    with database.session() as session:
        taxonomy = TaxonomyRepository(session)
        if taxonomy.scale_id(data.key, tenant_id) is not None:
            raise Conflict(f"a scale with key {data.key!r} already exists")
        return taxonomy.scale(taxonomy.ensure_scale(scale, tenant_id))


def delete_transition(database: Database, tenant_id: int, role_id: int,
                      to_role_id: int) -> RoleDetail:
    """Remove one transition of the lattice; NotFound when there is none."""
    with database.session() as session:
        TenantScope(session, tenant_id).check_role(role_id)
        if not RoleRepository(session).remove_transition(role_id, to_role_id):
            raise NotFound(f"transition {role_id} → {to_role_id} does not exist")
    return get_role(database, tenant_id, role_id)


def _replace_anchors(session: Session, competency_id: int, scale: ProficiencyScale,
                     anchors: Sequence[AnchorInput]) -> None:
    levels = [a.level for a in anchors]
    if len(levels) != len(set(levels)):
        raise InvalidInput("two anchors at one level", {"anchors": ["one anchor per level"]})
    for level in levels:
        _check_level(scale, level, "anchors")
    TaxonomyRepository(session).replace_anchors(competency_id, [(a.level, a.text) for a in anchors])


def _check_level(scale: ProficiencyScale, level: int, field: str) -> None:
    if level not in {lv.value for lv in scale.levels}:
        raise InvalidInput(f"{level} is not a level of the scale {scale.name!r}",
                           {field: ["not a level of the framework's scale"]})


def changed_fields(data: Mapping[str, Any]) -> CompetencyChange:
    """The change a PATCH body names (absent keys stay UNSET)."""
    return CompetencyChange(**{k: v for k, v in data.items()
                               if k in CompetencyChange.__dataclass_fields__})
