"""Admin pages on a fresh database with two tenants; admin launches put straight into the cache."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lti_tool import admin, create_app
from lti_tool.bootstrap import services
from lti_tool.domain.roles import Requirement
from lti_tool.usecases import catalogue
from lti_tool.usecases.api_keys import create_tenant_key
from lti_tool.usecases.launch import LaunchSession, browser_digest
from lti_tool.usecases.platforms import PlatformInput, register_platform
from lti_tool.web.launch_binding import BROWSER_COOKIE
from tests.support.databases import migrated_sqlite_url

ADMIN_TOKEN = "test-admin-token-9f8e7d6c5b4a"
# the binding cookie of the test browser (`client`) that `open_launch` sessions belong to
BROWSER_KEY = "admin-tests-browser-binding-cookie-value-0001"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')

OpenLaunch = Callable[..., str]


@dataclass(frozen=True)
class Tenant:
    """One tenant's objects, by id."""

    id: int
    registration_id: int
    deployment_pk: int
    framework_id: int
    competency_id: int
    role_id: int
    api_key_id: int


def make_app(tmp_path: Path, **settings: object) -> Flask:
    url = migrated_sqlite_url(tmp_path / "tool.db")
    app = create_app({"database_url": url, "testing": True, "sync_on_launch": False,
                      "secret_key": "test-secret-key-for-launches", **settings})
    if "admin" not in app.blueprints:
        admin.init_app(app)
    return app


@pytest.fixture
def tool_app(tmp_path: Path) -> Flask:
    return make_app(tmp_path, admin_token=ADMIN_TOKEN)


@pytest.fixture
def client(tool_app: Flask) -> FlaskClient:
    """A browser holding the binding cookie that `open_launch` sessions are bound to."""
    found = tool_app.test_client()
    found.set_cookie(BROWSER_COOKIE, BROWSER_KEY)
    return found


def seed_tenant(app: Flask, slug: str) -> Tenant:
    """A registration with one deployment, a framework with a competency, a role, an API key."""
    database = services(app).database
    platform = register_platform(database, PlatformInput(
        issuer=f"https://{slug}.lms.example", client_id=f"{slug}-client",
        deployment_ids=[f"{slug}-dep"], auth_login_url=f"https://{slug}.lms.example/auth",
        auth_token_url=f"https://{slug}.lms.example/token",
        keyset_url=f"https://{slug}.lms.example/jwks", name=f"{slug.title()} LMS",
        tenant_slug=slug))
    tenant_id = platform.registration.tenant_id
    made = catalogue.create_framework(database, tenant_id, catalogue.FrameworkInput(
        name=f"{slug.title()} skills", scale_key="four_point_rubric",
        competencies=[catalogue.CompetencyInput("SQL", "SQL querying")]))
    competency_id = made.framework.competencies[0].id
    role = catalogue.create_role(database, tenant_id, catalogue.RoleInput(
        name=f"{slug.title()} analyst", requirements=[Requirement(competency_id, 3)]))
    key = create_tenant_key(database, tenant_id, ["read"], f"{slug} key")
    return Tenant(tenant_id, platform.registration.id, platform.deployments[0].id,
                  int(made.framework.id), int(competency_id), int(role.role.id), key.key.id)


@pytest.fixture
def alpha(tool_app: Flask) -> Tenant:
    return seed_tenant(tool_app, "alpha")


@pytest.fixture
def beta(tool_app: Flask) -> Tenant:
    return seed_tenant(tool_app, "beta")


@pytest.fixture
def open_launch(tool_app: Flask) -> OpenLaunch:
    """Store a launch session (admin view by default) for a tenant; its launch id."""

    def open_(tenant: Tenant, view: int = 3, widget: str = "", locale: str = "en") -> str:
        launch = LaunchSession(
            launch_id=secrets.token_urlsafe(16), message_type="LtiResourceLinkRequest",
            view=view, tenant_id=tenant.id, registration_id=tenant.registration_id,
            deployment_id="d", person_id=1, person_name="Ada Admin", course_id=None,
            course_title="", widget=widget, locale=locale, roles=[],
            platform_origins=["https://alpha.lms.example"],
            browser=browser_digest(BROWSER_KEY), created_at=time.time(), seen_at=time.time())
        services(tool_app).cache.set(f"launch:{launch.launch_id}", asdict(launch), 600)
        return launch.launch_id

    return open_


def csrf_of(page: str) -> str:
    found = CSRF.search(page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: FlaskClient, token: str = ADMIN_TOKEN):  # noqa: ANN201
    """Post the sign-in form as a browser would (the form's token, then the admin token)."""
    form = client.get("/admin/login")
    return client.post("/admin/login", data={"csrf": csrf_of(form.text), "token": token})


@pytest.fixture
def super_admin(client: FlaskClient) -> FlaskClient:
    assert sign_in(client).status_code == 303
    return client


@pytest.fixture
def as_alpha(client: FlaskClient, alpha: Tenant, open_launch: OpenLaunch):  # noqa: ANN201
    """GET and POST as alpha's admin launch; POST adds the page's CSRF token; `follow`
    opens a redirect's target in the same launch."""
    launch = open_launch(alpha)

    class Admin:
        def get(self, path: str, **query: object):  # noqa: ANN202
            return client.get(path, query_string={"launch": launch, **query})

        def post(self, path: str, **data: object):  # noqa: ANN202
            token = csrf_of(self.get("/admin/platforms").text)
            return client.post(path, query_string={"launch": launch},
                               data={"csrf": token, **data})

        def follow(self, response):  # noqa: ANN001, ANN202
            target = urlsplit(response.headers["Location"])
            query = {k: v for k, v in parse_qsl(target.query) if k != "launch"}
            return self.get(target.path, **query)

    return Admin()
