"""The one place every API error becomes `{code, status, message, errors}`."""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from ..domain.errors import (
    CareerPathError,
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from ..usecases.api_keys import InvalidApiKey
from ..usecases.widget_tokens import InvalidWidgetToken

API_PREFIX = "/api/"
log = logging.getLogger("lti_tool.api")

# most specific first: the first class an error is an instance of gives its status
STATUS_BY_ERROR: tuple[tuple[type[CareerPathError], int], ...] = (
    (InvalidApiKey, 401), (InvalidWidgetToken, 401), (NotAllowed, 403), (NotFound, 404),
    (Conflict, 409), (InvalidInput, 422), (DomainError, 422),
)
CODE_BY_STATUS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                  405: "method_not_allowed", 409: "conflict", 412: "precondition_failed",
                  413: "payload_too_large", 415: "unsupported_media_type",
                  422: "invalid_input", 429: "rate_limited", 500: "internal_error"}


class IdempotencyKeyReused(InvalidInput):
    """The same Idempotency-Key came with a different request."""

    code = "idempotency_key_reused"


def error_response(status: int, code: str, message: str,
                   errors: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """The error body, with its status and headers."""
    response = jsonify(code=code, status=status, message=message, errors=errors or {})
    response.status_code = status
    response.headers.update(headers or {})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="careerpath"'
    return response


def handle_error(exc: Exception) -> Response:
    """Every exception an API request raises ends here."""
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    if isinstance(exc, CareerPathError):
        status = next((s for cls, s in STATUS_BY_ERROR if isinstance(exc, cls)), 500)
        if status == 500:
            log.error("server-side error on %s %s: %s", request.method, request.path, exc)
            return error_response(500, "internal_error", "the server could not do this")
        errors = exc.errors if isinstance(exc, InvalidInput) else {}
        return error_response(status, exc.code, str(exc), errors)
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", "an unexpected error occurred; it was logged")


def handle_app_http_error(exc: HTTPException) -> Response | HTTPException:
    """HTTP errors outside the API blueprints (unknown URL, wrong method): JSON under /api."""
    if request.path.startswith(API_PREFIX):
        return _http_error(exc)
    return exc


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    errors = _field_errors(data.get("messages") or data.get("errors") or {})
    message = data.get("message") or (
        "the request's input is not valid" if errors else (exc.description or exc.name))
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    return error_response(status, CODE_BY_STATUS.get(status, exc.name.lower().replace(" ", "_")),
                          message, errors, headers)


def _field_errors(messages: Any) -> dict[str, Any]:
    """webargs's {location: {field: [...]}} flattened to {field: [...]}."""
    if not isinstance(messages, dict):
        return {"_schema": messages if isinstance(messages, list) else [str(messages)]}
    merged: dict[str, Any] = {}
    for location, found in messages.items():
        if isinstance(found, dict):
            merged.update(found)
        else:
            merged[str(location)] = found
    return merged
