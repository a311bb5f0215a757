"""Deep linking return: the tool's signed response is verified and its links placed."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from tool_side import CLIENT_ID, ISSUER, tool_jwt

from lti_tool.sandbox import DEMO_COURSE, platform_of

LTI = "https://purl.imsglobal.org/spec/lti/claim"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim"


def request_data(app: Flask) -> str:
    """The opaque `data` of a deep linking request, as the id_token would carry it."""
    from lti_tool.sandbox.launch import LaunchIntent, id_token_claims

    platform = platform_of(app)
    instructor = next(
        m.user_id
        for m in platform.state.courses[DEMO_COURSE].members.values()
        if m.kind == "instructor"
    )
    intent = LaunchIntent(
        DEMO_COURSE, None, "LtiDeepLinkingRequest", instructor, CLIENT_ID, "sandbox-deployment-1"
    )
    return id_token_claims(platform, intent, "nonce")[f"{DL}/deep_linking_settings"]["data"]


def response_claims(data: str, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": CLIENT_ID,
        "aud": ISSUER,
        "iat": now,
        "exp": now + 300,
        "nonce": uuid.uuid4().hex,
        f"{LTI}/message_type": "LtiDeepLinkingResponse",
        f"{LTI}/version": "1.3.0",
        f"{LTI}/deployment_id": "sandbox-deployment-1",
        f"{DL}/data": data,
        f"{DL}/msg": "Added 2 CareerPath items",
        f"{DL}/content_items": [
            {
                "type": "ltiResourceLink",
                "title": "Readiness <check>",
                "url": "http://127.0.0.1:5000/lti/launch",
                "custom": {"widget": "readiness"},
                "lineItem": {"scoreMaximum": 10, "label": "Readiness check", "tag": "careerpath"},
            },
            {
                "type": "ltiResourceLink",
                "title": "Career path",
                "url": "http://127.0.0.1:5000/lti/launch",
                "custom": {"widget": "career_path"},
            },
            {"type": "html", "html": "<p>ignored</p>"},
        ],
    }
    claims.update(overrides)
    return claims


def test_valid_response_places_links(
    app: Flask, client: FlaskClient, tool_key: rsa.RSAPrivateKey
) -> None:
    token = tool_jwt(tool_key, response_claims(request_data(app)))
    response = client.post("/deep_links/return", data={"JWT": token})
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 200 and "Readiness &lt;check&gt;" in page and "Career path" in page
    )
    course = platform_of(app).state.courses[DEMO_COURSE]
    placed = [link for link in course.links.values() if link.title == "Readiness <check>"][0]
    assert placed.custom == {"widget": "readiness"} and placed.client_id == CLIENT_ID
    item = course.line_items[placed.line_item_id]
    assert item.resource_link_id == placed.id and item.score_maximum == 10


def test_invalid_responses_are_refused(
    app: Flask, client: FlaskClient, tool_key: rsa.RSAPrivateKey
) -> None:
    data = request_data(app)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cases = {
        "wrong aud": tool_jwt(tool_key, response_claims(data, aud="https://other.example")),
        "wrong type": tool_jwt(
            tool_key, response_claims(data, **{f"{LTI}/message_type": "LtiResourceLinkRequest"})
        ),
        "wrong version": tool_jwt(tool_key, response_claims(data, **{f"{LTI}/version": "1.1"})),
        "wrong deployment": tool_jwt(
            tool_key, response_claims(data, **{f"{LTI}/deployment_id": "x"})
        ),
        "forged data": tool_jwt(tool_key, response_claims("forged")),
        "wrong signature": tool_jwt(other_key, response_claims(data)),
        "unknown kid": tool_jwt(tool_key, response_claims(data), kid="who"),
        "expired": tool_jwt(tool_key, response_claims(data, exp=int(time.time()) - 60)),
        "not a jwt": "not-a-jwt",
    }
    for name, token in cases.items():
        response = client.post("/deep_links/return", data={"JWT": token})
        assert response.status_code in {400, 401}, name
    unsigned = jwt.encode(response_claims(data), key="", algorithm="none")
    assert client.post("/deep_links/return", data={"JWT": unsigned}).status_code == 401
