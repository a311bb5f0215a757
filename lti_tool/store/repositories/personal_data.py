"""Reads for the personal-data export: every row about one person, as plain JSON values.

Each function reads one section; `usecases.person_export.SECTIONS` lists them, so a new
table about people (submissions, observations, ...) is one function here and one entry there.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.records import Person

from ..models import (
    BadgeRow,
    BadgeSubjectRow,
    CompetencyRow,
    CourseRow,
    EvidenceRow,
    GoalRow,
    LmsItemRow,
    MembershipRow,
    ReadyStateRow,
    RoleChangeRow,
    RoleRow,
)
from .erasure import ErasureRepository


def person_section(session: Session, person: Person) -> dict[str, Any]:
    subject = session.get(BadgeSubjectRow, person.id)
    return {"id": person.id, "sub": person.sub, "name": person.name,
            "given_name": person.given_name, "family_name": person.family_name,
            "email": person.email, "locale": person.locale,
            "current_role_id": person.current_role_id, "created_at": _iso(person.created_at),
            "badge_subject": None if subject is None else f"urn:uuid:{subject.subject_uuid}"}


def memberships_section(session: Session, person: Person) -> list[dict[str, Any]]:
    rows = session.execute(select(MembershipRow, CourseRow).join(CourseRow).where(
        MembershipRow.person_id == person.id).order_by(MembershipRow.id)).all()
    return [{"course_id": c.id, "context_id": c.context_id, "course_title": c.title,
             "roles": m.roles.split(), "status": m.status, "updated_at": _iso(m.updated_at)}
            for m, c in rows]


def evidence_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """Each piece of evidence with its source: the LMS item (and course) or competency."""
    rows = session.execute(
        select(EvidenceRow, LmsItemRow, CourseRow, CompetencyRow)
        .outerjoin(LmsItemRow, LmsItemRow.id == EvidenceRow.lms_item_id)
        .outerjoin(CourseRow, CourseRow.id == LmsItemRow.course_id)
        .outerjoin(CompetencyRow, CompetencyRow.id == EvidenceRow.competency_id)
        .where(EvidenceRow.person_id == person.id)
        .order_by(EvidenceRow.observed_at, EvidenceRow.id)).all()
    return [{"id": e.id, "kind": e.kind, "value": e.value, "observed_at": _iso(e.observed_at),
             "recorded_at": _iso(e.created_at), "source_ref": e.source_ref,
             "verifier": e.verifier, "recorded_by_api_key_id": e.author_key_id,
             "source": _source(item, course, competency)}
            for e, item, course, competency in rows]


def goals_section(session: Session, person: Person) -> list[dict[str, Any]]:
    rows = session.execute(select(GoalRow, RoleRow).join(RoleRow).where(
        GoalRow.person_id == person.id).order_by(GoalRow.created_at)).all()
    return [{"role_id": r.id, "role_name": r.name, "declared_at": _iso(g.created_at)}
            for g, r in rows]


def readiness_states_section(session: Session, person: Person) -> list[dict[str, Any]]:
    rows = session.execute(select(ReadyStateRow, RoleRow).join(RoleRow).where(
        ReadyStateRow.person_id == person.id).order_by(RoleRow.id)).all()
    return [{"role_id": r.id, "role_name": r.name, "ready": s.ready, "score": s.score,
             "updated_at": _iso(s.updated_at)} for s, r in rows]


def badges_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """Every badge issued to the person, revoked ones too, with both credential forms."""
    rows = session.scalars(select(BadgeRow).where(BadgeRow.person_id == person.id)
                           .order_by(BadgeRow.created_at))
    return [{"id": b.id, "name": b.name, "kind": b.kind, "achievement_key": b.achievement_key,
             "valid_from": _iso(b.valid_from), "valid_until": _iso(b.valid_until),
             "revoked_at": _iso(b.revoked_at), "revocation_reason": b.revocation_reason,
             "credential": json.loads(b.credential_json), "credential_jwt": b.compact_jwt}
            for b in rows]


def hris_changes_section(session: Session, person: Person) -> list[dict[str, Any]]:
    rows = session.scalars(select(RoleChangeRow).where(RoleChangeRow.person_id == person.id)
                           .order_by(RoleChangeRow.effective_date, RoleChangeRow.id))
    return [{"id": c.id, "kind": c.kind, "from_role_id": c.from_role_id,
             "to_role_id": c.to_role_id, "effective_date": _iso(c.effective_date),
             "recorded_at": _iso(c.created_at)} for c in rows]


def events_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """The events (webhook payloads) that name the person."""
    found = ErasureRepository(session).events_naming(person.tenant_id, person.id, person.sub)
    return [{"id": e.id, "type": e.type, "created_at": _iso(e.created_at),
             "data": json.loads(e.data)} for e in found]


def _source(item: LmsItemRow | None, course: CourseRow | None,
            competency: CompetencyRow | None) -> dict[str, Any]:
    if item is not None:
        return {"type": "lms_item", "lms_item_id": item.id, "lms_id": item.lms_id,
                "title": item.title, "course_id": item.course_id,
                "course_title": "" if course is None else course.title}
    assert competency is not None
    return {"type": "competency", "competency_id": competency.id, "code": competency.code,
            "name": competency.name}


def _iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()
