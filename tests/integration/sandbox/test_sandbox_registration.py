"""Dynamic Registration as Moodle (deployment_id returned) and as Canvas (deployed later)."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from tool_side import ISSUER, path_of

from lti_tool.sandbox import DEMO_COURSE, platform_of

TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"


def tool_configuration() -> dict[str, Any]:
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": "http://127.0.0.1:5000/lti/login",
        "redirect_uris": ["http://127.0.0.1:5000/lti/launch"],
        "client_name": "CareerPath",
        "jwks_uri": "http://127.0.0.1:5000/lti/jwks",
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": "https://purl.imsglobal.org/spec/lti-ags/scope/score https://example.com/unknown",
        TOOL_CONFIG: {
            "domain": "127.0.0.1:5000",
            "target_link_uri": "http://127.0.0.1:5000/lti/launch",
            "messages": [
                {
                    "type": "LtiDeepLinkingRequest",
                    "target_link_uri": "http://127.0.0.1:5000/lti/launch",
                }
            ],
        },
    }


def start(client: FlaskClient, flavour: str) -> tuple[str, dict[str, str]]:
    issued = client.post("/_sandbox/registration_tokens", json={"flavour": flavour}).json
    return path_of(issued["openid_configuration"]), {
        "Authorization": f"Bearer {issued['registration_token']}"
    }


@pytest.mark.parametrize("flavour", ["moodle", "canvas"])
def test_registration(app: Flask, client: FlaskClient, flavour: str) -> None:
    config_path, auth = start(client, flavour)
    assert client.get(config_path).status_code == 401
    config = client.get(config_path, headers=auth).json
    assert config["issuer"] == ISSUER and config["token_endpoint"] == f"{ISSUER}/token"
    platform_config = config["https://purl.imsglobal.org/spec/lti-platform-configuration"]
    assert platform_config["product_family_code"] == flavour
    for name in (
        "authorization_endpoint",
        "jwks_uri",
        "registration_endpoint",
        "scopes_supported",
        "response_types_supported",
        "id_token_signing_alg_values_supported",
        "claims_supported",
    ):
        assert config[name], name
    answer = client.post(
        path_of(config["registration_endpoint"]), json=tool_configuration(), headers=auth
    )
    assert answer.status_code == 200, answer.json
    client_id = answer.json["client_id"]
    assert answer.json["scope"] == "https://purl.imsglobal.org/spec/lti-ags/scope/score"
    again = client.post(
        path_of(config["registration_endpoint"]), json=tool_configuration(), headers=auth
    )
    assert again.status_code == 401  # one-time token
    learner = next(
        m.user_id
        for m in platform_of(app).state.courses[DEMO_COURSE].members.values()
        if m.kind == "learner"
    )
    launch = (
        f"/courses/{DEMO_COURSE}/links/link-readiness/launch?user={learner}&client_id={client_id}"
    )
    if flavour == "moodle":
        assert answer.json[TOOL_CONFIG]["deployment_id"]
    else:
        assert "deployment_id" not in answer.json[TOOL_CONFIG]
        assert client.get(launch).status_code == 409  # not deployed yet
        deployed = client.post(f"/_sandbox/registrations/{client_id}/deploy")
        assert deployed.status_code == 201 and deployed.json["deployment_id"]
    page = client.get(launch)
    assert page.status_code == 200 and client_id in page.get_data(as_text=True)


def test_registration_validates_the_configuration(client: FlaskClient) -> None:
    config_path, auth = start(client, "moodle")
    broken = tool_configuration()
    del broken["jwks_uri"]
    broken["grant_types"] = ["implicit"]
    response = client.post("/register/moodle", json=broken, headers=auth)
    assert response.status_code == 400 and "jwks_uri" in response.json["error_description"]
    no_messages = tool_configuration()
    no_messages[TOOL_CONFIG]["messages"] = []
    response = client.post("/register/moodle", json=no_messages, headers=auth)
    assert response.status_code == 400 and "messages" in response.json["error_description"]
    assert (
        client.post("/register/canvas", json=tool_configuration(), headers=auth).status_code == 401
    )


def test_register_page_opens_the_tool(client: FlaskClient) -> None:
    response = client.get(
        "/_sandbox/register?flavour=canvas&tool_register_url=http://127.0.0.1:5000/lti/register"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    start = re.search(r'<iframe[^>]*src="([^"]*)"', page).group(1)
    query = parse_qs(urlsplit(html.unescape(start)).query)
    assert start.startswith("http://127.0.0.1:5000/lti/register?")
    assert query["openid_configuration"] == [f"{ISSUER}/register/canvas/openid-configuration"]
    assert "registration_token=" in page and "org.imsglobal.lti.close" in page


def test_register_page_asks_for_the_tools_registration_link(client: FlaskClient) -> None:
    page = client.get("/_sandbox/register?flavour=canvas").get_data(as_text=True)
    assert '<input id="tool-register-url" name="tool_register_url" type="url" required>' in page
    assert '<input type="hidden" name="flavour" value="canvas">' in page
    assert "<iframe" not in page
