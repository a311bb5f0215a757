"""A repeat launch is recognised in one statement; any difference sends it to the upserts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lti_tool.domain.errors import NotFound
from lti_tool.store import Database
from lti_tool.store.repositories import CourseRepository, PersonRepository, TenantRepository
from lti_tool.store.repositories.launches import LaunchFacts, recorded_launch
from lti_tool.store.repositories.lti import LtiRepository
from lti_tool.store.repositories.sync import SyncRepository

FACTS = LaunchFacts(
    deployment_id="dep-1", sub="sub-1",
    person={"name": "Ada", "given_name": "Ada", "family_name": "L", "email": "a@x.org",
            "locale": "en"},
    roles=("Learner",), context_id="ctx-1", course_title="Intro", course_label="INT",
    memberships_url="https://lms/m", lineitems_url="https://lms/l", scopes=("b", "a"))


def _recorded(db: Database) -> int:
    """A registration with FACTS recorded as the launch's upserts would; its id."""
    with db.session() as s:
        tenant = TenantRepository(s).ensure("acme", "Acme")
        lti = LtiRepository(s)
        registration = lti.add_registration(
            tenant.id, "https://lms", "client-1", keyset_url="https://lms/jwks",
            auth_login_url="https://lms/auth", auth_token_url="https://lms/token")
        lti.ensure_deployment(registration.id, FACTS.deployment_id)
        person = PersonRepository(s).upsert_person(tenant.id, FACTS.sub, **FACTS.person)
        courses = CourseRepository(s)
        course = courses.upsert_course(tenant.id, FACTS.context_id,
                                       registration_id=registration.id,
                                       title=FACTS.course_title, label=FACTS.course_label)
        courses.upsert_membership(course.id, person.id, FACTS.roles, "Active")
        SyncRepository(s).save_services(course.id, FACTS.memberships_url,
                                        FACTS.lineitems_url, FACTS.scopes)
    return registration.id


def test_a_repeat_launch_is_unchanged(migrated_db: Database) -> None:
    registration_id = _recorded(migrated_db)
    with migrated_db.read_session() as s:
        found = recorded_launch(s, registration_id, FACTS)
    assert found.registration.id == registration_id
    assert found.unchanged is not None
    person, course = found.unchanged
    assert person.sub == "sub-1" and course is not None and course.title == "Intro"


@pytest.mark.parametrize("change", [
    {"deployment_id": "dep-new"}, {"sub": "sub-new"},
    {"person": {**FACTS.person, "name": "Ada Lovelace"}}, {"roles": ("Instructor",)},
    {"context_id": "ctx-new"}, {"course_title": "Intro II"}, {"course_label": "INT2"},
    {"memberships_url": "https://lms/m2"}, {"lineitems_url": "https://lms/l2"},
    {"scopes": ("a", "b", "c")},
], ids=lambda change: next(iter(change)))
def test_any_difference_is_not_unchanged(migrated_db: Database, change: dict) -> None:
    registration_id = _recorded(migrated_db)
    with migrated_db.read_session() as s:
        assert recorded_launch(s, registration_id, replace(FACTS, **change)).unchanged is None


def test_empty_service_urls_change_nothing(migrated_db: Database) -> None:
    registration_id = _recorded(migrated_db)
    quiet = replace(FACTS, memberships_url="", lineitems_url="", scopes=())
    with migrated_db.read_session() as s:
        assert recorded_launch(s, registration_id, quiet).unchanged is not None


def test_a_disabled_deployment_goes_to_the_upserts(migrated_db: Database) -> None:
    registration_id = _recorded(migrated_db)
    with migrated_db.session() as s:
        lti = LtiRepository(s)
        lti.set_deployment_enabled(lti.deployment(registration_id, "dep-1").id, False)
    with migrated_db.read_session() as s:
        assert recorded_launch(s, registration_id, FACTS).unchanged is None


def test_a_launch_without_a_course_needs_only_the_person(migrated_db: Database) -> None:
    registration_id = _recorded(migrated_db)
    with migrated_db.read_session() as s:
        found = recorded_launch(s, registration_id, replace(FACTS, context_id=""))
    assert found.unchanged is not None and found.unchanged[1] is None


def test_an_unknown_registration_is_not_found(migrated_db: Database) -> None:
    with migrated_db.read_session() as s, pytest.raises(NotFound):
        recorded_launch(s, 999, FACTS)


def test_the_statement_alone_reads_as_the_session_does(migrated_db: Database) -> None:
    registration_id = _recorded(migrated_db)
    for facts in (FACTS, replace(FACTS, roles=("Instructor",)), replace(FACTS, context_id="")):
        with migrated_db.read_session() as s:
            in_session = recorded_launch(s, registration_id, facts)
        assert recorded_launch(migrated_db, registration_id, facts) == in_session
    with pytest.raises(NotFound):
        recorded_launch(migrated_db, 999, FACTS)


def test_reading_alone_leaves_its_connection_outside_any_transaction(
        migrated_db: Database) -> None:
    registration_id = _recorded(migrated_db)
    migrated_db.engine.pool.dispose()  # one pooled connection: the read's, then ours
    assert recorded_launch(migrated_db, registration_id, FACTS).unchanged is not None
    pooled = migrated_db.engine.raw_connection()
    try:
        driver = pooled.driver_connection
        if migrated_db.dialect == "postgresql":
            from psycopg.pq import TransactionStatus

            assert driver.info.transaction_status == TransactionStatus.IDLE
            assert driver.autocommit is False, "autocommit only for the read"
        else:
            assert not driver.in_transaction
    finally:
        pooled.close()
    with migrated_db.session() as s:  # a writer right after is not blocked by the read
        PersonRepository(s).upsert_person(
            TenantRepository(s).ensure("acme", "Acme").id, "sub-2", name="B")
