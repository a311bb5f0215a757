"""The sandbox LMS app factory and its error pages."""

from __future__ import annotations

from flask import Flask, Response, json, render_template, request
from werkzeug.exceptions import HTTPException

from . import (
    access_tokens,
    admin,
    ags,
    auth,
    deep_linking,
    faults,
    gradebook_pages,
    native_course,
    nrps,
    pages,
    registration,
)
from .platform import EXTENSION, Platform
from .seed import seed_demo
from .settings import SandboxSettings
from .state import SandboxError

JSON_PREFIXES = ("/api/", "/mod/lti/", "/token", "/register/", "/_sandbox/")
ERROR_HINTS = {
    "invalid_request": "Check the parameters the tool sent.",
    "invalid_request_uri": "An admin should check the tool's registered redirect URIs.",
    "unauthorized_client": "An admin should check the tool's client_id.",
    "not_deployed": "Deploy the tool first (POST /_sandbox/registrations/<client_id>/deploy).",
    "invalid_client": "An admin should check the tool's keys (JWKS URL) and client_id.",
}


def _wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES) and not request.path.startswith(
        "/_sandbox/register"
    )


def _error(status: int, error: str, message: str) -> Response | tuple[str, int]:
    if _wants_json():
        body = json.dumps({"error": error, "error_description": message})
        response = Response(body, status=status, mimetype="application/json")
        if status == 401 and request.path.startswith(("/api/", "/mod/lti/")):
            response.headers["WWW-Authenticate"] = f'Bearer error="{error}"'
        return response
    heading = "The sandbox LMS could not complete this request"
    return render_template(
        "error.html",
        status=status,
        error=error,
        message=message,
        heading=heading,
        hint=ERROR_HINTS.get(error, ""),
    ), status


def _register_errors(app: Flask) -> None:
    @app.errorhandler(SandboxError)
    def sandbox_error(exc: SandboxError) -> Response | tuple[str, int]:
        return _error(exc.status, exc.error, exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response | tuple[str, int]:
        if isinstance(exc.response, Response):  # a platform's own answer (throttle.py)
            return exc.response
        code = exc.code or 500
        return _error(code, (exc.name or "error").lower().replace(" ", "_"), exc.description or "")


def create_sandbox_app(settings: SandboxSettings | None = None) -> Flask:
    """Build a sandbox LMS app (seeded with the demo course unless `settings.seed` is false)."""
    settings = settings or SandboxSettings()
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.secret_key
    platform = Platform(settings)
    app.extensions[EXTENSION] = platform
    app.jinja_env.globals["platform_name"] = settings.platform_name
    faults.init_app(app)
    for module in (pages, gradebook_pages, auth, access_tokens, ags, nrps, deep_linking,
                   registration, admin):
        app.register_blueprint(module.bp)
    _register_errors(app)
    native_course.init_app(app)  # the native gradebook behind the Canvas and Moodle APIs
    if settings.seed:
        seed_demo(platform)
        native_course.seed_demo_native(app)
    return app
