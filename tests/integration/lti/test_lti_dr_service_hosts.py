"""Dynamic Registration lists the host its configuration came from as a service host
(Canvas cloud: a shared issuer, the school's own domain for AGS and NRPS)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import requests

from lti_tool.lti.dynamic_registration import PLATFORM_CONFIG, ToolUrls
from lti_tool.store.database import Database
from lti_tool.usecases.dynamic_registration import (
    DynamicRegistration,
    RegistrationRequest,
    register_dynamically,
)
from lti_tool.usecases.invitations import create_invitation
from lti_tool.usecases.service_hosts import service_hosts

TOOL = ToolUrls(login="https://tool.example/lti/login", launch="https://tool.example/lti/launch",
                jwks="https://tool.example/lti/jwks")


class CannedHttp:
    """Answers the two Dynamic Registration calls without a network."""

    def __init__(self, configuration: dict[str, Any]) -> None:
        self.configuration = configuration
        self.posted: list[str] = []

    def fetch_json(self, url: str, *, headers: dict[str, str] | None = None) -> Any:
        return self.configuration

    def post_json(self, url: str, body: Any, *, headers: dict[str, str] | None = None
                  ) -> requests.Response:
        self.posted.append(url)
        answer = requests.Response()
        answer.status_code, answer.url = 200, url
        answer._content = json.dumps({"client_id": "10000000000042"}).encode()
        return answer


def _configuration(issuer: str, family: str) -> dict[str, Any]:
    return {"issuer": issuer,
            "registration_endpoint": "https://school.instructure.com/api/lti/registrations",
            "authorization_endpoint": "https://sso.canvaslms.com/api/lti/authorize_redirect",
            "token_endpoint": "https://sso.canvaslms.com/login/oauth2/token",
            "jwks_uri": "https://sso.canvaslms.com/api/lti/security/jwks",
            PLATFORM_CONFIG: {"product_family_code": family}}


def register(http: CannedHttp, database: Database, config_url: str) -> DynamicRegistration:
    """One Dynamic Registration (the one place that knows how the use case is called)."""
    now = datetime.now(UTC)
    token = create_invitation(database, "https://tool.example", now).link.rsplit("/", 1)[1]
    request = RegistrationRequest(token, config_url, "t", ("school.instructure.com",))
    return register_dynamically(http, database, request, TOOL, now)  # type: ignore[arg-type]


def test_canvas_cloud_lists_the_school_domain(migrated_db: Database) -> None:
    http = CannedHttp(_configuration("https://canvas.instructure.com", "canvas"))
    done = register(http, migrated_db,
                    "https://school.instructure.com/api/lti/security/openid-configuration")
    assert service_hosts(migrated_db, done.platform.registration.id) == [
        "school.instructure.com"]


def test_a_platform_on_its_issuer_host_lists_nothing(migrated_db: Database) -> None:
    http = CannedHttp(_configuration("https://moodle.school.example", "moodle"))
    done = register(http, migrated_db,
                    "https://moodle.school.example/mod/lti/openid-configuration.php")
    assert service_hosts(migrated_db, done.platform.registration.id) == []
