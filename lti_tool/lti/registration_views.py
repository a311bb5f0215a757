"""Dynamic Registration (`/lti/register`) and the Canvas developer-key JSON (`/lti/config.json`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from ..bootstrap import services
from ..usecases.dynamic_registration import RegistrationRequest, register_dynamically
from ..web.translations import LANGUAGES, use_locale
from .dynamic_registration import ToolUrls, canvas_developer_key
from .views import frame_ancestors

bp = Blueprint("lti_registration", __name__, url_prefix="/lti")
LOGO = "logo.svg"


@bp.get("/register", defaults={"invitation": ""})
@bp.get("/register/<invitation>")
def register(invitation: str) -> ResponseReturnValue:
    """Register with the platform that opened this registration link, then tell it to close
    the window. Without a valid link: a 403 page, and no request to anyone."""
    config_url = request.args.get("openid_configuration", "")
    svc = services(current_app)
    done = register_dynamically(svc.http, svc.database, RegistrationRequest(
        invitation, config_url, request.args.get("registration_token", ""),
        svc.settings.canvas_config_host_list), tool_urls(), datetime.now(UTC))
    # no launch yet, so no locale claim: the LMS admin's browser says which language
    use_locale(request.accept_languages.best_match(LANGUAGES) or "en")
    response = make_response(render_template(
        "lti/registered.html", registration=done.platform.registration,
        deployments=done.platform.deployments))
    origins = {_origin(config_url), _origin(done.configuration.issuer)}
    response.headers["Content-Security-Policy"] = frame_ancestors(sorted(o for o in origins if o))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/config.json")
def canvas_config() -> ResponseReturnValue:
    """The JSON a Canvas admin pastes into a new LTI developer key."""
    return jsonify(canvas_developer_key(tool_urls()))


def tool_urls() -> ToolUrls:
    """The tool's public URLs for the host this request came to."""
    static = Path(current_app.static_folder or "")
    logo = url_for("static", filename=LOGO, _external=True) if (static / LOGO).is_file() else None
    return ToolUrls(login=url_for("lti.login", _external=True),
                    launch=url_for("lti.launch", _external=True),
                    jwks=url_for("lti.jwks", _external=True), logo=logo)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
