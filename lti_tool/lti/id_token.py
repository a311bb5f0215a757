"""Validation of a launch's id_token beyond pylti1p3: aud/azp, nonce, kid, timestamps.

The nonce is good once because the login it was issued for is: a launch first consumes
its pending login (an atomic pop of the state, `lti.login.pending_login`), and the
id_token must carry that login's nonce. A replayed id_token meets either a consumed state
or, under a new login's state, a different nonce; both are refused.
"""

from __future__ import annotations

import json
from base64 import urlsafe_b64decode
from dataclasses import dataclass
from typing import Any

import jwt

from .errors import LaunchError
from .jwt_decoder import decoder
from .platform_keys import PlatformKeys

LEEWAY_SECONDS = 60
# LTI 1.3 (1EdTech Security Framework) names RS256; anything else is refused, whatever the
# platform's key set allows
LAUNCH_SIGNING_ALGORITHM = "RS256"
_CHECK_CLOCK = "Check that the LMS server's clock is correct (NTP)."
_CHECK_REGISTRATION = ("Check the issuer and client id registered for this platform "
                       "(`careerpath platform list`).")


@dataclass(frozen=True)
class ExpectedIssuer:
    """What a login promised: the registration and the nonce sent to the platform."""

    registration_id: int
    issuer: str
    client_id: str
    keyset_url: str
    nonce: str


def unverified_parts(id_token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and body, read without trusting them, or a clear refusal."""
    parts = id_token.split(".") if isinstance(id_token, str) else []
    if len(parts) != 3:
        raise LaunchError("The launch did not carry an LTI 1.3 id_token (a signed JWT).",
                          "Configure the tool as an LTI 1.3 tool, not LTI 1.1.")
    try:
        header, body = (json.loads(urlsafe_b64decode(p + "=" * (-len(p) % 4))) for p in parts[:2])
    except ValueError:
        raise LaunchError("The launch's id_token is not a readable JWT.",
                          "Configure the tool as an LTI 1.3 tool.") from None
    if not isinstance(header, dict) or not isinstance(body, dict):
        raise LaunchError("The launch's id_token is not a readable JWT.",
                          "Configure the tool as an LTI 1.3 tool.")
    return header, body


def verify_id_token(id_token: str, expected: ExpectedIssuer, keys: PlatformKeys) -> dict[str, Any]:
    """The verified claims of `id_token`; LaunchError for every way it can be wrong.

    `expected` comes from a consumed pending login (see the module's note on the nonce).
    """
    header, body = unverified_parts(id_token)
    alg, kid = header.get("alg"), header.get("kid")
    if alg != LAUNCH_SIGNING_ALGORITHM:
        raise LaunchError(f"The id_token is signed with {alg!s:.10}, not RS256.",
                          "Check the platform's signing settings.", status=401)
    if not kid:
        raise LaunchError("The id_token names no key id (kid).",
                          "Check that the platform publishes its keys with key ids.", status=401)
    _check_audience(body, expected)
    key = keys.key_for(expected.registration_id, expected.keyset_url, str(kid), alg)
    claims = _decode(id_token, key, alg, expected)
    _check_nonce(claims, expected)
    return claims


def _check_audience(body: dict[str, Any], expected: ExpectedIssuer) -> None:
    if body.get("iss") != expected.issuer:
        raise LaunchError("The id_token's issuer does not match the platform that logged in.",
                          _CHECK_REGISTRATION, status=401)
    aud = body.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if expected.client_id not in audiences:
        raise LaunchError("The id_token is not addressed to this tool (aud).",
                          _CHECK_REGISTRATION, status=401)
    azp = body.get("azp")
    if len(audiences) > 1 and azp is None:
        raise LaunchError("The id_token has several audiences and no azp naming this tool.",
                          _CHECK_REGISTRATION, status=401)
    if azp is not None and azp != expected.client_id:
        raise LaunchError("The id_token's authorized party (azp) is not this tool.",
                          _CHECK_REGISTRATION, status=401)


def _decode(id_token: str, key: Any, alg: str, expected: ExpectedIssuer) -> dict[str, Any]:
    try:
        return decoder().decode(
            id_token, key, algorithms=[alg], audience=expected.client_id,
            issuer=expected.issuer, leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "nonce"]},
        )
    except jwt.ExpiredSignatureError:
        raise LaunchError("The id_token has expired.", _CHECK_CLOCK, status=401) from None
    except jwt.ImmatureSignatureError:
        raise LaunchError("The id_token was issued in the future.", _CHECK_CLOCK,
                          status=401) from None
    except jwt.MissingRequiredClaimError as exc:
        raise LaunchError(f"The id_token lacks the required '{exc.claim}' claim.",
                          "Check that the platform sends standard LTI 1.3 id_tokens.",
                          status=401) from None
    except jwt.InvalidTokenError as exc:
        raise LaunchError(f"The id_token could not be verified: {exc}.",
                          "Check the keyset URL and issuer registered for this platform.",
                          status=401) from None


def _check_nonce(claims: dict[str, Any], expected: ExpectedIssuer) -> None:
    if str(claims.get("nonce", "")) != expected.nonce:
        raise LaunchError("The id_token's nonce is not the one this login sent.",
                          "Relaunch the tool from the course.", status=401)
