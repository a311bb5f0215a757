"""Errors of the LMS service clients: one subclass per kind of failure, all with HTTP facts."""

from __future__ import annotations

from collections.abc import Mapping

from ..domain.errors import CareerPathError
from ..outbound.errors import without_query
from ..outbound.redaction import redacted

EXCERPT_LIMIT = 200


def redacted_excerpt(text: str, secrets: tuple[str, ...] = ()) -> str:
    """At most EXCERPT_LIMIT bytes of `text`, tokens and `secrets` blanked: for the log only."""
    return redacted(text, EXCERPT_LIMIT, secrets)


class LmsServiceError(CareerPathError):
    """A call to an LMS service failed; carries status and URL.

    `body_excerpt` (redacted, at most 200 bytes) is for the server log only: the message and
    `str()` never carry the remote body, so sync records and pages cannot show it.
    """

    code = "lms_service_error"

    def __init__(self, message: str, *, status: int | None = None, url: str = "",
                 body_excerpt: str = "", headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.url = url
        self.body_excerpt = redacted_excerpt(body_excerpt)
        self.headers = dict(headers or {})
        self.request_id = self.headers.get("X-Request-Id") or self.headers.get(
            "X-Request-Context-Id")

    def __str__(self) -> str:
        parts = [self.message]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.url:
            parts.append(without_query(self.url))
        return " | ".join(parts)


class LmsConnectionError(LmsServiceError):
    """The LMS could not be reached, or did not answer in time."""

    code = "lms_connection_error"


class LmsAddressRefused(LmsServiceError):
    """The LMS URL is not allowed (address, scheme, redirect or host): nothing was sent."""

    code = "lms_address_refused"


class LmsRateLimited(LmsServiceError):
    """The LMS kept throttling (429, or Canvas's 403 "Rate Limit Exceeded") after retries."""

    code = "lms_rate_limited"


class LmsAuthError(LmsServiceError):
    """The LMS refused our credentials or token (401/403), or refused to issue a token."""

    code = "lms_auth_error"


class LmsNotFound(LmsServiceError):
    """The LMS has no such resource (404)."""

    code = "lms_not_found"


class LmsConflict(LmsServiceError):
    """The LMS refused a change that conflicts with its state (409, e.g. an older score)."""

    code = "lms_conflict"


class LmsRequestRejected(LmsServiceError):
    """The LMS refused the request as invalid (another 4xx, e.g. 400 or 422)."""

    code = "lms_request_rejected"


class LmsServerError(LmsServiceError):
    """The LMS kept failing (5xx) after retries."""

    code = "lms_server_error"


class LmsBadResponse(LmsServiceError):
    """The LMS answered with malformed JSON or an unexpected shape or status."""

    code = "lms_bad_response"
