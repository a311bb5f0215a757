"""The one outbound client: a requests session that is safe by construction.

Every call to a URL someone else chose (platform keys, Dynamic Registration, LMS services,
webhooks, CASE by URL) goes through `OutboundSession`: addresses checked where the socket
is made (transport.py), redirects followed here and re-checked (at most MAX_REDIRECTS, same
scheme, Authorization dropped on another host), the body read up to a cap, and the whole
exchange bounded by a total time. No proxies from the environment, no cookies, no netrc.
"""

from __future__ import annotations

import logging
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from .addresses import AllowList
from .errors import (
    OutboundError,
    OutboundRefused,
    OutboundTimeout,
    OutboundTooLarge,
    OutboundUnreachable,
    without_query,
)
from .transport import AddressGuard, Budget, Connector, Resolver, guarded_adapter

MB = 1024 * 1024
JSON_DOCUMENT_BYTES = 5 * MB
MAX_REDIRECTS = 3
DEFAULT_TOTAL_SECONDS = 60.0
DEFAULT_TIMEOUT = (5.0, 20.0)  # connect, each read; the total is DEFAULT_TOTAL_SECONDS
CHUNK = 64 * 1024
EXCERPT_BYTES = 200
REDIRECTS = (301, 302, 303, 307, 308)
log = logging.getLogger(__name__)


class OutboundSession(requests.Session):
    """A session whose every call is checked, capped and bounded (see the module doc)."""

    def __init__(self, allow: AllowList | None = None, *, resolver: Resolver | None = None,
                 connector: Connector | None = None, max_bytes: int = JSON_DOCUMENT_BYTES,
                 total_seconds: float = DEFAULT_TOTAL_SECONDS, user_agent: str = "") -> None:
        super().__init__()
        self.trust_env = False  # no proxies, netrc or CA bundles from the environment
        self.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self.allow = allow or AllowList()
        options: dict[str, Any] = {}
        if resolver is not None:
            options["resolver"] = resolver
        if connector is not None:
            options["connector"] = connector
        self.guard = AddressGuard(self.allow, **options)
        self.max_bytes = max_bytes
        self.total_seconds = total_seconds
        adapter = guarded_adapter(self.guard)
        self.mount("https://", adapter)
        self.mount("http://", adapter)
        if user_agent:
            self.headers["User-Agent"] = user_agent

    def request(self, method: str | bytes, url: str | bytes, *args: Any,
                max_bytes: int | None = None, total_seconds: float | None = None,
                read_body: bool = True, **kwargs: Any) -> requests.Response:
        """One call: redirects (GET/HEAD only) re-checked, body capped, total time bounded.

        Raises OutboundError subclasses for what this client refuses or cuts short, and
        requests' own errors for the rest (connection refused, TLS, read timeout).
        """
        method = method.decode() if isinstance(method, bytes) else method
        url = url.decode() if isinstance(url, bytes) else url
        follow = kwargs.pop("allow_redirects", True) and method.upper() in ("GET", "HEAD")
        kwargs.pop("stream", None)
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        limit = self.max_bytes if max_bytes is None else max_bytes
        with Budget(self.total_seconds if total_seconds is None else total_seconds) as budget:
            try:
                return self._exchange(method, url, follow, limit, read_body, budget,
                                      args, kwargs)
            except OutboundError:
                raise
            except requests.RequestException as exc:
                if budget.expired:
                    raise OutboundTimeout(f"the call took longer than {budget.seconds:g} "
                                          "seconds", url) from None
                raise _unwrapped(exc) from None

    def _exchange(self, method: str, url: str, follow: bool, limit: int, read_body: bool,
                  budget: Budget, args: tuple[Any, ...], kwargs: dict[str, Any]
                  ) -> requests.Response:
        scheme = _checked_scheme(url)
        for hop in range(MAX_REDIRECTS + 1):
            response = super().request(method, url, *args, allow_redirects=False, stream=True,
                                        **kwargs)
            if not (follow and response.status_code in REDIRECTS
                    and response.headers.get("Location")):
                if read_body:
                    _read_capped(response, limit, budget)
                else:
                    response.close()
                    response._content = b""
                    response._content_consumed = True
                return response
            response.close()
            target = urljoin(url, response.headers["Location"])
            if _checked_scheme(target) != scheme:
                raise OutboundRefused(f"a redirect to another scheme ({urlsplit(target).scheme})"
                                      " is not followed", url)
            if hop == MAX_REDIRECTS:
                break
            kwargs = _for_redirect(kwargs, url, target)
            url = target
        raise OutboundRefused(f"more than {MAX_REDIRECTS} redirects", url)


def _checked_scheme(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise OutboundRefused("the URL is malformed") from None
    if parts.scheme not in ("http", "https") or not host:
        raise OutboundRefused("only absolute http(s) URLs are fetched", url)
    if parts.username or parts.password:
        raise OutboundRefused("URLs with credentials are not fetched", url)
    return parts.scheme


def _for_redirect(kwargs: dict[str, Any], url: str, target: str) -> dict[str, Any]:
    """The next hop's arguments: no query parameters again, no Authorization elsewhere."""
    kwargs = {**kwargs, "params": None}
    if urlsplit(url).netloc.lower() != urlsplit(target).netloc.lower():
        headers = dict(kwargs.get("headers") or {})
        for name in list(headers):
            if name.lower() in ("authorization", "cookie"):
                del headers[name]
        kwargs["headers"] = headers
    return kwargs


def _read_capped(response: requests.Response, limit: int, budget: Budget) -> None:
    """Read the body into `response` (so .content, .text, .json work), at most `limit`."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        response.close()
        raise OutboundTooLarge(f"the answer is over the limit of {limit} bytes", response.url)
    chunks, size = [], 0
    try:
        for chunk in response.iter_content(CHUNK):
            size += len(chunk)
            if size > limit:
                raise OutboundTooLarge(f"the answer is over the limit of {limit} bytes",
                                       response.url)
            if budget.expired:
                raise OutboundTimeout(f"the call took longer than {budget.seconds:g} seconds",
                                      response.url)
            chunks.append(chunk)
    finally:
        response.close()
    if budget.expired:
        raise OutboundTimeout(f"the call took longer than {budget.seconds:g} seconds",
                              response.url)
    response._content = b"".join(chunks)
    response._content_consumed = True


def _unwrapped(exc: requests.RequestException) -> Exception:
    """An OutboundError that urllib3 wrapped (resolution failures), else `exc` itself."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, OutboundError):
            return cause
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, requests.ConnectionError) and "NameResolution" in repr(exc):
        return OutboundUnreachable("the host could not be resolved",
                                   str(getattr(exc.request, "url", "") or ""))
    return exc


def log_excerpt(what: str, url: str, status: int | None, body: bytes | str,
                secrets: tuple[str, ...] = ()) -> None:
    """Log at most EXCERPT_BYTES of a remote body, tokens blanked: the server log only."""
    from .redaction import redacted

    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    log.warning("%s: HTTP %s from %s: %s", what, status if status is not None else "-",
                without_query(url), redacted(text, EXCERPT_BYTES, secrets))
