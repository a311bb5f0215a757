"""The people-data watcher names the people a commit wrote, or says it may concern anyone.

Kept readiness pages (widgets.page_cache) are dropped by these answers: a person's own
version for a write of their rows, the version of anyone's data for every other write. A
wrong "these people only" would leave a stale page, so each way of writing is checked.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from lti_tool.store import Database
from lti_tool.store.bulk_inserts import BulkInsert
from lti_tool.store.learner_data import watch_people_data_changes
from lti_tool.store.models import CourseRow, EvidenceRow, LmsItemRow, MembershipRow, PersonRow
from lti_tool.store.repositories import PersonRepository
from lti_tool.store.repositories.statements import insert_if_absent
from tests.integration.store.test_store_prepared_reads import _with_evidence

AT = datetime(2026, 12, 7, tzinfo=UTC)


def _item(db: Database) -> int:
    with db.read_session() as session:
        return session.scalars(select(LmsItemRow.id)).one()


@pytest.fixture
def changes(migrated_db: Database) -> list[frozenset[int] | None]:
    seen: list[frozenset[int] | None] = []
    watch_people_data_changes(migrated_db.session_factory, seen.append)
    return seen


def test_an_orm_change_of_a_persons_rows_names_that_person(
        migrated_db: Database, changes: list[frozenset[int] | None]) -> None:
    _registration, tenant_id, person_id = _with_evidence(migrated_db)
    item_id = _item(migrated_db)
    changes.clear()
    with migrated_db.session() as session:
        row = session.get(PersonRow, person_id)
        assert row is not None
        row.name = "Renamed"
        session.add(EvidenceRow(tenant_id=tenant_id, person_id=person_id,
                                kind="lms_completion", value=1.0, observed_at=AT,
                                lms_item_id=item_id, source_ref="orm-added"))
    assert changes == [frozenset({person_id})]


def test_a_core_statement_names_people_only_when_it_says_whose_rows_it_writes(
        migrated_db: Database, changes: list[frozenset[int] | None]) -> None:
    _registration, _tenant_id, person_id = _with_evidence(migrated_db)
    course_id = _course_id(migrated_db)
    changes.clear()
    with migrated_db.session() as session:
        session.execute(update(MembershipRow).values(status="Inactive"))
    with migrated_db.session() as session:
        session.execute(update(MembershipRow).values(status="Active"),
                        execution_options={"careerpath_writes_people": (person_id,)})
    with migrated_db.session() as session:
        session.execute(update(MembershipRow).values(status="Active"),
                        execution_options={"careerpath_writes_people": (person_id,)})
        session.execute(update(LmsItemRow).values(title="Renamed quiz"))  # anyone's pages
    with migrated_db.session() as session:
        session.execute(update(MembershipRow).where(MembershipRow.course_id == course_id)
                        .values(status="Active"))
        session.rollback()
    assert changes == [None, frozenset({person_id}), None]


def test_a_first_launchs_rows_concern_only_the_new_person(
        migrated_db: Database, changes: list[frozenset[int] | None]) -> None:
    _registration, tenant_id, person_id = _with_evidence(migrated_db)
    course_id = _course_id(migrated_db)
    changes.clear()
    with migrated_db.session() as session:
        new = PersonRepository(session).upsert_person(tenant_id, "a-new-sub", name="New")
    with migrated_db.session() as session:
        insert_if_absent(session, MembershipRow, {
            "course_id": course_id, "person_id": int(new.id), "roles": "", "status": "Active",
            "updated_at": AT}, people=(int(new.id),))
    assert changes == [frozenset(), frozenset({int(new.id)})]
    assert int(new.id) != person_id


def test_a_bulk_insert_may_concern_anyone(migrated_db: Database,
                                          changes: list[frozenset[int] | None]) -> None:
    _registration, tenant_id, person_id = _with_evidence(migrated_db)
    item_id = _item(migrated_db)
    changes.clear()
    columns = ("tenant_id", "person_id", "kind", "lms_item_id", "value", "observed_at",
               "source_ref", "verifier", "created_at")
    with migrated_db.session() as session:
        BulkInsert(EvidenceRow.__table__, columns).run_rows(session, [
            (tenant_id, person_id, "lms_completion", item_id, 1.0, AT, "bulk:1", "lms", AT)])
    with migrated_db.session() as session:  # a later transaction writing nothing watched
        session.scalars(select(PersonRow.id)).all()
    assert changes == [None]


def test_a_row_moved_to_another_person_concerns_both(
        migrated_db: Database, changes: list[frozenset[int] | None]) -> None:
    _registration, tenant_id, person_id = _with_evidence(migrated_db)
    with migrated_db.session() as session:
        other = PersonRepository(session).upsert_person(tenant_id, "another-sub", name="B")
    changes.clear()
    with migrated_db.session() as session:
        row = session.scalars(select(EvidenceRow).where(
            EvidenceRow.person_id == person_id)).first()
        assert row is not None
        row.person_id = int(other.id)
    assert changes == [frozenset({person_id, int(other.id)})]


def test_a_course_change_may_concern_anyone(migrated_db: Database,
                                            changes: list[frozenset[int] | None]) -> None:
    """Deleting a course deletes its memberships, items and rules by ON DELETE CASCADE."""
    _with_evidence(migrated_db)
    changes.clear()
    with migrated_db.session() as session:
        session.execute(update(CourseRow).values(title="Renamed course"))
    assert changes == [None]


def _course_id(db: Database) -> int:
    """The one course `_with_evidence` records."""
    with db.session() as session:
        return session.scalars(select(CourseRow.id)).one()


def test_a_commit_announces_its_versions_in_one_step(migrated_db: Database,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Every commit of learner data moves the course-wide version and the versions of the
    people it wrote (of anyone's data when they are not known) in one shared-cache call:
    one round trip with Redis, one transaction in the database's cache (a Canvas sync
    commits 1,850 pages)."""
    from lti_tool import create_app
    from lti_tool.bootstrap import services

    svc = services(create_app({"database_url": migrated_db.url.render_as_string(
        hide_password=False), "sync_on_launch": False}))
    _registration, _tenant_id, person_id = _with_evidence(migrated_db)
    bumped: list[list[str]] = []
    bump = svc.cache.bump

    def noted_bump(keys: list[str], ttl: int) -> None:
        bumped.append(list(keys))
        bump(keys, ttl)

    monkeypatch.setattr(svc.cache, "bump", noted_bump)
    before = svc.cache.get(f"person-data-version:{person_id}") or 0
    with svc.database.session() as session:
        row = session.get(PersonRow, person_id)
        assert row is not None
        row.name = "Renamed again"
    with svc.database.session() as session:
        session.execute(update(EvidenceRow).values(value=0.5))
    assert bumped == [["learner-data-version", f"person-data-version:{person_id}"],
                      ["learner-data-version", "anyones-data-version"]]
    assert svc.cache.get(f"person-data-version:{person_id}") == before + 1
