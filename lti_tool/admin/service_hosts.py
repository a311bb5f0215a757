"""A platform's service hosts: where its AGS/NRPS URLs may be besides its issuer's host."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue

from ..usecases.service_hosts import (
    add_service_host,
    issuer_host,
    remove_service_host,
    service_hosts,
)
from ..usecases.tenant_admin import tenant_platform
from ..web.translations import gettext
from .access import admin_url, render_admin, svc, tenant_id
from .blueprint import bp
from .forms import NO_ERRORS, FormErrors, submit, text


@bp.get("/platforms/<int:registration_id>/hosts")
def platform_hosts(registration_id: int, errors: FormErrors = NO_ERRORS,
                   status: int = 200) -> ResponseReturnValue:
    """The hosts listed for one of the tenant's registrations, and the form to add one."""
    found = tenant_platform(svc().database, tenant_id(), registration_id)
    return render_admin(
        "admin/platform_hosts.html", gettext("Service hosts"), status, platform=found,
        issuer_host=issuer_host(found.registration),
        hosts=service_hosts(svc().database, registration_id),
        errors=errors, form=request.form)


@bp.post("/platforms/<int:registration_id>/hosts")
def add_platform_host(registration_id: int) -> ResponseReturnValue:
    def action() -> str:
        tenant_platform(svc().database, tenant_id(), registration_id)  # 404 unless the tenant's
        add_service_host(svc().database, registration_id, text("host", limit=255))
        return admin_url("admin.platform_hosts", registration_id=registration_id)
    return submit("add-host", action, lambda e, s: platform_hosts(registration_id, e, s))


@bp.post("/platforms/<int:registration_id>/hosts/remove")
def remove_platform_host(registration_id: int) -> ResponseReturnValue:
    def action() -> str:
        tenant_platform(svc().database, tenant_id(), registration_id)
        remove_service_host(svc().database, registration_id, text("host", limit=255))
        return admin_url("admin.platform_hosts", registration_id=registration_id)
    return submit("hosts", action, lambda e, s: platform_hosts(registration_id, e, s))
