"""Lookups, pages and deletions confined to one tenant, as the REST API needs them.

Every method answers NotFound for another tenant's object exactly as for a missing one,
so callers cannot learn what other tenants hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import Conflict, NotFound

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
from .statements import pk

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

    def lms_item(self, item_id: int | str, course_id: int | str | None = None) -> LmsItemRow:
        row = self.session.get(LmsItemRow, _key(item_id))
        course = None if row is None else self.session.get(CourseRow, row.course_id)
        if row is None or course is None or course.tenant_id != self.tenant_id or (
                course_id is not None and row.course_id != _key(course_id)):
            raise NotFound(f"LMS item {item_id} does not exist")
        return row

    def rule(self, course_id: int | str, rule_id: int | str) -> EvidenceRuleRow:
        row = self.session.get(EvidenceRuleRow, _key(rule_id))
        if row is None:
            raise NotFound(f"rule {rule_id} does not exist")
        try:
            self.lms_item(row.lms_item_id, course_id)
        except NotFound:
            raise NotFound(f"rule {rule_id} does not exist") from None
        return row

    def scales(self) -> list[ScaleRow]:
        """Shipped scales and the tenant's own."""
        return list(self.session.scalars(select(ScaleRow).where(or_(
            ScaleRow.tenant_id.is_(None), ScaleRow.tenant_id == self.tenant_id))
            .order_by(ScaleRow.id)))

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
        row = self.lms_item(item_id, course_id)
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
