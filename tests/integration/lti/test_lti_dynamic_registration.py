"""LTI Dynamic Registration against the live sandbox LMS, as Moodle and as Canvas."""

from __future__ import annotations

import socket
import types
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from lti_tool.bootstrap import services
from lti_tool.sandbox import registration as sandbox_registration
from lti_tool.sandbox.state import SandboxError
from lti_tool.store.models.lti import DeploymentRow, PlatformRegistrationRow
from lti_tool.store.models.tenants import TenantRow
from lti_tool.store.repositories.invitations import InvitationRepository
from lti_tool.store.repositories.lti import LtiRepository
from lti_tool.usecases.invitations import create_invitation, token_hash
from lti_tool.usecases.platforms import PlatformInput, approve_platform, register_platform
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_launch_flow import launch
from tests.support.browser import Browser
from tests.support.untranslated import untranslated, visible_text

CLOSE_SCRIPT = "/static/registration-close.js"


def mint_token(live: LiveLti, flavour: str) -> dict[str, str]:
    """A registration token and openid_configuration URL from the sandbox, as the LMS gives."""
    answer = requests.post(f"{live.sandbox_url}/_sandbox/registration_tokens",
                           json={"flavour": flavour}, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()


def invitation_link(live: LiveLti, **options: Any) -> str:
    """A one-time registration link, as `careerpath platform invite` prints it."""
    return create_invitation(services(live.tool).database, live.tool_url, datetime.now(UTC),
                             **options).link


def open_registration(browser: Browser, live: LiveLti, config_url: str,
                      token: str = "", link: str | None = None) -> requests.Response:
    """The LMS opens the tool's registration link in a window or frame."""
    return browser.get(link or invitation_link(live),
                       params={"openid_configuration": config_url, "registration_token": token})


def approve(live: LiveLti, registration_id: int) -> None:
    approve_platform(services(live.tool).database, registration_id)


def stored_rows(live: LiveLti) -> tuple[int, int, int]:
    """How many registrations, deployments and tenants the tool holds."""
    with services(live.tool).database.session() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))  # type: ignore[return-value]
                     for model in (PlatformRegistrationRow, DeploymentRow, TenantRow))


def dynamic_registration(live: LiveLti, client_id: str) -> tuple[Any, list[Any]]:
    """The stored registration for the sandbox issuer and `client_id`, and its deployments."""
    with services(live.tool).database.session() as session:
        repo = LtiRepository(session)
        found = repo.registration(live.platform.registration.issuer, client_id)
        assert found is not None
        return found, repo.deployments(found.id)


def sandbox_registrations(live: LiveLti) -> dict[str, Any]:
    state = live.sandbox.extensions["careerpath_sandbox"].state
    with state.lock:
        return dict(state.registrations)


def new_client_id(live: LiveLti, before: dict[str, Any], flavour: str) -> str:
    added = [c for c in sandbox_registrations(live) if c not in before]
    assert len(added) == 1 and added[0].startswith(flavour)
    return added[0]


@pytest.mark.parametrize("flavour", ["moodle", "canvas"])
def test_dynamic_registration_then_launch(live_lti: LiveLti, browser: Browser,
                                          flavour: str) -> None:
    issued, before = mint_token(live_lti, flavour), sandbox_registrations(live_lti)
    page = open_registration(browser, live_lti, issued["openid_configuration"],
                             issued["registration_token"])
    assert page.status_code == 200, page.text
    assert CLOSE_SCRIPT in page.text and "<script>" not in page.text
    assert "frame-ancestors 'self' " + live_lti.sandbox_url in page.headers[
        "Content-Security-Policy"]
    client_id = new_client_id(live_lti, before, flavour)
    assert client_id in page.text
    registration, deployments = dynamic_registration(live_lti, client_id)
    assert registration.registered_via == "dynamic" and registration.status == "pending"
    assert "Waiting for approval" in page.text
    assert registration.keyset_url == f"{live_lti.sandbox_url}/jwks"
    assert registration.auth_login_url.startswith(live_lti.sandbox_url)
    sent = sandbox_registrations(live_lti)[client_id].configuration
    assert sent["initiate_login_uri"] == f"{live_lti.tool_url}/lti/login"
    assert ("https://canvas.instructure.com/lti/privacy_level" in
            sent["https://purl.imsglobal.org/spec/lti-tool-configuration"]) == (flavour == "canvas")
    if flavour == "moodle":
        assert [d.deployment_id for d in deployments] == sandbox_registrations(
            live_lti)[client_id].deployments
    else:
        assert deployments == []
        deployed = requests.post(
            f"{live_lti.sandbox_url}/_sandbox/registrations/{client_id}/deploy", timeout=10)
        assert deployed.status_code == 201, deployed.text
    learner = live_lti.users("learner")[0]
    approve(live_lti, registration.id)
    launched = launch(Browser(), live_lti, "link-readiness", learner, client_id=client_id)
    assert launched.status_code == 200, launched.text
    assert "Data Analytics Foundations" in launched.text
    _, deployments = dynamic_registration(live_lti, client_id)
    assert [d.deployment_id for d in deployments] == sandbox_registrations(
        live_lti)[client_id].deployments


@pytest.mark.parametrize(("accept", "language", "phrases"), [
    ("de-DE,de;q=0.9,en;q=0.3", "de", ["CareerPath ist bei", "Wartet auf Freigabe",
                                       "Sie können dieses Fenster schließen"]),
    ("es-ES,es;q=0.8", "es", ["CareerPath está registrado en", "Pendiente de aprobación",
                              "Puedes cerrar esta ventana"])])
def test_the_registration_result_follows_the_browser_language(
        live_lti: LiveLti, browser: Browser, accept: str, language: str,
        phrases: list[str]) -> None:
    """No launch yet, so no locale claim: the LMS admin's browser names the language."""
    issued = mint_token(live_lti, "moodle")
    page = browser.get(invitation_link(live_lti), headers={"Accept-Language": accept}, params={
        "openid_configuration": issued["openid_configuration"],
        "registration_token": issued["registration_token"]})
    assert page.status_code == 200, page.text
    assert f'lang="{language}"' in page.text
    assert untranslated(page.text, language) == []
    for phrase in phrases:
        assert phrase in visible_text(page.text), phrase


def test_registration_close_script_posts_the_close_message(live_lti: LiveLti,
                                                           browser: Browser) -> None:
    script = browser.get(f"{live_lti.tool_url}{CLOSE_SCRIPT}")
    assert script.status_code == 200
    assert "org.imsglobal.lti.close" in script.text
    assert "window.opener || window.parent" in script.text and '"*"' in script.text


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _without(field: str):  # noqa: ANN202
    original = sandbox_registration._configuration

    def configuration(platform: Any, flavour: str) -> dict[str, Any]:
        data = original(platform, flavour)
        data.pop(field)
        return data

    return configuration


def _refusing(*_: Any) -> dict[str, Any]:
    raise SandboxError("scope <b>lineitem</b> is not allowed here", 400,
                       "invalid_client_metadata")


@pytest.mark.parametrize(("case", "expected"), [
    ("unreachable", "could not be fetched"),
    ("plain_http", "must use https"),
    ("not_json", "is not JSON"),
    ("no_token", "HTTP 401"),
    ("issuer_mismatch", "does not match the configuration URL"),
    ("no_issuer", "has no issuer"),
    ("no_token_endpoint", "lacks token_endpoint"),
    ("refused", "refused the registration with HTTP 400"),
    ("already_registered", "already registered"),
])
def test_failed_registration_stores_nothing(live_lti: LiveLti, browser: Browser,
                                            monkeypatch: pytest.MonkeyPatch, case: str,
                                            expected: str) -> None:
    issued = mint_token(live_lti, "moodle")
    config_url, token = issued["openid_configuration"], issued["registration_token"]
    sandbox = live_lti.sandbox_url
    if case == "unreachable":
        config_url = f"http://127.0.0.1:{_closed_port()}/register/moodle/openid-configuration"
    elif case == "plain_http":
        config_url = "http://lms.example.com/register/moodle/openid-configuration"
    elif case == "not_json":
        config_url = f"{sandbox}/_sandbox/register?flavour=moodle"
    elif case == "no_token":
        token = ""
    elif case == "issuer_mismatch":
        config_url = config_url.replace("localhost", "127.0.0.1")
    elif case == "no_issuer":
        config_url = f"{live_lti.tool_url}/lti/jwks"
    elif case == "no_token_endpoint":
        monkeypatch.setattr(sandbox_registration, "_configuration", _without("token_endpoint"))
    elif case == "refused":
        monkeypatch.setattr(sandbox_registration, "_validated", _refusing)
    elif case == "already_registered":
        _take_next_client_id(live_lti, monkeypatch)
    before, link = stored_rows(live_lti), invitation_link(live_lti)
    page = open_registration(browser, live_lti, config_url, token, link)
    assert 400 <= page.status_code < 500, page.text
    assert "What failed" in page.text and expected in page.text
    assert "Traceback" not in page.text
    assert stored_rows(live_lti) == before
    assert _link_is_open(live_lti, link)  # a registration that stored nothing gives it back
    if case == "refused":
        # the platform's answer goes to the server log only, never to the page
        assert "lineitem" not in page.text
    if case == "already_registered":
        assert page.status_code == 409


def _take_next_client_id(live: LiveLti, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the sandbox hand out a client_id that the tool already has registered."""
    import secrets

    fixed = types.SimpleNamespace(token_hex=lambda _n: "taken",
                                  token_urlsafe=secrets.token_urlsafe)
    monkeypatch.setattr(sandbox_registration, "secrets", fixed)
    existing = live.platform.registration
    register_platform(services(live.tool).database, PlatformInput(
        issuer=existing.issuer, client_id="moodle-taken", deployment_ids=[],
        auth_login_url=existing.auth_login_url, auth_token_url=existing.auth_token_url,
        keyset_url=existing.keyset_url, registered_via="dynamic"))


def _link_is_open(live: LiveLti, link: str) -> bool:
    token = link.rsplit("/", 1)[1]
    with services(live.tool).database.session() as session:
        found = InvitationRepository(session).by_hash(token_hash(token))
    assert found is not None
    return found.used_at is None


def test_registration_without_configuration_url_is_refused(live_lti: LiveLti,
                                                           browser: Browser) -> None:
    before = stored_rows(live_lti)
    page = browser.get(invitation_link(live_lti))
    assert page.status_code == 400
    assert "no openid_configuration URL" in page.text
    assert stored_rows(live_lti) == before


def test_canvas_config_json_uses_the_request_host(live_lti: LiveLti, browser: Browser) -> None:
    answer = browser.get(f"{live_lti.tool_url}/lti/config.json")
    assert answer.status_code == 200
    data = answer.json()
    assert data["oidc_initiation_url"] == f"{live_lti.tool_url}/lti/login"
    assert data["public_jwk_url"] == f"{live_lti.tool_url}/lti/jwks"
    assert data["extensions"][0]["platform"] == "canvas.instructure.com"
