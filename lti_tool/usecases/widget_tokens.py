"""Widget tokens: short-lived, HMAC-signed, good for reading one person's readiness only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..domain.errors import InvalidInput, NotAllowed
from ..store.database import Database
from ..store.repositories.tenant_scope import TenantScope

TOKEN_MARK = "cpw"  # noqa: S105 - a marker, not a secret
MAX_TTL_SECONDS = 15 * 60
CLOCK_SKEW_SECONDS = 60


class InvalidWidgetToken(NotAllowed):
    """Bad signature, wrong shape or expired (the API answers 401)."""

    code = "unauthorized"


@dataclass(frozen=True)
class WidgetToken:
    token: str
    tenant_id: int
    person_id: int
    expires_at: datetime


def mint_widget_token(database: Database, secret: str, tenant_id: int, person_id: int,
                      ttl_seconds: int = MAX_TTL_SECONDS,
                      now: datetime | None = None) -> WidgetToken:
    """A token for the person's widgets, valid for at most 15 minutes."""
    if not 0 < ttl_seconds <= MAX_TTL_SECONDS:
        raise InvalidInput("ttl_seconds must be between 1 and 900",
                           {"ttl_seconds": ["between 1 and 900"]})
    with database.session() as session:
        TenantScope(session, tenant_id).person(person_id)
    issued = now or datetime.now(UTC)
    expires = issued + timedelta(seconds=ttl_seconds)
    claims = {"t": tenant_id, "p": person_id, "iat": int(issued.timestamp()),
              "exp": int(expires.timestamp())}
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return WidgetToken(f"{TOKEN_MARK}.{body}.{_sign(secret, body)}", tenant_id, person_id,
                       expires.replace(microsecond=0))


def verify_widget_token(secret: str, token: str, now: datetime | None = None) -> WidgetToken:
    """The token's tenant and person; InvalidWidgetToken when forged, malformed or expired.

    A token living longer than 15 minutes (exp - iat) is refused even with a good
    signature: whoever holds the secret key must not be able to mint a lasting credential.
    """
    mark, _, rest = token.partition(".")
    body, _, signature = rest.partition(".")
    if mark != TOKEN_MARK or not hmac.compare_digest(_sign(secret, body), signature):
        raise InvalidWidgetToken("invalid widget token")
    try:
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        tenant_id, person_id = int(claims["t"]), int(claims["p"])
        issued, expires = int(claims["iat"]), int(claims["exp"])
    except (ValueError, KeyError, TypeError):
        raise InvalidWidgetToken("invalid widget token") from None
    current = now or datetime.now(UTC)
    if expires - issued > MAX_TTL_SECONDS:
        raise InvalidWidgetToken("this widget token lives longer than 15 minutes")
    if issued > current.timestamp() + CLOCK_SKEW_SECONDS:
        raise InvalidWidgetToken("this widget token was issued in the future")
    when = datetime.fromtimestamp(expires, UTC)
    if when <= current:
        raise InvalidWidgetToken("this widget token has expired")
    return WidgetToken(token, tenant_id, person_id, when)


def is_widget_token(token: str) -> bool:
    return token.startswith(TOKEN_MARK + ".")


def _sign(secret: str, body: str) -> str:
    key = hashlib.sha256(b"careerpath-widget:" + secret.encode()).digest()
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
