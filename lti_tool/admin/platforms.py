"""Registrations with their deployments, and the tool's signing keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import request, url_for
from flask.typing import ResponseReturnValue

from ..domain.errors import InvalidInput, NotAllowed
from ..usecases.admin_session import recall_once, remember_once
from ..usecases.connectors import connectors_of
from ..usecases.invitations import create_invitation, list_invitations
from ..usecases.platforms import (
    PlatformInput,
    approve_platform,
    register_platform,
    remove_platform,
)
from ..usecases.tenant_admin import (
    set_deployment_enabled,
    tenant_platform,
    tenant_platforms,
    tool_keys,
)
from ..usecases.tool_keys import DEFAULT_RETIRE_AFTER_DAYS, rotate_keys
from ..web.translations import gettext
from .access import (
    admin_url,
    current_admin,
    current_tenant,
    render_admin,
    require_fresh_session,
    svc,
    tenant_id,
)
from .blueprint import bp
from .forms import NO_ERRORS, FormErrors, submit, text, whole

MAX_RETIRE_AFTER_DAYS = 365


@bp.get("/platforms")
def platforms(errors: FormErrors = NO_ERRORS, status: int = 200) -> ResponseReturnValue:
    """The tenant's registrations, deployments and connectors; forms to add or invite one."""
    link = recall_once(svc().cache, current_admin(), request.args.get("shown", ""))
    found = tenant_platforms(svc().database, tenant_id())
    return render_admin(
        "admin/platforms.html", gettext("Platforms and deployments"), status,
        platforms=found,
        invitations=list_invitations(svc().database, tenant_id()),
        connectors=connectors_of(svc().database, [p.registration.id for p in found]),
        now=datetime.now(UTC), new_link=link, errors=errors, form=request.form)


@bp.post("/platforms/invitations")
def invite_platform() -> ResponseReturnValue:
    """A one-time Dynamic Registration link into this tenant (shown once)."""
    require_fresh_session()

    def action() -> str:
        days = whole("expires_days")
        if days is None or not 1 <= days <= 90:
            raise InvalidInput(gettext("the link must expire in 1 to 90 days"),
                               {"expires_days": [gettext("1 to 90 days")]})
        issued = create_invitation(
            svc().database, request.url_root, datetime.now(UTC), tenant_id=tenant_id(),
            lifetime=timedelta(days=days),
            deployment_ids=text("deployment_ids", required=False, limit=2000)
            .replace(",", " ").split(), created_by=_admin_name())
        handle = remember_once(svc().cache, current_admin(), issued.link)
        return admin_url("admin.platforms", done="invitation-created", shown=handle)
    return submit("invite", action, lambda e, s: platforms(e, s))


@bp.post("/platforms/<int:registration_id>/approve")
def approve(registration_id: int) -> ResponseReturnValue:
    """pending → active: the registration's launches are accepted from now on."""
    require_fresh_session()

    def action() -> str:
        found = tenant_platform(svc().database, tenant_id(), registration_id)
        approve_platform(svc().database, found.registration.id)
        return admin_url("admin.platforms", done="platform-approved")
    return submit("approve", action, lambda e, s: platforms(e, s))


@bp.post("/platforms")
def add_platform() -> ResponseReturnValue:
    """Register a platform in this tenant (the same fields as `careerpath platform add`)."""
    require_fresh_session()

    def action() -> str:
        deployments = text("deployment_ids", limit=2000).replace(",", " ").split()
        register_platform(svc().database, PlatformInput(
            issuer=text("issuer", limit=1024), client_id=text("client_id"),
            deployment_ids=deployments, auth_login_url=text("auth_login_url", limit=1024),
            auth_token_url=text("auth_token_url", limit=1024),
            keyset_url=text("keyset_url", limit=1024),
            auth_audience=text("auth_audience", required=False, limit=1024) or None,
            name=text("name", required=False), tenant_slug=_tenant_slug()))
        return admin_url("admin.platforms", done="platform-added")
    return submit("add-platform", action, lambda e, s: platforms(e, s))


@bp.post("/deployments/<int:deployment_pk>/enabled")
def switch_deployment(deployment_pk: int) -> ResponseReturnValue:
    """Enable or disable one deployment: launches through a disabled one are refused."""
    def action() -> str:
        enabled = request.form.get("enabled") == "1"
        set_deployment_enabled(svc().database, tenant_id(), deployment_pk, enabled)
        return admin_url("admin.platforms",
                         done="deployment-enabled" if enabled else "deployment-disabled")
    return submit("deployments", action, lambda e, s: platforms(e, s))


@bp.get("/platforms/<int:registration_id>/remove")
def confirm_removal(registration_id: int) -> ResponseReturnValue:
    """The confirmation step before a registration and its deployments go."""
    found = tenant_platform(svc().database, tenant_id(), registration_id)
    return render_admin(
        "admin/platform_remove.html", gettext("Remove a registration"), platform=found)


@bp.post("/platforms/<int:registration_id>/remove")
def remove(registration_id: int) -> ResponseReturnValue:
    def action() -> str:
        found = tenant_platform(svc().database, tenant_id(), registration_id)
        remove_platform(svc().database, found.registration.id)
        return admin_url("admin.platforms", done="platform-removed")
    return submit("remove", action, lambda e, s: confirm_removal(registration_id))


@bp.get("/keys")
def keys(errors: FormErrors = NO_ERRORS, status: int = 200) -> ResponseReturnValue:
    """The tool's signing keys (active, published, retired) and the JWKS URL."""
    return render_admin(
        "admin/keys.html", gettext("Signing keys"), status, keys=tool_keys(svc().database),
        jwks_url=url_for("lti.jwks", _external=True),
        default_days=DEFAULT_RETIRE_AFTER_DAYS, errors=errors, form=request.form)


@bp.post("/keys/rotate")
def rotate() -> ResponseReturnValue:
    """Sign with a new key from now on; the old one stays published for the days given."""
    if not current_admin().super_admin:
        raise NotAllowed(gettext("The tool's keys serve every tenant: only the super-admin "
                                 "(signed in with the admin token) can rotate them."))
    require_fresh_session()

    def action() -> str:
        days = whole("retire_after_days")
        if days is None or not 0 <= days <= MAX_RETIRE_AFTER_DAYS:
            raise InvalidInput(
                gettext("retire after must be between 0 and %(most)s days",
                        most=MAX_RETIRE_AFTER_DAYS),
                {"retire_after_days": [gettext("0 to %(most)s days",
                                               most=MAX_RETIRE_AFTER_DAYS)]})
        new, _ = rotate_keys(svc().database, svc().settings.secret_key, datetime.now(UTC), days)
        return admin_url("admin.keys", done="key-rotated", kid=new.kid)
    return submit("rotate", action, lambda e, s: keys(e, s))


def _admin_name() -> str:
    admin = current_admin()
    return "operator" if admin.super_admin else f"tenant admin {admin.person_name}"


def _tenant_slug() -> str:
    found = current_tenant()
    assert found is not None
    return found.slug
