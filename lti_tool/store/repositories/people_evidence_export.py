"""Export sections for people's evidence: project submissions, observations about the
person, self-ratings, reporting lines and LMS mentor links (see
`usecases.person_export.SECTIONS`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lti_tool.records import Person

from ..models.people_evidence import (
    MentorLinkRow,
    ObservationRow,
    ProjectSubmissionRow,
    ReportingLineRow,
    SelfRatingRow,
)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def project_submissions_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """The artifact links the person submitted, with their review."""
    rows = session.scalars(select(ProjectSubmissionRow).where(
        ProjectSubmissionRow.person_id == person.id).order_by(ProjectSubmissionRow.id))
    return [{"id": r.id, "competency_id": r.competency_id, "title": r.title, "url": r.url,
             "state": r.state, "submitted_at": _iso(r.submitted_at),
             "reviewer_id": r.reviewer_id, "reviewed_at": _iso(r.reviewed_at),
             "level": r.level, "comment": r.comment} for r in rows]


def observations_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """Observations about the person (withdrawn ones included, marked)."""
    rows = session.scalars(select(ObservationRow).where(
        ObservationRow.person_id == person.id).order_by(ObservationRow.id))
    return [{"id": r.id, "competency_id": r.competency_id, "author_id": r.author_id,
             "as_manager": r.as_manager, "level": r.level, "anchor": r.anchor,
             "note": r.note, "observed_at": _iso(r.observed_at),
             "withdrawn_at": _iso(r.withdrawn_at)} for r in rows]


def self_ratings_section(session: Session, person: Person) -> list[dict[str, Any]]:
    rows = session.scalars(select(SelfRatingRow).where(
        SelfRatingRow.person_id == person.id).order_by(SelfRatingRow.competency_id))
    return [{"competency_id": r.competency_id, "level": r.level, "anchor": r.anchor,
             "rated_at": _iso(r.rated_at)} for r in rows]


def reporting_lines_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """Who manages the person and whom they manage, as the HRIS said."""
    rows = session.scalars(select(ReportingLineRow).where(or_(
        ReportingLineRow.person_id == person.id, ReportingLineRow.manager_id == person.id))
        .order_by(ReportingLineRow.manager_id, ReportingLineRow.person_id))
    return [{"manager_id": r.manager_id, "person_id": r.person_id,
             "recorded_at": _iso(r.created_at)} for r in rows]


def mentor_links_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """Whom the person mentors and who mentors them in a course, as the LMS's last Mentor
    launch there said (a mentee is named by `sub` until CareerPath knows them)."""
    rows = session.scalars(select(MentorLinkRow).where(
        MentorLinkRow.tenant_id == person.tenant_id, or_(
            MentorLinkRow.mentor_id == person.id, MentorLinkRow.mentee_id == person.id,
            MentorLinkRow.mentee_sub == person.sub)).order_by(MentorLinkRow.id))
    return [{"course_id": r.course_id, "mentor_id": r.mentor_id, "mentee_id": r.mentee_id,
             "mentee_sub": r.mentee_sub, "updated_at": _iso(r.updated_at)} for r in rows]
