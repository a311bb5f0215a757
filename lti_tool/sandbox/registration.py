"""LTI Dynamic Registration, as Moodle (deployment_id returned) or Canvas (deployed later)."""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from .flavours import FLAVOURS
from .launch import AGS_SCOPES, NRPS_SCOPE
from .model import DEEP_LINKING_REQUEST, RESOURCE_LINK_REQUEST, Registration
from .platform import Platform, current_platform
from .state import SandboxError

bp = Blueprint("sandbox_registration", __name__)
PRIVATE_KEY_JWT = "private_key_jwt"  # noqa: S105 - an auth method name, not a secret
TOKEN_LIFETIME = 3600
PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"
REQUIRED_FIELDS = (
    "application_type",
    "response_types",
    "grant_types",
    "initiate_login_uri",
    "redirect_uris",
    "client_name",
    "jwks_uri",
    "token_endpoint_auth_method",
    "scope",
)


def _flavour(value: str | None) -> str:
    if value not in FLAVOURS:
        raise SandboxError(f"flavour must be one of {FLAVOURS}", 404 if value else 400, "not_found")
    return value


def new_registration_token(platform: Platform, flavour: str) -> dict[str, str]:
    """A one-time registration token and the openid_configuration URL that goes with it."""
    token = secrets.token_urlsafe(24)
    with platform.state.lock:
        platform.registration_tokens[token] = {
            "flavour": flavour,
            "used": False,
            "expires_at": time.time() + TOKEN_LIFETIME,
        }
    configuration_url = f"{platform.settings.issuer}/register/{flavour}/openid-configuration"
    return {"registration_token": token, "openid_configuration": configuration_url}


@bp.get("/_sandbox/register")
def register_page() -> str:
    """A page that opens the tool's registration URL with openid_configuration and a token."""
    platform = current_platform()
    flavour = _flavour(request.args.get("flavour", "moodle"))
    issued = new_registration_token(platform, flavour)
    tool_url = request.args.get("tool_register_url")
    start_url = None
    if tool_url:
        if not tool_url.startswith(("http://", "https://")):
            raise SandboxError("tool_register_url must be an http(s) URL")
        start_url = f"{tool_url}{'&' if '?' in tool_url else '?'}{urlencode(issued)}"
    return render_template("register.html", flavour=flavour, start_url=start_url, **issued)


@bp.post("/_sandbox/registration_tokens")
def create_registration_token() -> ResponseReturnValue:
    """Test helper: a registration token as JSON, without the page."""
    body = request.get_json(silent=True) or {}
    return jsonify(
        new_registration_token(current_platform(), _flavour(body.get("flavour", "moodle")))
    ), 201


def _registration_token(platform: Platform, flavour: str, consume: bool) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    with platform.state.lock:
        found = (
            platform.registration_tokens.get(value.strip()) if scheme.lower() == "bearer" else None
        )
        if (
            found is None
            or found["used"]
            or found["expires_at"] < time.time()
            or found["flavour"] != flavour
        ):
            raise SandboxError(
                "A valid, unused registration token is required as Bearer", 401, "invalid_token"
            )
        if consume:
            found["used"] = True


@bp.get("/register/<flavour>/openid-configuration")
def openid_configuration(flavour: str) -> ResponseReturnValue:
    """The platform's OpenID configuration (needs the registration token)."""
    platform = current_platform()
    _registration_token(platform, _flavour(flavour), consume=False)
    return jsonify(_configuration(platform, flavour))


def _configuration(platform: Platform, flavour: str) -> dict[str, Any]:
    issuer = platform.settings.issuer
    placements = (
        ["ContentItemSelectionRequest"]
        if flavour == "moodle"
        else ["link_selection", "assignment_selection"]
    )
    return {
        "issuer": issuer,
        "authorization_endpoint": platform.settings.auth_url,
        "token_endpoint": platform.settings.token_url,
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "jwks_uri": f"{issuer}/jwks",
        "registration_endpoint": f"{issuer}/register/{flavour}",
        "scopes_supported": ["openid", *AGS_SCOPES, NRPS_SCOPE],
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public", "pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email", "nonce"],
        PLATFORM_CONFIG: {
            "product_family_code": flavour,
            "version": "4.3.0" if flavour == "moodle" else "cloud",
            "messages_supported": [
                {"type": RESOURCE_LINK_REQUEST},
                {"type": DEEP_LINKING_REQUEST, "placements": placements},
            ],
            "variables": ["Context.id", "Person.email.primary", "ResourceLink.id"],
        },
    }


@bp.post("/register/<flavour>")
def register(flavour: str) -> ResponseReturnValue:
    """Accept a tool configuration; answer it with a new client_id (and Moodle's deployment_id)."""
    platform = current_platform()
    flavour = _flavour(flavour)
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise SandboxError("The body must be the tool configuration as a JSON object")
    tool = _validated(body)
    _registration_token(platform, flavour, consume=True)
    registration = _registration(platform, flavour, body, tool)
    answer_tool = dict(tool)
    if registration.deployments:
        answer_tool["deployment_id"] = registration.deployments[0]
    granted = " ".join(s for s in body["scope"].split() if s in {*AGS_SCOPES, NRPS_SCOPE})
    return jsonify(
        {**body, "client_id": registration.client_id, "scope": granted, TOOL_CONFIG: answer_tool}
    )


def _validated(body: dict[str, Any]) -> dict[str, Any]:
    missing = [name for name in (*REQUIRED_FIELDS, TOOL_CONFIG) if name not in body]
    if missing:
        raise SandboxError(f"Missing fields: {', '.join(missing)}", 400, "invalid_client_metadata")
    checks = {
        "application_type must be web": body["application_type"] == "web",
        "response_types must include id_token": "id_token" in (body["response_types"] or []),
        "grant_types must include implicit and client_credentials": {
            "implicit",
            "client_credentials",
        }
        <= set(body["grant_types"] or []),
        "redirect_uris must be a non-empty list": isinstance(body["redirect_uris"], list)
        and bool(body["redirect_uris"]),
        "token_endpoint_auth_method must be private_key_jwt": (
            body["token_endpoint_auth_method"] == PRIVATE_KEY_JWT
        ),
        "scope must be a space-separated string": isinstance(body["scope"], str),
    }
    failed = [message for message, ok in checks.items() if not ok]
    tool = body[TOOL_CONFIG]
    if not isinstance(tool, dict):
        failed.append(f"{TOOL_CONFIG} must be an object")
    else:
        failed += [
            f"{TOOL_CONFIG}.{name} is required"
            for name in ("domain", "target_link_uri", "messages")
            if not tool.get(name)
        ]
    if failed:
        raise SandboxError("; ".join(failed), 400, "invalid_client_metadata")
    return tool


def _registration(
    platform: Platform, flavour: str, body: dict[str, Any], tool: dict[str, Any]
) -> Registration:
    deep_link_url = next(
        (
            m.get("target_link_uri")
            for m in tool.get("messages", [])
            if isinstance(m, dict) and m.get("type") == DEEP_LINKING_REQUEST
        ),
        None,
    )
    registration = Registration(
        client_id=f"{flavour}-{secrets.token_hex(8)}",
        login_url=body["initiate_login_uri"],
        launch_url=tool["target_link_uri"],
        jwks_url=body["jwks_uri"],
        redirect_uris=list(body["redirect_uris"]),
        deep_link_url=deep_link_url or tool["target_link_uri"],
        flavour=flavour,
        configuration=body,
    )
    if flavour == "moodle":
        registration.deployments.append(platform.state.next_id("deployment"))
    return platform.state.register(registration)


@bp.post("/_sandbox/registrations/<client_id>/deploy")
def deploy(client_id: str) -> ResponseReturnValue:
    """Create a deployment for a registered tool (Canvas: an admin installs the key)."""
    deployment_id = current_platform().state.deploy(client_id)
    return jsonify(client_id=client_id, deployment_id=deployment_id), 201
