"""Courses, memberships, LMS items and the evidence rules attached to them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, Select, delete, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound
from lti_tool.domain.rules import (
    Condition,
    EvidenceRule,
    condition_from_dict,
    condition_to_dict,
)

from ...clock import utcnow
from ...records import Course, LmsItem, Membership, Person
from ..models import CourseRow, EvidenceRuleRow, LmsItemRow, MembershipRow, PersonRow
from .people import PERSON_COLUMNS
from .statements import find_or_insert, insert_if_absent, pk


def course_record(row: CourseRow) -> Course:
    return Course(id=row.id, tenant_id=row.tenant_id, registration_id=row.registration_id,
                  context_id=row.context_id, title=row.title, label=row.label,
                  created_at=row.created_at)


def membership_record(row: MembershipRow) -> Membership:
    return Membership(id=row.id, course_id=row.course_id, person_id=row.person_id,
                      roles=tuple(row.roles.split()), status=row.status,
                      updated_at=row.updated_at)


def lms_item_record(row: LmsItemRow) -> LmsItem:
    return LmsItem(id=row.id, course_id=row.course_id, kind=row.kind, lms_id=row.lms_id,
                   title=row.title, score_maximum=row.score_maximum, effort=row.effort,
                   tag=row.tag, resource_link_id=row.resource_link_id)


def rule_from_row(row: EvidenceRuleRow | Row[Any]) -> EvidenceRule:
    """A domain rule from an ORM row or a plain row with the same columns."""
    return rule_from_values(row.id, row.lms_item_id, row.competency_id, row.level,
                            row.condition)


def rule_from_values(rule_id: int, lms_item_id: int, competency_id: int, level: int,
                     condition: str) -> EvidenceRule:
    """A domain rule from its stored column values."""
    return EvidenceRule(id=str(rule_id), lms_item_id=str(lms_item_id),
                        competency_id=str(competency_id), level=level,
                        condition=stored_condition(condition))


@lru_cache(maxsize=4096)
def stored_condition(text: str) -> Condition:
    """A rule's condition from its stored JSON; parsed once per distinct text (conditions
    are frozen, so one parsed value can serve every request)."""
    return condition_from_dict(json.loads(text))


def _changed(row: object, values: Mapping[str, object]) -> bool:
    """Set the attributes that differ; True when any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _course_key(tenant_id: int | str, context_id: str,
                registration_id: int | str | None) -> dict[str, Any]:
    return {"tenant_id": pk(tenant_id), "context_id": context_id,
            "registration_id": None if registration_id is None else pk(registration_id)}


def _course_query(key: dict[str, Any]) -> Select[CourseRow]:
    return select(CourseRow).where(*(getattr(CourseRow, k).is_(v) if v is None
                                     else getattr(CourseRow, k) == v for k, v in key.items()))


def _course_updates(title: str | None, label: str | None) -> dict[str, object]:
    return {k: v for k, v in (("title", title), ("label", label)) if v is not None}


def _roles_text(roles: str | Iterable[str]) -> str:
    return roles if isinstance(roles, str) else " ".join(roles)


class CourseRepository:
    """Courses as launches and syncs see them, idempotent where launches race."""

    def __init__(self, session: Session) -> None:
        self.session = session



    def active_members(self, course_id: int) -> list[tuple[Person, str]]:
        """Each active member of the course with the membership's roles as stored, by id."""
        rows = self.session.execute(select(*PERSON_COLUMNS, MembershipRow.roles).join(
            MembershipRow, MembershipRow.person_id == PersonRow.id).where(
            MembershipRow.course_id == course_id, MembershipRow.status == "Active")
            .order_by(PersonRow.id))
        return [(Person(*row[:-1]), row[-1]) for row in rows]

    def active_member_roles(self, course_id: int) -> list[tuple[int, str]]:
        """(person id, roles as stored) of the course's active members, by person id."""
        rows = self.session.execute(select(MembershipRow.person_id, MembershipRow.roles).where(
            MembershipRow.course_id == course_id, MembershipRow.status == "Active")
            .order_by(MembershipRow.person_id)).all()
        return [(int(person), str(roles)) for person, roles in rows]

    def upsert_course(self, tenant_id: int | str, context_id: str,
                      registration_id: int | str | None = None, *, title: str | None = None,
                      label: str | None = None) -> Course:
        """The course of an LTI context, created on first sight; title/label kept current."""
        key = _course_key(tenant_id, context_id, registration_id)
        row = find_or_insert(self.session, CourseRow, _course_query(key),
                             {**key, "title": title or "", "label": label or ""})
        if _changed(row, _course_updates(title, label)):
            self.session.flush()
        return course_record(row)

    def course(self, course_id: int | str) -> Course:
        row = self.session.get(CourseRow, pk(course_id))
        if row is None:
            raise NotFound(f"course {course_id} does not exist")
        return course_record(row)

    def upsert_membership(self, course_id: int | str, person_id: int | str,
                          roles: str | Iterable[str] = "", status: str = "Active") -> Membership:
        """The person's membership of the course, with its roles and status brought current."""
        text = _roles_text(roles)
        key = {"course_id": pk(course_id), "person_id": pk(person_id)}
        row = find_or_insert(self.session, MembershipRow, select(MembershipRow).filter_by(**key),
                             {**key, "roles": text, "status": status, "updated_at": utcnow()},
                             people=(pk(person_id),))
        if _changed(row, {"roles": text, "status": status}):
            self.session.flush()
        return membership_record(row)

    def memberships(self, course_id: int | str) -> list[Membership]:
        rows = self.session.scalars(select(MembershipRow).where(
            MembershipRow.course_id == pk(course_id)).order_by(MembershipRow.id))
        return [membership_record(row) for row in rows]

    def upsert_lms_item(self, course_id: int | str, kind: str, lms_id: str, *,
                        title: str = "", score_maximum: float | None = None,
                        effort: float | None = None, tag: str = "",
                        resource_link_id: str = "") -> LmsItem:
        """A line item or resource link of the course; a sync refreshes title, max and tag."""
        key = {"course_id": pk(course_id), "kind": kind, "lms_id": lms_id}
        facts = {"title": title, "score_maximum": score_maximum, "tag": tag,
                 "resource_link_id": resource_link_id}
        insert_if_absent(self.session, LmsItemRow, {**key, **facts,
                                                    "effort": 1.0 if effort is None else effort})
        row = self.session.scalars(select(LmsItemRow).filter_by(**key)).one()
        if effort is not None:
            facts["effort"] = effort
        if _changed(row, facts):
            self.session.flush()
        return lms_item_record(row)

    def lms_item(self, item_id: int | str) -> LmsItem:
        row = self.session.get(LmsItemRow, pk(item_id))
        if row is None:
            raise NotFound(f"LMS item {item_id} does not exist")
        return lms_item_record(row)

    def lms_items(self, course_id: int | str) -> list[LmsItem]:
        rows = self.session.scalars(select(LmsItemRow).where(
            LmsItemRow.course_id == pk(course_id)).order_by(LmsItemRow.id))
        return [lms_item_record(row) for row in rows]

    def add_rule(self, rule: EvidenceRule) -> EvidenceRule:
        """Store a rule (its `id` is ignored); the stored rule with its new id."""
        row = EvidenceRuleRow(lms_item_id=pk(rule.lms_item_id),
                              competency_id=pk(rule.competency_id), level=rule.level,
                              condition=json.dumps(condition_to_dict(rule.condition)))
        self.session.add(row)
        self.session.flush()
        return rule_from_row(row)

    def rules_for_course(self, course_id: int | str) -> list[EvidenceRule]:
        rows = self.session.scalars(select(EvidenceRuleRow).join(LmsItemRow).where(
            LmsItemRow.course_id == pk(course_id)).order_by(EvidenceRuleRow.id))
        return [rule_from_row(row) for row in rows]

    def delete_rule(self, rule_id: int | str) -> None:
        self.session.execute(delete(EvidenceRuleRow).where(EvidenceRuleRow.id == pk(rule_id)))
