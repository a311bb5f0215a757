"""Helpers for the LMS client unit tests: a pinned HTTP client, a clock, canned replies."""

from __future__ import annotations

import responses

from lti_tool.lms.http import HttpClient
from lti_tool.lms.tokens import ServiceRegistration

TOKEN_URL = "https://lms.example/login/oauth2/Token"
REGISTRATION = ServiceRegistration(7, "client-7", TOKEN_URL, None)


class PinnedHttp(HttpClient):
    """An HttpClient whose jitter is the identity and whose sleeps are recorded."""

    def __init__(self, **kwargs: object) -> None:
        self.delays: list[float] = []
        super().__init__(sleep=self.delays.append, **kwargs)  # type: ignore[arg-type]

    def jitter(self, delay: float) -> float:
        return delay


class Clock:
    """A settable clock shared by the cache and the token source."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def token_reply(mocked: responses.RequestsMock, value: str = "tok-1",
                expires_in: int = 3600) -> None:
    """Answer the next token request with `value`."""
    mocked.post(TOKEN_URL, json={"access_token": value, "token_type": "Bearer",
                                 "expires_in": expires_in, "scope": "x"})
