"""No secret that occurred during a full run ever reaches a log record, stdout or stderr.

The run: platform registration, key generation and rotation, valid and refused launches
through the sandbox, a course sync (client assertions, access tokens), API calls with an API
key and a widget token, admin token sign-in. Every secret is collected as it occurs (the
outgoing HTTP of the tool is recorded to catch client assertions and access tokens), then
searched in every captured log record (DEBUG, every logger, werkzeug included) and in the
captured stdout/stderr. One exception: the OIDC authentication request to the LMS
(`/auth?...&state=...&nonce=...`) carries state and nonce in its URL by protocol, so the LMS's
access log (the sandbox's werkzeug lines, the test browser's urllib3 lines) shows them.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.store.models.lti import ToolKeyRow
from lti_tool.usecases.api_keys import create_tenant_key
from lti_tool.usecases.platforms import PlatformInput, register_platform
from lti_tool.usecases.sync.course import sync_course
from lti_tool.usecases.sync.jobs import sync_ports
from lti_tool.usecases.tool_keys import ensure_signing_key, rotate_keys
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_certification_cases import claims, login, post_launch, signed
from tests.security.world import ADMIN_TOKEN, CSRF, SECRET
from tests.support.browser import Browser, parse

MIN_SECRET = 12  # shorter values (ids, small numbers) would match by chance


class Secrets:
    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def add(self, what: str, value: str | None) -> None:
        if value and len(value) >= MIN_SECRET:
            self.found.setdefault(value, what)

    def jwt(self, what: str, token: str) -> None:
        self.add(what, token)
        if token.count(".") == 2:
            self.add(f"{what} signature", token.rsplit(".", 1)[1])


@pytest.fixture
def outgoing(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """Every HTTP request the process makes through requests, with its response."""
    seen: list[tuple[Any, Any]] = []
    original = HTTPAdapter.send

    def send(self: HTTPAdapter, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = original(self, request, *args, **kwargs)
        seen.append((request, response))
        return response

    monkeypatch.setattr(HTTPAdapter, "send", send)
    return seen


def _sqlalchemy_row_echo(record: logging.LogRecord) -> bool:
    """SQLAlchemy's opt-in row echo (`echo="debug"`): result rows at DEBUG, which the product
    never enables and must stay off in production. Statement parameters (INFO) are checked:
    the engine is created with hide_parameters=True."""
    return (record.name.startswith("sqlalchemy.engine") and record.levelno == logging.DEBUG
            and record.getMessage().startswith(("Row ", "Col ")))


def test_no_secret_in_logs_or_output(live: LiveLti, caplog: pytest.LogCaptureFixture,
                                     capfd: pytest.CaptureFixture[str],
                                     outgoing: list[tuple[Any, Any]]) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("werkzeug", "lti_tool", "sqlalchemy", "urllib3", "flask.app"):
        caplog.set_level(logging.DEBUG, logger=name)
    secrets = Secrets()
    secrets.add("CAREERPATH_SECRET_KEY", SECRET)
    secrets.add("admin token", ADMIN_TOKEN)
    svc = services(live.tool)
    now = datetime.now(UTC)

    register_platform(svc.database, PlatformInput(
        issuer="https://logs-lms.example", client_id="logs-client", deployment_ids=["d"],
        auth_login_url="https://logs-lms.example/a", auth_token_url="https://logs-lms.example/t",
        keyset_url="https://logs-lms.example/k", name="Logs LMS"))
    ensure_signing_key(svc.database, SECRET, now)
    rotate_keys(svc.database, SECRET, now + timedelta(seconds=1))
    with svc.database.session() as session:
        for row in session.scalars(select(ToolKeyRow)):
            secrets.add("encrypted private key", row.private_key_encrypted)
            for chunk in re.findall(r"[A-Za-z0-9+/=]{40,}", row.private_key_encrypted):
                secrets.add("encrypted private key fragment", chunk[:40])
    from lti_tool.usecases.tool_keys import signing_key

    pem = signing_key(svc.database, SECRET, now + timedelta(seconds=2))
    for line in pem.private_pem.decode().splitlines():
        if "PRIVATE KEY" not in line:
            secrets.add("private key PEM line", line)

    # a valid launch through the sandbox (instructor, so the course can be synced)
    browser = Browser()
    instructor = live.users("instructor")[0]
    frame = browser.get(live.launch_url("link-mapping", instructor))
    auth_page = browser.submit(browser.frame(frame))
    fields = parse(auth_page.text).forms[0].fields
    secrets.jwt("id_token", fields.get("id_token", ""))
    secrets.add("state", fields.get("state"))
    page = browser.submit(auth_page)
    assert page.status_code == 200, page.text[:300]
    for cookie in browser.session.cookies:
        secrets.add(f"cookie {cookie.name}", cookie.value)
    for match in re.findall(r"launch=([A-Za-z0-9_-]{16,})", page.text):
        secrets.add("launch session id", match)
    # the same id_token replayed, and a crafted one refused
    assert browser.submit(auth_page).status_code == 401
    state, nonce = login(live, browser)
    secrets.add("state", state)
    secrets.add("nonce", nonce)
    bad = signed(live, claims(live, nonce, exp=1, iat=0))
    secrets.jwt("refused id_token", bad)
    assert post_launch(live, browser, state, bad).status_code == 401

    # a course sync against the sandbox: client assertions and access tokens
    from lti_tool.store.models import CourseRow

    with svc.database.session() as session:
        course_id = session.scalars(select(CourseRow.id)).first()
    assert course_id is not None
    sync_course(sync_ports(svc), course_id)

    # API key and widget token
    key = create_tenant_key(svc.database, live.platform.registration.tenant_id,
                            ["read", "write", "admin"], "logs").token
    secrets.add("API key", key)
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {key}"
    people = api.get(f"{live.tool_url}/api/v1/people", timeout=10).json()
    minted = api.post(f"{live.tool_url}/api/v1/widget-tokens",
                      json={"person_id": people[0]["id"]}, timeout=10)
    assert minted.status_code == 201, minted.text
    widget = minted.json()["token"]
    secrets.jwt("widget token", widget)
    assert requests.get(f"{live.tool_url}/api/v1/people/{people[0]['id']}/goals", timeout=10,
                        headers={"Authorization": f"Bearer {widget}"}).status_code == 200
    assert requests.get(f"{live.tool_url}/api/v1/people", timeout=10, headers={
        "Authorization": f"Bearer {key}x"}).status_code == 401

    # admin token sign-in (a wrong token first)
    admin = Browser()
    form = admin.get(f"{live.tool_url}/admin/login")
    csrf = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    admin.session.post(f"{live.tool_url}/admin/login", timeout=10,
                       data={"csrf": csrf, "token": ADMIN_TOKEN + "-wrong"})
    form = admin.get(f"{live.tool_url}/admin/login")
    csrf = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    signed_in = admin.session.post(f"{live.tool_url}/admin/login", timeout=10,
                                   data={"csrf": csrf, "token": ADMIN_TOKEN})
    assert signed_in.status_code == 200, signed_in.status_code
    for cookie in admin.session.cookies:
        secrets.add(f"cookie {cookie.name}", cookie.value)

    # what went over the wire from the tool: client assertions and access tokens
    for request, response in outgoing:
        body = request.body.decode() if isinstance(request.body, bytes) else request.body or ""
        for assertion in parse_qs(body).get("client_assertion", []):
            secrets.jwt("client assertion", assertion)
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            secrets.add("bearer sent", auth[7:])
        if "access_token" in (response.text or ""):
            secrets.add("access token", response.json().get("access_token"))
    kinds = set(secrets.found.values())
    for needed in ("client assertion", "access token", "id_token", "API key", "widget token"):
        assert needed in kinds, f"the run produced no {needed}: the check would be vacuous"

    captured = capfd.readouterr()
    texts = [(f"log {r.name}", r.getMessage() + " " + str(r.exc_text or "")) for r in
             caplog.records if not _sqlalchemy_row_echo(r)]
    texts += [("stdout", captured.out), ("stderr", captured.err)]
    leaks = sorted({f"{what} in {where}: {text[max(text.find(value) - 60, 0):][:140]!r}"
                    for where, text in texts
                    for value, what in secrets.found.items() if value in text
                    and not (what in {"state", "nonce"} and "/auth?" in text)})
    assert not leaks, "\n".join(leaks)
