"""Launch upserts are idempotent, also when twenty first launches race."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from lti_tool.store import Database
from lti_tool.store.models import CourseRow, MembershipRow, PersonRow
from lti_tool.store.repositories import CourseRepository, PersonRepository, TenantRepository

RACERS = 20


def test_upsert_person_updates_claims_but_never_duplicates(migrated_db: Database) -> None:
    with migrated_db.session() as s:
        tenant = TenantRepository(s).ensure("acme", "Acme")
        people = PersonRepository(s)
        first = people.upsert_person(tenant.id, "sub-1", name="Ada", email="ada@x.org")
        second = people.upsert_person(tenant.id, "sub-1", name="Ada L.", email=None)
    assert second.id == first.id
    assert (second.name, second.email) == ("Ada L.", "ada@x.org")


def test_upsert_course_and_membership(migrated_db: Database) -> None:
    with migrated_db.session() as s:
        tenant = TenantRepository(s).ensure("acme", "Acme")
        courses = CourseRepository(s)
        course = courses.upsert_course(tenant.id, "ctx", title="Intro")
        assert courses.upsert_course(tenant.id, "ctx").title == "Intro"
        renamed = courses.upsert_course(tenant.id, "ctx", title="Intro II")
        person = PersonRepository(s).upsert_person(tenant.id, "sub")
        courses.upsert_membership(course.id, person.id, ["Learner"])
        member = courses.upsert_membership(course.id, person.id, "Learner Mentor", "Inactive")
    assert renamed.id == course.id and renamed.title == "Intro II"
    assert member.roles == ("Learner", "Mentor") and member.status == "Inactive"
    with migrated_db.session() as s:
        assert s.scalar(select(func.count()).select_from(CourseRow)) == 1
        assert s.scalar(select(func.count()).select_from(MembershipRow)) == 1


def test_twenty_concurrent_first_launches_leave_one_row(migrated_db: Database) -> None:
    with migrated_db.session() as s:
        tenant_id = TenantRepository(s).ensure("acme", "Acme").id
    barrier = threading.Barrier(RACERS)

    def first_launch(_: int) -> tuple[int, int, int]:
        barrier.wait()
        with migrated_db.session() as s:
            person = PersonRepository(s).upsert_person(tenant_id, "racer", name="R")
            courses = CourseRepository(s)
            course = courses.upsert_course(tenant_id, "ctx-race", title="Race")
            member = courses.upsert_membership(course.id, person.id, "Learner")
            return person.id, course.id, member.id

    with ThreadPoolExecutor(RACERS) as pool:
        results = set(pool.map(first_launch, range(RACERS)))
    assert len(results) == 1
    with migrated_db.session() as s:
        for table in (PersonRow, CourseRow, MembershipRow):
            assert s.scalar(select(func.count()).select_from(table)) == 1
