"""The only module that makes HTTP calls: auth, retries with backoff, idempotency keys."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from .errors import APIConnectionError, APIError, error_for

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "careerpath-sdk/0.1.0"


@dataclass(frozen=True)
class Reply:
    """A successful response: status, decoded JSON body and headers."""

    status: int
    body: Any
    headers: Mapping[str, str]


class Transport:
    """Sends requests to the API; retries connection errors, 429 and 5xx."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0,
                 max_retries: int = 3, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 backoff_base: float = 0.5, backoff_cap: float = 8.0,
                 max_retry_after: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {api_key}",
                                     "User-Agent": USER_AGENT, "Accept": "application/json"})
        self.sleep = sleep
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after

    def request(self, method: str, path: str, *, json: Any = None,
                params: Mapping[str, Any] | None = None, data: bytes | None = None,
                content_type: str | None = None) -> Reply:
        """Call `path` (relative to /api/v1, or an absolute URL from a Link header); `data`
        with `content_type` sends a raw body instead of `json`."""
        url = path if path.startswith("http") else f"{self.base_url}/api/v1{path}"
        headers = {"Idempotency-Key": str(uuid.uuid4())} if method.upper() == "POST" else {}
        if content_type is not None:
            headers["Content-Type"] = content_type
        attempt = 0
        while True:
            try:
                response = self.session.request(method, url, json=json, params=params,
                                                data=data, headers=headers,
                                                timeout=self.timeout)
            except requests.RequestException as exc:
                if attempt >= self.max_retries:
                    raise APIConnectionError(f"could not reach {url}: {exc}") from exc
                self.sleep(self.backoff(attempt))
            else:
                if (response.status_code not in RETRIED_STATUSES or attempt >= self.max_retries
                        or self.waits_too_long(response.headers.get("Retry-After"))):
                    return self._reply(response)
                self.sleep(self.backoff(attempt, response.headers.get("Retry-After")))
            attempt += 1

    def backoff(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait: Retry-After when given, else capped exponential with jitter."""
        if retry_after is not None:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                pass
        return min(self.backoff_cap, self.backoff_base * 2**attempt) * self.jitter()

    def waits_too_long(self, retry_after: str | None) -> bool:
        """A Retry-After above `max_retry_after` seconds: raise at once instead of sleeping."""
        try:
            return retry_after is not None and float(retry_after) > self.max_retry_after
        except ValueError:
            return False

    def jitter(self) -> float:
        """A factor in [0.5, 1.0); tests pin it by overriding this method."""
        return 0.5 + random.random() / 2  # noqa: S311 - not for security

    def _reply(self, response: requests.Response) -> Reply:
        body = _decoded(response)
        if response.status_code >= 400:
            raise error_for(response.status_code, body, response.headers)
        return Reply(response.status_code, body, response.headers)


def _decoded(response: requests.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        if response.status_code >= 400:
            return response.text
        raise APIError("the API answered with something that is not JSON",
                       status=response.status_code, body=response.text,
                       headers=response.headers,
                       request_id=response.headers.get("X-Request-Id")) from None
