"""Mentor links: whom an LMS Mentor mentors in a course, as its last launch's claim said."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, delete, select
from sqlalchemy.orm import Session

from ..models import PersonRow
from ..models.people_evidence import MentorLinkRow
from .statements import insert_if_absent, pk


class MentorLinkRepository:
    """One tenant's mentor links (a course's Mentor → the `sub`s it mentors there)."""

    def __init__(self, session: Session, tenant_id: int | str) -> None:
        self.session = session
        self.tenant_id = pk(tenant_id)

    def mentee_subs(self, course_id: int | str, mentor_id: int | str) -> set[str]:
        """The `sub`s stored for this Mentor in this course."""
        return set(self.session.scalars(select(MentorLinkRow.mentee_sub).where(
            MentorLinkRow.tenant_id == self.tenant_id,
            MentorLinkRow.course_id == pk(course_id),
            MentorLinkRow.mentor_id == pk(mentor_id))))

    def replace(self, course_id: int | str, mentor_id: int | str, subs: Collection[str],
                when: datetime) -> None:
        """Make `subs` this Mentor's whole set in this course: the others are removed."""
        course, mentor, wanted = pk(course_id), pk(mentor_id), set(subs)
        self.session.execute(delete(MentorLinkRow).where(
            MentorLinkRow.tenant_id == self.tenant_id, MentorLinkRow.course_id == course,
            MentorLinkRow.mentor_id == mentor, MentorLinkRow.mentee_sub.not_in(wanted)))
        if not wanted:
            return
        known = {str(sub): int(person) for sub, person in self.session.execute(
            select(PersonRow.sub, PersonRow.id).where(
                PersonRow.tenant_id == self.tenant_id, PersonRow.sub.in_(wanted)))}
        for sub in sorted(wanted):
            insert_if_absent(self.session, MentorLinkRow, {
                "tenant_id": self.tenant_id, "course_id": course, "mentor_id": mentor,
                "mentee_id": known.get(sub), "mentee_sub": sub, "updated_at": when})

    def courses_linking(self, mentor_id: int | str, mentee_id: int | str) -> set[int]:
        """The courses where the Mentor's stored links name this person (by person, or by
        the `sub` of someone who opened CareerPath only after the link was written)."""
        rows = self.session.scalars(select(MentorLinkRow.course_id).join(PersonRow, and_(
            PersonRow.tenant_id == MentorLinkRow.tenant_id,
            PersonRow.sub == MentorLinkRow.mentee_sub)).where(
            MentorLinkRow.tenant_id == self.tenant_id,
            MentorLinkRow.mentor_id == pk(mentor_id),
            PersonRow.id == pk(mentee_id)).distinct())
        return {int(course) for course in rows}

    def forget_mentee(self, sub: str) -> int:
        """Remove every link naming this `sub` (an erasure: links whose person was not
        known yet name the person by `sub` only). How many were removed."""
        found = self.session.execute(delete(MentorLinkRow).where(
            MentorLinkRow.tenant_id == self.tenant_id, MentorLinkRow.mentee_sub == sub))
        return int(getattr(found, "rowcount", 0) or 0)
