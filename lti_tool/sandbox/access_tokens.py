"""The OAuth 2 token endpoint (client credentials with a JWT assertion) and Bearer checks."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar

import jwt
from flask import Blueprint, g, jsonify, make_response, request
from flask.typing import ResponseReturnValue

from .launch import AGS_SCOPES, NRPS_SCOPE
from .model import Registration
from .platform import AccessToken, current_platform
from .state import SandboxError
from .throttle import charge, usage_headers

bp = Blueprint("sandbox_token", __name__)
ALLOWED_SCOPES = frozenset([*AGS_SCOPES, NRPS_SCOPE])
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ViewFunction = TypeVar("ViewFunction", bound=Callable[..., Any])


@bp.post("/token")
def token() -> ResponseReturnValue:
    """Issue an access token for a tool's signed client assertion."""
    form = request.form
    if form.get("grant_type") != "client_credentials":
        raise SandboxError("grant_type must be client_credentials", 400, "unsupported_grant_type")
    if form.get("client_assertion_type") != ASSERTION_TYPE:
        raise SandboxError(
            f"client_assertion_type must be {ASSERTION_TYPE}", 400, "invalid_request"
        )
    assertion = form.get("client_assertion")
    if not assertion:
        raise SandboxError("client_assertion is required", 400, "invalid_request")
    scopes = frozenset((form.get("scope") or "").split())
    if not scopes or not scopes <= ALLOWED_SCOPES:
        raise SandboxError(
            f"scope must be a non-empty subset of {sorted(ALLOWED_SCOPES)}", 400, "invalid_scope"
        )
    client_id = _verified_client(assertion)
    value, issued = current_platform().issue_token(client_id, scopes)
    return jsonify(
        access_token=value,
        token_type="Bearer",  # noqa: S106 - the OAuth token type, not a secret
        expires_in=int(issued.expires_at - time.time() + 0.5),
        scope=" ".join(sorted(scopes)),
    )


def _verified_client(assertion: str) -> str:
    """Verify the client assertion; return its client_id."""
    platform = current_platform()
    try:
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise SandboxError(f"client_assertion is not a JWT: {exc}", 401, "invalid_client") from exc
    client_id = unverified.get("iss")
    if not isinstance(client_id, str) or client_id not in platform.state.registrations:
        raise SandboxError(
            "client_assertion iss is not a registered client_id", 401, "invalid_client"
        )
    registration = platform.state.registration(client_id)
    claims = platform.tool_keys.verify(
        assertion, registration.jwks_url, platform.settings.token_url, issuer=client_id
    )
    if claims.get("sub") != client_id:
        raise SandboxError(
            "client_assertion sub must equal iss (the client_id)", 401, "invalid_client"
        )
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti:
        raise SandboxError("client_assertion needs a jti", 401, "invalid_client")
    if not platform.consume_jti(jti, float(claims["exp"])):
        raise SandboxError("client_assertion jti was already used", 401, "invalid_client")
    return client_id


def require_scope(*accepted: str) -> Callable[[ViewFunction], ViewFunction]:
    """Require a valid Bearer token holding one of the `accepted` scopes (401 otherwise)."""

    def decorate(view: ViewFunction) -> ViewFunction:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.access_token = _bearer(frozenset(accepted))
            platform = current_platform()
            with platform.state.lock:
                remaining = charge(platform.state.registration(g.access_token.client_id))
            response = make_response(view(*args, **kwargs))
            response.headers.update(usage_headers(remaining))
            return response

        return wrapper  # type: ignore[return-value]

    return decorate


def caller() -> Registration:
    """The registration whose access token authorised this request."""
    return current_platform().state.registration(g.access_token.client_id)


def _bearer(accepted: frozenset[str]) -> AccessToken:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise SandboxError("A Bearer access token is required", 401, "invalid_token")
    platform = current_platform()
    with platform.state.lock:
        found = platform.access_tokens.get(value.strip())
    if found is None or found.expires_at <= time.time():
        raise SandboxError("The access token is unknown or expired", 401, "invalid_token")
    if not found.scopes & accepted:
        raise SandboxError(
            f"The access token lacks a scope among {sorted(accepted)}", 401, "insufficient_scope"
        )
    return found
