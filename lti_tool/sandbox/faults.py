"""Injected faults (throttling, errors, slowness, bad JSON) and per-endpoint request counters."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Flask, Response, json, jsonify, request
from flask.typing import ResponseReturnValue

from .platform import Platform, current_platform
from .state import SandboxError

bp = Blueprint("sandbox_faults", __name__, url_prefix="/_sandbox/faults")
KINDS = ("429", "403_throttle", "500", "slow", "malformed", "token_401")
MAX_DELAY = 30.0
ENDPOINT_KINDS = {
    "sandbox_ags.list_results": "ags.results",
    "sandbox_ags.post_score": "ags.scores",
    "sandbox_auth.authorize": "auth",
    "sandbox_auth.jwks": "jwks",
    "sandbox_token.token": "token",
    "sandbox_nrps.memberships": "nrps",
    "sandbox_deep_linking.deep_link_return": "deep_linking",
    "sandbox_registration.openid_configuration": "registration",
    "sandbox_registration.register": "registration",
}


@bp.post("")
def add_fault() -> ResponseReturnValue:
    """Arm a fault: {kind, path_prefix, count, retry_after, delay}."""
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict) or body.get("kind") not in KINDS:
        raise SandboxError(f"kind must be one of {KINDS}")
    fault = {
        "kind": body["kind"],
        "path_prefix": str(
            body.get("path_prefix") or ("/token" if body["kind"] == "token_401" else "/api/")
        ),
        "count": _number(body, "count", 1, int),
        "retry_after": _number(body, "retry_after", 1, int),
        "delay": min(_number(body, "delay", 1.0, float), MAX_DELAY),
    }
    if fault["count"] < 1:
        raise SandboxError("count must be at least 1")
    platform = current_platform()
    with platform.state.lock:
        platform.faults.append(fault)
    return jsonify(fault), 201


@bp.delete("")
def clear_faults() -> ResponseReturnValue:
    """Disarm every fault."""
    platform = current_platform()
    with platform.state.lock:
        platform.faults.clear()
    return Response(status=204)


def _number(body: dict[str, Any], name: str, default: Any, kind: type) -> Any:
    try:
        return kind(body.get(name, default))
    except (TypeError, ValueError):
        raise SandboxError(f"{name} must be a number") from None


def endpoint_kind() -> str | None:
    """The counter a request falls under (None for sandbox admin calls and static files)."""
    endpoint = request.endpoint or ""
    if endpoint in ENDPOINT_KINDS:
        return ENDPOINT_KINDS[endpoint]
    if endpoint.startswith("sandbox_ags."):
        return "ags.lineitems"
    if endpoint.startswith("sandbox_pages."):
        return "pages"
    return None


def _take_fault(platform: Platform) -> dict[str, Any] | None:
    if request.path.startswith("/_sandbox/"):
        return None
    with platform.state.lock:
        for fault in platform.faults:
            if request.path.startswith(fault["path_prefix"]):
                fault["count"] -= 1
                if fault["count"] <= 0:
                    platform.faults.remove(fault)
                return dict(fault)
    return None


def fault_response(fault: dict[str, Any]) -> Response | None:
    """The response a fault answers with (None: carry on, after any delay)."""
    kind = fault["kind"]
    if kind == "slow":
        time.sleep(fault["delay"])
        return None
    if kind == "429":
        body = {"error": "rate_limited", "error_description": "Too many requests"}
        return Response(
            json.dumps(body),
            429,
            {"Retry-After": str(fault["retry_after"])},
            mimetype="application/json",
        )
    if kind == "403_throttle":
        return Response(
            "403 Forbidden (Rate Limit Exceeded)",
            403,
            {"X-Rate-Limit-Remaining": "0"},
            mimetype="text/plain",
        )
    if kind == "500":
        body = {"error": "server_error", "error_description": "Injected failure"}
        return Response(json.dumps(body), 500, mimetype="application/json")
    if kind == "malformed":
        return Response('{"id": "https://sandbox.invalid/trunc', 200, mimetype="application/json")
    error = "invalid_client" if request.path.startswith("/token") else "invalid_token"
    body = {"error": error, "error_description": "Injected 401"}
    return Response(
        json.dumps(body),
        401,
        {"WWW-Authenticate": f'Bearer error="{error}"'},
        mimetype="application/json",
    )


def before_request() -> Response | None:
    """Count the request, then apply the first armed fault matching its path."""
    platform = current_platform()
    kind = endpoint_kind()
    if kind is not None:
        platform.stats.count(kind)
    fault = _take_fault(platform)
    return fault_response(fault) if fault else None


def init_app(app: Flask) -> None:
    """Register the fault routes and the request hook."""
    app.register_blueprint(bp)
    app.before_request(before_request)
