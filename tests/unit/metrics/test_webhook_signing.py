"""Webhook signatures (made by the tool, checked by the SDK helper) and the retry schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from careerpath_sdk.webhooks import SignatureVerificationError, verify_signature

from lti_tool.webhooks.delivery import backoff, check_url
from lti_tool.webhooks.signing import (
    SignatureMismatch,
    signature,
    signature_header,
    verify,
)

SECRET = "whsec_test"
BODY = b'{"id":"evt_1","type":"badge.issued"}'
NOW = 1_750_000_000


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"whsec_test", f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, NOW, BODY) == expected
    assert signature_header(SECRET, NOW, BODY) == f"t={NOW},v1={expected}"


def test_the_sdk_helper_accepts_a_fresh_signature_and_returns_the_event() -> None:
    headers = {"careerpath-signature": signature_header(SECRET, NOW, BODY)}
    assert verify_signature(SECRET, headers, BODY, now=NOW + 299)["id"] == "evt_1"
    assert verify(SECRET, headers["careerpath-signature"], BODY, NOW - 300) == NOW


@pytest.mark.parametrize("now", [NOW + 301, NOW - 301])
def test_outside_the_tolerance_is_refused(now: int) -> None:
    headers = {"CareerPath-Signature": signature_header(SECRET, NOW, BODY)}
    with pytest.raises(SignatureVerificationError):
        verify_signature(SECRET, headers, BODY, now=now)
    with pytest.raises(SignatureMismatch):
        verify(SECRET, headers["CareerPath-Signature"], BODY, now)


@pytest.mark.parametrize("header, body, secret", [
    (signature_header(SECRET, NOW, BODY), BODY.replace(b"issued", b"revoked"), SECRET),
    (signature_header(SECRET, NOW, BODY), BODY, "whsec_other"),
    (signature_header(SECRET, NOW, BODY).replace(f"t={NOW}", f"t={NOW + 1}"), BODY, SECRET),
    ("", BODY, SECRET), ("t=abc,v1=00", BODY, SECRET), (f"t={NOW}", BODY, SECRET),
])
def test_tampering_is_refused(header: str, body: bytes, secret: str) -> None:
    with pytest.raises(SignatureVerificationError):
        verify_signature(secret, {"CareerPath-Signature": header}, body, now=NOW)
    with pytest.raises(SignatureMismatch):
        verify(secret, header, body, NOW)


def test_a_rotated_secret_may_send_two_v1_values() -> None:
    header = f"t={NOW},v1={signature('old', NOW, BODY)},v1={signature(SECRET, NOW, BODY)}"
    assert verify_signature(SECRET, {"CareerPath-Signature": header}, BODY, now=NOW)


def test_backoff_schedule_grows_then_stays_at_a_day() -> None:
    minutes = [backoff(n) / timedelta(minutes=1) for n in range(1, 10)]
    assert minutes == [1, 5, 30, 120, 360, 720, 1440, 1440, 1440]
    assert backoff(2, jitter=1.2) == timedelta(minutes=6)


@pytest.mark.parametrize("url, allowed", [
    ("https://hooks.example.com/cp", True), ("http://127.0.0.1:8080/x", True),
    ("http://localhost/x", True), ("http://[::1]/x", True), ("http://example.com/x", False),
    ("ftp://example.com", False), ("https://user:pw@example.com", False), ("nope", False),
    ("http://[", False),
])
def test_receiver_urls_are_https_or_loopback_http(url: str, allowed: bool) -> None:
    assert (check_url(url) is None) == allowed
