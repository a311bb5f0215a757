"""Migrations build, tear down and rebuild the schema, and match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from lti_tool.store import current, downgrade, heads, upgrade
from lti_tool.store.database import create_database_engine
from lti_tool.store.models import Base


def _tables(url: str) -> set[str]:
    engine = create_database_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    assert current(database_url) is None
    upgrade(database_url)
    assert current(database_url) == heads()[0]
    assert set(Base.metadata.tables) <= _tables(database_url)
    downgrade(database_url, "base")
    assert current(database_url) is None
    assert _tables(database_url) == {"alembic_version"}
    upgrade(database_url)
    assert set(Base.metadata.tables) <= _tables(database_url)


def test_migrated_schema_matches_models(database_url: str) -> None:
    upgrade(database_url)
    engine = create_database_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_migrations_form_one_line() -> None:
    """Every migration builds on the previous one: a single head, no unmerged branches."""
    assert len(heads()) == 1, heads()
