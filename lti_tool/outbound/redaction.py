"""Remote bodies for the server log: short, one line, with tokens blanked out."""

from __future__ import annotations

import re

_SECRETS = [
    re.compile(r"eyJ[\w-]*\.[\w-]*\.[\w-]*"),  # any JWT (access tokens, client assertions)
    re.compile(r'("?(?:access_token|client_assertion|refresh_token|registration_token|'
               r'id_token|password|secret)"?\s*[:=]\s*"?)[^"&,\s}]+', re.IGNORECASE),
    re.compile(r"(Bearer\s+)\S+", re.IGNORECASE),
]


def redacted(text: str, limit: int, secrets: tuple[str, ...] = ()) -> str:
    """At most `limit` UTF-8 bytes of `text` on one line, tokens and `secrets` blanked."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    for pattern in _SECRETS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "[redacted]", text)
    text = " ".join(text.split())
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "…"
