"""OIDC third-party initiated login: find the registration, remember state and nonce."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from ..cache import Cache
from ..records import PlatformRegistration
from .errors import LaunchError

LOGIN_TTL = 600
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")  # what urlencode leaves as it is
STATE_COOKIE_PREFIX = "lti1p3-state-"
LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "client_id", "lti_deployment_id",
                "lti_message_hint", "lti_storage_target")


@dataclass(frozen=True)
class PendingLogin:
    """What the launch must match: kept in the cache under the state for ten minutes."""

    state: str
    nonce: str
    registration_id: int
    issuer: str
    client_id: str
    keyset_url: str
    auth_login_url: str
    target_link_uri: str
    storage_target: str
    login_params: dict[str, str]


@dataclass(frozen=True)
class LoginRedirect:
    """Where to send the browser, and what the browser must keep."""

    auth_url: str
    pending: PendingLogin


def login_params(source: Mapping[str, str]) -> dict[str, str]:
    """The login request's LTI parameters (from the query string or the form)."""
    return {name: str(source[name]) for name in LOGIN_PARAMS if source.get(name)}


def start_login(params: Mapping[str, str], registration: PlatformRegistration | None,
                launch_url: str, cache: Cache) -> LoginRedirect:
    """Check the login request, store state and nonce, and build the platform auth URL."""
    if registration is None:
        raise LaunchError(
            "This platform is not registered with CareerPath.",
            f"Register issuer {params.get('iss', '?')!s:.200} and client id "
            f"{params.get('client_id', '(none sent)')!s:.200} with `careerpath platform add` "
            "or Dynamic Registration.", status=403)
    pending = PendingLogin(
        state=secrets.token_urlsafe(24), nonce=secrets.token_urlsafe(24),
        registration_id=registration.id, issuer=registration.issuer,
        client_id=registration.client_id, keyset_url=registration.keyset_url,
        auth_login_url=registration.auth_login_url,
        target_link_uri=params.get("target_link_uri", launch_url),
        storage_target=params.get("lti_storage_target", ""), login_params=dict(params),
    )
    cache.set(f"login:{pending.state}", dict(vars(pending)), LOGIN_TTL)
    query = {
        "scope": "openid", "response_type": "id_token", "response_mode": "form_post",
        "prompt": "none", "client_id": registration.client_id, "redirect_uri": launch_url,
        "state": pending.state, "nonce": pending.nonce, "login_hint": params["login_hint"],
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in registration.auth_login_url else "?"
    return LoginRedirect(registration.auth_login_url + separator + query_string(query), pending)


def query_string(params: Mapping[str, str]) -> str:
    """`urlencode(params)`, with the values that need no quoting (the state, the nonce, the
    fixed OIDC words: most of a login's) passed through as they are, unchecked by Python's
    per-character quoting."""
    return "&".join(f"{_quoted(name)}={_quoted(value)}" for name, value in params.items())


def _quoted(value: str) -> str:
    return value if _UNRESERVED.fullmatch(value) else quote_plus(value)


def check_login_request(params: Mapping[str, str]) -> None:
    """Refuse a login request that lacks what every LTI 1.3 platform sends."""
    for name in ("iss", "login_hint", "target_link_uri"):
        if not params.get(name):
            raise LaunchError(f"The login request has no '{name}'.",
                              "Check the tool's login URL and that the platform sends an "
                              "LTI 1.3 third-party initiated login.")


def pending_login(cache: Cache, state: str, *, consume: bool) -> PendingLogin:
    """The login a launch answers; consuming it makes the launch good once."""
    raw: Any = cache.pop(f"login:{state}") if consume else cache.get(f"login:{state}")
    if not state or raw is None:
        raise LaunchError(
            "This launch does not match a login in progress (expired or already used).",
            "Relaunch from the course. If it keeps failing, check that the tool's login "
            "and launch URLs point to the same CareerPath server.", status=401)
    return PendingLogin(**raw)
