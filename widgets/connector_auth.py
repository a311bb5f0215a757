"""Canvas OAuth2 for a course's connector: an instructor authorizes once from the mapping
page (in a new window: Canvas's login page refuses to be framed); Canvas comes back to the
callback, which keeps the tokens encrypted."""

from __future__ import annotations

from flask import Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from lti_tool.bootstrap import services
from lti_tool.domain.errors import InvalidInput
from lti_tool.lms.errors import LmsServiceError
from lti_tool.usecases.connectors import finish_authorization, start_authorization
from lti_tool.web.security_headers import TOP_LEVEL_NOTICE_POLICY

from .frame import bp
from .staff_access import course_of, refused, staff_launch


def _redirect_uri() -> str:
    return url_for("widgets.connector_callback", _external=True)


@bp.get("/mapping/connector/authorize")
def authorize_connector() -> ResponseReturnValue:
    """Send an instructor of the launch's course to Canvas's authorization page."""
    launch = staff_launch()
    refusal = refused(launch, "mapping")
    if refusal is not None:
        return refusal
    svc = services(current_app)
    try:
        target = start_authorization(svc.database, svc.settings.secret_key, course_of(launch),
                                     _redirect_uri())
    except InvalidInput as exc:
        return _page("Canvas access cannot be authorized here",
                     f"{exc}: an administrator sets up the connector on the platforms page.",
                     409)
    return redirect(target, 303)


@bp.get("/connectors/canvas/callback")
def connector_callback() -> ResponseReturnValue:
    """Canvas's answer: exchange the code (the signed `state` names the course)."""
    svc = services(current_app)
    if request.args.get("error"):
        return _page("Canvas access was not granted",
                     "Canvas answered: " + request.args.get("error", "")[:100], 400)
    try:
        finish_authorization(svc.database, svc.http, svc.cache, svc.settings.secret_key,
                             request.args.get("state", ""), request.args.get("code", ""),
                             _redirect_uri())
    except InvalidInput as exc:
        return _page("Canvas access was not saved", str(exc), 400)
    except LmsServiceError as exc:
        return _page("Canvas access was not saved", exc.message, 502)
    return _page("Canvas access authorized",
                 "The course's next sync reads its native assignments and module completion. "
                 "Close this window and reload the mapping page.", 200)


def _page(heading: str, message: str, status: int) -> Response:
    response = Response(render_template("widgets/connector_done.html", heading=heading,
                                        message=message), status=status)
    # a top-level page (its own window): nothing may frame it, and the code in its URL is
    # never sent on as a Referer
    response.headers["Content-Security-Policy"] = TOP_LEVEL_NOTICE_POLICY
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
