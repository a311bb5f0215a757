"""PyJWT's decoder, with its check of each segment's base64url alphabet done by a regex.

PyJWT (since the fix of GHSA-hxm8-2xgr-2p9m) refuses a segment holding any character
outside the base64url alphabet, checking it with a Python generator step per character: for
an LTI id_token (2,700+ characters) that is about 150 µs, more than half of verifying it
(RS256 included). `decoder()` is a `jwt.PyJWT` whose segment check gives the same answers
(same padding rules, same errors: tests/unit/lti/test_jwt_decoder.py compares the two) in
one C-level regex match. Everything else (signature, algorithms, claims) is PyJWT's own.

The check is PyJWT's private `PyJWS._decode_base64url_segment`, reached through the
decoder's private `_jws`: with a PyJWT that has neither, `decoder()` is a plain `jwt.PyJWT`
(as correct, only slower), and the unit test says so.
"""

from __future__ import annotations

import binascii
import re
from functools import cache

import jwt
from jwt.api_jws import PyJWS
from jwt.exceptions import DecodeError
from jwt.utils import base64url_decode, base64url_encode

_ALPHABET = re.compile(rb"[A-Za-z0-9_-]*")


def decode_segment(segment: bytes, name: str) -> bytes:
    """One segment of a compact JWS, decoded; DecodeError as PyJWT's for a bad one: at most
    two `=` of padding and only on a whole number of quartets, then base64url characters
    only, never a length that leaves one character over, and no unused bits set."""
    stripped = segment.rstrip(b"=")
    padding = len(segment) - len(stripped)
    if padding > 2 or (padding and len(segment) % 4 != 0):
        raise DecodeError(f"Invalid {name} padding")
    if len(stripped) % 4 == 1 or _ALPHABET.fullmatch(stripped) is None:
        raise DecodeError(f"Invalid {name} padding")
    try:
        decoded = base64url_decode(stripped)
    except (TypeError, binascii.Error) as err:
        raise DecodeError(f"Invalid {name} padding") from err
    if base64url_encode(decoded) != stripped:  # the one canonical spelling of those bytes
        raise DecodeError(f"Invalid {name} padding")
    return decoded


class _RegexCheckedJWS(PyJWS):
    _decode_base64url_segment = staticmethod(decode_segment)


def uses_regex_check(instance: jwt.PyJWT) -> bool:
    """True when `instance` checks segments with `decode_segment`."""
    return isinstance(getattr(instance, "_jws", None), _RegexCheckedJWS)


@cache
def decoder() -> jwt.PyJWT:
    """The process's id_token decoder (stateless, shared by threads like PyJWT's own)."""
    instance = jwt.PyJWT()
    original = getattr(instance, "_jws", None)
    if isinstance(original, PyJWS) and hasattr(PyJWS, "_decode_base64url_segment"):
        instance._jws = _RegexCheckedJWS(options=original.options)  # noqa: SLF001
    return instance
