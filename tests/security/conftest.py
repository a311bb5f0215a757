"""The security suite's shared world (built once per module) and the live LTI fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lti_tool.bootstrap import services
from lti_tool.sandbox import SandboxSettings, create_sandbox_app
from lti_tool.usecases.platforms import PlatformInput, register_platform
from tests.integration.conftest import LiveLti
from tests.security.world import World, build_world, make_app
from tests.support.servers import LiveServer


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path: Path = tmp_path_factory.mktemp("security-world")
    found = build_world(path)
    yield found
    services(found.app).database.dispose()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveLti]:
    """The tool on 127.0.0.1 and the sandbox LMS on localhost, once per module (as
    tests/integration/conftest.py `live_lti`, which is per test)."""
    tool = make_app(tmp_path_factory.mktemp("security-live"))
    tool_server, lms_server = LiveServer("127.0.0.1"), LiveServer("127.0.0.1")
    tool_url, lms_url = tool_server.url(), lms_server.url("localhost")
    sandbox = create_sandbox_app(SandboxSettings(
        base_url=lms_url, tool_login_url=f"{tool_url}/lti/login",
        tool_launch_url=f"{tool_url}/lti/launch", tool_jwks_url=f"{tool_url}/lti/jwks",
        tool_deep_link_url=f"{tool_url}/lti/launch"))
    settings = sandbox.extensions["careerpath_sandbox"].settings
    platform = register_platform(services(tool).database, PlatformInput(
        issuer=settings.issuer, client_id=settings.client_id,
        deployment_ids=[settings.deployment_id], auth_login_url=settings.auth_url,
        auth_token_url=settings.token_url, keyset_url=f"{settings.issuer}/jwks",
        name="Sandbox LMS"))
    tool_server.start(tool)
    lms_server.start(sandbox)
    try:
        yield LiveLti(tool, sandbox, tool_url, lms_url, platform)
    finally:
        tool_server.stop()
        lms_server.stop()
        services(tool).database.dispose()
