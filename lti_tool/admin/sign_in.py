"""Sign-in with the admin token, sign-out, and the dashboard with the tenant picker."""

from __future__ import annotations

import hmac
import secrets

from flask import Response as FlaskResponse
from flask import make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..domain.errors import InvalidInput
from ..usecases.admin_session import (
    ADMIN_SESSION_TTL,
    FAILURE_WINDOW_SECONDS,
    SignInDisabled,
    TooManyAttempts,
    session_cookie,
    sign_out,
)
from ..usecases.admin_session import sign_in as open_session
from ..usecases.tenant_admin import overview, tenants
from ..web.csrf import csrf_token
from ..web.error_messages import translated, translated_fields
from ..web.translations import gettext
from .access import (
    COOKIE,
    COOKIE_PATH,
    current_admin,
    current_tenant,
    render_admin,
    secure_headers,
    svc,
)
from .blueprint import bp
from .forms import FormErrors

LOGIN_COOKIE = "careerpath_admin_login"


@bp.get("/login")
def sign_in() -> ResponseReturnValue:
    """The sign-in form (or a note that sign-in is disabled)."""
    return _sign_in_page(FormErrors(), 200)


@bp.post("/login")
def sign_in_submitted() -> ResponseReturnValue:
    """Check the token (constant time), open an 8-hour session, set its signed cookie."""
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    if not nonce or not hmac.compare_digest(_login_token(nonce), request.form.get("csrf", "")):
        return _sign_in_page(FormErrors("sign-in", gettext(
            "The form could not be verified: reload the page and sign in again.")), 403)
    try:
        session = open_session(svc().cache, svc().settings.admin_token,
                               request.form.get("token", ""), request.remote_addr or "?")
    except SignInDisabled:
        return _sign_in_page(FormErrors(), 403)
    except TooManyAttempts as exc:
        response = _sign_in_page(FormErrors("sign-in", translated(str(exc))), 429)
        response.headers["Retry-After"] = str(FAILURE_WINDOW_SECONDS)
        return response
    except InvalidInput as exc:
        return _sign_in_page(FormErrors("sign-in", translated(exc.message),
                                        translated_fields(exc.errors)), 401)
    signed_in = redirect(url_for("admin.dashboard"), 303)
    signed_in.set_cookie(COOKIE, session_cookie(svc().settings.secret_key, session),
                         max_age=ADMIN_SESSION_TTL, path=COOKIE_PATH, secure=True,
                         httponly=True, samesite="Strict")
    return signed_in


@bp.post("/logout")
def sign_out_submitted() -> ResponseReturnValue:
    """End the session (the CSRF check ran before) and forget the cookie."""
    sign_out(svc().cache, current_admin())
    response = redirect(url_for("admin.sign_in"), 303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, secure=True, httponly=True,
                           samesite="Strict")
    return response


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    """Counts and links for the tenant; the tenant picker for the super-admin."""
    admin = current_admin()
    chosen = current_tenant(required=False)
    found = None if chosen is None else overview(svc().database, chosen.id)
    return render_admin("admin/dashboard.html", gettext("Dashboard"), overview=found,
                        tenants=tenants(svc().database) if admin.super_admin else [])


def _login_token(nonce: str) -> str:
    return csrf_token(svc().settings.secret_key, f"admin-login:{nonce}")


def _sign_in_page(errors: FormErrors, status: int) -> FlaskResponse:
    """The form with a fresh login token, bound to a SameSite=Strict cookie."""
    nonce = secrets.token_urlsafe(16)
    page = render_template("admin/sign_in.html", page_title=gettext("Sign in"), errors=errors,
                           enabled=bool(svc().settings.admin_token), csrf=_login_token(nonce))
    response = secure_headers(make_response(page, status))
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=3600, path=COOKIE_PATH, secure=True,
                        httponly=True, samesite="Strict")
    return response
