"""Attacks on secrets: the published development secret key forging sessions and widget
tokens on a real deployment; a guessable admin token; a widget token minted to live for
days (by anyone holding the key, or by a bug)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest

from lti_tool import create_app
from lti_tool.config import Settings
from lti_tool.domain.errors import ConfigurationError
from lti_tool.store import upgrade
from tests.security.world import SECRET, World


def production(tmp_path: Path, **settings: object) -> dict[str, object]:
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    upgrade(url)
    return {"database_url": url, "base_url": "https://careerpath.example.edu", **settings}


def test_the_development_secret_is_refused_in_production(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as refused:
        create_app(production(tmp_path))
    assert "CAREERPATH_SECRET_KEY" in str(refused.value)
    # the same from the environment, as `careerpath serve` and gunicorn read it
    with pytest.raises(ConfigurationError, match="CAREERPATH_SECRET_KEY"):
        Settings.from_env({"CAREERPATH_BASE_URL": "https://tool.example.org"}
                          ).check_safe_to_serve()


def test_the_development_secret_is_allowed_on_loopback_and_in_tests(tmp_path: Path) -> None:
    """Control: the demo (base URL on loopback) and the test suite still start."""
    create_app(production(tmp_path, base_url="http://127.0.0.1:5000"))
    create_app(production(tmp_path, base_url="http://localhost:8000"))
    create_app(production(tmp_path, testing=True))
    create_app(production(tmp_path, secret_key="a-real-secret-" + "x" * 40))


def test_a_short_admin_token_is_refused_outside_testing(tmp_path: Path) -> None:
    strong = {"secret_key": "a-real-secret-" + "x" * 40}
    with pytest.raises(ConfigurationError) as refused:
        create_app(production(tmp_path, admin_token="hunter2-hunter2", **strong))
    assert "CAREERPATH_ADMIN_TOKEN" in str(refused.value)
    assert "32" in str(refused.value)
    with pytest.raises(ConfigurationError, match="CAREERPATH_ADMIN_TOKEN"):
        create_app(production(tmp_path, admin_token="x" * 31, **strong))
    create_app(production(tmp_path, admin_token="x" * 32, **strong))  # control
    create_app(production(tmp_path, **strong))  # no token: sign-in is off


def forged_widget_token(tenant_id: int, person_id: int, iat: int, exp: int) -> str:
    """A widget token signed with the right key (as a holder of the key would make it)."""
    body = base64.urlsafe_b64encode(json.dumps(
        {"t": tenant_id, "p": person_id, "iat": iat, "exp": exp},
        separators=(",", ":")).encode()).rstrip(b"=").decode()
    key = hashlib.sha256(b"careerpath-widget:" + SECRET.encode()).digest()
    signature = base64.urlsafe_b64encode(
        hmac.new(key, body.encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
    return f"cpw.{body}.{signature}"


def read_readiness(world: World, token: str) -> int:
    path = f"/api/v1/people/{world.ids['person_learner_a']}/readiness/{world.ids['role1']}"
    return world.app.test_client().get(
        path, headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_long_lived_widget_token_is_refused_even_when_well_signed(world: World) -> None:
    now = int(time.time())
    tenant, person = world.ids["tenant1"], world.ids["person_learner_a"]
    assert read_readiness(world, forged_widget_token(tenant, person, now, now + 900)) == 200
    for lifetime in (901, 24 * 3600, 365 * 24 * 3600):
        token = forged_widget_token(tenant, person, now, now + lifetime)
        assert read_readiness(world, token) == 401, lifetime
    # a long life hidden by an iat set near exp, in the future
    hidden = forged_widget_token(tenant, person, now + 30 * 24 * 3600, now + 30 * 24 * 3600 + 60)
    assert read_readiness(world, hidden) == 401
    # and one with no iat at all
    body = base64.urlsafe_b64encode(json.dumps(
        {"t": tenant, "p": person, "exp": now + 600}).encode()).rstrip(b"=").decode()
    key = hashlib.sha256(b"careerpath-widget:" + SECRET.encode()).digest()
    sig = base64.urlsafe_b64encode(hmac.new(key, body.encode(), hashlib.sha256).digest())
    assert read_readiness(world, f"cpw.{body}.{sig.rstrip(b'=').decode()}") == 401
