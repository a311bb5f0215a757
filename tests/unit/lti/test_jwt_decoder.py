"""The id_token decoder's segment check answers exactly as PyJWT's own, only faster."""

from __future__ import annotations

import base64
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.api_jws import PyJWS
from jwt.exceptions import DecodeError

from lti_tool.lti.jwt_decoder import decode_segment, decoder, uses_regex_check

SEGMENTS = [
    b"", b"e30", b"e30=", b"e30==", b"e30===", b"eyJhIjoxfQ", b"eyJhIjoxfQ==",
    b"eyJhIjoxfQ=", b"a", b"ab", b"abc", b"abcd", b"abcde", b"ab==", b"abc=", b"ab=",
    b"a===", b"!!!!", b"ab+/", b"ab/c", b"abc\n", b"\nabc", b"ab c", b"ab.c", b"ab=c",
    b"=abc", b"====", b"ab\x00c", "é".encode(), b"-_-_", b"AZaz09-_",
    base64.urlsafe_b64encode(bytes(range(256))),
    base64.urlsafe_b64encode(bytes(range(256))).rstrip(b"="),
]


def _pyjwt(segment: bytes) -> bytes | str:
    try:
        return PyJWS._decode_base64url_segment(segment, "payload")  # noqa: SLF001
    except DecodeError as problem:
        return str(problem)


def _ours(segment: bytes) -> bytes | str:
    try:
        return decode_segment(segment, "payload")
    except DecodeError as problem:
        return str(problem)


@pytest.mark.parametrize("segment", SEGMENTS)
def test_same_answer_as_pyjwt(segment: bytes) -> None:
    assert _ours(segment) == _pyjwt(segment)


def test_same_answer_for_every_short_segment() -> None:
    # every 1..3-byte segment over the alphabet's edges and some outsiders, padding included
    alphabet = b"Aa09-_+/=.\n~\x7f\xff"
    segments = [bytes([a, b, c]) for a in alphabet for b in alphabet for c in alphabet]
    segments += [s + b"=" for s in segments[:400]]
    differing = [s for s in segments if _ours(s) != _pyjwt(s)]
    assert differing == []


def test_the_installed_pyjwt_gets_the_regex_check() -> None:
    # a PyJWT without the private hook would silently keep its slower check: say so here
    assert hasattr(PyJWS, "_decode_base64url_segment")
    assert uses_regex_check(decoder())


def test_decoder_verifies_like_pyjwt() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    token = jwt.encode({"sub": "a", "aud": "tool", "iat": now, "exp": now + 60}, key,
                       algorithm="RS256")
    claims = decoder().decode(token, key.public_key(), algorithms=["RS256"], audience="tool")
    assert claims["sub"] == "a"
    with pytest.raises(jwt.InvalidSignatureError):
        decoder().decode(token, other.public_key(), algorithms=["RS256"], audience="tool")
    header, body, signature = token.split(".")
    with pytest.raises(DecodeError):
        decoder().decode(f"{header}.{body}!.{signature}", key.public_key(),
                         algorithms=["RS256"], audience="tool")
