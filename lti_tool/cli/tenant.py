"""`careerpath tenant add|list|evidence`: the organisations using the tool."""

from __future__ import annotations

import click

from ..bootstrap import Database, open_database
from ..config import Settings
from ..usecases.invitations import add_tenant, list_tenants
from ..usecases.tenant_evidence_settings import change_evidence_settings


def _database() -> Database:
    return open_database(Settings.from_env())


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


@tenant.command("evidence")
@click.argument("slug")
@click.option("--managers-observe/--no-managers-observe", default=None,
              help="Let managers (HRIS reporting lines, LMS Mentors) record observations.")
@click.option("--self-ratings-count/--no-self-ratings-count", default=None,
              help="Count learners' self-ratings as evidence that can raise a level.")
def evidence(slug: str, managers_observe: bool | None,
             self_ratings_count: bool | None) -> None:
    """Show (and with options, change) how tenant SLUG treats people's evidence."""
    database = _database()
    found = next((t for t in list_tenants(database) if t.slug == slug), None)
    if found is None:
        raise click.ClickException(f"no tenant {slug!r} (see `careerpath tenant list`)")
    now = change_evidence_settings(database, found.id, managers_observe, self_ratings_count)
    click.echo(f"{found.slug}: managers observe {'on' if now.managers_may_observe else 'off'}, "
               f"self-ratings count {'on' if now.self_ratings_count else 'off'}")


def register(cli: click.Group) -> None:
    cli.add_command(tenant)
