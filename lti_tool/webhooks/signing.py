"""`CareerPath-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.

The timestamp is signed with the body, so a captured request cannot be replayed after
the receiver's tolerance (300 s by default); `v1` may appear more than once while a
secret is being rotated.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "CareerPath-Signature"
SCHEME = "v1"
DEFAULT_TOLERANCE = 300


class SignatureMismatch(ValueError):
    """The signature header is missing, malformed, stale or does not match the body."""


def new_secret() -> str:
    """A fresh subscription secret, `whsec_` and 32 random bytes in hex."""
    return f"whsec_{secrets.token_hex(32)}"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<timestamp>.<body>` under `secret`."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the CareerPath-Signature header for one delivery."""
    return f"t={timestamp},{SCHEME}={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, now: float,
           tolerance: int = DEFAULT_TOLERANCE) -> int:
    """The signed timestamp when `header` signs `body` within `tolerance`; else raises."""
    timestamp, candidates = _parse(header)
    if abs(now - timestamp) > tolerance:
        raise SignatureMismatch(f"timestamp is {int(now - timestamp)} s away from now "
                                f"(tolerance {tolerance} s)")
    expected = signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise SignatureMismatch("no v1 signature matches the body")
    return timestamp


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    candidates: list[str] = []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == SCHEME and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureMismatch(f"malformed {HEADER} header")
    return timestamp, candidates
