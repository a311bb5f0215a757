"""0015: evidence's unique key in write order, its competency index partial; both ways,
on SQLite (a rebuilt table) and PostgreSQL, keeping rows and the links to them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from lti_tool.store.database import create_database_engine
from lti_tool.store.migrate import downgrade, upgrade
from tests.reliability.test_migrations_keep_data import FIRST, insert_rows

BEFORE = "0014_mentor_links"
INDEX = "ix_evidence_competency_id"
WHEN = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
LINKS = ("SELECT 'observation', id, evidence_id FROM observations UNION ALL "
         "SELECT 'submission', id, evidence_id FROM project_submissions ORDER BY 1, 2")


def _rows(url: str, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    engine = create_database_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql), params or {})
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def _with_linked_evidence(url: str) -> None:
    """The data test's rows (evidence 1 and 2 among them) at 0014, an observation and a
    project submission pointing at them."""
    upgrade(url, FIRST)
    engine = create_database_engine(url)
    try:
        insert_rows(engine)
    finally:
        engine.dispose()
    upgrade(url, BEFORE)
    _rows(url, "INSERT INTO observations (id, tenant_id, person_id, competency_id, author_id, "
               "as_manager, level, anchor, note, observed_at, evidence_id) VALUES "
               "(1, 1, 1, 1, 2, :no, 3, 'a', 'n', :when, 2)", {"no": False, "when": WHEN})
    _rows(url, "INSERT INTO project_submissions (id, tenant_id, person_id, competency_id, "
               "title, url, state, submitted_at, comment, evidence_id) VALUES "
               "(1, 1, 1, 1, 't', 'https://x.example', 'accepted', :when, '', 1)",
          {"when": WHEN})


def _unique_columns(url: str) -> list[list[str]]:
    engine = create_database_engine(url)
    try:
        return [c["column_names"] for c in inspect(engine).get_unique_constraints("evidence")]
    finally:
        engine.dispose()


def _person_keys(url: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """evidence's foreign keys to tenants and people: (table, columns, referred columns)."""
    engine = create_database_engine(url)
    try:
        return sorted((k["referred_table"], tuple(k["constrained_columns"]),
                       tuple(k["referred_columns"]))
                      for k in inspect(engine).get_foreign_keys("evidence")
                      if k["referred_table"] in ("tenants", "people"))
    finally:
        engine.dispose()


def _index_where(url: str) -> str:
    """The competency index's predicate as the database reports it ("" for a full one)."""
    engine = create_database_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                sql = connection.execute(text(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"),
                    {"name": INDEX}).scalar_one()
            return str(sql).partition(" WHERE ")[2]
        found = [i for i in inspect(engine).get_indexes("evidence") if i["name"] == INDEX]
        assert [i["column_names"] for i in found] == [["competency_id"]]
        return str(found[0].get("dialect_options", {}).get("postgresql_where") or "")
    finally:
        engine.dispose()


def test_the_rows_and_their_links_survive_both_ways(database_url: str) -> None:
    _with_linked_evidence(database_url)
    evidence = "SELECT id, person_id, kind, source_ref, value FROM evidence ORDER BY id"
    kept, links = _rows(database_url, evidence), _rows(database_url, LINKS)
    assert links == [("observation", 1, 2), ("submission", 1, 1)]
    upgrade(database_url)
    assert _unique_columns(database_url) == [["tenant_id", "source_ref", "kind", "person_id"]]
    assert _person_keys(database_url) == [("people", ("tenant_id", "person_id"),
                                           ("tenant_id", "id"))]
    assert "competency_id IS NOT NULL" in _index_where(database_url).replace("(", "").replace(
        ")", "")
    assert (_rows(database_url, evidence), _rows(database_url, LINKS)) == (kept, links)
    downgrade(database_url, BEFORE)
    assert _unique_columns(database_url) == [["tenant_id", "person_id", "kind", "source_ref"]]
    assert _person_keys(database_url) == [("people", ("person_id",), ("id",)),
                                          ("tenants", ("tenant_id",), ("id",))]
    assert _index_where(database_url) == ""
    assert (_rows(database_url, evidence), _rows(database_url, LINKS)) == (kept, links)


def test_the_same_evidence_is_still_refused_twice(database_url: str) -> None:
    _with_linked_evidence(database_url)
    upgrade(database_url)
    again = ("INSERT INTO evidence (tenant_id, person_id, kind, lms_item_id, value, "
             "observed_at, source_ref, verifier, created_at) VALUES "
             "(1, 1, 'lms_score', 1, 0.5, :when, :ref, '', :when)")
    _rows(database_url, again, {"when": WHEN, "ref": "ags:1:u-1:other"})  # a new key
    with pytest.raises(IntegrityError):
        _rows(database_url, again, {"when": WHEN, "ref": "ags:1:u-1:score"})


def test_evidence_must_belong_to_its_persons_tenant(database_url: str) -> None:
    _with_linked_evidence(database_url)
    upgrade(database_url)
    _rows(database_url, "INSERT INTO tenants (id, slug, name, url, created_at) "
                        "VALUES (2, 'other', 'Other', '', :when)", {"when": WHEN})
    stray = ("INSERT INTO evidence (tenant_id, person_id, kind, lms_item_id, value, "
             "observed_at, source_ref, verifier, created_at) VALUES "
             "(2, 1, 'lms_score', 1, 0.5, :when, 'ags:1:u-1:stray', '', :when)")
    with pytest.raises(IntegrityError):
        _rows(database_url, stray, {"when": WHEN})
    _rows(database_url, "DELETE FROM tenants WHERE id = 1")  # its people, and their evidence
    assert _rows(database_url, "SELECT count(*) FROM evidence") == [(0,)]


def test_evidence_of_another_tenant_stops_the_upgrade(database_url: str) -> None:
    _with_linked_evidence(database_url)
    _rows(database_url, "INSERT INTO tenants (id, slug, name, url, created_at) "
                        "VALUES (2, 'other', 'Other', '', :when)", {"when": WHEN})
    _rows(database_url, "UPDATE evidence SET tenant_id = 2 WHERE id = 1")
    with pytest.raises(RuntimeError, match="1 evidence rows name a tenant other than"):
        upgrade(database_url)


def test_lookups_by_competency_use_the_partial_index(database_url: str) -> None:
    upgrade(database_url)
    engine = create_database_engine(database_url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                plan = " ".join(str(row[-1]) for row in connection.execute(text(
                    "EXPLAIN QUERY PLAN SELECT id FROM evidence WHERE competency_id IN (1, 2)")))
            else:
                connection.execute(text("SET enable_seqscan = off"))
                plan = " ".join(str(row[0]) for row in connection.execute(text(
                    "EXPLAIN SELECT id FROM evidence WHERE competency_id IN (1, 2)")))
    finally:
        engine.dispose()
    assert INDEX in plan
