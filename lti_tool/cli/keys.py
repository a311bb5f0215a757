"""`careerpath keys rotate|list`: the tool's signing keys."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from ..bootstrap import open_database
from ..config import Settings
from ..usecases.badges.keys import badge_key_states, rotate_badge_keys
from ..usecases.tool_keys import (
    DEFAULT_RETIRE_AFTER_DAYS,
    ensure_signing_key,
    rotate_keys,
    tool_keys,
)


@click.group("keys")
def keys() -> None:
    """Manage the RSA keys the tool signs with: LTI keys (published at /lti/jwks) and,
    apart, badge keys (published at /badges/issuers/<tenant>/jwks.json)."""


@keys.command()
@click.option("--retire-after", "retire_after", default=DEFAULT_RETIRE_AFTER_DAYS,
              show_default=True, type=click.IntRange(0, 3650),
              help="Days the old key stays published so platforms can still verify it.")
@click.option("--badges", is_flag=True,
              help="Rotate the badge key set instead (published at /badges/issuers/<tenant>/"
                   "jwks.json): the old key signs no more and stays published while a badge "
                   "it signed is valid. --retire-after does not apply.")
def rotate(retire_after: int, badges: bool) -> None:
    """Make a new signing key; the old one stays published until it retires."""
    settings = Settings.from_env()
    if badges:
        _rotate_badge_keys(settings)
        return
    key, previous = rotate_keys(open_database(settings), settings.secret_key,
                                datetime.now(UTC), retire_after)
    click.echo(f"signing with new key {key.kid}")
    for kid in previous:
        click.echo(f"previous key {kid} stays published for {retire_after} days")


def _rotate_badge_keys(settings: Settings) -> None:
    key, previous = rotate_badge_keys(open_database(settings), settings.secret_key,
                                      datetime.now(UTC))
    click.echo(f"signing badges with new key {key.kid}")
    for kid in previous:
        click.echo(f"previous badge key {kid} verifies only, published while a badge it "
                   "signed is valid")


@keys.command("list")
def list_command() -> None:
    """List LTI keys with their status (active, published, retired), then badge keys with
    how long each stays published."""
    settings = Settings.from_env()
    database = open_database(settings)
    ensure_signing_key(database, settings.secret_key, datetime.now(UTC))
    for key in tool_keys(database):
        retire = key.retire_at.isoformat() if key.retire_at else "-"
        click.echo(f"{key.kid}\t{key.status}\tcreated {key.created_at:%Y-%m-%d}\t"
                   f"retires {retire}")
    for state in badge_key_states(database):
        until = state.until.isoformat() if isinstance(state.until, datetime) else (
            state.until or "no more (no valid badge needs it)")
        click.echo(f"{state.key.kid}\tbadge {state.key.status}\t"
                   f"created {state.key.created_at:%Y-%m-%d}\t{state.badges} badges\t"
                   f"published until {until}")


def register(cli: click.Group) -> None:
    cli.add_command(keys)
