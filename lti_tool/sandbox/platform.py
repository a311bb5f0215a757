"""The sandbox platform object that every view reaches through `current_platform()`."""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .gradebook import Gradebook
from .keys import PlatformKeys, ToolKeySets
from .model import Registration
from .settings import SandboxSettings
from .state import SandboxError, SandboxState

EXTENSION = "careerpath_sandbox"
ACTIVE_KID = "<active>"
TOKEN_LIFETIME = 3600


@dataclass
class AccessToken:
    """An issued Bearer token."""

    client_id: str
    scopes: frozenset[str]
    expires_at: float


@dataclass
class Stats:
    """Request counters by endpoint kind, for tests and benchmarks."""

    requests: Counter[str] = field(default_factory=Counter)
    tokens_issued: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, kind: str) -> None:
        """Count one request of `kind`."""
        with self.lock:
            self.requests[kind] += 1

    def as_json(self) -> dict[str, Any]:
        """The counters as JSON."""
        with self.lock:
            return {"requests": dict(self.requests), "tokens_issued": self.tokens_issued}

    def reset(self) -> None:
        """Zero every counter."""
        with self.lock:
            self.requests.clear()
            self.tokens_issued = 0


class Platform:
    """Settings, state, keys, tokens and counters of one sandbox LMS."""

    def __init__(self, settings: SandboxSettings) -> None:
        self.settings = settings
        self.state = SandboxState()
        self.gradebook = Gradebook(self.state)
        self.keys = PlatformKeys(settings.key_path)
        self.tool_keys = ToolKeySets(settings.jwks_fetcher)
        self.stats = Stats()
        self.hints = URLSafeSerializer(settings.secret_key, salt="lti-message-hint")
        self.access_tokens: dict[str, AccessToken] = {}
        self.used_jtis: dict[str, float] = {}
        self.registration_tokens: dict[str, dict[str, Any]] = {}
        self.faults: list[dict[str, Any]] = []
        self.default_registration = self.state.register(_default_registration(settings))

    def issue_token(self, client_id: str, scopes: frozenset[str]) -> tuple[str, AccessToken]:
        """Issue a Bearer token for `scopes`."""
        value = secrets.token_urlsafe(32)
        token = AccessToken(client_id, scopes, time.time() + TOKEN_LIFETIME)
        with self.state.lock:
            self.access_tokens[value] = token
        with self.stats.lock:
            self.stats.tokens_issued += 1
        return value, token

    def consume_jti(self, jti: str, expires_at: float) -> bool:
        """Record a client-assertion jti; False when it was already used."""
        now = time.time()
        with self.state.lock:
            if len(self.used_jtis) > 10_000:
                self.used_jtis = {k: v for k, v in self.used_jtis.items() if v > now}
            if jti in self.used_jtis:
                return False
            self.used_jtis[jti] = max(expires_at, now) + 60
            return True

    def dump_hint(self, payload: dict[str, Any]) -> str:
        """An opaque, signed lti_message_hint or deep-linking `data`."""
        return self.hints.dumps(payload)

    def load_hint(self, value: str) -> dict[str, Any]:
        """Decode a hint made by `dump_hint`, or raise a 400 SandboxError."""
        try:
            payload = self.hints.loads(value)
        except BadSignature:
            raise SandboxError("lti_message_hint is not one this platform issued") from None
        if not isinstance(payload, dict):
            raise SandboxError("lti_message_hint is malformed")
        return payload


def _default_registration(settings: SandboxSettings) -> Registration:
    redirects = list(dict.fromkeys([settings.tool_launch_url, settings.tool_deep_link_url]))
    return Registration(
        client_id=settings.client_id,
        login_url=settings.tool_login_url,
        launch_url=settings.tool_launch_url,
        jwks_url=settings.tool_jwks_url,
        redirect_uris=redirects,
        deep_link_url=settings.tool_deep_link_url,
        deployments=[settings.deployment_id],
        flavour=settings.flavour,
    )


def current_platform() -> Platform:
    """The platform of the current Flask app."""
    return platform_of(current_app)


def platform_of(app: Flask) -> Platform:
    """The platform attached to a sandbox app."""
    return app.extensions[EXTENSION]


def sign_platform_jwt(
    app: Flask, claims: dict[str, Any], *, kid: str | None = ACTIVE_KID, headers: dict | None = None
) -> str:
    """Sign arbitrary claims with the sandbox's key (kid: the active one by default, None omits)."""
    keys = platform_of(app).keys
    return keys.sign(claims, keys.active.kid if kid == ACTIVE_KID else kid, headers)
