"""Fixtures for the sandbox LMS tests: the app and a tool key pair served as JWKS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import responses
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from tool_side import TOOL_JWKS_URL, TOOL_KID

from lti_tool.sandbox import SandboxSettings, create_sandbox_app


@pytest.fixture(scope="session")
def tool_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def tool_jwks(tool_key: rsa.RSAPrivateKey) -> dict[str, Any]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(tool_key.public_key()))
    return {"keys": [{**jwk, "kid": TOOL_KID, "alg": "RS256", "use": "sig"}]}


@pytest.fixture
def http(tool_jwks: dict[str, Any]) -> Iterator[responses.RequestsMock]:
    """Serve the tool's JWKS over mocked HTTP."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(TOOL_JWKS_URL, json=tool_jwks)
        yield mock


@pytest.fixture
def app(http: responses.RequestsMock) -> Flask:
    return create_sandbox_app(SandboxSettings())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
