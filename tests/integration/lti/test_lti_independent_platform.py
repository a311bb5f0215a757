"""One launch from an independent LTI 1.3 platform implementation (`lti1p3platform`), to
keep the tool honest about the specification rather than about our own sandbox LMS.
The platform is on `localhost`, the tool on `127.0.0.1`: the launch is cross-site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.usecases.platforms import PlatformInput, register_platform
from tests.integration.lti.independent_platform import (
    PlatformSettings,
    User,
    create_platform_app,
)
from tests.support.browser import Browser
from tests.support.servers import LiveServer

LEARNER = User("indep-learner-1", "Ada Independent", "ada@example.org")


@dataclass
class IndependentLaunch:
    platform_url: str
    tool_url: str


@pytest.fixture
def independent(tool_app: Flask) -> Iterator[IndependentLaunch]:
    tool_server, platform_server = LiveServer("127.0.0.1"), LiveServer("127.0.0.1")
    tool_url, platform_url = tool_server.url(), platform_server.url("localhost")
    settings = PlatformSettings(
        issuer=platform_url, client_id="indep-client-1", deployment_id="indep-deployment-1",
        tool_login_url=f"{tool_url}/lti/login", tool_launch_url=f"{tool_url}/lti/launch",
        tool_jwks_url=f"{tool_url}/lti/jwks", users={LEARNER.user_id: LEARNER})
    register_platform(services(tool_app).database, PlatformInput(
        issuer=settings.issuer, client_id=settings.client_id,
        deployment_ids=[settings.deployment_id], auth_login_url=f"{platform_url}/authorize",
        auth_token_url=f"{platform_url}/token", keyset_url=f"{platform_url}/jwks",
        name="lti1p3platform"))
    tool_server.start(tool_app)
    platform_server.start(create_platform_app(settings))
    try:
        yield IndependentLaunch(platform_url, tool_url)
    finally:
        tool_server.stop()
        platform_server.stop()


def test_learner_launch_from_lti1p3platform(independent: IndependentLaunch) -> None:
    browser = Browser()
    # platform login initiation → tool /lti/login → platform /authorize → id_token form
    auth_page = browser.get(
        f"{independent.platform_url}/launch/indep-link-1?user={LEARNER.user_id}")
    assert auth_page.status_code == 200, auth_page.text[:500]
    assert auth_page.url.startswith(f"{independent.platform_url}/authorize?")
    assert 'name="id_token"' in auth_page.text

    page = browser.submit(auth_page)  # the form posts id_token + state to /lti/launch
    assert page.status_code == 200, page.text[:2000]
    assert page.url == f"{independent.tool_url}/lti/launch"
    assert f"Welcome, {LEARNER.name}" in page.text
    assert "Independent Platform Course" in page.text
    assert "Learner" in page.text

    replay = browser.submit(auth_page)
    assert replay.status_code == 401, replay.text[:2000]
    assert "expired or already used" in replay.text
    assert "Traceback" not in replay.text
