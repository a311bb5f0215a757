"""Prepared reads return exactly what SQLAlchemy's own execution returns, on every database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from psycopg.errors import DataError
from sqlalchemy import Boolean, Integer, Select, cast, event, literal, select

from lti_tool.store import Database
from lti_tool.store.learner_context import EVIDENCE, ITEMS_WITH_RULES, PERSON_WITH_GOALS
from lti_tool.store.models import CourseRow, DeploymentRow, EvidenceRow, LmsItemRow, PersonRow
from lti_tool.store.prepared_reads import PreparedRead, read_together
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
        assert prepared.alone(migrated_db.engine, params) == got, "alone reads the same"
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


@contextmanager
def _pipelines(db: Database) -> Iterator[list[int]]:
    """How many psycopg pipelines the pooled connections open (the real pipeline runs)."""
    opened: list[int] = []

    def watch(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        pipeline = type(dbapi_connection).pipeline

        def counted() -> Any:
            opened.append(1)
            return pipeline(dbapi_connection)

        dbapi_connection.pipeline = counted

    def unwatch(dbapi_connection: Any, _record: Any) -> None:
        vars(dbapi_connection).pop("pipeline", None)

    if db.dialect == "postgresql":
        event.listen(db.engine, "checkout", watch)
        event.listen(db.engine, "checkin", unwatch)
    try:
        yield opened
    finally:
        if db.dialect == "postgresql":
            event.remove(db.engine, "checkout", watch)
            event.remove(db.engine, "checkin", unwatch)


def test_reads_together_return_what_each_read_returns(migrated_db: Database) -> None:
    _registration_id, tenant_id, person_id = _with_evidence(migrated_db)
    learner = {"tenant_id": tenant_id, "person_id": person_id}
    reads = ((PERSON_WITH_GOALS, learner), (EVIDENCE, learner), (ITEMS_WITH_RULES, learner))
    with migrated_db.read_session() as s:
        one_by_one = [read.all(s, params) for read, params in reads]
    with _pipelines(migrated_db) as opened, migrated_db.read_session() as s:
        together = read_together(s, *reads)
    assert together == one_by_one
    assert [len(rows) for rows in together] == [1, 2, 1]
    # PostgreSQL: the three statements went out in one pipeline (one round trip)
    assert len(opened) == (1 if migrated_db.dialect == "postgresql" else 0)


def test_reads_together_see_their_unit_of_work(migrated_db: Database) -> None:
    """In a writing unit of work (a transaction on every database) the batch sees rows
    flushed there, and the transaction goes on after it."""
    _registration_id, tenant_id, person_id = _with_evidence(migrated_db)
    learner = {"tenant_id": tenant_id, "person_id": person_id}
    with migrated_db.session() as s:
        item_id = s.scalars(select(LmsItemRow.id)).one()
        s.add(EvidenceRow(tenant_id=tenant_id, person_id=person_id, kind="lms_completion",
                          lms_item_id=item_id, value=1.0, observed_at=OBSERVED,
                          source_ref="batched"))
        evidence, items = read_together(s, (EVIDENCE, learner), (ITEMS_WITH_RULES, learner))
        assert "batched" in [row[6] for row in evidence] and len(items) == 1
        s.add(EvidenceRow(tenant_id=tenant_id, person_id=person_id, kind="lms_completion",
                          lms_item_id=item_id, value=0.5, observed_at=OBSERVED,
                          source_ref="after-the-batch"))
    with migrated_db.read_session() as s:
        refs = {row[6] for row in EVIDENCE.all(s, learner)}
    assert {"batched", "after-the-batch"} <= refs


def test_a_failing_read_in_a_batch_is_an_error(migrated_db: Database) -> None:
    _registration_id, tenant_id, person_id = _with_evidence(migrated_db)
    learner = {"tenant_id": tenant_id, "person_id": person_id}
    with migrated_db.read_session() as s, pytest.raises(KeyError):
        read_together(s, (EVIDENCE, learner), (ITEMS_WITH_RULES, {}))


def test_a_statement_failing_in_a_pipeline_leaves_the_pool_usable(migrated_db: Database) -> None:
    if migrated_db.dialect != "postgresql":
        pytest.skip("pipelines are PostgreSQL's; SQLite runs a batch statement by statement")
    _registration_id, tenant_id, person_id = _with_evidence(migrated_db)
    learner = {"tenant_id": tenant_id, "person_id": person_id}
    failing = PreparedRead(select(cast(literal("not a number"), Integer)))
    for _ in range(3):  # the pool hands the same connection back each time
        with migrated_db.read_session() as s, pytest.raises(DataError):
            read_together(s, (EVIDENCE, learner), (failing, {}), (ITEMS_WITH_RULES, learner))
        with migrated_db.read_session() as s:
            assert [len(rows) for rows in read_together(
                s, (EVIDENCE, learner), (ITEMS_WITH_RULES, learner))] == [2, 1]


def test_a_row_of_another_width_is_an_error(migrated_db: Database) -> None:
    _registration_id, tenant_id, person_id = _with_evidence(migrated_db)
    EVIDENCE.alone(migrated_db.engine, {"tenant_id": tenant_id, "person_id": person_id})
    compiled = EVIDENCE.compiled_for(migrated_db.engine.dialect)
    with pytest.raises(ValueError, match="columns"):
        compiled.row((1, 2))
