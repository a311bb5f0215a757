"""VC-JWT: RS256 with the tool's kid; registered claims mapped from the credential."""

from __future__ import annotations

import json
from datetime import timedelta

import jwt
from badge_samples import KEY, KID, T0, URLS, credential, jwks

from lti_tool.badges import sign_credential, verify_badge


def _signed(**kwargs: object) -> tuple[dict, str]:
    found = credential(**kwargs)
    return found, sign_credential(found, KID, KEY, URLS.jwks("acme"))


def _fetch(revoked: bool = False):  # type: ignore[no-untyped-def]
    from lti_tool.badges import status_list_credential

    def fetch(url: str) -> str:
        if url == URLS.jwks("acme"):
            return json.dumps(jwks())
        document = status_list_credential(url, URLS.issuer("acme"), [42] if revoked else [], T0)
        return sign_credential(document, KID, KEY, URLS.jwks("acme"))

    return fetch


def test_header_names_algorithm_kid_and_key_set() -> None:
    _credential, token = _signed()
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "typ": "JWT", "kid": KID,
                                                "jku": "https://tool.example/badges/issuers/acme/jwks.json"}


def test_claims_map_the_credential() -> None:
    found, token = _signed(valid_until=T0 + timedelta(days=30))
    claims = jwt.decode(token, KEY.public_key(), algorithms=["RS256"],
                        options={"verify_exp": False})
    assert claims["iss"] == found["issuer"]["id"]
    assert claims["sub"] == found["credentialSubject"]["id"]
    assert claims["jti"] == found["id"]
    assert claims["nbf"] == int(T0.replace(microsecond=0).timestamp())
    assert claims["exp"] == claims["nbf"] + 30 * 86400
    assert claims["vc"] == found
    assert {k: claims[k] for k in found} == found


def test_no_exp_without_valid_until() -> None:
    _found, token = _signed()
    assert "exp" not in jwt.decode(token, options={"verify_signature": False})


def test_verify_valid_revoked_expired_and_tampered() -> None:
    _found, token = _signed()
    assert verify_badge(token, _fetch()).status == "valid"
    revoked = verify_badge(token, _fetch(revoked=True))
    assert revoked.status == "revoked" and "bit 42" in revoked.reasons[0]
    _found, expired = _signed(valid_until=T0 + timedelta(days=1))
    assert verify_badge(expired, _fetch()).status == "expired"
    header, payload, signature = token.split(".")
    swapped = "A" if payload[20] != "A" else "B"
    tampered = f"{header}.{payload[:20]}{swapped}{payload[21:]}.{signature}"
    result = verify_badge(tampered, _fetch())
    assert result.status == "invalid"


def test_a_key_set_on_another_origin_is_refused() -> None:
    found = credential()
    token = sign_credential(found, KID, KEY, "https://evil.example/jwks.json")
    result = verify_badge(token, _fetch())
    assert result.status == "invalid" and "origin" in result.reasons[0]


def test_an_unknown_kid_is_refused() -> None:
    token = sign_credential(credential(), "other-kid", KEY, URLS.jwks("acme"))
    assert verify_badge(token, _fetch()).reasons == ("the issuer publishes no key other-kid",)
