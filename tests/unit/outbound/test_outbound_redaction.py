"""Remote bodies for the server log: at most 200 bytes, one line, tokens blanked."""

from __future__ import annotations

import logging

import pytest

from lti_tool.outbound import log_excerpt
from lti_tool.outbound.errors import OutboundRefused, without_query
from lti_tool.outbound.redaction import redacted

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"


def test_an_excerpt_is_at_most_the_limit_in_bytes() -> None:
    text = "é" * 500  # two bytes each
    cut = redacted(text, 200)
    assert len(cut.encode()) <= 200 and cut.endswith("…")
    assert redacted("short\n\n  body", 200) == "short body"


@pytest.mark.parametrize("body", [
    f'{{"access_token": "{JWT}"}}', f"Authorization: Bearer abc.def-123 {JWT}",
    "access_token=tok-123&x=1", '{"registration_token": "reg-456"}', '{"id_token": "t-7"}',
])
def test_tokens_are_blanked(body: str) -> None:
    shown = redacted(body, 200)
    for secret in (JWT, "abc.def-123", "tok-123", "reg-456", "t-7"):
        assert secret not in shown
    assert "[redacted]" in shown


def test_the_log_gets_status_url_without_query_and_the_excerpt(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    log_excerpt("refused", "https://lms.example/api?access_token=q-secret", 400,
                b"x" * 1000 + b"secret-tail", ("x" * 5,))
    line = caplog.records[-1].getMessage()
    assert "HTTP 400 from https://lms.example/api:" in line
    assert "q-secret" not in line and "secret-tail" not in line
    assert len(line.split("/api: ", 1)[1].encode()) <= 200


def test_an_outbound_error_names_the_url_without_its_query() -> None:
    error = OutboundRefused("the address is refused", "https://h.example/p?token=abc#f")
    assert str(error) == "the address is refused (https://h.example/p)"
    assert without_query("not a url") == "not a url"
