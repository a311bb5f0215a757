"""Posting one signed event to one subscriber, and when to try again after a failure."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from ipaddress import ip_address
from urllib.parse import urlsplit

import requests

from ..lms.http import new_session
from ..outbound import OutboundError, OutboundRefused, OutboundSession, OutboundTimeout
from .signing import HEADER, signature_header

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0
TOTAL_SECONDS = 15.0
log = logging.getLogger(__name__)
# the wait before attempt 2, 3, ...; the last value repeats
SCHEDULE = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
            timedelta(hours=2), timedelta(hours=6), timedelta(hours=12), timedelta(hours=24))
_random = random.SystemRandom()


@dataclass(frozen=True)
class AttemptOutcome:
    """What one POST to a subscriber gave: status (None when no answer), time, error."""

    status_code: int | None
    duration_ms: int
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def backoff(attempts: int, jitter: float = 1.0) -> timedelta:
    """The wait after the `attempts`-th failed attempt, scaled by `jitter`."""
    base = SCHEDULE[min(max(attempts, 1), len(SCHEDULE)) - 1]
    return base * jitter


def jitter() -> float:
    """A factor in [0.8, 1.2) so retries of many subscribers do not arrive together."""
    return 0.8 + _random.random() * 0.4


def check_url(url: str) -> str | None:
    """Why `url` cannot receive webhooks (https only; http only for loopback), or None."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "must be an absolute https URL"
    if parts.scheme not in ("https", "http") or not host:
        return "must be an absolute https URL"
    if parts.scheme == "http" and not _is_loopback(host):
        return "http is allowed only for loopback hosts (127.0.0.1, ::1, localhost)"
    if parts.username or parts.password:
        return "must not carry credentials"
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookSender:
    """Posts signed JSON bodies through the outbound client: no redirects, the answer's
    body never read, a total time; the delivery log keeps a status and a fixed message."""

    def __init__(self, session: OutboundSession | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.session = session or new_session()
        self.clock = clock

    def post(self, url: str, secret: str, event_id: str, event_type: str,
             body: bytes) -> AttemptOutcome:
        """POST `body` to `url`, signed now; never raises for network failures."""
        headers = {"Content-Type": "application/json", HEADER: signature_header(
            secret, int(self.clock()), body), "CareerPath-Event-Id": event_id,
            "CareerPath-Event-Type": event_type}
        started = time.monotonic()
        try:
            response = self.session.post(url, data=body, headers=headers,
                                         timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                                         allow_redirects=False, read_body=False,
                                         total_seconds=TOTAL_SECONDS)
        except (OutboundError, requests.RequestException) as exc:
            log.warning("webhook %s to %s not delivered: %s", event_id, url.split("?")[0],
                        exc if isinstance(exc, OutboundError) else type(exc).__name__)
            return AttemptOutcome(None, _ms_since(started), failure_message(exc))
        outcome = AttemptOutcome(response.status_code, _ms_since(started))
        if outcome.delivered:
            return outcome
        return AttemptOutcome(response.status_code, outcome.duration_ms,
                              f"the subscriber answered HTTP {response.status_code}")


def failure_message(exc: Exception) -> str:
    """A fixed message for a failed attempt: never what the remote end sent."""
    if isinstance(exc, OutboundRefused):
        return "not sent: the target address is not allowed (see the tool's log)"
    if isinstance(exc, OutboundTimeout | requests.Timeout):
        return "no answer in time"
    if isinstance(exc, OutboundError):
        return "not delivered: the subscriber could not be reached"
    if isinstance(exc, requests.exceptions.SSLError):
        return "not delivered: TLS failed (certificate or protocol)"
    return "not delivered: the connection failed"


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
