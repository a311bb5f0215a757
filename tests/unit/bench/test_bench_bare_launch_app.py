"""The bare launch reference (bench/bare_launch_app.py) is a correct login + launch: it
refuses what a correct tool must refuse. Run in process with Flask's test client."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient

from bench.bare_launch_app import create_app

ISSUER, CLIENT_ID = "http://localhost:5001", "careerpath-sandbox"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


PLATFORM, STRANGER = _key(), _key()


@pytest.fixture
def client() -> FlaskClient:
    pem = PLATFORM.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    return create_app(pem, ISSUER, CLIENT_ID, "s" * 32).test_client()


def _login(client: FlaskClient) -> tuple[str, str]:
    reply = client.post("/login", data={"iss": ISSUER, "login_hint": "u1",
                                        "target_link_uri": "http://127.0.0.1/launch"})
    assert reply.status_code == 302
    location = urlsplit(reply.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/auth"
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID] and query["login_hint"] == ["u1"]
    return query["state"][0], query["nonce"][0]


def _token(nonce: str | None, key: Any = PLATFORM, **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "u1", "iat": now, "exp": now + 60,
              "nonce": nonce, "name": "<b>Ada</b>", **changes}
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key,
                      algorithm="RS256", headers={"kid": "k1"})


def test_a_correct_launch_answers_the_escaped_name(client: FlaskClient) -> None:
    state, nonce = _login(client)
    reply = client.post("/launch", data={"state": state, "id_token": _token(nonce)})
    assert reply.status_code == 200
    assert b"Welcome, &lt;b&gt;Ada&lt;/b&gt;" in reply.data and b"<b>" not in reply.data


@pytest.mark.parametrize("form", [{"login_hint": "u1"}, {"iss": ISSUER},
                                  {"iss": "http://evil.test", "login_hint": "u1"}])
def test_a_login_without_the_platform_or_a_hint_is_refused(client: FlaskClient,
                                                           form: dict[str, str]) -> None:
    assert client.post("/login", data=form).status_code == 400


@pytest.mark.parametrize("change", [
    {"key": STRANGER},                      # bad signature
    {"aud": "someone-else"},                # wrong audience
    {"iss": "http://evil.test"},            # wrong issuer
    {"nonce": None},                        # nonce missing
    {"nonce": "not-the-one-kept"},          # nonce mismatch
    {"sub": None},                          # sub missing
    {"exp": int(time.time()) - 120},        # expired
])
def test_a_bad_id_token_is_refused(client: FlaskClient, change: dict[str, Any]) -> None:
    state, nonce = _login(client)
    changes = dict(change)
    key = changes.pop("key", PLATFORM)
    token = _token(changes.pop("nonce", nonce), key, **changes)
    assert client.post("/launch", data={"state": state, "id_token": token}).status_code == 401


def test_a_state_is_used_once(client: FlaskClient) -> None:
    state, nonce = _login(client)
    form = {"state": state, "id_token": _token(nonce)}
    assert client.post("/launch", data=form).status_code == 200
    assert client.post("/launch", data=form).status_code == 401  # replayed


def test_a_launch_without_a_login_or_with_another_state_is_refused(
        client: FlaskClient) -> None:
    assert client.post("/launch", data={"state": "x", "id_token": _token("n")}
                       ).status_code == 401
    _state, nonce = _login(client)
    assert client.post("/launch", data={"state": "forged", "id_token": _token(nonce)}
                       ).status_code == 401
