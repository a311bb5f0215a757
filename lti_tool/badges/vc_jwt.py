"""VC-JWT proofs: a credential signed as a compact JWS with the tool's RSA key (RS256).

The payload carries the credential's members at the top level (the native VC-JWT shape
that Open Badges 3.0 §8.2 and VC-JOSE-COSE describe), the registered claims mapped from
it (iss = issuer id, sub = subject id, jti = credential id, nbf/exp = validFrom/
validUntil) and, for verifiers of the earlier VC-JWT shape, the same credential under `vc`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jwt

ALGORITHM = "RS256"


def _seconds(xsd_datetime: str) -> int:
    return int(datetime.fromisoformat(xsd_datetime.replace("Z", "+00:00")).timestamp())


def registered_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The JWT claims a credential maps to."""
    issuer = credential["issuer"]
    claims: dict[str, Any] = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": _seconds(credential["validFrom"]),
    }
    subject = credential.get("credentialSubject", {})
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    if credential.get("validUntil"):
        claims["exp"] = _seconds(credential["validUntil"])
    return claims


def sign_credential(credential: dict[str, Any], kid: str, private_key: Any,
                    jwks_url: str) -> str:
    """The compact VC-JWT of `credential`; `kid` names the key in the JWKS at `jwks_url`."""
    payload = {**credential, **registered_claims(credential), "vc": credential}
    headers = {"kid": kid, "jku": jwks_url, "typ": "JWT"}
    return jwt.encode(payload, private_key, algorithm=ALGORITHM, headers=headers)
