"""CORS for widget tokens only: a portal on another origin reads one person's widget data.

Only the views marked `requires(..., widget=True)` take part. A preflight for GET with at
most an `Authorization` header is answered without authentication (it carries none); the
real response gets `Access-Control-Allow-Origin: *` only when its bearer credential is a
widget token (valid or not, so the page can tell an expired token from a network failure).
API-key requests never get CORS headers, and credentials (cookies) are never allowed: no
`Access-Control-Allow-Credentials`, and `*` cannot be combined with them anyway.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from ..usecases.widget_tokens import is_widget_token
from .errors import API_PREFIX

ALLOWED_METHODS = "GET, OPTIONS"
ALLOWED_HEADERS = "Authorization"
EXPOSED_HEADERS = "X-Request-Id, Retry-After"
PREFLIGHT_MAX_AGE = "600"


def init_app(app: Flask) -> None:
    """Answer widget preflights before the API's authentication; mark widget responses."""
    app.before_request(answer_preflight)
    app.after_request(allow_widget_origin)


def _widget_view() -> bool:
    """True when the matched URL is one a widget token may read."""
    if not request.path.startswith(API_PREFIX) or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "api_widget", False))


def _is_preflight() -> bool:
    return (request.method == "OPTIONS" and "Origin" in request.headers
            and "Access-Control-Request-Method" in request.headers)


def answer_preflight() -> Response | None:
    """204 with the allowed method and header for a widget view; anything else goes on."""
    if not _is_preflight() or not _widget_view():
        return None
    response = Response(status=204)
    response.headers.pop("Content-Type", None)
    response.headers["Allow"] = ALLOWED_METHODS
    asked = request.headers.get("Access-Control-Request-Method", "")
    headers = {h.strip().lower() for h in
               request.headers.get("Access-Control-Request-Headers", "").split(",") if h.strip()}
    if asked == "GET" and headers <= {"authorization"}:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def allow_widget_origin(response: Response) -> Response:
    """`Access-Control-Allow-Origin: *` on a widget view's GET sent with a widget token."""
    if request.method not in {"GET", "HEAD"} or not _widget_view():
        return response
    kind, _, token = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() == "bearer" and is_widget_token(token.strip()):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        response.headers.pop("Access-Control-Allow-Credentials", None)
    return response
