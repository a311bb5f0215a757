"""`careerpath platform add|list|show|remove`: LMS registrations, for admins."""

from __future__ import annotations

import click

from ..config import Settings
from ..store.database import Database
from ..usecases.platforms import (
    PlatformInput,
    RegisteredPlatform,
    find_platform,
    list_platforms,
    register_platform,
    remove_platform,
)


def _database() -> Database:
    return Database(Settings.from_env().database_url)


@click.group("platform")
def platform() -> None:
    """Register LMS platforms (LTI 1.3 issuer + client id) and their deployments."""


@platform.command("add")
@click.option("--issuer", required=True, help="The platform's issuer (iss), e.g. https://canvas.instructure.com.")
@click.option("--client-id", required=True, help="The client id the platform gave the tool.")
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True,
              help="A deployment id; repeat for several.")
@click.option("--auth-login-url", required=True, help="The platform's OIDC authorization URL.")
@click.option("--auth-token-url", required=True, help="The platform's OAuth2 token URL.")
@click.option("--keyset-url", required=True, help="The platform's public JWKS URL.")
@click.option("--auth-audience", default=None, help="Token audience, when not the token URL.")
@click.option("--name", default="", help="A name for admins (default: the issuer's host).")
@click.option("--tenant", "tenant_slug", default=None,
              help="Join an existing tenant (slug) instead of creating one.")
def add(**options: object) -> None:
    """Register a platform; the tool then accepts its logins and launches."""
    data = PlatformInput(**options)  # type: ignore[arg-type]
    registered = register_platform(_database(), data)
    click.echo(f"registered platform {registered.registration.id}: "
               f"{registered.registration.issuer} client {registered.registration.client_id}")
    _echo_urls()


@platform.command("list")
def list_command() -> None:
    """List registered platforms, one a line."""
    found = list_platforms(_database())
    if not found:
        click.echo("no platforms registered (add one with `careerpath platform add`)")
    for item in found:
        r = item.registration
        deployments = ",".join(d.deployment_id for d in item.deployments) or "-"
        click.echo(f"{r.id}\t{r.name}\t{r.issuer}\t{r.client_id}\tdeployments={deployments}")


@platform.command("show")
@click.argument("registration_id", type=int)
def show(registration_id: int) -> None:
    """Show one registration with its URLs and deployments."""
    _print(find_platform(_database(), registration_id))


@platform.command("remove")
@click.argument("registration_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove(registration_id: int, yes: bool) -> None:
    """Remove a registration and its deployments (its tenant's data stays)."""
    if not yes:
        click.confirm(f"Remove platform registration {registration_id}?", abort=True)
    removed = remove_platform(_database(), registration_id)
    click.echo(f"removed platform {removed.id}: {removed.issuer} client {removed.client_id}")


@platform.command("hosts")
@click.argument("registration_id", type=int)
@click.option("--add", "added", multiple=True, metavar="HOST",
              help="Allow AGS/NRPS URLs on HOST too (e.g. a Canvas school's domain).")
@click.option("--remove", "removed", multiple=True, metavar="HOST", help="Stop allowing HOST.")
def hosts(registration_id: int, added: tuple[str, ...], removed: tuple[str, ...]) -> None:
    """List (or change) the hosts a platform's service URLs may be on besides its issuer's."""
    from ..usecases import service_hosts as uc

    database = _database()
    listed = uc.service_hosts(database, registration_id)
    for host in added:
        listed = uc.add_service_host(database, registration_id, host)
    for host in removed:
        listed = uc.remove_service_host(database, registration_id, host)
    issuer = uc.issuer_host(find_platform(database, registration_id).registration)
    click.echo(f"issuer host     {issuer or '-'}")
    click.echo(f"listed hosts    {', '.join(listed) or '-'}")


def _print(item: RegisteredPlatform) -> None:
    r = item.registration
    for label, value in (("id", r.id), ("name", r.name), ("tenant", r.tenant_id),
                         ("issuer", r.issuer), ("client id", r.client_id),
                         ("auth login url", r.auth_login_url),
                         ("auth token url", r.auth_token_url), ("keyset url", r.keyset_url),
                         ("token audience", r.auth_audience or "(the token URL)"),
                         ("registered via", r.registered_via)):
        click.echo(f"{label:15} {value}")
    for d in item.deployments:
        state = "enabled" if d.enabled else "disabled"
        click.echo(f"{'deployment':15} {d.deployment_id} ({state})")


def _echo_urls() -> None:
    base = Settings.from_env().base_url.rstrip("/")
    click.echo(f"tool URLs: login {base}/lti/login  launch {base}/lti/launch  "
               f"jwks {base}/lti/jwks")


def register(cli: click.Group) -> None:
    cli.add_command(platform)
