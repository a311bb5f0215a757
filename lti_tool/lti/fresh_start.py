"""A launch by an erased person: a page saying their data was erased, and a fresh start
only when they confirm it (a POST of the one-time token the page holds)."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Flask, current_app, make_response, render_template, request
from flask.typing import ResponseReturnValue

from ..bootstrap import services
from ..usecases.erasure import fresh_start
from ..usecases.launch import record_launch
from ..usecases.launch_registrations import registration_by_id
from ..web.launch_binding import bind_browser, browser_key
from . import claims as c
from .errors import LaunchError

bp = Blueprint("fresh_start", __name__, url_prefix="/lti")
PENDING_TTL = 900


def erased_page(registration_id: int, claims: dict[str, Any], message_type: str,
                platform_origins: list[str]) -> ResponseReturnValue:
    """The page for a verified launch whose person was erased; nothing is re-created."""
    token = secrets.token_urlsafe(32)
    services(current_app).cache.set(f"fresh-start:{token}", {
        "registration_id": registration_id, "claims": claims, "message_type": message_type,
        "platform_origins": platform_origins}, PENDING_TTL)
    locale = (claims.get(c.LAUNCH_PRESENTATION) or {}).get("locale")  # the page's language
    return _framed(render_template("lti/erased.html", token=token, locale=locale),
                   platform_origins, 200)


@bp.post("/fresh-start")
def confirm() -> ResponseReturnValue:
    """The erased person confirmed: remove their tombstone and record the launch afresh."""
    token = request.form.get("token", "")
    svc = services(current_app)
    pending = svc.cache.pop(f"fresh-start:{token}") if token else None
    if pending is None or request.form.get("confirm") != "yes":
        raise LaunchError("This fresh-start form has expired or was already used.",
                          "Launch CareerPath again from the course.", status=400)
    tenant_id = registration_by_id(svc.database, pending["registration_id"]).tenant_id
    fresh_start(svc.database, tenant_id, str(pending["claims"]["sub"]))
    launch = record_launch(svc.database, svc.cache, pending["registration_id"],
                           pending["claims"], pending["message_type"],
                           pending["platform_origins"], browser_key=browser_key())
    from ..web.launch_pages import page_for

    return bind_browser(_framed(page_for(launch), pending["platform_origins"], None))


def _framed(page: ResponseReturnValue, origins: list[str], status: int | None) -> Any:
    from .views import frame_ancestors

    response = make_response(page)
    if status is not None:
        response.status_code = status
    response.headers["Content-Security-Policy"] = frame_ancestors(origins)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
