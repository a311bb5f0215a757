"""The token endpoint: client assertions verified against the tool's JWKS."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
import responses
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from tool_side import ALL_SCOPES, NRPS, TOKEN_URL, TOOL_JWKS_URL, assertion, token_form


def test_correct_assertion_gets_a_token(client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    response = client.post("/token", data=token_form(tool_key))
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert set(body["scope"].split()) == set(ALL_SCOPES.split()) and body["access_token"]
    assert client.get("/_sandbox/stats").json == {"requests": {"token": 1}, "tokens_issued": 1}


def test_aud_as_list_containing_the_token_url(
    client: FlaskClient, tool_key: rsa.RSAPrivateKey
) -> None:
    response = client.post("/token", data=token_form(tool_key, aud=[TOKEN_URL, "other"]))
    assert response.status_code == 200


def test_rejections(client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    cases = {
        "wrong aud": token_form(tool_key, aud="http://localhost:5001/token/"),
        "expired": token_form(tool_key, exp=int(time.time()) - 60),
        "sub differs": token_form(tool_key, sub="someone"),
        "unknown client": token_form(tool_key, iss="nobody", sub="nobody"),
        "no jti": token_form(tool_key, jti=None),
    }
    for name, form in cases.items():
        response = client.post("/token", data=form)
        assert response.status_code == 401, name
        assert response.json["error"] == "invalid_client" and response.json["error_description"], (
            name
        )


def test_replayed_jti_is_refused(client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    form = token_form(tool_key)
    assert client.post("/token", data=form).status_code == 200
    replay = client.post("/token", data=form)
    assert replay.status_code == 401 and "already used" in replay.json["error_description"]


def test_request_errors_are_400(client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    bad_grant = {**token_form(tool_key), "grant_type": "password"}
    assert client.post("/token", data=bad_grant).json["error"] == "unsupported_grant_type"
    bad_scope = token_form(tool_key, scope=f"{NRPS} https://example.com/scope/admin")
    response = client.post("/token", data=bad_scope)
    assert response.status_code == 400 and response.json["error"] == "invalid_scope"
    missing = {**token_form(tool_key), "client_assertion": ""}
    assert client.post("/token", data=missing).status_code == 400


def test_unknown_kid_refetches_the_tool_jwks(
    client: FlaskClient,
    tool_key: rsa.RSAPrivateKey,
    http: responses.RequestsMock,
    tool_jwks: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("lti_tool.sandbox.keys.REFETCH_INTERVAL", 0.0)
    assert client.post("/token", data=token_form(tool_key)).status_code == 200
    new_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(new_key.public_key()))
    rotated = {"keys": [*tool_jwks["keys"], {**jwk, "kid": "tool-key-2"}]}
    http.replace(responses.GET, TOOL_JWKS_URL, json=rotated)
    form = {**token_form(tool_key), "client_assertion": assertion(new_key, kid="tool-key-2")}
    assert client.post("/token", data=form).status_code == 200
    assert len([c for c in http.calls if c.request.url == TOOL_JWKS_URL]) == 2
    unknown = {**token_form(tool_key), "client_assertion": assertion(new_key, kid="tool-key-9")}
    assert client.post("/token", data=unknown).status_code == 401
