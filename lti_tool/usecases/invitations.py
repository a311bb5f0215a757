"""Registration by invitation: one-time Dynamic Registration links, and the tenants they join.

A link carries a random token; only its SHA-256 is stored. A link is good for one
registration, until it expires, and names the tenant the registration joins (or none: a
new tenant of its own). Anyone can open `/lti/register`: without a valid link nothing is
fetched and nothing is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..domain.errors import Conflict, InvalidInput, NotFound
from ..lti.errors import LaunchError
from ..records import RegistrationInvitation, Tenant
from .ports import UnitsOfWork

TOKEN_BYTES = 32
DEFAULT_LIFETIME = timedelta(days=7)
MAX_LIFETIME = timedelta(days=90)
REGISTER_PATH = "/lti/register/"
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
_ASK_FOR_A_LINK = (
    "Ask the CareerPath operator for a new registration link (`careerpath platform invite`), "
    "or a CareerPath admin of your organisation (Admin → Platforms → Create registration "
    "link), and enter that link as the tool's registration URL in the LMS.")


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation and its link; the link is shown once and cannot be read back."""

    invitation: RegistrationInvitation
    link: str
    tenant: Tenant | None


def parse_lifetime(text: str) -> timedelta:
    """`7d`, `12h` or `30m` (a whole number and a unit), at most 90 days."""
    found = re.fullmatch(r"\s*(\d{1,5})\s*([mhd])\s*", text or "")
    if not found:
        raise InvalidInput(f"expiry must be a number with m, h or d (e.g. 7d), got {text!r}",
                           {"expires": ["e.g. 30m, 12h or 7d"]})
    lifetime = int(found.group(1)) * _UNITS[found.group(2)]
    if not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise InvalidInput("expiry must be more than 0 and at most 90 days",
                           {"expires": ["at most 90 days"]})
    return lifetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(database: UnitsOfWork, base_url: str, now: datetime, *,
                      tenant_slug: str | None = None, tenant_id: int | None = None,
                      lifetime: timedelta = DEFAULT_LIFETIME,
                      deployment_ids: Sequence[str] = (),
                      created_by: str = "") -> IssuedInvitation:
    """A one-time registration link into the named tenant (or a new one)."""
    if not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise InvalidInput("expiry must be more than 0 and at most 90 days")
    deployments = list(dict.fromkeys(d.strip() for d in deployment_ids if d.strip()))
    if any(len(d) > 255 or any(c.isspace() for c in d) for d in deployments):
        raise InvalidInput("a deployment id has at most 255 characters and no spaces")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with database.unit_of_work() as uow:
        tenant = uow.tenants.get(tenant_id) if tenant_id is not None else None
        if tenant_slug:
            tenant = uow.tenants.by_slug(tenant_slug)
            if tenant is None:
                raise NotFound(f"tenant {tenant_slug!r} does not exist (see `careerpath "
                               "tenant list`)")
        invitation = uow.invitations.add(
            token_hash(token), None if tenant is None else tenant.id, deployments,
            created_by[:255], now + lifetime)
    return IssuedInvitation(invitation, base_url.rstrip("/") + REGISTER_PATH + token, tenant)


def claim_invitation(database: UnitsOfWork, token: str, now: datetime) -> RegistrationInvitation:
    """The invitation `token` names, now marked used; a 403 page when there is none.

    Checked before the tool makes any request: a missing, unknown, used or expired link
    costs one indexed read.
    """
    refused = _refusal(database, token, now)
    if refused is not None:
        raise refused
    with database.unit_of_work() as uow:
        invitation = uow.invitations.by_hash(token_hash(token))
        if invitation is None or not uow.invitations.claim(invitation.id, now):
            raise invitation_error("this registration link has already been used.")
        return invitation


def release_invitation(database: UnitsOfWork, invitation: RegistrationInvitation) -> None:
    """Make the link usable again after a registration that stored nothing."""
    with database.unit_of_work() as uow:
        uow.invitations.release(invitation.id)


def _refusal(database: UnitsOfWork, token: str, now: datetime) -> LaunchError | None:
    if not token:
        return invitation_error(
            "the registration URL carries no registration link: Dynamic Registration with "
            "CareerPath is by invitation only.")
    with database.read_unit_of_work() as uow:
        found = uow.invitations.by_hash(token_hash(token))
    if found is None:
        return invitation_error("this registration link is not known to CareerPath.")
    if found.used_at is not None:
        return invitation_error("this registration link has already been used.")
    if found.expires_at <= now:
        return invitation_error(
            f"this registration link expired on {found.expires_at:%Y-%m-%d %H:%M} UTC.")
    return None


def invitation_error(what: str) -> LaunchError:
    return LaunchError(f"Dynamic Registration refused: {what}", _ASK_FOR_A_LINK, status=403)


def list_invitations(database: UnitsOfWork,
                     tenant_id: int | None = None) -> list[RegistrationInvitation]:
    with database.read_unit_of_work() as uow:
        return uow.invitations.list(tenant_id)


def add_tenant(database: UnitsOfWork, slug: str, name: str, url: str = "") -> Tenant:
    """A new tenant with exactly `slug`; an existing slug is refused, never joined."""
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?", slug or ""):
        raise InvalidInput(f"a tenant slug is 1 to 64 lower-case letters, digits and inner "
                           f"hyphens, got {slug!r}", {"slug": ["invalid slug"]})
    with database.unit_of_work() as uow:
        made = uow.tenants.create(slug, name or slug, url)
        if made is None:
            raise Conflict(f"tenant {slug!r} already exists")
        return made


def list_tenants(database: UnitsOfWork) -> list[Tenant]:
    with database.read_unit_of_work() as uow:
        return uow.tenants.list()
