"""The one module that makes HTTP calls to platforms: timeouts, User-Agent, retries, errors.

It sits on the outbound client (lti_tool/outbound): every address is checked, redirects
re-checked, bodies and the total time of each exchange capped. Remote bodies never reach
an error message; a redacted excerpt goes to the server log.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from ..outbound import (
    JSON_DOCUMENT_BYTES,
    AllowList,
    OutboundError,
    OutboundRefused,
    OutboundSession,
    OutboundTimeout,
    OutboundTooLarge,
    log_excerpt,
)
from .errors import (
    LmsAddressRefused,
    LmsAuthError,
    LmsBadResponse,
    LmsConflict,
    LmsConnectionError,
    LmsNotFound,
    LmsRateLimited,
    LmsRequestRejected,
    LmsServerError,
    LmsServiceError,
)

USER_AGENT = "CareerPath-LTI/0.1 (+https://github.com/careerpath-lti)"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0
RETRY_AFTER_CAP = 60.0
PAGE_BYTES = 16 * 1024 * 1024
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
Response = requests.Response
FormData = Mapping[str, str] | Callable[[], Mapping[str, str]]
log = logging.getLogger(__name__)
_random = random.SystemRandom()


def new_session(allow: AllowList | None = None, **options: Any) -> OutboundSession:
    """An outbound session that identifies itself (Canvas refuses requests without a UA).

    Without `allow`, only global addresses over https are reached.
    """
    return OutboundSession(allow, user_agent=USER_AGENT, **options)


def is_throttled(response: requests.Response) -> bool:
    """Whether a response is throttling: 429, or Canvas's 403 "Rate Limit Exceeded"."""
    if response.status_code == 429:
        return True
    if response.status_code != 403:
        return False
    remaining = response.headers.get("X-Rate-Limit-Remaining")
    try:
        exhausted = remaining is not None and float(remaining) <= 0
    except ValueError:
        exhausted = False
    return exhausted or "rate limit exceeded" in response.text[:2000].lower()


def retry_after(response: requests.Response, now: float) -> float | None:
    """Seconds asked for by a Retry-After header (seconds or HTTP date), if any."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError):
        return None


def error_for(response: requests.Response, message: str | None = None) -> LmsServiceError:
    """The exception for an unexpected status: every status is mapped here and only here."""
    status = response.status_code
    kind: type[LmsServiceError]
    if is_throttled(response):
        kind, default = LmsRateLimited, "the LMS is throttling requests"
    elif status in (401, 403):
        kind, default = LmsAuthError, "the LMS refused the credentials"
    elif status == 404:
        kind, default = LmsNotFound, "the LMS has no such resource"
    elif status == 409:
        kind, default = LmsConflict, "the LMS refused a conflicting change"
    elif 400 <= status < 500:
        kind, default = LmsRequestRejected, "the LMS refused the request"
    elif status >= 500:
        kind, default = LmsServerError, "the LMS failed"
    else:
        kind, default = LmsBadResponse, "the LMS answered with an unexpected status"
    log_excerpt(f"LMS call refused ({kind.__name__})", response.url, status, response.content)
    return kind(message or default, status=status, url=response.url,
                body_excerpt=response.text[:4000], headers=response.headers)


def decode_json(response: requests.Response) -> Any:
    """The JSON body of `response`, or LmsBadResponse."""
    try:
        return response.json()
    except ValueError:
        log_excerpt("LMS answer not JSON", response.url, response.status_code, response.content)
        raise LmsBadResponse("the LMS answered with malformed JSON",
                             status=response.status_code, url=response.url,
                             body_excerpt=response.text[:4000]) from None


class HttpClient:
    """One requests session with explicit timeouts, retries with backoff, mapped errors."""

    def __init__(self, session: OutboundSession | None = None, *, max_retries: int = 4,
                 backoff_base: float = 0.5, backoff_cap: float = 8.0,
                 sleep: Callable[[float], None] = time.sleep,
                 timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
                 retry_after_cap: float = RETRY_AFTER_CAP, page_bytes: int = PAGE_BYTES
                 ) -> None:
        self.session = session or new_session()
        self.page_bytes = page_bytes
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.retry_after_cap = retry_after_cap
        self.timeout = timeout
        self.sleep = sleep
        self.request_count = 0

    def request(self, method: str, url: str, *, headers: Mapping[str, str] | None = None,
                json_body: Any = None, data: FormData | None = None,
                params: Mapping[str, Any] | None = None,
                expected: Iterable[int] = (200, 201, 204)) -> requests.Response:
        """Send with retries; return a response whose status is `expected`, else raise.

        `data` may be a callable so each attempt gets a fresh form (a new client assertion).
        """
        method, wanted = method.upper(), frozenset(expected)
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            response = self._send(method, url, headers, json_body, data, params, last)
            if response is None:
                self._pause(attempt, None, url, "connection error")
                continue
            if response.status_code in wanted:
                return response
            if last or not self._transient(response):
                raise error_for(response)
            self._pause(attempt, response, url, f"HTTP {response.status_code}")
        raise AssertionError("unreachable")  # pragma: no cover

    def jitter(self, delay: float) -> float:
        """A random delay between half and all of `delay` (pinned in tests)."""
        return _random.uniform(delay / 2, delay)

    def backoff(self, attempt: int, response: requests.Response | None) -> float:
        """How long to wait before retry number `attempt + 1`."""
        asked = retry_after(response, time.time()) if response is not None else None
        if asked is not None:
            return min(asked, self.retry_after_cap)
        return self.jitter(min(self.backoff_base * 2 ** attempt, self.backoff_cap))

    def _send(self, method: str, url: str, headers: Mapping[str, str] | None, json_body: Any,
              data: FormData | None, params: Mapping[str, Any] | None,
              last: bool) -> requests.Response | None:
        """One attempt; None when a connection error may be retried."""
        form = data() if callable(data) else data
        self.request_count += 1
        try:
            return self.session.request(method, url, headers=dict(headers or {}), json=json_body,
                                        data=form, params=params, timeout=self.timeout,
                                        allow_redirects=method in IDEMPOTENT,
                                        max_bytes=self.page_bytes)
        except OutboundRefused as exc:
            raise LmsAddressRefused(f"the LMS URL was not called: {exc.message}",
                                    url=url) from None
        except OutboundTooLarge as exc:
            raise LmsBadResponse(f"the LMS answer was not read: {exc.message}",
                                 url=url) from None
        except OutboundTimeout as exc:  # the total time is spent: another try would wait again
            raise LmsConnectionError(f"the LMS answered too slowly: {exc.message}",
                                     url=url) from None
        except OutboundError as exc:  # the name did not resolve: nothing was sent
            if last:
                raise LmsConnectionError(f"the LMS could not be reached: {exc.message}",
                                         url=url) from None
            return None
        except requests.RequestException as exc:
            unsent = isinstance(exc, requests.ConnectionError | requests.ConnectTimeout)
            if last or not (unsent or method in IDEMPOTENT):
                raise LmsConnectionError(
                    f"the LMS could not be reached ({type(exc).__name__})", url=url) from None
            return None

    def _transient(self, response: requests.Response) -> bool:
        return is_throttled(response) or response.status_code >= 500

    def _pause(self, attempt: int, response: requests.Response | None, url: str,
               why: str) -> None:
        delay = self.backoff(attempt, response)
        log.warning("LMS call to %s failed (%s); retry %d in %.2fs", url.split("?")[0], why,
                    attempt + 1, delay)
        self.sleep(delay)

    def fetch_json(self, url: str, *, headers: dict[str, str] | None = None) -> Any:
        """GET a JSON document (at most 5 MB) and decode it.

        Raises OutboundError (refused, too large, too slow), requests' errors (unreachable,
        HTTP error status: the body goes to the log only) or ValueError (not JSON).
        """
        self.request_count += 1
        response = self.session.get(url, headers=headers, timeout=self.timeout,
                                    max_bytes=JSON_DOCUMENT_BYTES)
        if response.status_code >= 400:
            log_excerpt("JSON document refused", url, response.status_code, response.content)
        response.raise_for_status()
        return response.json()

    def post_json(self, url: str, body: Any, *, headers: dict[str, str] | None = None
                  ) -> requests.Response:
        """POST `body` as JSON and return the response (body at most 5 MB), whatever its
        status; not followed through redirects."""
        self.request_count += 1
        return self.session.post(url, json=body, headers=headers, timeout=self.timeout,
                                 max_bytes=JSON_DOCUMENT_BYTES)
