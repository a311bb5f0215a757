"""Bulk inserts store exactly what SQLAlchemy's own INSERT stores, and skip existing rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text

from lti_tool.store import Database
from lti_tool.store.bulk_inserts import BulkInsert
from lti_tool.store.models import EvidenceRow
from tests.integration.store.test_store_prepared_reads import _with_evidence

EVIDENCE = EvidenceRow.__table__
COLUMNS = ("tenant_id", "person_id", "kind", "lms_item_id", "competency_id", "value",
           "observed_at", "source_ref", "verifier", "created_at")
INSERT = BulkInsert(EVIDENCE, COLUMNS)
AT = datetime(2026, 12, 6, 7, 8, 9, 123456, tzinfo=UTC)


@pytest.fixture
def owner(migrated_db: Database) -> dict[str, Any]:
    """A person with an LMS item (and two pieces of evidence on it) to own the rows."""
    _registration, tenant_id, person_id = _with_evidence(migrated_db)
    with migrated_db.read_session() as s:
        item_id = s.scalar(select(EvidenceRow.lms_item_id).limit(1))
    return {"tenant_id": tenant_id, "person_id": person_id, "lms_item_id": item_id}


def rows(owner: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    """Evidence on the owner's item: shared and distinct times, another time zone, None."""
    tenant_id, person_id, item_id = owner["tenant_id"], owner["person_id"], owner["lms_item_id"]
    base = {"tenant_id": tenant_id, "person_id": person_id, "lms_item_id": item_id,
            "competency_id": None, "verifier": "lms", "created_at": AT}
    return [
        {**base, "kind": "lms_completion", "value": 1.0, "observed_at": AT,
         "source_ref": f"{prefix}:1:completion"},
        {**base, "kind": "lms_score", "value": 0.8125, "observed_at": AT,
         "source_ref": f"{prefix}:1:score"},
        {**base, "kind": "lms_completion", "value": None,
         "observed_at": (AT + timedelta(minutes=1)).astimezone(timezone(timedelta(hours=-7))),
         "source_ref": f"{prefix}:2:completion"},
    ]


def stored(db: Database, prefix: str) -> list[tuple[Any, ...]]:
    """The rows as the database holds them (raw, not through the column types), in order."""
    columns = ", ".join(c for c in COLUMNS if c != "source_ref")
    with db.read_session() as s:
        raw = s.connection().execute(text(  # untyped text: the raw stored values
            f"SELECT {columns}, source_ref FROM evidence "  # noqa: S608 - fixed column names
            "WHERE source_ref LIKE :pattern ORDER BY source_ref"), {"pattern": f"{prefix}:%"}
        ).all()
    return [(*row[:-1], row[-1].split(":", 1)[1]) for row in raw]


def test_the_stored_values_are_sqlalchemys(migrated_db: Database, owner: dict[str, Any]
                                          ) -> None:
    with migrated_db.session() as s:
        INSERT.run(s, rows(owner, "bulk"))
        s.execute(insert(EVIDENCE), rows(owner, "core"))
    assert stored(migrated_db, "bulk") == stored(migrated_db, "core")
    assert len(stored(migrated_db, "bulk")) == 3
    with migrated_db.read_session() as s:
        times = s.scalars(select(EvidenceRow.observed_at).where(
            EvidenceRow.source_ref.like("bulk:%")).order_by(EvidenceRow.source_ref)).all()
    assert times == [AT, AT, AT + timedelta(minutes=1)]  # aware UTC again on the way out


def test_rows_that_exist_are_skipped_and_keep_their_values(
        migrated_db: Database, owner: dict[str, Any]) -> None:
    first = rows(owner, "again")
    with migrated_db.session() as s:
        INSERT.run(s, first)
    changed = [{**row, "value": 0.0} for row in first]
    with migrated_db.session() as s:
        INSERT.run(s, changed)
        INSERT.run(s, [])
    with migrated_db.read_session() as s:
        values = s.scalars(select(EvidenceRow.value).where(
            EvidenceRow.source_ref.like("again:%")).order_by(EvidenceRow.source_ref)).all()
        total = s.scalar(select(func.count()).select_from(EVIDENCE))
    assert values == [1.0, 0.8125, None]  # by source_ref: 1:completion, 1:score, 2:…
    assert total == 2 + 3  # the fixture's two, and these three once


def test_the_rows_belong_to_the_unit_of_work(migrated_db: Database, owner: dict[str, Any]
                                             ) -> None:
    with pytest.raises(RuntimeError, match="abandon"), migrated_db.session() as s:
        INSERT.run(s, rows(owner, "undone"))
        raise RuntimeError("abandon the unit of work")
    assert stored(migrated_db, "undone") == []


@pytest.mark.parametrize("as_tuples", [False, True])
def test_a_bulk_insert_moves_the_learner_data_version(migrated_db: Database,
                                                      owner: dict[str, Any],
                                                      as_tuples: bool) -> None:
    """The rows go to the driver (sqlite3's executemany, PostgreSQL's COPY), which
    SQLAlchemy's events never see: the insert itself tells the watchers, so figures and
    pages kept per learner-data version (class view, the readiness page) are recomputed
    after a sync's page commits."""
    from lti_tool.store.learner_data import watch_people_data_changes

    commits: list[frozenset[int] | None] = []
    watch_people_data_changes(migrated_db.session_factory, commits.append)
    batch = rows(owner, f"watched-{as_tuples}")
    with migrated_db.session() as session:
        if as_tuples:
            INSERT.run_rows(session, [tuple(row[c] for c in COLUMNS) for row in batch])
        else:
            INSERT.run(session, batch)
    assert commits == [None], "once, for anyone: the driver's rows name no person to SQLAlchemy"
    with migrated_db.session() as session:  # a later transaction that writes no such table
        session.execute(text("SELECT 1"))
    assert commits == [None]
def test_a_batch_partly_stored_by_another_writer_adds_the_rest(
        migrated_db: Database, owner: dict[str, Any]) -> None:
    """On PostgreSQL the batch goes by COPY; a row another writer stored first makes it
    fail, and the batch is stored again skipping that row, in the same unit of work."""
    batch = rows(owner, "mixed")
    with migrated_db.session() as s:
        INSERT.run(s, batch[1:2])
    with migrated_db.session() as s:
        INSERT.run(s, [{**row, "value": 0.5} for row in batch])
        INSERT.run(s, rows(owner, "after"))  # the unit of work goes on after the retry
    assert [row[5] for row in stored(migrated_db, "mixed")] == [0.5, 0.8125, 0.5]
    assert len(stored(migrated_db, "after")) == 3
