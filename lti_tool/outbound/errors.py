"""Errors of the outbound client: a status-free, fixed message; never the remote body."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..domain.errors import CareerPathError


def without_query(url: str) -> str:
    """`url` without its query string and fragment (they may carry tokens)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(malformed URL)"
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme else url[:200]


class OutboundError(CareerPathError):
    """A call to a URL someone else chose failed before a usable answer came back."""

    code = "outbound_error"

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = without_query(url) if url else ""

    def __str__(self) -> str:
        return f"{self.message} ({self.url})" if self.url else self.message


class OutboundRefused(OutboundError):
    """The address, scheme or redirect is not allowed: nothing was sent to it."""

    code = "outbound_refused"


class OutboundTooLarge(OutboundError):
    """The answer's body is over the limit of this kind of call."""

    code = "outbound_too_large"


class OutboundTimeout(OutboundError):
    """The call took longer than its total time (connect, redirects and body together)."""

    code = "outbound_timeout"


class OutboundUnreachable(OutboundError):
    """The host could not be resolved or connected to."""

    code = "outbound_unreachable"
