"""The launch scenario: the seeded tool and one complete OIDC login → LTI launch →
readiness widget, played as the browser and the LMS would (the load generator signs the
id_token with the sandbox platform's key)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt

from bench.load import Client, Outcome

USERS, LEARNERS = 16, 500
COURSE, LINK = "bench-course", "bench-readiness"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
WIDGET_MARKER = b"data-readiness="
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def seed_tool(database_url: str, lms_url: str, learners: int = LEARNERS) -> None:
    """Migrate; demo organisation; the sandbox in tenant "northwind"; learners with evidence."""
    from bench.launch_seed import seed_learners
    from lti_tool import create_app
    from lti_tool.bootstrap import ensure_tool_key, services
    from lti_tool.store import upgrade
    from lti_tool.usecases.demo.seed import DEMO_SLUG, seed_demo
    from lti_tool.usecases.platforms import PlatformInput, register_platform

    upgrade(database_url)
    app = create_app({"database_url": database_url, "sync_on_launch": False})
    database = services(app).database
    ensure_tool_key(app)
    with database.session() as session:
        seed_demo(session)
    platform = register_platform(database, PlatformInput(
        issuer=lms_url, client_id="careerpath-sandbox", deployment_ids=["sandbox-deployment-1"],
        auth_login_url=f"{lms_url}/auth", auth_token_url=f"{lms_url}/token",
        keyset_url=f"{lms_url}/jwks", name="Sandbox LMS", tenant_slug=DEMO_SLUG))
    seed_learners(database, platform.registration.id, COURSE, learners)
    if database.dialect == "postgresql":
        # what autovacuum does within a minute of a bulk load, before the launches start:
        # planned on an empty table's statistics, the launch's read of the person would
        # scan the whole table instead of its (tenant, sub) key
        with database.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    database.engine.dispose()


@dataclass
class Launcher:
    """One complete launch as the browser + LMS would do it; returns the timed steps.

    The login's cookies are sent back with the launch, as a browser does; the launch's
    page must hold `expect` (the tool's readiness widget; the bare app's greeting)."""

    tool: Client
    lms_url: str
    key: Any
    kid: str
    learners: int = LEARNERS
    users: int = USERS
    login_path: str = "/lti/login"
    launch_path: str = "/lti/launch"
    expect: bytes = WIDGET_MARKER

    def sub(self, user: int, number: int) -> str:
        return f"bench-learner-{(user + self.users * number) % self.learners:04d}"

    def __call__(self, user: int, number: int) -> Outcome:
        outcome, sub = Outcome(), self.sub(user, number)
        login = self.tool.request("POST", self.login_path, urlencode({
            "iss": self.lms_url, "login_hint": sub, "client_id": "careerpath-sandbox",
            "target_link_uri": f"{self.tool.base}{self.launch_path}",
            "lti_deployment_id": "sandbox-deployment-1"}).encode(), FORM)
        outcome.steps["login"] = login.ms
        if login.status != 302:
            return outcome.fail(f"{login.status} from /lti/login")
        query = parse_qs(urlsplit(login.headers.get("Location", "")).query)
        state, nonce = query.get("state", [""])[0], query.get("nonce", [""])[0]
        cookies = login.headers.cookies
        if not state or not cookies:
            return outcome.fail("login: no state or no cookie")
        token = jwt.encode(self.claims(sub, nonce), self.key, algorithm="RS256",
                           headers={"kid": self.kid})
        launch = self.tool.request("POST", self.launch_path, urlencode({
            "state": state, "id_token": token}).encode(),
            {**FORM, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
        outcome.steps["launch"] = launch.ms
        if launch.status != 200:
            return outcome.fail(f"{launch.status} from {self.launch_path}")
        if self.expect not in launch.body:
            return outcome.fail("launch: 200 without the expected page")
        return outcome

    def claims(self, sub: str, nonce: str) -> dict[str, Any]:
        now, number = int(time.time()), int(sub.rsplit("-", 1)[1])
        api = f"{self.lms_url}/api/courses/{COURSE}"
        return {
            "iss": self.lms_url, "aud": "careerpath-sandbox", "azp": "careerpath-sandbox",
            "sub": sub, "exp": now + 300, "iat": now, "nonce": nonce,
            "name": f"Bench Learner {number}", "given_name": "Bench",
            "family_name": f"Learner {number}", "email": f"{sub}@example.edu",
            LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
            LTI + "deployment_id": "sandbox-deployment-1",
            LTI + "target_link_uri": f"{self.tool.base}{self.launch_path}",
            LTI + "resource_link": {"id": LINK, "title": "Next-role readiness"},
            LTI + "roles": [LEARNER_ROLE],
            LTI + "context": {"id": COURSE, "label": "BENCH", "title": "Bench course"},
            LTI + "custom": {"widget": "readiness"},
            LTI + "launch_presentation": {"document_target": "iframe", "locale": "en",
                                          "return_url": f"{self.lms_url}/courses/{COURSE}"},
            LTI + "tool_platform": {"guid": "sandbox-bench", "name": "Sandbox LMS",
                                    "url": self.lms_url},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                          "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"],
                "lineitems": f"{api}/lineitems"},
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{api}/memberships", "service_versions": ["2.0"]},
        }

