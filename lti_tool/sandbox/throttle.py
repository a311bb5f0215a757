"""Canvas's request throttle: a leaky bucket per developer key, 403 when it overflows.

Canvas app/middleware/request_throttle.rb: every API response carries `X-Request-Cost`
and `X-Rate-Limit-Remaining`; a request made with the bucket empty is answered
`403 Forbidden (Rate Limit Exceeded)` (not 429). The sandbox charges each request a cost
of 1 and refills `refill_per_second`; a registration without `throttle` is never limited.
"""

from __future__ import annotations

import time

from flask import Response
from werkzeug.exceptions import HTTPException

from .model import Registration

COST = 1.0


class RateLimitExceeded(HTTPException):
    """Canvas's throttle answer, as the response it sends."""

    code = 403

    def __init__(self, remaining: float) -> None:
        super().__init__(response=Response(
            "403 Forbidden (Rate Limit Exceeded)\n", 403,
            {"X-Rate-Limit-Remaining": f"{remaining:.1f}", "X-Request-Cost": f"{COST:.1f}"},
            mimetype="text/plain"))


def charge(registration: Registration, now: float | None = None) -> float | None:
    """Take one request's cost from the registration's bucket; the remaining budget
    (None when unthrottled). Raises RateLimitExceeded when the bucket is empty."""
    limits = registration.throttle
    if not limits:
        return None
    moment = time.monotonic() if now is None else now
    bucket = registration.bucket
    last = bucket.get("at", moment)
    level = bucket.get("remaining", limits["capacity"])
    level = min(limits["capacity"], level + (moment - last) * limits["refill_per_second"])
    bucket["at"] = moment
    if level < COST:
        bucket["remaining"] = level
        bucket["refused"] = bucket.get("refused", 0) + 1
        raise RateLimitExceeded(max(level, 0.0))
    bucket["remaining"] = level - COST
    return bucket["remaining"]


def usage_headers(remaining: float | None) -> dict[str, str]:
    """The headers Canvas puts on every API response."""
    if remaining is None:
        return {}
    return {"X-Request-Cost": f"{COST:.1f}", "X-Rate-Limit-Remaining": f"{remaining:.1f}"}
