"""Live tool and sandbox LMS on loopback: the LMS on `localhost`, the tool on `127.0.0.1`,
so every launch is cross-site as in a real LMS iframe."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.sandbox import SandboxSettings, create_sandbox_app
from lti_tool.usecases.platforms import PlatformInput, RegisteredPlatform, register_platform
from tests.support.browser import Browser
from tests.support.databases import migrated_sqlite_url
from tests.support.servers import LiveServer


@dataclass
class LiveLti:
    tool: Flask
    sandbox: Flask
    tool_url: str
    sandbox_url: str
    platform: RegisteredPlatform

    def launch_url(self, link_id: str, user: str, course: str = "course-101", **extra: str) -> str:
        query = "&".join([f"user={user}", *(f"{k}={v}" for k, v in extra.items())])
        return f"{self.sandbox_url}/courses/{course}/links/{link_id}/launch?{query}"

    def users(self, kind: str, course: str = "course-101") -> list[str]:
        state = self.sandbox.extensions["careerpath_sandbox"].state
        with state.lock:
            found = state.course(course)
            return [m.user_id for m in found.members.values() if m.kind == kind]


@pytest.fixture
def tool_app(tmp_path: Path) -> Flask:
    url = migrated_sqlite_url(tmp_path / "tool.db")
    return create_app({"database_url": url, "testing": True, "sync_on_launch": False,
                       "secret_key": "test-secret-key-for-launches"})


@contextmanager
def running_lti(tool_app: Flask, tenant_slug: str | None = None) -> Iterator[LiveLti]:
    """The tool on 127.0.0.1 and the sandbox LMS on localhost, the sandbox registered."""
    tool_server, lms_server = LiveServer("127.0.0.1"), LiveServer("127.0.0.1")
    tool_url, lms_url = tool_server.url(), lms_server.url("localhost")
    sandbox = create_sandbox_app(SandboxSettings(
        base_url=lms_url, tool_login_url=f"{tool_url}/lti/login",
        tool_launch_url=f"{tool_url}/lti/launch", tool_jwks_url=f"{tool_url}/lti/jwks",
        tool_deep_link_url=f"{tool_url}/lti/launch"))
    settings = sandbox.extensions["careerpath_sandbox"].settings
    platform = register_platform(services(tool_app).database, PlatformInput(
        issuer=settings.issuer, client_id=settings.client_id,
        deployment_ids=[settings.deployment_id], auth_login_url=settings.auth_url,
        auth_token_url=settings.token_url, keyset_url=f"{settings.issuer}/jwks",
        name="Sandbox LMS", tenant_slug=tenant_slug))
    tool_server.start(tool_app)
    lms_server.start(sandbox)
    try:
        yield LiveLti(tool_app, sandbox, tool_url, lms_url, platform)
    finally:
        tool_server.stop()
        lms_server.stop()


@pytest.fixture
def live_lti(tool_app: Flask) -> Iterator[LiveLti]:
    with running_lti(tool_app) as live:
        yield live


@pytest.fixture
def browser() -> Browser:
    return Browser()
