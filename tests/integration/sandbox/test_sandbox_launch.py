"""Course pages, the OIDC third-party login, the authorization endpoint and id_token claims."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import jwt
import pytest
import responses
from flask import Flask
from flask.testing import FlaskClient
from tool_side import CLIENT_ID, ISSUER, form_fields

from lti_tool.sandbox import (
    DEMO_COURSE,
    SandboxSettings,
    create_sandbox_app,
    platform_of,
    sign_platform_jwt,
)

LTI = "https://purl.imsglobal.org/spec/lti/claim"
LAUNCH_URL = "http://127.0.0.1:5000/lti/launch"


def person(app: Flask, kind: str) -> str:
    members = platform_of(app).state.courses[DEMO_COURSE].members.values()
    return next(m.user_id for m in members if m.kind == kind)


def login_fields(client: FlaskClient, path: str) -> tuple[str, dict[str, str], str]:
    """Open the course frame, then its iframe document; return the login form and the frame."""
    frame = client.get(path)
    assert frame.status_code == 200, frame.get_data(as_text=True)
    page = frame.get_data(as_text=True)
    src = html.unescape(re.search(r'<iframe[^>]*src="([^"]*)"', page).group(1))
    action, fields = form_fields(client.get(src).get_data(as_text=True))
    return action, fields, page


def auth_params(fields: dict[str, str], **overrides: str | None) -> dict[str, str]:
    params = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": fields["client_id"],
        "redirect_uri": LAUNCH_URL,
        "login_hint": fields["login_hint"],
        "lti_message_hint": fields["lti_message_hint"],
        "nonce": "n-0S6_WzA2Mj",
        "state": "st-123",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def verified(client: FlaskClient, token: str) -> dict[str, Any]:
    keys = jwt.PyJWKSet.from_dict(client.get("/jwks").json)
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in keys.keys if k.key_id == kid)
    return jwt.decode(token, key.key, algorithms=["RS256"], audience=CLIENT_ID, issuer=ISSUER)


def launch(client: FlaskClient, path: str) -> dict[str, Any]:
    _, fields, _ = login_fields(client, path)
    response = client.post("/auth", data=auth_params(fields))
    assert response.status_code == 200, response.get_data(as_text=True)
    action, posted = form_fields(response.get_data(as_text=True))
    assert action == LAUNCH_URL and posted["state"] == "st-123"
    return verified(client, posted["id_token"])


def test_pages_list_courses_people_and_links(client: FlaskClient) -> None:
    index = client.get("/").get_data(as_text=True)
    assert "Data Analytics Foundations" in index
    course = client.get(f"/courses/{DEMO_COURSE}").get_data(as_text=True)
    assert "Amara Okafor" in course and "Grace Whitfield" in course and "Rafael Ortiz" in course
    assert "Liam O&#39;Brien" in course  # escaped
    assert "widget=readiness" in course and "Deep linking: add CareerPath content" in course


def test_login_document_posts_third_party_login(app: Flask, client: FlaskClient) -> None:
    learner = person(app, "learner")
    action, fields, frame = login_fields(
        client, f"/courses/{DEMO_COURSE}/links/link-readiness/launch?user={learner}&storage=1"
    )
    assert action == "http://127.0.0.1:5000/lti/login"
    assert fields["iss"] == ISSUER and fields["login_hint"] == learner
    assert (
        fields["client_id"] == CLIENT_ID and fields["lti_deployment_id"] == "sandbox-deployment-1"
    )
    assert fields["target_link_uri"] == LAUNCH_URL and fields["lti_storage_target"] == "_parent"
    for subject in ("lti.capabilities", "lti.put_data", "lti.get_data"):
        assert subject in frame


def test_no_storage_target_without_storage_flag(app: Flask, client: FlaskClient) -> None:
    learner = person(app, "learner")
    _, fields, _ = login_fields(
        client, f"/courses/{DEMO_COURSE}/links/link-badges/launch?user={learner}"
    )
    assert "lti_storage_target" not in fields


def test_learner_launch_claims(app: Flask, client: FlaskClient) -> None:
    learner = person(app, "learner")
    claims = launch(client, f"/courses/{DEMO_COURSE}/links/link-readiness/launch?user={learner}")
    assert (
        claims["sub"] == learner
        and claims["azp"] == CLIENT_ID
        and claims["nonce"] == "n-0S6_WzA2Mj"
    )
    assert claims["exp"] - claims["iat"] == 300
    assert claims[f"{LTI}/message_type"] == "LtiResourceLinkRequest"
    assert claims[f"{LTI}/version"] == "1.3.0"
    assert claims[f"{LTI}/deployment_id"] == "sandbox-deployment-1"
    assert claims[f"{LTI}/roles"] == ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]
    assert claims[f"{LTI}/resource_link"] == {
        "id": "link-readiness",
        "title": "Next-role readiness",
    }
    assert claims[f"{LTI}/custom"] == {"widget": "readiness"}
    assert claims[f"{LTI}/context"]["id"] == DEMO_COURSE
    assert claims[f"{LTI}/tool_platform"]["product_family_code"] == "moodle"
    assert claims[f"{LTI}/launch_presentation"]["document_target"] == "iframe"
    assert (
        claims["email"].endswith("@example.edu") and claims["given_name"] and claims["family_name"]
    )
    ags = claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]
    assert ags["lineitems"] == f"{ISSUER}/api/courses/{DEMO_COURSE}/lineitems"
    # the sandbox's own registration is generic: plain spec URLs (moodle/canvas: see
    # test_sandbox_flavours.py)
    assert ags["lineitem"].startswith(f"{ISSUER}/api/courses/{DEMO_COURSE}/lineitems/li-")
    assert "?" not in ags["lineitem"] and len(ags["scope"]) == 4
    nrps = claims["https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"]
    assert nrps["service_versions"] == ["2.0"]


def test_canvas_link_and_admin_roles(app: Flask, client: FlaskClient) -> None:
    admin = person(app, "admin")
    claims = launch(client, f"/courses/{DEMO_COURSE}/links/link-badges/launch?user={admin}")
    assert claims[f"{LTI}/tool_platform"]["product_family_code"] == "canvas"
    assert set(claims[f"{LTI}/roles"]) == {
        "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
    }


def test_a_mentor_launch_names_its_mentees(app: Flask, client: FlaskClient) -> None:
    """LTI 1.3 core 5.4.3: role_scope_mentor lists the `sub`s a Mentor mentors."""
    from lti_tool.sandbox.seed import add_demo_mentor

    learner = person(app, "learner")
    assert f"{LTI}/role_scope_mentor" not in launch(
        client, f"/courses/{DEMO_COURSE}/links/link-readiness/launch?user={learner}")
    mentor = add_demo_mentor(platform_of(app))
    claims = launch(client, f"/courses/{DEMO_COURSE}/links/link-readiness/launch?user={mentor.id}")
    assert claims[f"{LTI}/roles"] == ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"]
    assert claims[f"{LTI}/role_scope_mentor"] == [learner]
    course = client.get(f"/courses/{DEMO_COURSE}").get_data(as_text=True)
    assert "launch as Olivia Bennett (mentor)" in course


def test_the_admin_api_enrols_a_mentor_with_mentees(app: Flask, client: FlaskClient) -> None:
    learner = person(app, "learner")
    added = client.post(f"/_sandbox/courses/{DEMO_COURSE}/users", json={"users": [
        {"id": "u-parent", "given_name": "Pat", "family_name": "Parent", "kind": "mentor",
         "mentees": [learner]}]})
    assert added.status_code == 201, added.get_data(as_text=True)
    claims = launch(client, f"/courses/{DEMO_COURSE}/links/link-readiness/launch?user=u-parent")
    assert claims[f"{LTI}/role_scope_mentor"] == [learner]
    refused = client.post(f"/_sandbox/courses/{DEMO_COURSE}/users", json={"users": [
        {"id": "u-kid", "given_name": "Kim", "family_name": "Kid", "kind": "learner",
         "mentees": [learner]}]})
    assert refused.status_code == 400  # only a mentor has mentees


def test_deep_linking_request_claims(app: Flask, client: FlaskClient) -> None:
    instructor = person(app, "instructor")
    claims = launch(client, f"/courses/{DEMO_COURSE}/deep_linking/launch?user={instructor}")
    assert claims[f"{LTI}/message_type"] == "LtiDeepLinkingRequest"
    assert f"{LTI}/resource_link" not in claims
    settings = claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"]
    assert settings["deep_link_return_url"] == f"{ISSUER}/deep_links/return"
    assert settings["accept_types"] == ["ltiResourceLink"] and settings["accept_multiple"] is True
    assert settings["data"]


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"scope": "profile"}, "scope must be"),
        ({"response_type": "code"}, "response_type must be"),
        ({"response_mode": "query"}, "response_mode must be"),
        ({"prompt": "login"}, "prompt must be"),
        ({"nonce": None}, "nonce is required"),
        ({"client_id": "someone-else"}, "client_id does not match"),
        ({"redirect_uri": "https://evil.example/launch"}, "redirect_uri is not one of"),
        ({"login_hint": "u-unknown"}, "login_hint is not"),
        ({"lti_message_hint": "forged"}, "lti_message_hint is not one"),
    ],
)
def test_auth_rejects_bad_requests(
    app: Flask, client: FlaskClient, override: dict[str, str | None], expected: str
) -> None:
    learner = person(app, "learner")
    _, fields, _ = login_fields(
        client, f"/courses/{DEMO_COURSE}/links/link-readiness/launch?user={learner}"
    )
    response = client.post("/auth", data=auth_params(fields, **override))
    assert response.status_code == 400
    assert expected in html.unescape(response.get_data(as_text=True))


def test_launch_of_non_member_is_refused(client: FlaskClient) -> None:
    response = client.get(f"/courses/{DEMO_COURSE}/links/link-readiness/launch?user=nobody")
    assert response.status_code == 403


def test_key_rotation_publishes_both_keys(app: Flask, client: FlaskClient) -> None:
    first = client.get("/jwks").json["keys"][0]["kid"]
    rotated = client.post("/_sandbox/keys/rotate", json={}).json
    kids = [k["kid"] for k in client.get("/jwks").json["keys"]]
    assert kids == [first, rotated["kid"]] and rotated["active_kid"] == rotated["kid"]
    token = sign_platform_jwt(app, {"iss": ISSUER, "aud": CLIENT_ID})
    assert jwt.get_unverified_header(token)["kid"] == rotated["kid"]
    unsigned_kid = sign_platform_jwt(app, {"a": 1}, kid=None, headers={"typ": "JWT"})
    assert "kid" not in jwt.get_unverified_header(unsigned_kid)
    assert all(k["alg"] == "RS256" and k["use"] == "sig" for k in client.get("/jwks").json["keys"])


def test_key_path_persists_the_platform_key(tmp_path: Path, http: responses.RequestsMock) -> None:
    path = tmp_path / "keys" / "platform.pem"
    first = create_sandbox_app(SandboxSettings(key_path=str(path), seed=False))
    second = create_sandbox_app(SandboxSettings(key_path=str(path), seed=False))
    kid = first.test_client().get("/jwks").json["keys"][0]["kid"]
    assert second.test_client().get("/jwks").json["keys"][0]["kid"] == kid
    assert path.stat().st_mode & 0o777 == 0o600
