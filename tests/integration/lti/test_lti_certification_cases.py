"""The 1EdTech LTI 1.3 certification cases: every invalid launch refused with a clear 4xx
page, every valid one accepted. id_tokens are crafted and signed with the sandbox's key."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from lti_tool.sandbox import sign_platform_jwt
from tests.integration.conftest import LiveLti
from tests.support.browser import Browser

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
VOCAB = "http://purl.imsglobal.org/vocab/lis/v2/"
INSTRUCTOR = VOCAB + "membership#Instructor"
LEARNER = VOCAB + "membership#Learner"


def login(live: LiveLti, browser: Browser) -> tuple[str, str]:
    """Start a login at the tool; return (state, nonce) the LMS would receive."""
    response = browser.session.post(f"{live.tool_url}/lti/login", data={
        "iss": live.platform.registration.issuer, "login_hint": "user-1",
        "target_link_uri": f"{live.tool_url}/lti/launch",
        "client_id": live.platform.registration.client_id,
        "lti_deployment_id": "sandbox-deployment-1"}, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    return query["state"][0], query["nonce"][0]


def claims(live: LiveLti, login_nonce: str, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    body: dict[str, Any] = {
        "iss": live.platform.registration.issuer,
        "aud": live.platform.registration.client_id,
        "sub": "cert-user-1", "exp": now + 300, "iat": now, "nonce": login_nonce,
        "name": "Ada Lovelace", "given_name": "Ada", "family_name": "Lovelace",
        "email": "ada@example.edu",
        LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
        LTI + "deployment_id": "sandbox-deployment-1",
        LTI + "target_link_uri": f"{live.tool_url}/lti/launch",
        LTI + "resource_link": {"id": "cert-link-1", "title": "Certification link"},
        LTI + "roles": [INSTRUCTOR],
        LTI + "context": {"id": "cert-course", "label": "CERT", "title": "Certification course"},
    }
    for key, value in changes.items():
        name = LTI + key[4:] if key.startswith("lti_") else key
        if value is DROP:
            body.pop(name, None)
        else:
            body[name] = value
    return body


DROP = object()


def post_launch(live: LiveLti, browser: Browser, state: str, token: str):  # noqa: ANN201
    return browser.session.post(f"{live.tool_url}/lti/launch",
                                data={"state": state, "id_token": token}, timeout=10)


def signed(live: LiveLti, body: dict[str, Any], **kwargs: Any) -> str:
    return sign_platform_jwt(live.sandbox, body, **kwargs)


INVALID_CASES = {
    "no KID": dict(kid=None),
    "incorrect KID": dict(kid="not-a-published-kid"),
    "wrong LTI version": dict(changes={"lti_version": "1.2.0"}),
    "no LTI version": dict(changes={"lti_version": DROP}),
    "missing iss": dict(changes={"iss": DROP}),
    "missing aud": dict(changes={"aud": DROP}),
    "missing exp": dict(changes={"exp": DROP}),
    "expired": dict(changes={"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000}),
    "iat in the future": dict(changes={"iat": int(time.time()) + 3600,
                                       "exp": int(time.time()) + 7200}),
    "missing message_type": dict(changes={"lti_message_type": DROP}),
    "missing roles claim": dict(changes={"lti_roles": DROP}),
    "missing deployment_id": dict(changes={"lti_deployment_id": DROP}),
    "unregistered deployment_id": dict(changes={"lti_deployment_id": "unknown-deployment"}),
    "missing resource_link id": dict(changes={"lti_resource_link": {"title": "no id"}}),
    "missing sub": dict(changes={"sub": DROP}),
    "several aud without azp": dict(changes={"aud": ["careerpath-sandbox", "other"]}),
    "aud of another tool": dict(changes={"aud": "another-tool"}),
    "wrong nonce": dict(changes={"nonce": "not-the-login-nonce"}),
    "issuer not matching": dict(changes={"iss": "https://evil.example"}),
}


@pytest.mark.parametrize("case", sorted(INVALID_CASES))
def test_invalid_launch_is_refused_with_a_clear_page(case: str, live_lti: LiveLti,
                                                     browser: Browser) -> None:
    spec = INVALID_CASES[case]
    state, nonce = login(live_lti, browser)
    body = claims(live_lti, nonce, **spec.get("changes", {}))
    token = signed(live_lti, body, **({"kid": spec["kid"]} if "kid" in spec else {}))
    page = post_launch(live_lti, browser, state, token)
    assert 400 <= page.status_code < 500, (case, page.status_code, page.text[:300])
    assert "What failed:" in page.text and "What an administrator should check:" in page.text
    assert "Traceback" not in page.text


def test_not_a_jwt_is_refused(live_lti: LiveLti, browser: Browser) -> None:
    state, _nonce = login(live_lti, browser)
    page = post_launch(live_lti, browser, state, "this-is-not-a-jwt")
    assert page.status_code == 400
    assert "LTI 1.3 id_token" in page.text


def test_alg_none_and_hs256_with_public_key_are_refused(live_lti: LiveLti,
                                                        browser: Browser) -> None:
    state, nonce = login(live_lti, browser)
    body = claims(live_lti, nonce)
    unsigned = jwt.encode(body, key=None, algorithm="none", headers={"kid": "x"})
    assert post_launch(live_lti, browser, state, unsigned).status_code == 401
    state, nonce = login(live_lti, browser)
    public = live_lti.sandbox.extensions["careerpath_sandbox"].keys.jwks()["keys"][0]
    forged = jwt.api_jws.PyJWS(algorithms=["HS256"]).encode(
        jwt.utils.force_bytes(__import__("json").dumps(claims(live_lti, nonce))),
        key=public["n"].encode(), algorithm="HS256", headers={"kid": public["kid"]})
    assert post_launch(live_lti, browser, state, forged).status_code == 401


def test_key_of_an_attacker_with_jku_header_is_refused(live_lti: LiveLti,
                                                       browser: Browser) -> None:
    state, nonce = login(live_lti, browser)
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(live_lti, nonce), attacker, algorithm="RS256",
                       headers={"kid": "attacker", "jku": "http://127.0.0.1:9/jwks.json"})
    page = post_launch(live_lti, browser, state, token)
    assert page.status_code == 401


VALID_CASES = {
    "instructor as-is": {},
    "learner as-is": {"lti_roles": [LEARNER]},
    "several roles": {"lti_roles": [INSTRUCTOR, LEARNER, VOCAB + "institution/person#Faculty"]},
    "short role names": {"lti_roles": ["Instructor", "Learner"]},
    "unknown role": {"lti_roles": ["http://example.com/roles#Wizard"]},
    "no role": {"lti_roles": []},
    "email only": {"name": DROP, "given_name": DROP, "family_name": DROP},
    "names only": {"email": DROP},
    "no PII": {"name": DROP, "given_name": DROP, "family_name": DROP, "email": DROP},
    "resource link only": {"lti_context": DROP},
    "aud list with azp": {"aud": ["careerpath-sandbox", "other"], "azp": "careerpath-sandbox"},
}


@pytest.mark.parametrize("case", sorted(VALID_CASES))
def test_valid_launch_is_accepted(case: str, live_lti: LiveLti, browser: Browser) -> None:
    state, nonce = login(live_lti, browser)
    token = signed(live_lti, claims(live_lti, nonce, **VALID_CASES[case]))
    page = post_launch(live_lti, browser, state, token)
    assert page.status_code == 200, (case, page.text[:400])
    assert "Welcome" in page.text


def test_unknown_kid_refetches_platform_keys_once(live_lti: LiveLti, browser: Browser) -> None:
    state, nonce = login(live_lti, browser)
    assert post_launch(live_lti, browser, state,
                       signed(live_lti, claims(live_lti, nonce))).status_code == 200
    rotated = browser.session.post(f"{live_lti.sandbox_url}/_sandbox/keys/rotate", timeout=10)
    assert rotated.status_code == 201
    state, nonce = login(live_lti, browser)
    page = post_launch(live_lti, browser, state, signed(live_lti, claims(live_lti, nonce)))
    assert page.status_code == 200, page.text[:300]
    rotated = browser.session.post(f"{live_lti.sandbox_url}/_sandbox/keys/rotate", timeout=10)
    state, nonce = login(live_lti, browser)
    page = post_launch(live_lti, browser, state, signed(live_lti, claims(live_lti, nonce)))
    assert page.status_code == 401  # second new kid within a minute: no refetch
