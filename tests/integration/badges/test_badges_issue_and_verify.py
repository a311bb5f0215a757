"""Issue on a live tool, then verify with openbadgeslib and with verify_badge over HTTP."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest
from badge_scenario import CASE_URI, BadgeWorld, fetch, long_ago, now
from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

from lti_tool.badges import verify_badge
from lti_tool.usecases.badges import issue_due_badges, revoke_badge


def _issue(world: BadgeWorld, **kwargs: object) -> dict[str, object]:
    issued = issue_due_badges(world.database, world.settings, world.tenant_id,
                              world.learner_id, now(), **kwargs)  # type: ignore[arg-type]
    return {badge.kind: badge for badge in issued}


def _openbadgeslib(token: str) -> OB3Verifier:
    """openbadgeslib with the key the tool's JWKS names by the token's kid."""
    kid = jwt.get_unverified_header(token)["kid"]
    jwks = json.loads(fetch(f"{jwt.get_unverified_header(token)['jku']}"))
    (jwk,) = [key for key in jwks["keys"] if key["kid"] == kid]
    pem = RSAAlgorithm.from_jwk(jwk).public_bytes(  # type: ignore[union-attr]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return OB3Verifier(pubkey_pem=pem)


def _verify_with_openbadgeslib(token: str) -> None:
    _openbadgeslib(token).verify(token, check_status=True, verify_status_list=True,
                                 download=fetch)


def test_issue_once_per_person_and_achievement(badge_world: BadgeWorld) -> None:
    issued = _issue(badge_world)
    assert set(issued) == {"competency", "role"}
    assert _issue(badge_world) == {}
    competency = issued["competency"].credential  # type: ignore[attr-defined]
    (alignment,) = competency["credentialSubject"]["achievement"]["alignment"]
    assert alignment["targetUrl"] == CASE_URI + "item-an-1"
    assert competency["credentialSubject"]["result"][0]["value"] == "Proficient"
    role = issued["role"].credential  # type: ignore[attr-defined]
    assert role["credentialSubject"]["id"] == competency["credentialSubject"]["id"]
    assert len(role["credentialSubject"]["achievement"]["alignment"]) == 2


def test_valid_for_both_verifiers(badge_world: BadgeWorld) -> None:
    token = _issue(badge_world)["competency"].compact_jwt  # type: ignore[attr-defined]
    _verify_with_openbadgeslib(token)
    assert verify_badge(token, fetch).status == "valid"


def test_revoked_for_both_verifiers(badge_world: BadgeWorld) -> None:
    badge = _issue(badge_world)["competency"]
    revoke_badge(badge_world.database, badge.id, "Issued in error", now())  # type: ignore[attr-defined]
    with pytest.raises(OB3VerificationError, match="revocation"):
        _verify_with_openbadgeslib(badge.compact_jwt)  # type: ignore[attr-defined]
    assert verify_badge(badge.compact_jwt, fetch).status == "revoked"  # type: ignore[attr-defined]
    assert _issue(badge_world) == {}, "a revoked badge is not issued again"


def test_tampered_is_invalid_for_both_verifiers(badge_world: BadgeWorld) -> None:
    token = _issue(badge_world)["competency"].compact_jwt  # type: ignore[attr-defined]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "Analytics: Advanced"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    one_char = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    for tampered in (f"{header}.{forged}.{signature}", f"{header}.{one_char}.{signature}"):
        with pytest.raises(OB3VerificationError):
            _verify_with_openbadgeslib(tampered)
        assert verify_badge(tampered, fetch).status == "invalid"


def test_expired_for_both_verifiers(badge_world: BadgeWorld) -> None:
    issued = issue_due_badges(badge_world.database, badge_world.settings,
                              badge_world.tenant_id, badge_world.late_learner_id, long_ago(),
                              valid_for=timedelta(days=365))
    token = issued[0].compact_jwt
    with pytest.raises(OB3VerificationError, match="expired"):
        _verify_with_openbadgeslib(token)
    assert verify_badge(token, fetch).status == "expired"
