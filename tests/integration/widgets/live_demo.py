"""The tool and the sandbox LMS live on loopback, the platform joined to the demo tenant."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.sandbox import SandboxSettings, create_sandbox_app
from lti_tool.usecases.demo_seed import DEMO_SLUG, seed_demo
from lti_tool.usecases.platforms import PlatformInput, register_platform
from tests.integration.conftest import LiveLti
from tests.integration.widgets.scenario import Scenario, seed_role_peers, seed_scenario
from tests.support.servers import LiveServer


@dataclass
class LiveDemo:
    live: LiveLti
    scenario: Scenario
    learner: str


@contextmanager
def running_demo(tool_app: Flask, peers: int = 5) -> Iterator[LiveDemo]:
    """Seed the catalogue, register the sandbox in tenant "northwind", give a learner evidence."""
    tool_server, lms_server = LiveServer("127.0.0.1"), LiveServer("127.0.0.1")
    tool_url, lms_url = tool_server.url(), lms_server.url("localhost")
    sandbox = create_sandbox_app(SandboxSettings(
        base_url=lms_url, tool_login_url=f"{tool_url}/lti/login",
        tool_launch_url=f"{tool_url}/lti/launch", tool_jwks_url=f"{tool_url}/lti/jwks",
        tool_deep_link_url=f"{tool_url}/lti/launch"))
    settings = sandbox.extensions["careerpath_sandbox"].settings
    database = services(tool_app).database
    with database.session() as session:
        seed_demo(session)
    platform = register_platform(database, PlatformInput(
        issuer=settings.issuer, client_id=settings.client_id,
        deployment_ids=[settings.deployment_id], auth_login_url=settings.auth_url,
        auth_token_url=settings.token_url, keyset_url=f"{settings.issuer}/jwks",
        name="Sandbox LMS", tenant_slug=DEMO_SLUG))
    live = LiveLti(tool_app, sandbox, tool_url, lms_url, platform)
    learner = live.users("learner")[0]
    scenario = seed_scenario(database, learner, registration_id=platform.registration.id)
    seed_role_peers(database, scenario, "Senior Data Analyst", peers)
    tool_server.start(tool_app)
    lms_server.start(sandbox)
    try:
        yield LiveDemo(live, scenario, learner)
    finally:
        tool_server.stop()
        lms_server.stop()
