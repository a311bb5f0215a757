"""The tenant's REST API keys: create (the secret shown once), list, revoke."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue

from ..usecases.admin_session import recall_once, remember_once
from ..usecases.api_keys import (
    SCOPES,
    create_tenant_key,
    parse_scopes,
    revoke_api_key,
    tenant_api_keys,
)
from ..web.translations import gettext
from .access import (
    admin_url,
    current_admin,
    render_admin,
    require_fresh_session,
    svc,
    tenant_id,
)
from .blueprint import bp
from .forms import NO_ERRORS, FormErrors, submit, text


@bp.get("/api-keys")
def api_keys(errors: FormErrors = NO_ERRORS, status: int = 200) -> ResponseReturnValue:
    """The tenant's keys; right after creating one, its secret (once, never again)."""
    shown = recall_once(svc().cache, current_admin(), request.args.get("shown", ""))
    return render_admin("admin/api_keys.html", gettext("API keys"), status,
                        keys=tenant_api_keys(svc().database, tenant_id()), scopes=SCOPES,
                        new_token=shown, errors=errors, form=request.form)


@bp.post("/api-keys")
def create_key() -> ResponseReturnValue:
    require_fresh_session()

    def action() -> str:
        scopes = parse_scopes(request.form.getlist("scopes"))
        created = create_tenant_key(svc().database, tenant_id(), scopes,
                                    text("name", required=False))
        handle = remember_once(svc().cache, current_admin(), created.token)
        return admin_url("admin.api_keys", done="api-key-created", shown=handle)
    return submit("create-key", action, lambda e, s: api_keys(e, s))


@bp.post("/api-keys/<int:key_id>/revoke")
def revoke_key(key_id: int) -> ResponseReturnValue:
    def action() -> str:
        revoke_api_key(svc().database, key_id, tenant_id())
        return admin_url("admin.api_keys", done="api-key-revoked")
    return submit("revoke", action, lambda e, s: api_keys(e, s))
