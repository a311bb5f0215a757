"""Canvas OAuth2 with an API developer key: authorize, exchange the code, refresh.

As Canvas implements it (instructure/canvas-lms `app/controllers/oauth2_provider_controller.rb`,
`lib/canvas/oauth/token.rb`): GET `/login/oauth2/auth?client_id&response_type=code&
redirect_uri&state&scope`, then POST `/login/oauth2/token` with `grant_type` =
`authorization_code` (answer: `access_token`, `token_type`, `user`, `refresh_token`,
`expires_in`) or `refresh_token` (the same without a new `refresh_token`). A refused grant
is a 400 `{"error": "invalid_grant"}`; a bad client a 401 `invalid_client`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .errors import LmsAuthError, LmsBadResponse, LmsRequestRejected
from .http import HttpClient, decode_json

# the REST endpoints a connector reads, as Canvas scopes (developer keys that enforce scopes)
SCOPES = (
    "url:GET|/api/v1/courses/:course_id/assignments",
    "url:GET|/api/v1/courses/:course_id/students/submissions",
    "url:GET|/api/v1/courses/:course_id/modules",
    "url:GET|/api/v1/courses/:course_id/modules/:module_id/items",
    "url:GET|/api/v1/users/:id",
)


@dataclass(frozen=True)
class CanvasTokens:
    """A token answer; `refresh_token` only on the code exchange."""

    access_token: str
    expires_in: int | None
    refresh_token: str | None
    user_id: str


def authorize_url(base_url: str, client_id: str, redirect_uri: str, state: str) -> str:
    query = urlencode({"client_id": client_id, "response_type": "code",
                       "redirect_uri": redirect_uri, "state": state,
                       "scope": " ".join(SCOPES)})
    return f"{base_url.rstrip('/')}/login/oauth2/auth?{query}"


def exchange_code(http: HttpClient, base_url: str, client_id: str, client_secret: str,
                  redirect_uri: str, code: str) -> CanvasTokens:
    """The tokens for an authorization code (one use)."""
    return _token_call(http, base_url, {
        "grant_type": "authorization_code", "client_id": client_id,
        "client_secret": client_secret, "redirect_uri": redirect_uri, "code": code})


def refresh(http: HttpClient, base_url: str, client_id: str, client_secret: str,
            refresh_token: str) -> CanvasTokens:
    """A new access token from the refresh token."""
    return _token_call(http, base_url, {
        "grant_type": "refresh_token", "client_id": client_id,
        "client_secret": client_secret, "refresh_token": refresh_token})


def _token_call(http: HttpClient, base_url: str, form: dict[str, str]) -> CanvasTokens:
    url = f"{base_url.rstrip('/')}/login/oauth2/token"
    try:
        response = http.request("POST", url, data=form, headers={"Accept": "application/json"})
    except (LmsRequestRejected, LmsAuthError) as exc:
        raise LmsAuthError("Canvas refused the course's authorization (revoked or expired, "
                           "or the developer key changed): an instructor must authorize "
                           "again from the mapping page", status=exc.status, url=url) from None
    body: Any = decode_json(response)
    if not isinstance(body, dict) or not body.get("access_token"):
        raise LmsBadResponse("Canvas answered the token request without an access token",
                             status=response.status_code, url=url)
    expires = body.get("expires_in")
    user = body.get("user")
    if not isinstance(user, dict):
        user = {}
    return CanvasTokens(str(body["access_token"]),
                        int(expires) if isinstance(expires, int | float) else None,
                        body.get("refresh_token"), str(user.get("id", "")))
