"""Attacks on Dynamic Registration: it is by invitation only, never joins a tenant by slug,
takes the shared Canvas issuer only from listed hosts, and launches wait for approval.

Everything runs on loopback: the tool on 127.0.0.1, the sandbox LMS on localhost, and a
listener on 127.0.0.1 that counts the requests the tool makes (a refusal is no request).
"""

from __future__ import annotations

import secrets
import threading
import types
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from flask import Flask, jsonify
from sqlalchemy import func, select

from lti_tool.bootstrap import services
from lti_tool.records import PlatformRegistration
from lti_tool.sandbox import registration as sandbox_registration
from lti_tool.store.models import (
    DeploymentRow,
    PersonRow,
    PlatformRegistrationRow,
    RegistrationInvitationRow,
    TenantRow,
)
from lti_tool.store.repositories.lti import LtiRepository
from lti_tool.store.repositories.tenants import TenantRepository
from lti_tool.usecases.invitations import create_invitation
from lti_tool.usecases.platforms import PlatformInput, approve_platform, register_platform
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_launch_flow import launch
from tests.support.browser import Browser
from tests.support.servers import LiveServer

ASK = "Ask the CareerPath operator for a new registration link"


class Listener:
    """An HTTP server on 127.0.0.1 that answers every request with `{}` and counts them."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self._lock = threading.Lock()
        app = Flask("listener")

        @app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
        @app.route("/<path:path>", methods=["GET", "POST"])
        def anything(path: str) -> Any:
            with self._lock:
                self.hits.append(path)
            return jsonify({})

        self.server = LiveServer("127.0.0.1").start(app)

    @property
    def config_url(self) -> str:
        return f"{self.server.url()}/register/openid-configuration"


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    try:
        yield found
    finally:
        found.server.stop()


def link(live: LiveLti, now: datetime | None = None, **options: Any) -> str:
    return create_invitation(services(live.tool).database, live.tool_url,
                             now or datetime.now(UTC), **options).link


def counts(live: LiveLti) -> dict[str, int]:
    with services(live.tool).database.session() as session:
        return {model.__tablename__: int(session.scalar(select(func.count()).select_from(model))
                                         or 0)
                for model in (PlatformRegistrationRow, DeploymentRow, TenantRow, PersonRow)}


def mint(live: LiveLti, flavour: str) -> dict[str, str]:
    answer = requests.post(f"{live.sandbox_url}/_sandbox/registration_tokens",
                           json={"flavour": flavour}, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()


def sandbox_clients(live: LiveLti) -> set[str]:
    state = live.sandbox.extensions["careerpath_sandbox"].state
    with state.lock:
        return set(state.registrations)


def register(live: LiveLti, flavour: str, registration_link: str) -> requests.Response:
    """The sandbox LMS opens the registration link with its configuration URL and token."""
    issued = mint(live, flavour)
    return Browser().get(registration_link, params=issued)


def registered(live: LiveLti, before: set[str]) -> PlatformRegistration:
    """The tool's registration for the one client id the sandbox handed out since `before`."""
    added = sandbox_clients(live) - before
    assert len(added) == 1, added
    with services(live.tool).database.session() as session:
        found = LtiRepository(session).registration(live.platform.registration.issuer,
                                                    added.pop())
    assert found is not None
    return found


def deployment_ids(live: LiveLti, registration_id: int) -> list[tuple[str, bool]]:
    with services(live.tool).database.session() as session:
        return [(d.deployment_id, d.enabled)
                for d in LtiRepository(session).deployments(registration_id)]


# -- registration without a valid link ------------------------------------------------------

@pytest.mark.parametrize("case", ["missing", "unknown", "used", "expired"])
def test_registration_without_a_valid_link_is_refused_before_any_request(
        live: LiveLti, listener: Listener, case: str) -> None:
    expected = {"missing": "carries no registration link", "unknown": "is not known",
                "used": "has already been used", "expired": "expired on"}[case]
    if case == "missing":
        url = f"{live.tool_url}/lti/register"
    elif case == "unknown":
        url = f"{live.tool_url}/lti/register/{secrets.token_urlsafe(32)}"
    elif case == "used":
        url = link(live)
        first = register(live, "moodle", url)
        assert first.status_code == 200, first.text  # the link worked, once
    else:
        url = link(live, now=datetime.now(UTC) - timedelta(days=8), lifetime=timedelta(days=7))
    before = counts(live)
    page = Browser().get(url, params={"openid_configuration": listener.config_url,
                                      "registration_token": "anything"})
    assert page.status_code == 403, page.text
    assert "What failed" in page.text and expected in page.text and ASK in page.text
    assert listener.hits == []  # no outbound request at all
    assert counts(live) == before


def test_a_valid_link_does_reach_the_configuration_url(live: LiveLti,
                                                       listener: Listener) -> None:
    """The control for the test above: with a valid link the listener sees the fetch."""
    page = Browser().get(link(live), params={"openid_configuration": listener.config_url,
                                             "registration_token": "t"})
    assert page.status_code == 400 and "has no issuer" in page.text
    assert listener.hits == ["register/openid-configuration"]


def test_only_the_hash_of_a_link_is_stored(live: LiveLti) -> None:
    url = link(live)
    token = url.rsplit("/", 1)[1]
    with services(live.tool).database.session() as session:
        stored = [(row.token_hash, row.deployment_ids, row.created_by)
                  for row in session.scalars(select(RegistrationInvitationRow))]
    assert stored and all(token not in " ".join(values) for values in stored)


def test_a_link_registers_one_platform_only(live: LiveLti) -> None:
    url, before = link(live), sandbox_clients(live)
    pages = [register(live, "moodle", url) for _ in range(2)]
    assert [p.status_code for p in pages] == [200, 403]
    registered(live, before)


# -- a registration never joins an existing tenant by slug -----------------------------------

@pytest.mark.parametrize("suffix", ["victim.", "VICTIM", "victim_", "victim/"])
def test_slug_collision_lands_in_a_new_tenant(live: LiveLti, monkeypatch: pytest.MonkeyPatch,
                                              suffix: str) -> None:
    """The attacker's platform name and client id give the victim's tenant slug."""
    database = services(live.tool).database
    name = f"Moodle ({live.platform.registration.issuer.split('://')[1].split(':')[0]})"
    victim_client = f"moodle-victim-{secrets.token_hex(3)}"
    victim = register_platform(database, PlatformInput(
        issuer="https://victim.lms.example", client_id=victim_client, deployment_ids=["v"],
        auth_login_url="https://victim.lms.example/auth",
        auth_token_url="https://victim.lms.example/token",
        keyset_url="https://victim.lms.example/jwks", name=name))
    with database.session() as session:
        victim_slug = TenantRepository(session).get(victim.registration.tenant_id).slug
    assert victim_slug == f"moodle-localhost-{victim_client}"
    attacker_suffix = victim_client.removeprefix("moodle-").replace("victim", suffix)
    fixed = types.SimpleNamespace(token_hex=lambda _n: attacker_suffix,
                                  token_urlsafe=secrets.token_urlsafe)
    monkeypatch.setattr(sandbox_registration, "secrets", fixed)
    before = sandbox_clients(live)
    page = register(live, "moodle", link(live))
    assert page.status_code == 200, page.text
    attacker = registered(live, before)
    assert attacker.client_id == f"moodle-{attacker_suffix}"
    assert attacker.tenant_id != victim.registration.tenant_id
    with database.session() as session:
        tenants = TenantRepository(session)
        assert tenants.get(attacker.tenant_id).slug.startswith(victim_slug + "-")
        assert [r.id for r in LtiRepository(session).registrations(
            victim.registration.tenant_id)] == [victim.registration.id]


def test_manual_registration_without_tenant_never_joins_a_colliding_one(live: LiveLti) -> None:
    database = services(live.tool).database
    made = [register_platform(database, PlatformInput(
        issuer=f"https://school-{n}.example", client_id=client, deployment_ids=["d"],
        auth_login_url="https://school.example/auth",
        auth_token_url="https://school.example/token",
        keyset_url="https://school.example/jwks", name="School"))
        for n, client in enumerate(["777", "777.", "777-"])]
    assert len({m.registration.tenant_id for m in made}) == 3
    with database.session() as session:
        slugs = [TenantRepository(session).get(m.registration.tenant_id).slug for m in made]
    assert slugs == ["school-777", "school-777-2", "school-777-3"]


def test_a_link_of_a_tenant_joins_that_tenant_only(live: LiveLti) -> None:
    database = services(live.tool).database
    with database.session() as session:
        target = TenantRepository(session).create(f"target-{secrets.token_hex(3)}", "Target")
    assert target is not None
    before = sandbox_clients(live)
    page = register(live, "moodle", link(live, tenant_slug=target.slug))
    assert page.status_code == 200, page.text
    assert registered(live, before).tenant_id == target.id


# -- the shared Canvas issuer -----------------------------------------------------------------

def _canvas_cloud(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sandbox (on localhost) claims the shared Canvas cloud issuer."""
    original = sandbox_registration._configuration

    def configuration(platform: Any, flavour: str) -> dict[str, Any]:
        return {**original(platform, flavour), "issuer": "https://canvas.instructure.com"}

    monkeypatch.setattr(sandbox_registration, "_configuration", configuration)


@pytest.mark.parametrize(("hosts", "allowed"), [("", False), ("canvas.school.example", False),
                                                ("*.localhost", False), ("localhost", True)])
def test_canvas_issuer_only_from_a_listed_configuration_host(
        live: LiveLti, monkeypatch: pytest.MonkeyPatch, hosts: str, allowed: bool) -> None:
    _canvas_cloud(monkeypatch)
    svc = services(live.tool)
    monkeypatch.setattr(svc, "settings", replace(svc.settings, canvas_config_hosts=hosts))
    before, rows = sandbox_clients(live), counts(live)
    page = register(live, "canvas", link(live))
    if allowed:
        assert page.status_code == 200, page.text
        added = sandbox_clients(live) - before
        with svc.database.session() as session:
            found = LtiRepository(session).registration("https://canvas.instructure.com",
                                                        added.pop())
        assert found is not None and found.status == "pending"
        return
    assert page.status_code == 403, page.text
    assert "shared Canvas issuer" in page.text and "CAREERPATH_CANVAS_CONFIG_HOSTS" in page.text
    assert sandbox_clients(live) == before  # the registration was never posted
    assert counts(live) == rows


# -- launches wait for approval; deployments as announced or as listed -----------------------

def test_launch_on_a_pending_registration_is_refused(live: LiveLti) -> None:
    before = sandbox_clients(live)
    assert register(live, "moodle", link(live)).status_code == 200
    pending = registered(live, before)
    learner, rows = live.users("learner")[0], counts(live)
    page = _login_refused(live, learner, pending.client_id)
    assert page.status_code == 403
    assert "waiting for an administrator" in page.text and "Approve" in page.text
    assert counts(live) == rows  # no person, course or deployment recorded
    approve_platform(services(live.tool).database, pending.id)
    accepted = launch(Browser(), live, "link-readiness", learner, client_id=pending.client_id)
    assert accepted.status_code == 200, accepted.text


def _login_refused(live: LiveLti, learner: str, client_id: str) -> requests.Response:
    browser = Browser()
    frame = browser.get(live.launch_url("link-readiness", learner, client_id=client_id))
    return browser.submit(browser.frame(frame))


def test_launch_refused_when_approval_is_withdrawn_after_the_login(live: LiveLti) -> None:
    """The launch itself checks the status, not only the login (another process may have
    answered the login from a copy of the registration)."""
    before = sandbox_clients(live)
    assert register(live, "moodle", link(live)).status_code == 200
    found = registered(live, before)
    database = services(live.tool).database
    approve_platform(database, found.id)
    browser, learner = Browser(), live.users("learner")[0]
    frame = browser.get(live.launch_url("link-readiness", learner, client_id=found.client_id))
    auth_page = browser.submit(browser.frame(frame))
    assert auth_page.status_code == 200, auth_page.text[:300]
    with database.session() as session:
        LtiRepository(session).set_registration_status(found.id, "pending")
    page = browser.submit(auth_page)
    assert page.status_code == 403 and "waiting for an administrator" in page.text


def test_deployment_not_listed_at_invitation_is_refused(live: LiveLti) -> None:
    before = sandbox_clients(live)
    page = register(live, "canvas", link(live, deployment_ids=["dep-listed"]))
    assert page.status_code == 200, page.text
    found = registered(live, before)
    assert found.deployment_policy == "listed"
    approve_platform(services(live.tool).database, found.id)
    deployed = requests.post(
        f"{live.sandbox_url}/_sandbox/registrations/{found.client_id}/deploy", timeout=10)
    assert deployed.status_code == 201
    learner = live.users("learner")[0]
    refused = launch(Browser(), live, "link-readiness", learner, client_id=found.client_id)
    assert refused.status_code == 403, refused.text
    assert "is not registered for this platform" in refused.text
    assert deployment_ids(live, found.id) == [("dep-listed", True)]
    # the deployment the invitation listed is accepted once the LMS uses it
    state = live.sandbox.extensions["careerpath_sandbox"].state
    with state.lock:
        state.registrations[found.client_id].deployments.append("dep-listed")
    accepted = launch(Browser(), live, "link-readiness", learner, client_id=found.client_id)
    assert accepted.status_code == 200, accepted.text


def test_moodle_deployment_not_listed_at_invitation_is_recorded_disabled(live: LiveLti) -> None:
    before = sandbox_clients(live)
    assert register(live, "moodle", link(live, deployment_ids=["dep-listed"])).status_code == 200
    found = registered(live, before)
    answered = live.sandbox.extensions["careerpath_sandbox"].state.registrations[
        found.client_id].deployments[0]
    assert sorted(deployment_ids(live, found.id)) == sorted([("dep-listed", True),
                                                             (answered, False)])
    approve_platform(services(live.tool).database, found.id)
    learner = live.users("learner")[0]
    refused = launch(Browser(), live, "link-readiness", learner, client_id=found.client_id)
    assert refused.status_code == 403 and "is disabled" in refused.text


def test_announced_deployment_is_recorded_only_after_approval(live: LiveLti) -> None:
    before = sandbox_clients(live)
    assert register(live, "canvas", link(live)).status_code == 200
    found = registered(live, before)
    assert found.deployment_policy == "announced"
    requests.post(f"{live.sandbox_url}/_sandbox/registrations/{found.client_id}/deploy",
                  timeout=10)
    learner = live.users("learner")[0]
    assert _login_refused(live, learner, found.client_id).status_code == 403
    assert deployment_ids(live, found.id) == []
    approve_platform(services(live.tool).database, found.id)
    page = launch(Browser(), live, "link-readiness", learner, client_id=found.client_id)
    assert page.status_code == 200, page.text
    assert [d for d, _ in deployment_ids(live, found.id)] == \
        live.sandbox.extensions["careerpath_sandbox"].state.registrations[
            found.client_id].deployments
