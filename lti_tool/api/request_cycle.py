"""What runs around every API request: request id, caller, scope, rate limit, idempotency, ETag."""

from __future__ import annotations

import math
import re
import time
import uuid

from flask import Blueprint, Flask, Response, current_app, g, request
from werkzeug.exceptions import TooManyRequests

from ..bootstrap import services
from . import idempotency
from .callers import Caller, authorize, identify
from .errors import handle_error

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
WINDOW_SECONDS = 60


def install(bp: Blueprint) -> None:
    """Attach the request cycle and the error handler to one API blueprint."""
    bp.before_request(before_api_request)
    bp.after_request(after_api_request)
    bp.register_error_handler(Exception, handle_error)


def init_app(app: Flask) -> None:
    """A request id on every response (API, pages, static files), as logged in production."""
    app.before_request(assign_request_id)
    app.after_request(send_request_id)


def assign_request_id() -> None:
    given = request.headers.get("X-Request-Id", "")
    g.api_request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex


def send_request_id(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("api_request_id") or uuid.uuid4().hex
    return response


def before_api_request() -> Response | None:
    """Identify and authorize the caller, count it against its limit, replay retries."""
    found = identify()
    g.api_caller = found
    authorize(found)
    _count(found)
    return idempotency.replay_or_claim(services(current_app).cache, found.limit_key)


def after_api_request(response: Response) -> Response:
    """Store idempotent responses; ETag and 304 for GETs; rate-limit headers."""
    response = idempotency.remember(services(current_app).cache, response)
    for name, value in g.get("api_limit_headers", {}).items():
        response.headers[name] = value
    if request.method == "GET" and response.status_code == 200:
        response.headers["Cache-Control"] = "private, no-cache"
        response.add_etag()
        response.make_conditional(request)
    return response


def _count(found: Caller) -> None:
    """A fixed window per caller and minute, shared through the cache by every worker."""
    limit = services(current_app).settings.api_rate_limit_per_minute
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    used = services(current_app).cache.incr(f"api:rate:{found.limit_key}:{window}",
                                             WINDOW_SECONDS + 5)
    reset = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
    g.api_limit_headers = {"X-RateLimit-Limit": str(limit),
                           "X-RateLimit-Remaining": str(max(0, limit - used)),
                           "X-RateLimit-Reset": str(reset)}
    if used > limit:
        raise TooManyRequests(f"rate limit of {limit} requests a minute reached; retry in "
                              f"{reset} s", retry_after=reset)
