"""0015: the evidence competency index is partial (rows naming a competency), both ways."""

from __future__ import annotations

from sqlalchemy import inspect, text

from lti_tool.store.database import create_database_engine
from lti_tool.store.migrate import downgrade, upgrade

INDEX = "ix_evidence_competency_id"


def _index_where(url: str) -> str | None:
    """The predicate of the competency index as the database reports it ("" if full)."""
    engine = create_database_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                sql = connection.execute(text(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"),
                    {"name": INDEX}).scalar_one()
            return sql.partition(" WHERE ")[2]
        found = [i for i in inspect(engine).get_indexes("evidence") if i["name"] == INDEX]
        assert len(found) == 1
        assert found[0]["column_names"] == ["competency_id"]
        return str(found[0].get("dialect_options", {}).get("postgresql_where") or "")
    finally:
        engine.dispose()


def test_the_competency_index_skips_lms_evidence_and_comes_back_whole(
        database_url: str) -> None:
    upgrade(database_url)
    assert "competency_id IS NOT NULL" in _index_where(database_url).replace("(", "").replace(
        ")", "")
    downgrade(database_url, "0014_mentor_links")
    assert _index_where(database_url) == ""
    upgrade(database_url)
    assert "IS NOT NULL" in _index_where(database_url)


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
