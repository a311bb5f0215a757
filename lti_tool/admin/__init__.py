"""Admin pages under /admin: registrations, deployments, keys, frameworks, roles, API keys,
issued badges.

Views only translate: request → use case → page. A tenant admin arrives through an LTI
launch (`launch=` on every URL, the tenant is the launch's); the super-admin signs in with
CAREERPATH_ADMIN_TOKEN and picks a tenant (`tenant=`). Every POST carries a CSRF token.
"""

from __future__ import annotations

from flask import Flask, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..domain.errors import NotAllowed, NotFound
from ..usecases.launch import LaunchSession
from ..web.error_messages import translated
from ..web.translations import LANGUAGES, gettext, use_locale
from .access import (
    CsrfRefused,
    SignInRequired,
    TenantRequired,
    check_form_token,
    current_admin,
    secure_headers,
)
from .blueprint import bp


@bp.before_request
def follow_the_launch_locale() -> None:
    """A request of an admin launch is answered in the launch's language (its page titles,
    notices and error pages too); the token sign-in and the operator's pages have no launch
    and follow the browser's Accept-Language (English when it names none of ours)."""
    if request.values.get("launch"):
        current_admin()  # loads the launch session, which sets the request's language
    else:
        use_locale(request.accept_languages.best_match(LANGUAGES) or "en")


@bp.before_request
def refuse_forged_posts() -> None:
    """Every POST but the sign-in form (which has its own token) needs the session's token."""
    if request.method == "POST" and request.endpoint != "admin.sign_in_submitted":
        check_form_token()


@bp.errorhandler(SignInRequired)
def to_sign_in(_error: SignInRequired) -> ResponseReturnValue:
    return redirect(url_for("admin.sign_in"), 303)


@bp.errorhandler(TenantRequired)
def to_tenant_picker(_error: TenantRequired) -> ResponseReturnValue:
    return redirect(url_for("admin.dashboard"), 303)


@bp.errorhandler(NotFound)
def not_found(_error: NotFound) -> ResponseReturnValue:
    # the use cases' wording ("framework 7 does not exist") is English: the page says it in
    # the launch's language instead
    return error_page(gettext("Not found"), gettext(
        "What you asked for does not exist, or it belongs to another organisation."), 404)


@bp.errorhandler(NotAllowed)
def not_allowed(error: NotAllowed) -> ResponseReturnValue:
    return error_page(gettext("Not allowed") if not isinstance(error, CsrfRefused) else
                      gettext("Form not accepted"), translated(str(error)), 403)


def error_page(title: str, message: str, status: int) -> ResponseReturnValue:
    """A plain page saying what went wrong, with the status."""
    page = render_template("admin/error.html", page_title=title, message=message,
                           status=status)
    from flask import make_response

    return secure_headers(make_response(page, status))


def admin_home(launch: LaunchSession) -> ResponseReturnValue:
    """Where a launch opening the admin pages lands: the dashboard, or 403 for non-admins."""
    from ..lti.roles import LaunchView

    if launch.role_view < LaunchView.ADMIN:
        return error_page(gettext("Not allowed"), gettext(
            "The admin pages are for LMS administrators (system or institution Administrator)."),
            403)
    return redirect(url_for("admin.dashboard", launch=launch.launch_id), 303)


def init_app(app: Flask) -> None:
    from . import (  # noqa: F401 - registers views
        api_keys,
        badges,
        catalogue,
        connectors,
        mobility,
        platforms,
        service_hosts,
        sign_in,
    )

    app.register_blueprint(bp)
