"""`careerpath db upgrade|downgrade|current`: schema migrations."""

from __future__ import annotations

import click

from ..config import Settings
from ..usecases.schema import (
    downgrade_schema,
    latest_revisions,
    schema_revision,
    upgrade_schema,
)


@click.group("db")
def db() -> None:
    """Manage the database schema (Alembic migrations)."""


@db.command()
@click.option("--revision", default="heads", show_default=True,
              help="Target revision (default: the latest).")
def upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (the latest by default)."""
    settings = Settings.from_env()
    now = upgrade_schema(settings.database_url, revision)
    click.echo(f"database at revision {now}")


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ('base' removes every table)."""
    settings = Settings.from_env()
    now = downgrade_schema(settings.database_url, revision)
    click.echo(f"database at revision {now or 'base'}")


@db.command()
def current() -> None:
    """Print the database's current revision and the latest one."""
    settings = Settings.from_env()
    now = schema_revision(settings.database_url) or "base (empty)"
    click.echo(f"current: {now}\nlatest:  {', '.join(latest_revisions())}")


def register(cli: click.Group) -> None:
    cli.add_command(db)
