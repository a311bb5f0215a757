"""The one outbound HTTP client for URLs someone else chose (see session.py)."""

from __future__ import annotations

from .addresses import LOOPBACK_ALLOW, AllowList, refusal
from .errors import (
    OutboundError,
    OutboundRefused,
    OutboundTimeout,
    OutboundTooLarge,
    OutboundUnreachable,
)
from .session import JSON_DOCUMENT_BYTES, MAX_REDIRECTS, OutboundSession, log_excerpt

__all__ = [
    "JSON_DOCUMENT_BYTES", "LOOPBACK_ALLOW", "MAX_REDIRECTS", "AllowList", "OutboundError",
    "OutboundRefused", "OutboundSession", "OutboundTimeout", "OutboundTooLarge",
    "OutboundUnreachable", "log_excerpt", "refusal",
]
