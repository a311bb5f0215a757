"""The SDK's one error hierarchy: every failure is an APIError (or a subclass)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class APIError(Exception):
    """A failed call: status, code, message, field errors, body, headers and request id."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "",
                 errors: Mapping[str, Any] | None = None, body: Any = None,
                 headers: Mapping[str, str] | None = None, request_id: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.errors = dict(errors or {})
        self.body = body
        self.headers = dict(headers or {})
        self.request_id = request_id

    def __str__(self) -> str:
        where = f" (request {self.request_id})" if self.request_id else ""
        return f"{self.status or '-'} {self.code or 'error'}: {self.message}{where}"


class APIConnectionError(APIError):
    """The API could not be reached (after the retries)."""


class AuthenticationError(APIError):
    """401: no key, an unknown or revoked key, or an expired widget token."""


class PermissionDenied(APIError):
    """403: the key lacks the scope, or a widget token tried something it may not."""


class NotFoundError(APIError):
    """404: absent, or not visible to this key's tenant."""


class ConflictError(APIError):
    """409: the request conflicts with what is stored."""


class ValidationError(APIError):
    """422: the input was refused; `errors` maps fields to messages."""


class RateLimitError(APIError):
    """429: too many requests; `retry_after` says how long to wait (seconds)."""

    @property
    def retry_after(self) -> float | None:
        value = self.headers.get("Retry-After")
        return float(value) if value and value.replace(".", "", 1).isdigit() else None


class ServerError(APIError):
    """5xx: the API failed; retried before being raised."""


ERROR_BY_STATUS: dict[int, type[APIError]] = {
    401: AuthenticationError, 403: PermissionDenied, 404: NotFoundError, 409: ConflictError,
    422: ValidationError, 429: RateLimitError,
}


def error_for(status: int, body: Any, headers: Mapping[str, str]) -> APIError:
    """The exception for a failed response: the one place statuses map to classes."""
    cls = ERROR_BY_STATUS.get(status, ServerError if status >= 500 else APIError)
    data = body if isinstance(body, dict) else {}
    message = str(data.get("message") or f"HTTP {status}")
    return cls(message, status=status, code=str(data.get("code") or ""),
               errors=data.get("errors") or {}, body=body, headers=headers,
               request_id=headers.get("X-Request-Id"))
