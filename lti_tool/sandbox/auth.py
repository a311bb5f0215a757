"""The OIDC authorization endpoint: checks the tool's auth request and posts the id_token."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from .launch import LaunchIntent, id_token_claims
from .platform import current_platform
from .state import SandboxError

bp = Blueprint("sandbox_auth", __name__)

FIXED_PARAMS = {
    "scope": "openid",
    "response_type": "id_token",
    "response_mode": "form_post",
    "prompt": "none",
}


@bp.route("/auth", methods=["GET", "POST"])
def authorize() -> str:
    """Validate the OIDC authentication request, then auto-post id_token and state."""
    platform = current_platform()
    params = request.values
    for name, expected in FIXED_PARAMS.items():
        if params.get(name) != expected:
            raise SandboxError(
                f"{name} must be {expected!r}, got {params.get(name)!r}", 400, "invalid_request"
            )
    for name in ("client_id", "redirect_uri", "login_hint", "lti_message_hint", "nonce"):
        if not params.get(name):
            raise SandboxError(f"{name} is required", 400, "invalid_request")
    intent = LaunchIntent.from_hint(platform, params["lti_message_hint"])
    if params["client_id"] != intent.client_id:
        raise SandboxError(
            "client_id does not match the launch's registration", 400, "unauthorized_client"
        )
    registration = platform.state.registration(intent.client_id)
    if params["redirect_uri"] not in registration.redirect_uris:
        raise SandboxError(
            "redirect_uri is not one of the tool's registered redirect URIs",
            400,
            "invalid_request_uri",
        )
    if params["login_hint"] != intent.user_id or params["login_hint"] not in platform.state.users:
        raise SandboxError(
            "login_hint is not the user this launch was started for", 400, "login_required"
        )
    with platform.state.lock:
        claims = id_token_claims(platform, intent, params["nonce"])
    id_token = platform.keys.sign(claims, platform.keys.active.kid)
    fields = {"id_token": id_token}
    if params.get("state"):
        fields["state"] = params["state"]
    return render_template(
        "autopost.html", action=params["redirect_uri"], fields=fields, title="Launching…"
    )


@bp.get("/jwks")
def jwks() -> ResponseReturnValue:
    """The platform's public keys."""
    response = jsonify(current_platform().keys.jwks())
    response.headers["Cache-Control"] = "max-age=300"
    return response
