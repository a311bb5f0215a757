"""The tool's side of the conversation with the sandbox LMS: signing, forms, paging."""

from __future__ import annotations

import html
import re
import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient

from lti_tool.lms.paging import parse_links

TOOL_JWKS_URL = "http://127.0.0.1:5000/lti/jwks"
TOKEN_URL = "http://localhost:5001/token"
ISSUER = "http://localhost:5001"
CLIENT_ID = "careerpath-sandbox"
TOOL_KID = "tool-key-1"
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
ALL_SCOPES = f"{AGS}/lineitem {AGS}/lineitem.readonly {AGS}/result.readonly {AGS}/score {NRPS}"


def tool_jwt(key: rsa.RSAPrivateKey, claims: dict[str, Any], kid: str = TOOL_KID) -> str:
    """Sign claims as the tool."""
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def assertion(key: rsa.RSAPrivateKey, kid: str = TOOL_KID, **overrides: Any) -> str:
    """A client assertion for the token endpoint, with overridable claims."""
    now = int(time.time())
    claims = {
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": TOKEN_URL,
        "iat": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
    }
    claims.update(overrides)
    return tool_jwt(key, {k: v for k, v in claims.items() if v is not None}, kid)


def token_form(key: rsa.RSAPrivateKey, scope: str = ALL_SCOPES, **overrides: Any) -> dict[str, str]:
    """The form a tool posts to /token."""
    return {
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion(key, **overrides),
        "scope": scope,
    }


def bearer(client: FlaskClient, key: rsa.RSAPrivateKey, scope: str = ALL_SCOPES) -> dict[str, str]:
    """Authorization headers with a fresh access token."""
    response = client.post("/token", data=token_form(key, scope))
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def form_fields(page: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of an auto-submitting form."""
    action = html.unescape(re.search(r'<form[^>]*action="([^"]*)"', page).group(1))
    fields = {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page)
    }
    return action, fields


def path_of(url: str) -> str:
    """The path and query of an absolute sandbox URL (for the test client)."""
    return url.split("http://localhost:5001", 1)[1]


def next_link(header: str | None, rel: str = "next") -> str | None:
    """The URL of `rel` in a Link header, as the tool's parser reads it (lms.paging)."""
    return next((url for url, rels in parse_links(header or "") if rel in rels), None)
