"""OAuth 2 access tokens for LTI Advantage services (client credentials + a signed assertion)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt

from ..cache import Cache
from ..lti.keys import SigningKey
from .errors import LmsAddressRefused, LmsAuthError, LmsBadResponse, LmsServiceError
from .http import HttpClient, Response, decode_json

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME = 300
EXPIRY_MARGIN = 60
DEFAULT_EXPIRES_IN = 3600
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceRegistration:
    """What a token request needs from a platform registration."""

    id: int
    client_id: str
    token_url: str
    audience: str | None = None  # None: the exact token URL
    # hosts AGS/NRPS URLs may be on: the issuer's and the ones an admin listed for the
    # platform (the token URL's host, also registered by an admin, is always one)
    service_hosts: frozenset[str] = frozenset()

    def allows(self, url: str) -> bool:
        """Whether a service URL (from a launch or an LMS answer) is on this platform."""
        try:
            host = (urlsplit(url).hostname or "").rstrip(".")
        except ValueError:
            return False
        allowed = {h.lower().rstrip(".") for h in self.service_hosts}
        allowed.add((urlsplit(self.token_url).hostname or "").lower().rstrip("."))
        return bool(host) and host in allowed

    def check(self, url: str) -> str:
        """`url`, or LmsAddressRefused when it is on another host than the platform's."""
        if not self.allows(url):
            host = urlsplit(url).hostname or "?"
            raise LmsAddressRefused(
                f"the service URL is on {host}, which is neither the platform's issuer host "
                "nor a host an admin listed for it (careerpath platform hosts)")
        return url


def cache_key(registration: ServiceRegistration, scopes: Iterable[str]) -> str:
    """The shared cache key of a token: registration, client, token URL and sorted scopes."""
    scope = " ".join(sorted(set(scopes)))
    digest = hashlib.sha256(
        f"{registration.client_id}\n{registration.token_url}\n{scope}".encode()).hexdigest()
    return f"lms-token:{registration.id}:{digest[:32]}"


class AccessTokens:
    """Access tokens per (registration, scopes), shared by every worker through the cache.

    A token read from (or put in) the shared cache is also held by this instance until it
    expires, so that a sync's hundreds of page requests do not each read the cache (a
    database read when there is no Redis); `forget` drops both.
    """

    def __init__(self, http: HttpClient, cache: Cache, signing_key: Callable[[], SigningKey],
                 clock: Callable[[], float] = time.time) -> None:
        self._http = http
        self._cache = cache
        self._signing_key = signing_key
        self._clock = clock
        self._held: dict[str, tuple[str, float]] = {}  # cache key → (token, expires at)

    def token(self, registration: ServiceRegistration, scopes: Iterable[str]) -> str:
        """A valid access token for `scopes`: held, from the cache, or a new one from the
        platform."""
        scopes = sorted(set(scopes))
        key = cache_key(registration, scopes)
        held = self._held.get(key)
        if held is not None and held[1] > self._clock():
            return held[0]
        cached = self._cache.get(key)
        if isinstance(cached, dict) and cached.get("expires_at", 0) > self._clock():
            self._held[key] = (str(cached["access_token"]), float(cached["expires_at"]))
            return str(cached["access_token"])
        value, expires_in = self._request(registration, scopes)
        ttl = int(expires_in) - EXPIRY_MARGIN
        if ttl > 0:
            expires_at = self._clock() + ttl
            self._cache.set(key, {"access_token": value, "expires_at": expires_at}, ttl)
            self._held[key] = (value, expires_at)
        return value

    def forget(self, registration: ServiceRegistration, scopes: Iterable[str]) -> None:
        """Drop a cached token (after a service answered 401 to it)."""
        key = cache_key(registration, scopes)
        self._held.pop(key, None)
        self._cache.pop(key)

    def assertion(self, registration: ServiceRegistration) -> str:
        """A fresh client assertion (RS256, kid header, aud = audience or exact token URL)."""
        key, now = self._signing_key(), int(self._clock())
        claims = {"iss": registration.client_id, "sub": registration.client_id,
                  "aud": registration.audience or registration.token_url,
                  "iat": now, "exp": now + ASSERTION_LIFETIME, "jti": uuid.uuid4().hex}
        return jwt.encode(claims, key.jwt_key(), algorithm="RS256", headers={"kid": key.kid})

    def _request(self, registration: ServiceRegistration, scopes: list[str]) -> tuple[str, float]:
        """POST the client-credentials grant (a new assertion on each attempt)."""
        def form() -> dict[str, str]:
            return {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                    "client_assertion": self.assertion(registration), "scope": " ".join(scopes)}

        try:
            response = self._http.request("POST", registration.token_url, data=form,
                                          headers={"Accept": "application/json"}, expected=(200,))
        except LmsServiceError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                raise _refusal(exc) from None
            raise
        log.info("new LMS access token for registration %s (%s)", registration.id,
                 " ".join(scopes))
        return _parse_token(response)


class ServiceClient:
    """Base of the service clients: one scope set, Bearer calls, one retry after a 401."""

    def __init__(self, http: HttpClient, tokens: AccessTokens, registration: ServiceRegistration,
                 scopes: Iterable[str]) -> None:
        self.http = http
        self.tokens = tokens
        self.registration = registration
        self.scopes = tuple(sorted(set(scopes)))

    def call(self, method: str, url: str, *, accept: str, content_type: str | None = None,
             json_body: Any = None, params: Mapping[str, Any] | None = None,
             expected: Iterable[int] = (200, 201, 204)) -> Response:
        """Call a service with a Bearer token; on a 401, get a new token and retry once.

        `url` must be on the platform's hosts (ServiceRegistration.check): a launch or an
        LMS answer cannot send the token anywhere else.
        """
        self.registration.check(url)
        for second_try in (False, True):
            token = self.tokens.token(self.registration, self.scopes)
            headers = {"Accept": accept, "Authorization": f"Bearer {token}"}
            if content_type:
                headers["Content-Type"] = content_type
            try:
                return self.http.request(method, url, headers=headers, json_body=json_body,
                                         params=params, expected=expected)
            except LmsAuthError as exc:
                if exc.status != 401 or second_try:
                    raise
                log.info("LMS answered 401 to a cached token; fetching a new one")
                self.tokens.forget(self.registration, self.scopes)
        raise AssertionError("unreachable")  # pragma: no cover

    def require(self, scope: str) -> None:
        """Refuse early when the platform did not grant `scope`."""
        if scope not in self.scopes:
            raise LmsAuthError(f"the platform did not grant the scope {scope}")


def _refusal(exc: LmsServiceError) -> LmsAuthError:
    """A refused token request as an LmsAuthError with a fixed message.

    The platform's OAuth `error` code goes to the server log only: whatever the LMS sent
    never reaches a message (sync records, pages).
    """
    log.warning("the token endpoint %s refused the request (HTTP %s%s)",
                exc.url.split("?")[0], exc.status, _oauth_error(exc.body_excerpt))
    return LmsAuthError("the platform refused the token request: check the client id, the "
                        "tool's public key (JWKS URL) and the scopes registered in the LMS",
                        status=exc.status, url=exc.url, body_excerpt=exc.body_excerpt,
                        headers=exc.headers)


def _oauth_error(excerpt: str) -> str:
    try:
        body = json.loads(excerpt)
    except ValueError:
        return ""
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        return ""
    return f", {body['error'][:60]}"


def _parse_token(response: Response) -> tuple[str, float]:
    body: Mapping[str, Any] | Any = decode_json(response)
    value = body.get("access_token") if isinstance(body, dict) else None
    token_type = str(body.get("token_type") or "bearer") if isinstance(body, dict) else ""
    if not isinstance(value, str) or not value or token_type.lower() != "bearer":
        raise LmsBadResponse("the token endpoint answered without a Bearer access_token",
                             status=response.status_code, url=response.url)
    expires_in = body.get("expires_in", DEFAULT_EXPIRES_IN)
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float | str):
        expires_in = DEFAULT_EXPIRES_IN
    try:
        return value, float(expires_in)
    except ValueError:
        return value, float(DEFAULT_EXPIRES_IN)
