"""A registration's connector to the LMS's own API (the admin form of
`careerpath platform connect`)."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from ..usecases.connectors import ConnectInput, connect_platform, disconnect_platform
from .access import admin_url, svc, tenant_id
from .blueprint import bp
from .forms import submit, text
from .platforms import platforms

SECRET_LIMIT = 4096


@bp.post("/platforms/<int:registration_id>/connector")
def connect(registration_id: int) -> ResponseReturnValue:
    """Store (or replace) the connector; the token or client secret is kept encrypted."""
    def action() -> str:
        connect_platform(svc().database, svc().settings.secret_key, ConnectInput(
            registration_id, text("platform", limit=16), text("base_url", limit=1024),
            token=text("token", required=False, limit=SECRET_LIMIT),
            client_id=text("client_id", required=False),
            client_secret=text("client_secret", required=False, limit=SECRET_LIMIT)),
            tenant_id=tenant_id())
        return admin_url("admin.platforms", done="connector-saved")
    return submit(f"connector-{registration_id}", action, lambda e, s: platforms(e, s))


@bp.post("/platforms/<int:registration_id>/connector/remove")
def disconnect(registration_id: int) -> ResponseReturnValue:
    def action() -> str:
        disconnect_platform(svc().database, registration_id, tenant_id=tenant_id())
        return admin_url("admin.platforms", done="connector-removed")
    return submit(f"connector-{registration_id}", action, lambda e, s: platforms(e, s))
