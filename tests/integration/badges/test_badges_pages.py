"""Public badge pages: the verdict, the downloads, the issuer Profile and the status list."""

from __future__ import annotations

import json

import jwt
import requests
from badge_scenario import XSS, BadgeWorld, now

from lti_tool.badges.status_list import bit_is_set, decode_status_list
from lti_tool.usecases.badges import issue_due_badges, revoke_badge


def _competency_badge(world: BadgeWorld):  # type: ignore[no-untyped-def]
    issued = issue_due_badges(world.database, world.settings, world.tenant_id,
                              world.learner_id, now())
    return next(badge for badge in issued if badge.kind == "competency")


def test_page_says_valid_and_escapes_names(badge_world: BadgeWorld) -> None:
    badge = _competency_badge(badge_world)
    page = requests.get(f"{badge_world.url}/badges/{badge.id}", timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<span id="badge-verdict">Valid</span>' in page.text
    assert XSS not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    assert "script-src 'none'" in page.headers["Content-Security-Policy"]
    assert 'role="status"' in page.text and '<html lang="en">' in page.text


def test_page_says_revoked_with_the_reason(badge_world: BadgeWorld) -> None:
    badge = _competency_badge(badge_world)
    revoke_badge(badge_world.database, badge.id, "Issued in <b>error</b>", now())
    page = requests.get(f"{badge_world.url}/badges/{badge.id}", timeout=10)
    assert "Revoked: Issued in &lt;b&gt;error&lt;/b&gt;" in page.text


def test_json_and_jwt_downloads(badge_world: BadgeWorld) -> None:
    badge = _competency_badge(badge_world)
    as_json = requests.get(f"{badge_world.url}/badges/{badge.id}.json", timeout=10)
    assert as_json.headers["Content-Type"].startswith("application/ld+json")
    assert as_json.json() == badge.credential
    assert as_json.headers["Access-Control-Allow-Origin"] == "*"
    as_jwt = requests.get(f"{badge_world.url}/badges/{badge.id}.jwt", timeout=10)
    assert as_jwt.headers["Content-Type"].startswith("application/jwt")
    assert as_jwt.text == badge.compact_jwt
    assert jwt.decode(as_jwt.text, options={"verify_signature": False})["jti"] == \
        f"{badge_world.url}/badges/{badge.id}"


def test_issuer_profile(badge_world: BadgeWorld) -> None:
    profile = requests.get(f"{badge_world.url}/badges/issuers/acme", timeout=10).json()
    assert profile["id"] == f"{badge_world.url}/badges/issuers/acme"
    assert profile["type"] == ["Profile"] and profile["name"] == f"Acme {XSS}"
    assert profile["url"] == "https://acme.example"


def test_status_list_lists_revoked_indexes(badge_world: BadgeWorld) -> None:
    badge = _competency_badge(badge_world)
    url = f"{badge_world.url}/badges/status/acme"
    assert badge.credential["credentialStatus"]["statusListCredential"] == url

    def bit() -> bool:
        token = requests.get(url, timeout=10).text
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        return bit_is_set(decode_status_list(claims["credentialSubject"]["encodedList"]),
                          badge.status_index)

    assert not bit()
    revoke_badge(badge_world.database, badge.id, "Withdrawn", now())
    assert bit()


def test_unknown_things_are_404(badge_world: BadgeWorld) -> None:
    base = badge_world.url
    page = requests.get(f"{base}/badges/00000000-0000-4000-8000-000000000000", timeout=10)
    assert page.status_code == 404 and "Badge not found" in page.text
    for path in ("/badges/00000000-0000-4000-8000-000000000000.json",
                 "/badges/00000000-0000-4000-8000-000000000000.jwt",
                 "/badges/issuers/nobody", "/badges/status/nobody", "/badges/not-a-uuid"):
        assert requests.get(base + path, timeout=10).status_code == 404, path
    assert json.loads(requests.get(f"{base}/.well-known/jwks.json", timeout=10).text)["keys"]
