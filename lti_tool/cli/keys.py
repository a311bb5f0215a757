"""`careerpath keys rotate|list`: the tool's signing keys."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from ..config import Settings
from ..store.database import Database
from ..store.repositories.lti import LtiRepository
from ..usecases.tool_keys import DEFAULT_RETIRE_AFTER_DAYS, ensure_signing_key, rotate_keys


@click.group("keys")
def keys() -> None:
    """Manage the RSA keys the tool signs with (published at /lti/jwks)."""


@keys.command()
@click.option("--retire-after", "retire_after", default=DEFAULT_RETIRE_AFTER_DAYS,
              show_default=True, type=click.IntRange(0, 3650),
              help="Days the old key stays published so platforms can still verify it.")
def rotate(retire_after: int) -> None:
    """Make a new signing key; the old one stays published until it retires."""
    settings = Settings.from_env()
    key, previous = rotate_keys(Database(settings.database_url), settings.secret_key,
                                datetime.now(UTC), retire_after)
    click.echo(f"signing with new key {key.kid}")
    for kid in previous:
        click.echo(f"previous key {kid} stays published for {retire_after} days")


@keys.command("list")
def list_command() -> None:
    """List keys with their status (active, published, retired)."""
    settings = Settings.from_env()
    database = Database(settings.database_url)
    ensure_signing_key(database, settings.secret_key, datetime.now(UTC))
    with database.session() as session:
        for key in LtiRepository(session).keys():
            retire = key.retire_at.isoformat() if key.retire_at else "-"
            click.echo(f"{key.kid}\t{key.status}\tcreated {key.created_at:%Y-%m-%d}\t"
                       f"retires {retire}")


def register(cli: click.Group) -> None:
    cli.add_command(keys)
