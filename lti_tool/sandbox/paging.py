"""Opaque page cursors, page sizes and query checks for paged containers (the Link
headers each platform writes are in flavours.py)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from .state import SandboxError

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def encode_cursor(kind: str, value: int) -> str:
    """An opaque, mixed-case cursor (so a client that lower-cases URLs breaks)."""
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> int:
    """The integer behind a cursor made by `encode_cursor`; 0 when absent."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = raw.partition(":")
        number = int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise SandboxError(
            f"Invalid paging cursor {cursor!r} (cursors are case-sensitive)"
        ) from None
    if prefix != kind or number < 0:
        raise SandboxError(f"Invalid paging cursor {cursor!r}")
    return number


def parse_limit(raw: str | None) -> int:
    """The page size from `limit`, capped at MAX_LIMIT."""
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise SandboxError("limit must be a whole number") from None
    if limit < 1:
        raise SandboxError("limit must be at least 1")
    return min(limit, MAX_LIMIT)


def page_url(base: str, params: Mapping[str, str | int | None]) -> str:
    """`base` with the non-empty query parameters."""
    kept = {k: v for k, v in params.items() if v is not None and v != ""}
    return f"{base}?{urlencode(kept)}" if kept else base


def check_params(given: Iterable[str], allowed: set[str]) -> None:
    """Refuse unknown query parameters (e.g. `pagetoken` from a client that lower-cased a URL)."""
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise SandboxError(f"Unknown query parameters {unknown}; allowed: {sorted(allowed)}")
