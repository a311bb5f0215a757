"""Super-admin sign-in with CAREERPATH_ADMIN_TOKEN: disabled, wrong, right, lockout, sign-out."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.integration.admin.conftest import ADMIN_TOKEN, Tenant, csrf_of, make_app, sign_in


def test_without_a_configured_token_sign_in_is_disabled(tmp_path: Path) -> None:
    client = make_app(tmp_path).test_client()
    page = client.get("/admin/login")
    assert page.status_code == 200
    assert "Admin sign-in is disabled" in page.text
    refused = client.post("/admin/login", data={"csrf": "x", "token": ""})
    assert refused.status_code == 403
    assert client.get("/admin/").headers["Location"].endswith("/admin/login")


def test_pages_send_a_stranger_to_the_sign_in_form(client: FlaskClient) -> None:
    for path in ("/admin/", "/admin/keys", "/admin/frameworks?tenant=1"):
        answer = client.get(path)
        assert answer.status_code == 303
        assert answer.headers["Location"].endswith("/admin/login")


def test_a_wrong_token_is_refused_without_a_session(client: FlaskClient,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    answer = sign_in(client, "not-the-token")
    assert answer.status_code == 401
    assert "That admin token is not right." in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert "careerpath_admin=" not in answer.headers.get("Set-Cookie", "")
    assert client.get("/admin/").status_code == 303
    assert "not-the-token" not in caplog.text


def test_the_right_token_opens_an_8_hour_strict_cookie_session(
        client: FlaskClient, alpha: Tenant, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    answer = sign_in(client)
    assert answer.status_code == 303
    cookie = next(c for c in answer.headers.getlist("Set-Cookie")
                  if c.startswith("careerpath_admin="))
    for attribute in ("Secure", "HttpOnly", "SameSite=Strict", "Max-Age=28800", "Path=/admin"):
        assert attribute in cookie
    assert ADMIN_TOKEN not in cookie
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "super-admin" in dashboard.text and "Organisation to manage" in dashboard.text
    assert ADMIN_TOKEN not in caplog.text


def test_sign_in_needs_the_forms_own_token(client: FlaskClient) -> None:
    client.get("/admin/login")
    forged = client.post("/admin/login", data={"csrf": "forged", "token": ADMIN_TOKEN})
    assert forged.status_code == 403
    assert client.get("/admin/").status_code == 303


def test_ten_failures_a_minute_lock_the_address_out(client: FlaskClient) -> None:
    for _ in range(10):
        assert sign_in(client, "guess").status_code == 401
    locked = sign_in(client)
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == "60"
    assert "Too many failed sign-ins" in locked.text
    assert client.get("/admin/").status_code == 303, "even the right token waits"


def test_signing_out_ends_the_session_everywhere(super_admin: FlaskClient) -> None:
    cookie = super_admin.get_cookie("careerpath_admin", path="/admin")
    assert cookie is not None
    page = super_admin.get("/admin/")
    answer = super_admin.post("/admin/logout", data={"csrf": csrf_of(page.text)})
    assert answer.status_code == 303
    assert super_admin.get("/admin/").status_code == 303
    super_admin.set_cookie("careerpath_admin", cookie.value, path="/admin")
    assert super_admin.get("/admin/").status_code == 303, "the old cookie is dead"


def test_a_tampered_cookie_is_no_session(client: FlaskClient) -> None:
    client.set_cookie("careerpath_admin", "InN0b2xlbiI.forged", path="/admin")
    assert client.get("/admin/").status_code == 303
