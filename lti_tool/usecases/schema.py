"""The database schema: migrate it up or down and say where it stands (`careerpath db`)."""

from __future__ import annotations

from ..store import migrate


def upgrade_schema(database_url: str, revision: str = "heads") -> str | None:
    """Migrate up to `revision`; the revision the database is at afterwards."""
    migrate.upgrade(database_url, revision)
    return migrate.current(database_url)


def downgrade_schema(database_url: str, revision: str) -> str | None:
    """Migrate down to `revision` ('base' removes every table); the revision afterwards."""
    migrate.downgrade(database_url, revision)
    return migrate.current(database_url)


def schema_revision(database_url: str) -> str | None:
    """The database's current revision (None when it is empty)."""
    return migrate.current(database_url)


def latest_revisions() -> list[str]:
    """The newest revisions the tool ships."""
    return migrate.heads()
