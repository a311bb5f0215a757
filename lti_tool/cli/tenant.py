"""`careerpath tenant add|list`: the organisations using the tool."""

from __future__ import annotations

import click

from ..config import Settings
from ..store.database import Database
from ..usecases.invitations import add_tenant, list_tenants


def _database() -> Database:
    return Database(Settings.from_env().database_url)


@click.group("tenant")
def tenant() -> None:
    """Create and list tenants (organisations); registrations join one only when named."""


@tenant.command("add")
@click.argument("slug")
@click.option("--name", default="", help="The organisation's name (default: the slug).")
@click.option("--url", default="", help="The organisation's web address.")
def add(slug: str, name: str, url: str) -> None:
    """Create a tenant with exactly SLUG (an existing slug is refused)."""
    made = add_tenant(_database(), slug, name, url)
    click.echo(f"created tenant {made.slug}: {made.name}")


@tenant.command("list")
def list_command() -> None:
    """List tenants: id, slug, name, one a line."""
    found = list_tenants(_database())
    if not found:
        click.echo("no tenants (create one with `careerpath tenant add SLUG`)")
    for item in found:
        click.echo(f"{item.id}\t{item.slug}\t{item.name}")


def register(cli: click.Group) -> None:
    cli.add_command(tenant)
