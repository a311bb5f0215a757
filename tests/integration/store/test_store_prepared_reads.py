"""Prepared reads return exactly what SQLAlchemy's own execution returns, on every database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Boolean, Select, literal, select

from lti_tool.store import Database
from lti_tool.store.learner_context import EVIDENCE, ITEMS_WITH_RULES, PERSON_WITH_GOALS
from lti_tool.store.models import CourseRow, DeploymentRow, EvidenceRow, LmsItemRow, PersonRow
from lti_tool.store.prepared_reads import PreparedRead
from lti_tool.store.repositories.launches import LAUNCH_ROWS
from tests.integration.store.test_store_recorded_launch import FACTS, _recorded

OBSERVED = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)


def _with_evidence(db: Database) -> tuple[int, int, int]:
    """FACTS recorded, plus a course item and two pieces of evidence on it (one without a
    value); the ids."""
    registration_id = _recorded(db)
    with db.session() as s:
        person = s.scalars(select(PersonRow).where(PersonRow.sub == FACTS.sub)).one()
        course = s.scalars(select(CourseRow)).one()
        item = LmsItemRow(course_id=course.id, kind="line_item", lms_id="li-1", title="Quiz")
        s.add(item)
        s.flush()
        for value, ref in ((0.75, "r1"), (None, "r2")):
            s.add(EvidenceRow(tenant_id=person.tenant_id, person_id=person.id,
                              kind="lms_completion", lms_item_id=item.id, value=value,
                              observed_at=OBSERVED, source_ref=ref))
    return registration_id, person.tenant_id, person.id


def expected(db: Database, statement: Select, params: dict) -> list[tuple]:  # type: ignore[type-arg]
    with db.read_session() as s:
        return [tuple(row) for row in s.connection().execute(statement, params)]


def test_the_hot_statements_read_the_same_values(migrated_db: Database) -> None:
    registration_id, tenant_id, person_id = _with_evidence(migrated_db)
    launch = {"registration_id": registration_id, "deployment_id": FACTS.deployment_id,
              "sub": FACTS.sub, "context_id": FACTS.context_id}
    learner = {"tenant_id": tenant_id, "person_id": person_id}
    for prepared, params in ((LAUNCH_ROWS, launch), (PERSON_WITH_GOALS, learner),
                             (EVIDENCE, learner), (ITEMS_WITH_RULES, learner)):
        with migrated_db.read_session() as s:
            got = prepared.all(s, params)
        assert got == expected(migrated_db, prepared.statement, params)
    with migrated_db.read_session() as s:
        evidence = EVIDENCE.all(s, learner)
    assert [row[2] for row in evidence] == [OBSERVED, OBSERVED]  # aware UTC datetimes
    assert sorted((row[3] is None, row[3]) for row in evidence) == [(False, 0.75),
                                                                    (True, None)]


def test_types_literals_and_missing_rows(migrated_db: Database) -> None:
    registration_id = _recorded(migrated_db)
    statement = select(DeploymentRow.enabled, DeploymentRow.created_at,
                       literal(True, Boolean).label("flag"), literal("x").label("text")
                       ).where(DeploymentRow.registration_id == registration_id)
    prepared = PreparedRead(statement)
    with migrated_db.read_session() as s:
        row = prepared.first(s, {})
    assert row == expected(migrated_db, statement, {})[0]
    assert row is not None and row[0] is True and row[1].tzinfo is not None
    with migrated_db.read_session() as s:
        assert LAUNCH_ROWS.first(s, {"registration_id": registration_id + 99,
                                     "deployment_id": "", "sub": "", "context_id": ""}) is None


def test_a_prepared_read_sees_its_unit_of_work(migrated_db: Database) -> None:
    """It reads in the session's own transaction: rows flushed there are visible."""
    registration_id, tenant_id, person_id = _with_evidence(migrated_db)
    with migrated_db.session() as s:
        item_id = s.scalars(select(LmsItemRow.id)).one()
        s.add(EvidenceRow(tenant_id=tenant_id, person_id=person_id, kind="lms_completion",
                          lms_item_id=item_id, value=1.0, observed_at=OBSERVED,
                          source_ref="in-this-session"))
        s.flush()
        refs = [row[6] for row in EVIDENCE.all(s, {"tenant_id": tenant_id,
                                                   "person_id": person_id})]
        assert "in-this-session" in refs
        s.rollback()
    assert registration_id


@pytest.mark.parametrize("bad", [{}, {"tenant_id": 1}])
def test_a_missing_parameter_is_an_error(migrated_db: Database, bad: dict) -> None:  # type: ignore[type-arg]
    with migrated_db.read_session() as s, pytest.raises(Exception):  # noqa: B017, PT011
        EVIDENCE.all(s, bad)
