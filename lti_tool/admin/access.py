"""Who is asking (launch or signed cookie), for which tenant, and the page every view returns."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Response as FlaskResponse
from flask import current_app, g, make_response, render_template, request, url_for

from ..bootstrap import Services, services
from ..domain.errors import NotAllowed, NotFound
from ..lti.views import frame_ancestors
from ..records import Tenant
from ..usecases.admin_session import (
    AdminSession,
    admin_from_launch,
    require_fresh,
    session_from_cookie,
)
from ..usecases.tenant_admin import tenant
from ..web.csrf import csrf_token
from ..web.launch_binding import current_launch_session
from ..web.translations import gettext
from .forms import NO_ERRORS

COOKIE = "careerpath_admin"
COOKIE_PATH = "/admin"


class SignInRequired(NotAllowed):
    """No admin session: the browser is sent to the sign-in form."""


class TenantRequired(NotAllowed):
    """A super-admin opened a tenant's page without picking a tenant."""


class CsrfRefused(NotAllowed):
    """A POST without the CSRF token rendered for this admin session."""


def svc() -> Services:
    return services(current_app)


def current_admin() -> AdminSession:
    """The admin session of this request: an admin launch, else the super-admin cookie."""
    if "admin" not in g:
        launch_id = request.values.get("launch", "")
        if launch_id:
            launch = current_launch_session(launch_id)
            g.platform_origins = launch.platform_origins
            g.admin = admin_from_launch(launch)
        else:
            found = session_from_cookie(svc().cache, svc().settings.secret_key,
                                        request.cookies.get(COOKIE, ""))
            if found is None:
                raise SignInRequired(gettext("Sign in to open the admin pages."))
            g.admin = found
    return g.admin


def require_fresh_session() -> None:
    """Creating keys or registrations needs a session opened in the last 10 minutes."""
    require_fresh(current_admin())


def current_tenant(required: bool = True) -> Tenant | None:
    """The tenant the page is about: the launch's own, or the one the super-admin picked."""
    admin = current_admin()
    if not admin.super_admin:
        return tenant(svc().database, int(admin.tenant_id or 0))
    raw = request.values.get("tenant", "")
    if not raw:
        if required:
            raise TenantRequired(gettext("Pick a tenant first."))
        return None
    if not raw.isdigit():
        raise NotFound(gettext("tenant %(tenant)s does not exist", tenant=f"{raw!r:.40}"))
    return tenant(svc().database, int(raw))


def tenant_id() -> int:
    found = current_tenant()
    assert found is not None
    return found.id


def admin_url(endpoint: str, **values: Any) -> str:
    """A URL inside the admin pages that keeps the launch (or the picked tenant)."""
    admin = current_admin()
    if admin.launch_id:
        values.setdefault("launch", admin.launch_id)
    elif "tenant" not in values and request.values.get("tenant", "").isdigit():
        values["tenant"] = request.values["tenant"]
    return url_for(endpoint, **values)


def form_token() -> str:
    return csrf_token(svc().settings.secret_key, f"admin:{current_admin().session_id}")


def check_form_token() -> None:
    """Refuse a POST whose CSRF token was not rendered for this admin session."""
    given = request.form.get("csrf", "")
    if not given or not hmac.compare_digest(form_token(), given):
        raise CsrfRefused(gettext("The form could not be verified (missing or wrong CSRF token). "
                                  "Reload the page and submit again."))


def render_admin(template: str, title: str, status: int = 200, **context: Any) -> FlaskResponse:
    """An admin page: framed only by the launch's platform, never cached."""
    admin = current_admin()
    context.setdefault("errors", NO_ERRORS)
    context.setdefault("tenant", current_tenant(required=False))
    response = make_response(render_template(
        template, admin=admin, page_title=title, csrf=form_token(), admin_url=admin_url,
        **context), status)
    return secure_headers(response)


def secure_headers(response: FlaskResponse) -> FlaskResponse:
    """CSP (frame-ancestors: the launch's platform only), no caching, no referrer."""
    response.headers["Content-Security-Policy"] = frame_ancestors(g.get("platform_origins", []))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
