"""The one module that makes HTTP calls to platforms: timeouts, User-Agent, JSON."""

from __future__ import annotations

from typing import Any

import requests

USER_AGENT = "CareerPath-LTI/0.1 (+https://github.com/careerpath-lti)"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0


def new_session() -> requests.Session:
    """A session that always identifies itself (Canvas refuses requests without a UA)."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


class HttpClient:
    """Thin wrapper over one requests session with explicit timeouts."""

    def __init__(self, session: requests.Session | None = None) -> None:
        self.session = session or new_session()

    def fetch_json(self, url: str, *, headers: dict[str, str] | None = None) -> Any:
        """GET `url` and decode its JSON body; raises on HTTP errors and bad JSON."""
        response = self.session.get(url, headers=headers,
                                    timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
        response.raise_for_status()
        return response.json()

    def post_json(self, url: str, body: Any, *, headers: dict[str, str] | None = None
                  ) -> requests.Response:
        """POST `body` as JSON and return the response, whatever its status."""
        return self.session.post(url, json=body, headers=headers,
                                 timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
