"""What a platform URL must look like: one rule for registration forms and Dynamic Registration."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..config import LOOPBACK_HOSTS
from ..domain.errors import InvalidInput


def check_platform_url(name: str, url: str) -> str:
    """https everywhere, plain http only for loopback hosts (demo and tests)."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise InvalidInput(f"{name} must be an absolute http(s) URL, got {url!r}",
                           {name: ["not an absolute URL"]})
    if parts.scheme == "http" and (parts.hostname or "") not in LOOPBACK_HOSTS:
        raise InvalidInput(f"{name} must use https (plain http only for loopback hosts)",
                           {name: ["https required"]})
    return url
