"""What every widget page shares: the blueprint, the launch lookup and the framed response."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, make_response, render_template, request
from flask import Response as FlaskResponse

from lti_tool.bootstrap import services
from lti_tool.lti.errors import LaunchError
from lti_tool.lti.views import frame_ancestors
from lti_tool.usecases.launch import LaunchSession
from lti_tool.usecases.readiness import LearnerLevels, load_levels
from lti_tool.web.csrf import check_csrf, csrf_token
from lti_tool.web.launch_binding import current_launch_session, handoff_url
from lti_tool.web.translations import N_, gettext, use_locale

from .locale_format import LocaleFormat

bp = Blueprint("widgets", __name__, url_prefix="/widgets", template_folder="templates")

VIEW_NAMES = {1: N_("Learner"), 2: N_("Instructor"), 3: N_("Admin")}


def current_launch(widget: str) -> LaunchSession:
    """The launch session named by the request's `launch` value, opened on `widget`."""
    launch = current_launch_session(request.values.get("launch", ""))
    use_locale(launch.locale)
    if launch.widget != widget:
        raise LaunchError(gettext("This link does not open that CareerPath widget."),
                          gettext("Use the CareerPath link placed in the course."), status=404)
    return launch


def check_form(launch: LaunchSession) -> None:
    """Refuse a POST whose CSRF token was not rendered for this launch session."""
    check_csrf(services(current_app).settings.secret_key, launch.launch_id,
               request.form.get("csrf", ""))


def learner_levels(launch: LaunchSession) -> LearnerLevels:
    """The launching person's own levels: never anyone else's, whatever the form says."""
    svc = services(current_app)
    return load_levels(svc.database, launch.tenant_id, launch.person_id, svc.catalogue)


def now() -> datetime:
    return datetime.now(UTC)


def render_widget(template: str, launch: LaunchSession, title: str,
                  view_label: str | None = None, **context: Any) -> FlaskResponse:
    """A widget page in the launch's locale, framed only by the platform's origins
    (`view_label`: the view named in the page's head, else the launch's)."""
    return framed(widget_html(template, launch, title, view_label, **context), launch)


def widget_html(template: str, launch: LaunchSession, title: str,
                view_label: str | None = None, **context: Any) -> str:
    """The HTML of `render_widget`'s page."""
    fmt = LocaleFormat.for_locale(launch.locale)
    use_locale(launch.locale)
    secret = services(current_app).settings.secret_key
    return render_template(
        template, launch=launch, fmt=fmt, lang=fmt.tag, page_title=gettext(title),
        view_name=gettext(view_label or VIEW_NAMES.get(launch.view, "Learner")),
        csrf=csrf_token(secret, launch.launch_id), today=fmt.date(now().date()),
        handoff_url=handoff_url, **context)


def framed(html: str | bytes, launch: LaunchSession) -> FlaskResponse:
    """`html` (bytes: UTF-8) as the response to the launch's frame (only the platform's
    origins frame it)."""
    response = make_response(html)
    response.headers["Content-Security-Policy"] = frame_ancestors(launch.platform_origins)
    return response
