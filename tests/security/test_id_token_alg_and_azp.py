"""Attacks on the id_token's algorithm and authorized party, through real logins at the
live tool: only RS256 is accepted (LTI 1.3), `azp` must be this tool whenever present, and
a token for several audiences must name this tool as `azp`."""

from __future__ import annotations

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_certification_cases import claims, signed
from tests.security.test_jwt_attacks import attack, refused


def platform_key(live: LiveLti):  # noqa: ANN201
    return live.sandbox.extensions["careerpath_sandbox"].keys.active


def test_rs384_and_rs512_with_the_platforms_own_key_are_refused(live: LiveLti) -> None:
    """Signed by the platform's real key, with its real kid: only the algorithm differs."""
    key = platform_key(live)
    for alg in ("RS384", "RS512", "PS256"):
        page = refused(live, lambda alg=alg: attack(live, lambda nonce: jwt.encode(
            claims(live, nonce), key.private_key, algorithm=alg, headers={"kid": key.kid})))
        assert "not RS256" in page.text


def test_es256_is_refused(live: LiveLti) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    kid = platform_key(live).kid
    page = refused(live, lambda: attack(live, lambda nonce: jwt.encode(
        claims(live, nonce), other, algorithm="ES256", headers={"kid": kid})))
    assert "not RS256" in page.text


def test_rs256_control_is_accepted(live: LiveLti) -> None:
    """Control: the same token signed RS256 launches (so the refusals above are the alg's)."""
    key = platform_key(live)
    page = attack(live, lambda nonce: jwt.encode(
        claims(live, nonce, sub="alg-control"), key.private_key, algorithm="RS256",
        headers={"kid": key.kid}))
    assert page.status_code == 200, page.text[:300]


def test_azp_naming_another_party_is_refused_even_with_one_audience(live: LiveLti) -> None:
    page = refused(live, lambda: attack(live, lambda nonce: signed(live, claims(
        live, nonce, azp="another-tool"))))
    assert "azp" in page.text
    # a list holding only this tool, with a foreign azp, is no better
    client_id = live.platform.registration.client_id
    refused(live, lambda: attack(live, lambda nonce: signed(live, claims(
        live, nonce, aud=[client_id], azp="another-tool"))))


def test_several_audiences_need_azp(live: LiveLti) -> None:
    client_id = live.platform.registration.client_id
    page = refused(live, lambda: attack(live, lambda nonce: signed(live, claims(
        live, nonce, aud=[client_id, "another-tool"]))))
    assert "azp" in page.text


def test_azp_of_this_tool_is_accepted(live: LiveLti) -> None:
    """Control: several audiences with azp = this tool, and one audience with it, launch."""
    client_id = live.platform.registration.client_id
    for sub, aud in (("azp-multi", [client_id, "another-tool"]), ("azp-single", client_id)):
        page = attack(live, lambda nonce, sub=sub, aud=aud: signed(live, claims(
            live, nonce, aud=aud, azp=client_id, sub=sub)))
        assert page.status_code == 200, page.text[:300]
