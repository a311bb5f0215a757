"""The tool configuration for Dynamic Registration and the Canvas developer-key JSON."""

from __future__ import annotations

from typing import Any

import pytest

from lti_tool.lti.dynamic_registration import (
    CANVAS_PRIVACY_LEVEL,
    MESSAGES,
    PLATFORM_CONFIG,
    SCOPES,
    TOOL_CONFIG,
    ToolUrls,
    canvas_developer_key,
    issuer_matches,
    parse_platform_configuration,
    parse_registration_answer,
    tool_configuration,
)
from lti_tool.lti.errors import LaunchError

URLS = ToolUrls(login="https://tool.example.edu/lti/login",
                launch="https://tool.example.edu/lti/launch",
                jwks="https://tool.example.edu/lti/jwks",
                logo="https://tool.example.edu/static/logo.svg")
ISSUER = "https://lms.example.edu"
CONFIG_URL = f"{ISSUER}/mod/lti/openid-configuration.php"


def platform_document(family: str = "moodle", **changes: Any) -> dict[str, Any]:
    document = {
        "issuer": ISSUER, "registration_endpoint": f"{ISSUER}/register",
        "authorization_endpoint": f"{ISSUER}/auth", "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks", "authorization_server": f"{ISSUER}/token",
        PLATFORM_CONFIG: {"product_family_code": family, "messages_supported": [
            {"type": "LtiDeepLinkingRequest", "placements": ["ContentItemSelectionRequest"]}]},
    }
    document.update(changes)
    return {k: v for k, v in document.items() if v is not None}


def test_canvas_config_json_shape() -> None:
    data = canvas_developer_key(URLS)
    assert {"title", "description", "oidc_initiation_url", "target_link_uri", "public_jwk_url",
            "scopes", "extensions", "custom_fields", "claims"} <= set(data)
    assert data["oidc_initiation_url"] == URLS.login
    assert data["target_link_uri"] == data["extensions"][0]["settings"]["placements"][0][
        "target_link_uri"] == URLS.launch
    assert data["public_jwk_url"] == URLS.jwks
    assert data["scopes"] == list(SCOPES)
    extension = data["extensions"][0]
    assert extension["platform"] == "canvas.instructure.com"
    assert extension["privacy_level"] == "public"
    assert extension["domain"] == "tool.example.edu"
    placed = {(p["placement"], p["message_type"]) for p in extension["settings"]["placements"]}
    assert placed == {(placement, spec.type) for spec in MESSAGES
                      for placement in spec.canvas_placements}


def test_dynamic_registration_body_for_moodle() -> None:
    body = tool_configuration(URLS, parse_platform_configuration(CONFIG_URL, platform_document()))
    assert body["application_type"] == "web"
    assert body["response_types"] == ["id_token"]
    assert body["grant_types"] == ["implicit", "client_credentials"]
    assert body["initiate_login_uri"] == URLS.login
    assert body["redirect_uris"] == [URLS.launch]
    assert body["token_endpoint_auth_method"] == "private_key_jwt"
    assert body["scope"].split() == list(SCOPES)
    assert body["logo_uri"] == URLS.logo
    lti = body[TOOL_CONFIG]
    assert lti["domain"] == "tool.example.edu" and lti["target_link_uri"] == URLS.launch
    assert lti["claims"] == ["iss", "sub", "name", "given_name", "family_name", "email"]
    assert CANVAS_PRIVACY_LEVEL not in lti
    deep = next(m for m in lti["messages"] if m["type"] == "LtiDeepLinkingRequest")
    assert deep["placements"] == ["ContentItemSelectionRequest"]


def test_dynamic_registration_body_for_canvas_has_canvas_extensions() -> None:
    platform = parse_platform_configuration(CONFIG_URL, platform_document("canvas"))
    lti = tool_configuration(URLS, platform)[TOOL_CONFIG]
    assert lti[CANVAS_PRIVACY_LEVEL] == "public"
    placements = {m["type"]: m["placements"] for m in lti["messages"]}
    assert placements == {"LtiResourceLinkRequest": ["course_navigation"],
                          "LtiDeepLinkingRequest": ["link_selection", "assignment_selection"]}


def test_platform_configuration_is_read() -> None:
    platform = parse_platform_configuration(CONFIG_URL, platform_document("canvas"))
    assert platform.is_canvas and platform.auth_audience == f"{ISSUER}/token"
    assert platform.name == "Canvas (lms.example.edu)"


@pytest.mark.parametrize(("issuer", "url", "ok"), [
    ("https://lms.example.edu", "https://lms.example.edu/x/openid", True),
    ("https://lms.example.edu/moodle", "https://lms.example.edu/moodle/openid", True),
    ("https://lms.example.edu/moodle", "https://lms.example.edu/moodle2/openid", False),
    ("https://lms.example.edu", "https://lms.example.edu.evil.test/openid", False),
    ("https://lms.example.edu", "http://lms.example.edu/openid", False),
    ("https://lms.example.edu:8443", "https://lms.example.edu/openid", False),
])
def test_issuer_must_prefix_the_configuration_url(issuer: str, url: str, ok: bool) -> None:
    assert issuer_matches(issuer, url) is ok


@pytest.mark.parametrize(("document", "message"), [
    (["not", "an", "object"], "not a JSON object"),
    (platform_document(issuer=None), "has no issuer"),
    (platform_document(issuer="https://other.example.edu"), "does not match"),
    (platform_document(jwks_uri=None, token_endpoint=""), "lacks token_endpoint, jwks_uri"),
    (platform_document(token_endpoint="http://lms.example.edu/token"), "must use https"),
])
def test_bad_platform_configuration_is_refused(document: Any, message: str) -> None:
    with pytest.raises(LaunchError) as raised:
        parse_platform_configuration(CONFIG_URL, document)
    assert message in raised.value.what and raised.value.status == 400


def test_registration_answer_reads_client_and_optional_deployment() -> None:
    moodle = parse_registration_answer({"client_id": "abc", TOOL_CONFIG: {"deployment_id": "7"}})
    assert (moodle.client_id, moodle.deployment_id) == ("abc", "7")
    canvas = parse_registration_answer({"client_id": "1000001", TOOL_CONFIG: {}})
    assert canvas.deployment_id is None
    with pytest.raises(LaunchError):
        parse_registration_answer({TOOL_CONFIG: {}})


CANVAS_CLOUD_DOCUMENT = {
    "issuer": "https://canvas.instructure.com",
    "authorization_endpoint": "https://sso.canvaslms.com/api/lti/authorize_redirect",
    "token_endpoint": "https://sso.canvaslms.com/login/oauth2/token",
    "jwks_uri": "https://sso.canvaslms.com/api/lti/security/jwks",
    "registration_endpoint": "https://school.instructure.com/api/lti/registrations",
    "https://purl.imsglobal.org/spec/lti-platform-configuration": {
        "product_family_code": "canvas"},
}
SCHOOL_URL = "https://school.instructure.com/api/lti/security/openid-configuration"


@pytest.mark.parametrize("hosts", [("school.instructure.com",), ("*.instructure.com",),
                                   ("other.example", "SCHOOL.instructure.com")])
def test_canvas_cloud_issuer_is_accepted_from_a_listed_school_domain(
        hosts: tuple[str, ...]) -> None:
    assert parse_platform_configuration(SCHOOL_URL, CANVAS_CLOUD_DOCUMENT,
                                        canvas_config_hosts=hosts).is_canvas
    moodle_claiming_canvas = {
        **CANVAS_CLOUD_DOCUMENT,
        "https://purl.imsglobal.org/spec/lti-platform-configuration": {
            "product_family_code": "moodle"}}
    with pytest.raises(LaunchError, match="operator's list"):
        parse_platform_configuration(SCHOOL_URL, moodle_claiming_canvas,
                                     canvas_config_hosts=hosts)


@pytest.mark.parametrize("hosts", [(), ("other.instructure.com",), ("instructure.com",),
                                   ("*.school.instructure.com",), ("school.instructure.co",)])
def test_canvas_cloud_issuer_from_an_unlisted_host_is_refused(hosts: tuple[str, ...]) -> None:
    with pytest.raises(LaunchError, match="operator's list") as refused:
        parse_platform_configuration(SCHOOL_URL, CANVAS_CLOUD_DOCUMENT,
                                     canvas_config_hosts=hosts)
    assert refused.value.status == 403
    assert "CAREERPATH_CANVAS_CONFIG_HOSTS" in refused.value.admin_hint


def test_canvas_cloud_issuer_needs_https_off_loopback() -> None:
    plain = SCHOOL_URL.replace("https://", "http://")
    with pytest.raises(LaunchError, match="operator's list"):
        parse_platform_configuration(plain, CANVAS_CLOUD_DOCUMENT,
                                     canvas_config_hosts=("school.instructure.com",))
