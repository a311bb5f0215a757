"""`careerpath platform add|invite|approve|list|show|remove|connect|disconnect`: LMS
registrations, for admins."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from ..bootstrap import Database, open_database
from ..config import Settings
from ..records import Tenant
from ..usecases.connectors import (
    ConnectInput,
    connect_platform,
    connectors_of,
    disconnect_platform,
)
from ..usecases.invitations import create_invitation, parse_lifetime
from ..usecases.platforms import (
    PlatformInput,
    RegisteredPlatform,
    approve_platform,
    find_platform,
    list_platforms,
    register_platform,
    remove_platform,
)
from ..usecases.tenant_admin import tenant as tenant_of


def _database() -> Database:
    return open_database(Settings.from_env())


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


@platform.command("invite")
@click.option("--tenant", "tenant_slug", default=None,
              help="The tenant the registration joins (default: a new tenant of its own).")
@click.option("--expires", default="7d", show_default=True,
              help="How long the link stays valid: 30m, 12h, 7d (at most 90d).")
@click.option("--deployment-id", "deployment_ids", multiple=True,
              help="Accept only this deployment id (repeat for several); default: the ones "
                   "the platform's launches announce after approval.")
def invite(tenant_slug: str | None, expires: str, deployment_ids: tuple[str, ...]) -> None:
    """Print a one-time Dynamic Registration link to enter in the LMS."""
    settings = Settings.from_env()
    issued = create_invitation(
        _database(), settings.base_url, datetime.now(UTC), tenant_slug=tenant_slug,
        lifetime=parse_lifetime(expires), deployment_ids=deployment_ids, created_by="operator")
    joins = (f"tenant {issued.tenant.slug}" if issued.tenant is not None
             else "a new tenant")
    click.echo(issued.link)
    click.echo(f"one registration into {joins}, until "
               f"{issued.invitation.expires_at:%Y-%m-%d %H:%M} UTC; the registration then "
               "waits for approval (`careerpath platform approve ID` or the admin pages)",
               err=True)


@platform.command("approve")
@click.argument("registration_id", type=int)
def approve(registration_id: int) -> None:
    """Approve a pending Dynamic Registration: its launches are accepted from now on."""
    approved = approve_platform(_database(), registration_id)
    click.echo(f"approved platform {approved.id}: {approved.issuer} client {approved.client_id}")


@platform.command("list")
def list_command() -> None:
    """List registered platforms, one a line."""
    found = list_platforms(_database())
    if not found:
        click.echo("no platforms registered (add one with `careerpath platform add`)")
    for item in found:
        r = item.registration
        deployments = ",".join(d.deployment_id for d in item.deployments) or "-"
        click.echo(f"{r.id}\t{r.name}\t{r.issuer}\t{r.client_id}\tdeployments={deployments}"
                   f"\t{r.status}")


@platform.command("show")
@click.argument("registration_id", type=int)
def show(registration_id: int) -> None:
    """Show one registration with its URLs, deployments and LMS API connector."""
    database = _database()
    found = find_platform(database, registration_id)
    tenant = tenant_of(database, found.registration.tenant_id)
    _print(found, tenant)
    connector = connectors_of(database, [registration_id]).get(registration_id)
    if connector is not None:
        how = "OAuth2, developer key " + connector.client_id if connector.auth == "oauth2" \
            else "token (encrypted)"
        click.echo(f"{'connector':15} {connector.platform} {connector.base_url} ({how})")


@platform.command("remove")
@click.argument("registration_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove(registration_id: int, yes: bool) -> None:
    """Remove a registration and its deployments (its tenant's data stays)."""
    if not yes:
        click.confirm(f"Remove platform registration {registration_id}?", abort=True)
    removed = remove_platform(_database(), registration_id)
    click.echo(f"removed platform {removed.id}: {removed.issuer} client {removed.client_id}")


@platform.command("connect")
@click.argument("registration_id", type=int)
@click.option("--platform", "lms", type=click.Choice(["canvas", "moodle"]), required=True,
              help="Which API the LMS offers: Canvas REST or Moodle web services.")
@click.option("--base-url", required=True, help="The LMS's address, e.g. https://school.instructure.com.")
@click.option("--token", default=None,
              help="Canvas: an admin-issued access token; Moodle: the web-service user's "
                   "token. Asked for (hidden) when neither it nor --client-id is given.")
@click.option("--client-id", default="",
              help="Canvas OAuth2: the API developer key's id (instructors then authorize "
                   "each course from the mapping page).")
@click.option("--client-secret", default=None, help="Canvas OAuth2: the developer key's secret "
              "(asked for, hidden, when missing).")
def connect(registration_id: int, lms: str, base_url: str, token: str | None, client_id: str,
            client_secret: str | None) -> None:
    """Read native grades and completion through the LMS's own API for this registration."""
    if client_id and lms == "canvas":
        client_secret = client_secret or click.prompt("developer key secret", hide_input=True)
    elif not token:
        token = click.prompt("token", hide_input=True)
    settings = Settings.from_env()
    saved = connect_platform(open_database(settings), settings.secret_key, ConnectInput(
        registration_id, lms, base_url, token=token or "", client_id=client_id,
        client_secret=client_secret or ""))
    how = ("OAuth2: an instructor authorizes each course from the mapping page"
           if saved.auth == "oauth2" else "token (stored encrypted)")
    click.echo(f"connected platform {registration_id} to {saved.platform} at {saved.base_url}: "
               f"{how}; the next sync of its courses reads native activities")


@platform.command("disconnect")
@click.argument("registration_id", type=int)
def disconnect(registration_id: int) -> None:
    """Forget the registration's LMS API connector (stored evidence stays)."""
    removed = disconnect_platform(_database(), registration_id)
    click.echo(f"platform {registration_id}: " + ("connector removed" if removed
                                                  else "had no connector"))


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


def _print(item: RegisteredPlatform, tenant: Tenant) -> None:
    r = item.registration
    for label, value in (("id", r.id), ("name", r.name), ("tenant", tenant.slug),
                         ("tenant name", tenant.name), ("status", r.status),
                         ("issuer", r.issuer), ("client id", r.client_id),
                         ("auth login url", r.auth_login_url),
                         ("auth token url", r.auth_token_url), ("keyset url", r.keyset_url),
                         ("token audience", r.auth_audience or "(the token URL)"),
                         ("registered via", r.registered_via),
                         ("deployments", "listed only" if r.deployment_policy == "listed"
                          else "recorded from launches")):
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
