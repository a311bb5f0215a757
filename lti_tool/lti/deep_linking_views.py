"""The instructor's deep-linking picker: choose widgets, return them signed to the LMS."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..bootstrap import services
from ..usecases.launch import LaunchSession
from ..usecases.launch_registrations import picker_choices, registration_by_id
from ..usecases.tool_keys import signing_key
from ..web.csrf import check_csrf, csrf_token
from ..web.launch_binding import current_launch_session
from ..web.translations import N_, gettext
from . import claims as c
from .deep_linking import (
    ASSESSED_ACTIVITIES,
    Placement,
    check_placements,
    checked_return_url,
    content_items,
    response_jwt,
)
from .errors import LaunchError
from .roles import LaunchView

bp = Blueprint("deep_linking", __name__, url_prefix="/lti")

WIDGETS = {
    "career_path": N_("Career path"),
    "readiness": N_("Next-role readiness"),
    "badges": N_("Badges"),
    "mapping": N_("Module mapping (instructors)"),
    "class_view": N_("Class view (instructors)"),
}
# ASSESSED_ACTIVITIES' titles, marked for the catalogues (the picker translates them)
ACTIVITY_WORDS = (N_("Applied project"), N_("Checkpoint"), N_("Assessment"))


def picker(launch: LaunchSession) -> ResponseReturnValue:
    """The form an instructor sees on an LtiDeepLinkingRequest."""
    _require_instructor(launch)
    svc = services(current_app)
    choices = picker_choices(svc.database, launch.tenant_id, launch.registration_id)
    roles, registration = choices.roles, choices.registration
    checked_return_url(launch.deep_linking, registration.issuer, launch.platform_origins)
    return render_template(
        "lti/deep_linking.html", launch=launch, widgets=WIDGETS, roles=roles,
        activities=ASSESSED_ACTIVITIES,
        csrf=csrf_token(svc.settings.secret_key, launch.launch_id),
        accept_multiple=str(launch.deep_linking.get("accept_multiple", "true")).lower()
        != "false")


@bp.post("/deep_link")
def respond() -> ResponseReturnValue:
    """Sign the chosen items and post them back to the platform's return URL."""
    svc = services(current_app)
    launch = current_launch_session(request.form.get("launch", ""))
    check_csrf(svc.settings.secret_key, launch.launch_id, request.form.get("csrf", ""))
    _require_instructor(launch)
    role_id = request.form.get("target_role", "")
    placements = [Placement(w, request.form.get(f"title_{w}") or WIDGETS[w], role_id,
                            w == "readiness" and request.form.get("line_item") == "1")
                  for w in request.form.getlist("widget") if w in WIDGETS]
    placements += [Placement("career_path", request.form.get(f"title_{key}") or activity.title,
                             role_id, activity=key)
                   for key, activity in ASSESSED_ACTIVITIES.items()
                   if key in request.form.getlist("activity")]
    check_placements(launch.deep_linking, placements)
    registration = registration_by_id(svc.database, launch.registration_id)
    return_url = checked_return_url(launch.deep_linking, registration.issuer,
                                    launch.platform_origins)
    token = response_jwt(launch.deep_linking, registration.issuer, registration.client_id,
                         launch.deployment_id,
                         content_items(placements, url_for("lti.launch", _external=True)),
                         signing_key(svc.database, svc.settings.secret_key, datetime.now(UTC)))
    return render_template("lti/deep_linking_return.html", token=token, placements=placements,
                           return_url=return_url)


def _require_instructor(launch: LaunchSession) -> None:
    if launch.message_type != c.DEEP_LINKING_REQUEST or launch.role_view < LaunchView.INSTRUCTOR:
        raise LaunchError(
            gettext("Only an instructor's deep-linking launch can place content."),
            gettext("Start from the LMS's 'add external tool' dialog as an instructor."),
            status=403)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
