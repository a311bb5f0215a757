"""`careerpath apikey create|list|revoke`: REST API keys per tenant."""

from __future__ import annotations

import click

from ..bootstrap import Database, open_database
from ..config import Settings
from ..usecases.api_keys import create_api_key, list_api_keys, revoke_api_key


def _database() -> Database:
    return open_database(Settings.from_env())


@click.group("apikey")
def apikey() -> None:
    """Manage REST API keys (scopes: read, write, admin)."""


@apikey.command("create")
@click.option("--tenant", "tenant_slug", required=True, help="The tenant's slug.")
@click.option("--scopes", default="read", show_default=True,
              help="Comma-separated scopes: read, write, admin.")
@click.option("--name", default="", help="A name to recognise the key by.")
def create(tenant_slug: str, scopes: str, name: str) -> None:
    """Create a key and print it once (it is stored hashed)."""
    created = create_api_key(_database(), tenant_slug, scopes, name)
    click.echo(created.token)
    click.echo(f"key {created.key.id} ({','.join(created.key.scopes)}) for tenant "
               f"{tenant_slug}: store it now, it cannot be shown again", err=True)


@apikey.command("list")
@click.option("--tenant", "tenant_slug", default=None, help="Only this tenant's keys.")
def list_command(tenant_slug: str | None) -> None:
    """List keys: id, prefix, tenant id, scopes, name, status."""
    for key in list_api_keys(_database(), tenant_slug):
        status = "revoked" if key.revoked_at else "active"
        click.echo(f"{key.id}\tcp_{key.prefix}\ttenant={key.tenant_id}\t"
                   f"{','.join(key.scopes)}\t{key.name or '-'}\t{status}")


@apikey.command("revoke")
@click.argument("key_id", type=int)
def revoke(key_id: int) -> None:
    """Revoke a key: it is refused from the next request on."""
    key = revoke_api_key(_database(), key_id)
    click.echo(f"revoked key {key.id} (cp_{key.prefix})")


def register(cli: click.Group) -> None:
    cli.add_command(apikey)
