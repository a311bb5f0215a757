"""A course's active members, read as columns: the same records the ORM would give."""

from __future__ import annotations

from sqlalchemy import select

from lti_tool.store import Database
from lti_tool.store.models import CourseRow, MembershipRow, PersonRow
from lti_tool.store.repositories import PersonRepository
from lti_tool.store.repositories.courses import CourseRepository
from lti_tool.store.repositories.people import person_record
from tests.integration.store.test_store_prepared_reads import _with_evidence


def test_active_members_are_the_records_the_orm_rows_make(migrated_db: Database) -> None:
    _registration, tenant_id, person_id = _with_evidence(migrated_db)
    with migrated_db.session() as session:
        course_id = session.scalars(select(CourseRow.id)).one()
        people = PersonRepository(session)
        courses = CourseRepository(session)
        for number, status in enumerate(("Active", "Active", "Inactive")):
            other = people.upsert_person(tenant_id, f"member-{number}", name=f"Member {number}")
            courses.upsert_membership(course_id, other.id, "Learner", status=status)
    with migrated_db.read_session() as session:
        members = CourseRepository(session).active_members(course_id)
        rows = session.scalars(select(PersonRow).join(
            MembershipRow, MembershipRow.person_id == PersonRow.id).where(
            MembershipRow.course_id == course_id, MembershipRow.status == "Active")
            .order_by(PersonRow.id)).all()
        expected = [person_record(row) for row in rows]
    assert [person for person, _roles in members] == expected
    assert len(expected) == 3 and person_id in {p.id for p in expected}, \
        "the launched learner and two members; the inactive one left out"
    assert all(person.created_at.tzinfo is not None for person in expected)
    assert {roles for _person, roles in members} >= {"Learner"}
