"""The tenant's issued Open Badges, and revoking one with a reason."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import request
from flask.typing import ResponseReturnValue

from ..usecases.badges.issued import badge_result, tenant_badges
from ..usecases.badges.revocation import revoke_badge
from ..web.translations import gettext
from .access import admin_url, render_admin, svc, tenant_id
from .blueprint import bp
from .forms import NO_ERRORS, FormErrors, submit, text

REASON_LIMIT = 500


@bp.get("/badges")
def badges(errors: FormErrors = NO_ERRORS, status: int = 200) -> ResponseReturnValue:
    """Every badge the tenant issued, newest first, each with a revoke form."""
    return render_admin("admin/badges.html", gettext("Badges"), status,
                        badges=tenant_badges(svc().database, tenant_id()),
                        badge_result=badge_result, errors=errors, form=request.form)


@bp.post("/badges/<uuid:badge_id>/revoke")
def revoke_issued_badge(badge_id: uuid.UUID) -> ResponseReturnValue:
    """Revoke with the reason given (required); another tenant's badge is a 404."""
    form_id = f"revoke-{badge_id}"

    def action() -> str:
        revoke_badge(svc().database, str(badge_id), text("reason", limit=REASON_LIMIT),
                     datetime.now(UTC), tenant_id())
        return admin_url("admin.badges", done="badge-revoked")
    return submit(form_id, action, lambda e, s: badges(e, s))
