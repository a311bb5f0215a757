"""Lookups, pages and deletions confined to one tenant, as the REST API needs them.

Every method answers NotFound for another tenant's object exactly as for a missing one,
so callers cannot learn what other tenants hold.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import Conflict, InvalidInput, NotFound
from lti_tool.domain.roles import RoleBlueprint
from lti_tool.domain.rules import EvidenceRule, condition_to_dict
from lti_tool.domain.scales import ProficiencyScale
from lti_tool.domain.taxonomy import Framework
from lti_tool.records import Course, LmsItem, Person

from ..models import (
    CompetencyRow,
    CourseRow,
    EvidenceRow,
    EvidenceRuleRow,
    FrameworkRow,
    GoalRow,
    LmsItemRow,
    MembershipRow,
    PersonRow,
    RoleRow,
    ScaleRow,
)
from .courses import course_record, lms_item_record, rule_from_row
from .people import person_record
from .roles import blueprints_from_rows
from .statements import pk
from .taxonomy import TaxonomyRepository, frameworks_from_ids

Row = TypeVar("Row", FrameworkRow, RoleRow, PersonRow, CourseRow)


class TenantScope:
    """One tenant's view of the store."""

    def __init__(self, session: Session, tenant_id: int | str) -> None:
        self.session = session
        self.tenant_id = pk(tenant_id)

    def page(self, model: type[Row], offset: int, limit: int) -> tuple[list[Row], int]:
        """Rows of the tenant by id, one page, and how many there are in all."""
        where = model.tenant_id == self.tenant_id
        total = self.session.scalar(select(func.count()).select_from(model).where(where)) or 0
        rows = self.session.scalars(select(model).where(where).order_by(model.id)
                                    .offset(offset).limit(limit))
        return list(rows), total

    def owned(self, model: type[Row], object_id: int | str, what: str) -> Row:
        """The tenant's row with `object_id`, or NotFound."""
        row = self.session.get(model, _key(object_id))
        if row is None or row.tenant_id != self.tenant_id:
            raise NotFound(f"{what} {object_id} does not exist")
        return row

    def course(self, course_id: int | str) -> Course:
        """The tenant's course, or NotFound."""
        return course_record(self.owned(CourseRow, course_id, "course"))

    def person(self, person_id: int | str) -> Person:
        """The tenant's person, or NotFound."""
        return person_record(self.owned(PersonRow, person_id, "person"))

    def check_role(self, role_id: int | str) -> None:
        """NotFound unless the role is the tenant's."""
        self.owned(RoleRow, role_id, "role")

    def role_description(self, role_id: int | str) -> str:
        """The description of the tenant's role, or NotFound."""
        return self.owned(RoleRow, role_id, "role").description

    def has_person(self, person_id: int | str) -> bool:
        row = self.session.get(PersonRow, _key(person_id))
        return row is not None and row.tenant_id == self.tenant_id

    def has_role(self, role_id: int | str) -> bool:
        row = self.session.get(RoleRow, _key(role_id))
        return row is not None and row.tenant_id == self.tenant_id

    def check_framework(self, framework_id: int | str) -> None:
        """NotFound unless the framework is the tenant's."""
        self.owned(FrameworkRow, framework_id, "framework")

    def framework(self, framework_id: int | str) -> tuple[Framework, str]:
        """The tenant's framework as the domain sees it, with its description."""
        row = self.owned(FrameworkRow, framework_id, "framework")
        return frameworks_from_ids(self.session, [row])[0], row.description

    def frameworks_page(self, offset: int, limit: int
                        ) -> tuple[list[tuple[Framework, str]], int]:
        """One page of the tenant's frameworks (with descriptions), and the total."""
        rows, total = self.page(FrameworkRow, offset, limit)
        built = frameworks_from_ids(self.session, rows)
        return [(f, r.description) for f, r in zip(built, rows, strict=True)], total

    def roles_page(self, offset: int, limit: int
                   ) -> tuple[list[tuple[RoleBlueprint, str]], int]:
        """One page of the tenant's role blueprints (with descriptions), and the total."""
        rows, total = self.page(RoleRow, offset, limit)
        built = blueprints_from_rows(self.session, rows)
        return [(b, r.description) for b, r in zip(built, rows, strict=True)], total

    def courses_page(self, offset: int, limit: int) -> tuple[list[Course], int]:
        rows, total = self.page(CourseRow, offset, limit)
        return [course_record(r) for r in rows], total

    def people_page(self, offset: int, limit: int) -> tuple[list[Person], int]:
        rows, total = self.page(PersonRow, offset, limit)
        return [person_record(r) for r in rows], total

    def competency_ids(self, ids: Sequence[str]) -> None:
        """NotFound unless every id is a live (not archived) competency of the tenant's
        frameworks."""
        wanted = {_key(i) for i in ids}
        found = set(self.session.scalars(select(CompetencyRow.id).join(FrameworkRow).where(
            FrameworkRow.tenant_id == self.tenant_id, CompetencyRow.id.in_(wanted),
            CompetencyRow.archived_at.is_(None))))
        missing = sorted(wanted - found)
        if missing:
            raise NotFound(f"competency {missing[0]} does not exist")

    def lms_item(self, item_id: int | str, course_id: int | str | None = None) -> LmsItem:
        """The LMS item of the tenant's course (of `course_id` when given), or NotFound."""
        return lms_item_record(self._lms_item_row(item_id, course_id))

    def _lms_item_row(self, item_id: int | str, course_id: int | str | None = None
                      ) -> LmsItemRow:
        row = self.session.get(LmsItemRow, _key(item_id))
        course = None if row is None else self.session.get(CourseRow, row.course_id)
        if row is None or course is None or course.tenant_id != self.tenant_id or (
                course_id is not None and row.course_id != _key(course_id)):
            raise NotFound(f"LMS item {item_id} does not exist")
        return row

    def rule(self, course_id: int | str, rule_id: int | str) -> EvidenceRule:
        """The evidence rule of the tenant's course, or NotFound."""
        return rule_from_row(self._rule_row(course_id, rule_id))

    def _rule_row(self, course_id: int | str, rule_id: int | str) -> EvidenceRuleRow:
        row = self.session.get(EvidenceRuleRow, _key(rule_id))
        if row is None:
            raise NotFound(f"rule {rule_id} does not exist")
        try:
            self._lms_item_row(row.lms_item_id, course_id)
        except NotFound:
            raise NotFound(f"rule {rule_id} does not exist") from None
        return row

    def live_competency(self, framework_id: int | str, competency_id: int) -> int:
        """The id of a live competency of the tenant's framework, or NotFound."""
        self.check_framework(framework_id)
        row = self.session.get(CompetencyRow, _key(competency_id))
        if row is None or row.framework_id != _key(framework_id) or row.archived_at is not None:
            raise NotFound(f"competency {competency_id} does not exist")
        return row.id

    def check_parent(self, competency_id: int, parent_id: int | None) -> None:
        """The parent is a live competency of the same framework, and not a descendant."""
        row = self.session.get(CompetencyRow, _key(competency_id))
        assert row is not None
        seen = parent_id
        while seen is not None:
            parent = self.session.get(CompetencyRow, seen) if 0 < seen < 2**31 else None
            if parent is None or parent.framework_id != row.framework_id or (
                    parent.archived_at is not None):
                raise NotFound(f"competency {parent_id} does not exist")
            if parent.id == row.id:
                raise InvalidInput("a competency cannot be its own ancestor",
                                   {"parent_id": ["would make a cycle"]})
            seen = parent.parent_id

    def update_rule(self, course_id: int | str, rule: EvidenceRule) -> EvidenceRule:
        """Replace the course's rule `rule.id` (item, competency, level, condition)."""
        row = self._rule_row(course_id, rule.id)
        row.lms_item_id, row.competency_id = pk(rule.lms_item_id), pk(rule.competency_id)
        row.level = rule.level
        row.condition = json.dumps(condition_to_dict(rule.condition))
        self.session.flush()
        return rule_from_row(row)

    def scales(self) -> list[ProficiencyScale]:
        """Stored shipped scales and the tenant's own."""
        taxonomy = TaxonomyRepository(self.session)
        ids = list(self.session.scalars(select(ScaleRow.id).where(or_(
            ScaleRow.tenant_id.is_(None), ScaleRow.tenant_id == self.tenant_id))
            .order_by(ScaleRow.id)))
        return [taxonomy.scale(scale_id) for scale_id in ids]

    def delete_framework(self, framework_id: int | str) -> None:
        row = self.owned(FrameworkRow, framework_id, "framework")
        used = select(CompetencyRow.id).where(CompetencyRow.framework_id == row.id)
        self._refuse_if_evidence(EvidenceRow.competency_id.in_(used), "framework")
        self.session.delete(row)
        self.session.flush()

    def delete_role(self, role_id: int | str) -> None:
        self.session.delete(self.owned(RoleRow, role_id, "role"))
        self.session.flush()

    def update_role(self, role_id: int | str, values: dict[str, Any]) -> None:
        row = self.owned(RoleRow, role_id, "role")
        for name, value in values.items():
            setattr(row, name, value)
        self.session.flush()

    def delete_course(self, course_id: int | str) -> None:
        row = self.owned(CourseRow, course_id, "course")
        items = select(LmsItemRow.id).where(LmsItemRow.course_id == row.id)
        self._refuse_if_evidence(EvidenceRow.lms_item_id.in_(items), "course")
        self.session.delete(row)
        self.session.flush()

    def delete_lms_item(self, course_id: int | str, item_id: int | str) -> None:
        row = self._lms_item_row(item_id, course_id)
        self._refuse_if_evidence(EvidenceRow.lms_item_id == row.id, "LMS item")
        self.session.delete(row)
        self.session.flush()

    def memberships_of(self, person_id: int | str) -> list[tuple[MembershipRow, CourseRow]]:
        person = self.owned(PersonRow, person_id, "person")
        return [(m, c) for m, c in self.session.execute(
            select(MembershipRow, CourseRow).join(CourseRow)
            .where(MembershipRow.person_id == person.id).order_by(MembershipRow.id)).all()]

    def erase_person(self, person_id: int | str) -> None:
        """Delete the person's evidence, goals and memberships, then the person."""
        person = self.owned(PersonRow, person_id, "person")
        for model in (EvidenceRow, GoalRow, MembershipRow):
            self.session.execute(delete(model).where(model.person_id == person.id))
        self.session.delete(person)
        self.session.flush()

    def _refuse_if_evidence(self, condition: Any, what: str) -> None:
        if self.session.scalar(select(exists().where(condition))):
            raise Conflict(f"this {what} has evidence recorded against it; it cannot be "
                           "deleted without losing history")


def _key(value: int | str) -> int:
    """A primary key, where ids too large for the database simply do not exist."""
    number = pk(value)
    if not 0 < number < 2**31:
        return 0
    return number
