"""Alembic, configured in code: upgrade, downgrade and inspect a database's schema."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from ..resources import migrations_dir
from .database import create_database_engine, engine_url


def alembic_config(url: str | URL | None = None) -> Config:
    """Alembic configured with the installed migrations and the database URL."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if url is not None:
        config.attributes["url"] = engine_url(url)
    return config


def upgrade(url: str | URL, revision: str = "heads") -> None:
    """Bring the database at `url` up to `revision` (every branch head by default)."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | URL, revision: str) -> None:
    """Take the database at `url` down to `revision` (`base` drops every table)."""
    command.downgrade(alembic_config(url), revision)


def current(url: str | URL) -> str | None:
    """The revision the database is at, or None for an empty database."""
    engine = create_database_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The revision(s) of the database behind an engine, comma-joined; None when empty."""
    with engine.connect() as connection:
        found = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(found)) or None


def heads() -> list[str]:
    """The newest revisions the migrations define, sorted."""
    return sorted(ScriptDirectory.from_config(alembic_config()).get_heads())


def latest() -> str:
    """The revision a fully migrated database reports (comma-joined heads)."""
    return ",".join(heads())
