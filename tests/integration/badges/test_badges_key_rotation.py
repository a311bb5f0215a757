"""Badges verify for as long as they are valid: the badge key set is rotated apart from the
LTI keys, retired badge keys stay published while a badge they signed is valid, and badges
signed with LTI keys before the upgrade keep verifying."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import jwt
import pytest
import requests
from badge_scenario import BadgeWorld, fetch, now
from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier
from openbadgeslib.ob3.status import check_credential_status
from sqlalchemy import update

from lti_tool.badges import BadgeUrls, sign_credential, verify_badge
from lti_tool.lti.keys import SigningKey, generate_key
from lti_tool.records import IssuedBadge
from lti_tool.sealing import unseal
from lti_tool.store.migrate import downgrade, upgrade
from lti_tool.store.models import BadgeRow
from lti_tool.usecases.badges import issue_due_badges
from lti_tool.usecases.badges.keys import badge_jwks, badge_key_states, rotate_badge_keys
from lti_tool.usecases.badges.verification import verify_issued_badge
from lti_tool.usecases.tool_keys import published_jwks, rotate_keys, signing_key

YEAR = timedelta(days=365)


def _pem(jwk: dict[str, object]) -> bytes:
    return RSAAlgorithm.from_jwk(jwk).public_bytes(  # type: ignore[union-attr]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _published(url: str, kid: str) -> dict[str, object]:
    (jwk,) = [key for key in json.loads(fetch(url))["keys"] if key["kid"] == kid]
    return jwk


def _openbadgeslib(token: str) -> None:
    """openbadgeslib with the key the token's jku publishes under its kid; the status list
    checked with the key that signed it (openbadgeslib reuses the badge's key for the list,
    which holds only until the issuer rotates)."""
    header = jwt.get_unverified_header(token)
    credential = OB3Verifier(pubkey_pem=_pem(_published(header["jku"], header["kid"]))).verify(
        token, check_status=False, download=fetch)
    claims = jwt.decode(token, options={"verify_signature": False})
    status_url = claims["credentialStatus"]["statusListCredential"]
    list_kid = jwt.get_unverified_header(fetch(status_url).decode())["kid"]
    check_credential_status(credential, download=fetch, verify_list=True,
                            list_pubkey_pem=_pem(_published(header["jku"], list_kid)))


def _issue(world: BadgeWorld, person_id: int, when: datetime,
           valid_for: timedelta | None) -> dict[str, IssuedBadge]:
    issued = issue_due_badges(world.database, world.settings, world.tenant_id, person_id,
                              when, valid_for=valid_for)
    return {badge.kind: badge for badge in issued}


def test_rotate_both_key_sets_retire_and_advance_the_clock(badge_world: BadgeWorld) -> None:
    world, start = badge_world, now() - 400 * timedelta(days=1)
    badge = _issue(world, world.learner_id, start, 3 * YEAR)["competency"]
    first_kid = badge.kid
    lti_before = signing_key(world.database, world.settings.secret_key, start).kid
    # a day later both key sets rotate; the LTI key retires a week after that
    rotate_keys(world.database, world.settings.secret_key, start + timedelta(days=1), 7)
    new_badge_key, retired = rotate_badge_keys(world.database, world.settings.secret_key,
                                               start + timedelta(days=1))
    assert retired == [first_kid] and new_badge_key.kid != first_kid
    # now, 400 days on: the old LTI key is gone, the retired badge key is not
    lti_now = [key["kid"] for key in published_jwks(world.database, now())["keys"]]
    assert lti_before not in lti_now
    assert lti_before not in [k["kid"] for k in json.loads(fetch(f"{world.url}/lti/jwks"))["keys"]]
    token, key_set = badge.compact_jwt, f"{world.url}/badges/issuers/acme/jwks.json"
    assert jwt.get_unverified_header(token)["jku"] == key_set
    published = {k["kid"] for k in json.loads(fetch(key_set))["keys"]}
    assert published == {first_kid, new_badge_key.kid}
    assert verify_badge(token, fetch).status == "valid"
    _openbadgeslib(token)
    page = requests.get(f"{world.url}/badges/{badge.id}", timeout=10)
    assert '<span id="badge-verdict">Valid</span>' in page.text
    # a year on, the badge is still valid and its key still published
    later = now() + YEAR
    result = verify_issued_badge(world.database, world.settings, badge.id, later)[1]
    assert result.status == "valid", result.reasons
    # and once every badge it signed has expired, the retired key is published no more
    gone = start + 3 * YEAR + timedelta(days=1)
    assert first_kid not in {k["kid"] for k in badge_jwks(world.database, gone)["keys"]}
    assert new_badge_key.kid in {k["kid"] for k in badge_jwks(world.database, gone)["keys"]}


def test_a_never_expiring_badge_keeps_its_key_for_ever(badge_world: BadgeWorld) -> None:
    world, start = badge_world, now() - 30 * timedelta(days=1)
    dated = _issue(world, world.learner_id, start, YEAR)["competency"]
    rotate_badge_keys(world.database, world.settings.secret_key, start)
    lasting = _issue(world, world.late_learner_id, start, None)["competency"]
    rotate_badge_keys(world.database, world.settings.secret_key, start)
    assert dated.kid != lasting.kid
    states = {state.key.kid: state for state in badge_key_states(world.database)}
    assert states[lasting.kid].until == "forever"
    assert states[dated.kid].until == dated.valid_until
    century = now() + 100 * YEAR
    keys = {k["kid"] for k in badge_jwks(world.database, century)["keys"]}
    assert lasting.kid in keys and dated.kid not in keys
    assert verify_issued_badge(world.database, world.settings, lasting.id,
                               century)[1].status == "valid"
    half_year = start + YEAR / 2
    assert verify_issued_badge(world.database, world.settings, dated.id,
                               half_year)[1].status == "valid"


def test_a_badge_signed_with_a_key_never_published_fails(badge_world: BadgeWorld) -> None:
    world = badge_world
    badge = _issue(world, world.learner_id, now(), YEAR)["competency"]
    stranger = generate_key(world.settings.secret_key, now())
    key = SigningKey(stranger.kid, unseal(stranger.private_key_encrypted,
                                                        world.settings.secret_key))
    urls = BadgeUrls(world.settings.base_url)
    forged = sign_credential(badge.credential, key.kid, key.jwt_key(),
                             urls.jwks("acme"))
    result = verify_badge(forged, fetch)
    assert result.status == "invalid" and f"no key {stranger.kid}" in result.reasons[0]
    for jwk in json.loads(fetch(urls.jwks("acme")))["keys"]:
        with pytest.raises(OB3VerificationError):
            OB3Verifier(pubkey_pem=_pem(jwk)).verify(forged, check_status=False, download=fetch)
    assert verify_badge(badge.compact_jwt, fetch).status == "valid"


def test_badges_signed_with_lti_keys_before_the_upgrade_keep_verifying(
        badge_world: BadgeWorld, database_url: str) -> None:
    world, start = badge_world, now() - 60 * timedelta(days=1)
    issued = _issue(world, world.learner_id, start, 2 * YEAR)
    # sign them as the tool did before 0008: with the LTI key, jku /.well-known/jwks.json
    lti = signing_key(world.database, world.settings.secret_key, start)
    urls = BadgeUrls(world.settings.base_url)
    with world.database.session() as session:
        for badge in issued.values():
            token = sign_credential(badge.credential, lti.kid, lti.jwt_key(),
                                    urls.legacy_jwks)
            session.execute(update(BadgeRow).where(BadgeRow.id == badge.id)
                            .values(kid=lti.kid, compact_jwt=token))
    downgrade(database_url, "0007_invitations")
    upgrade(database_url)
    (carried,) = [s for s in badge_key_states(world.database) if s.key.kid == lti.kid]
    assert (carried.key.origin, carried.key.status, carried.badges) == ("lti", "retired", 2)
    assert carried.key.private_key_encrypted is None
    # the LTI key rotates and retires at once; badges rotate too
    rotate_keys(world.database, world.settings.secret_key, start, 0)
    rotate_badge_keys(world.database, world.settings.secret_key, start)
    assert lti.kid not in {k["kid"] for k in json.loads(fetch(f"{world.url}/lti/jwks"))["keys"]}
    for badge in issued.values():
        found, result = verify_issued_badge(world.database, world.settings,
                                            badge.id, now())
        assert found.kid == lti.kid and result.status == "valid"
        assert jwt.get_unverified_header(found.compact_jwt)["jku"] == urls.legacy_jwks
        assert verify_badge(found.compact_jwt, fetch).status == "valid"
        _openbadgeslib(found.compact_jwt)


def test_issuer_profile_lists_the_published_badge_keys(badge_world: BadgeWorld) -> None:
    world = badge_world
    badge = _issue(world, world.learner_id, now(), YEAR)["competency"]
    rotate_badge_keys(world.database, world.settings.secret_key, now())
    profile = requests.get(f"{world.url}/badges/issuers/acme", timeout=10).json()
    issuer = f"{world.url}/badges/issuers/acme"
    methods = {m["publicKeyJwk"]["kid"]: m for m in profile["verificationMethod"]}
    assert badge.kid in methods and len(methods) == 2
    method = methods[badge.kid]
    assert method["id"] == f"{issuer}#{badge.kid}"
    assert (method["type"], method["controller"]) == ("JsonWebKey", issuer)
    assert "d" not in method["publicKeyJwk"]
    jwks = requests.get(f"{issuer}/jwks.json", timeout=10)
    assert jwks.headers["Content-Type"].startswith("application/jwk-set+json")
    assert {k["kid"] for k in jwks.json()["keys"]} == set(methods)
    assert requests.get(f"{world.url}/badges/issuers/nobody/jwks.json", timeout=10
                        ).status_code == 404
