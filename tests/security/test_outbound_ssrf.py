"""SSRF through every outbound path, with the tool in production configuration.

The tool runs with testing off and a public base URL, so its allow-list is empty unless a
test says otherwise; targets are listeners on 127.0.0.1, so a refused call shows as no
connection there. Names resolve through a stub resolver wired into the app, and a
recording connector stands in for sockets wherever a case names a non-loopback address.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.lti.dynamic_registration import ToolUrls
from lti_tool.lti.errors import LaunchError
from lti_tool.records import PlatformRegistration
from lti_tool.store.repositories.courses import CourseRepository
from lti_tool.store.repositories.lti import LtiRepository
from lti_tool.store.repositories.sync import SyncRepository
from lti_tool.store.repositories.tenants import TenantRepository
from lti_tool.usecases.api_keys import create_api_key
from lti_tool.usecases.dynamic_registration import (
    DynamicRegistration,
    RegistrationRequest,
    register_dynamically,
)
from lti_tool.usecases.events import SYNC_COMPLETED, publish
from lti_tool.usecases.invitations import create_invitation
from lti_tool.usecases.platforms import PlatformInput, register_platform
from lti_tool.usecases.service_hosts import add_service_host
from lti_tool.usecases.sync.course import sync_course
from lti_tool.usecases.sync.jobs import sync_ports
from lti_tool.usecases.tool_keys import ensure_signing_key
from lti_tool.usecases.webhook_delivery import deliver_due, delivery_ports
from lti_tool.usecases.webhook_subscriptions import create_subscription, delivery_log
from tests.security.outbound_listener import Listener, Seen, reply
from tests.security.test_outbound_client import RecordingConnector, StubResolver
from tests.security.world import make_app

PUBLIC_BASE = "https://careerpath.example.edu"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
AGS_READ = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
MARKER = "REMOTE-BODY-MARKER"


def production_app(tmp: Path, resolver: StubResolver | None = None,
                   connector: RecordingConnector | None = None, **settings: Any) -> Flask:
    resolver = resolver or StubResolver(localhost=["127.0.0.1"])  # never a real DNS query
    app = make_app(tmp, testing=False, base_url=PUBLIC_BASE, outbound_resolver=resolver,
                   outbound_connector=connector, **settings)
    svc = services(app)
    assert svc.settings.outbound_allow_list == tuple(
        e.strip() for e in (settings.get("outbound_allow") or "").split(",") if e.strip())
    ensure_signing_key(svc.database, svc.settings.secret_key, datetime.now(UTC))
    return app


def _platform(app: Flask, token_url: str, issuer: str = "https://lms.school.example"
              ) -> PlatformRegistration:
    """A registration stored as an admin would (the URLs are not fetched when stored)."""
    with services(app).database.session() as session:
        tenant = TenantRepository(session).ensure("school", "School")
        return LtiRepository(session).add_registration(
            tenant.id, issuer, "client-1", auth_login_url=f"{issuer}/auth",
            auth_token_url=token_url, keyset_url=f"{issuer}/jwks")


def _course(app: Flask, registration: PlatformRegistration, memberships_url: str,
            lineitems_url: str = "") -> int:
    with services(app).database.session() as session:
        course = CourseRepository(session).upsert_course(registration.tenant_id, "ctx-1",
                                                         registration.id, title="Course")
        SyncRepository(session).save_services(course.id, memberships_url, lineitems_url,
                                              [NRPS, AGS_READ])
        return course.id


# --- platform keys (JWKS) ------------------------------------------------------------------

def test_jwks_on_loopback_is_not_fetched(tmp_path: Path, listener: Listener) -> None:
    app = production_app(tmp_path)
    for number, url in enumerate((listener.url("/jwks"), listener.url("/jwks", host="localhost"),
                                  listener.url("/jwks", host="[::1]", scheme="https"))):
        platform = register_platform(services(app).database, PlatformInput(
            issuer=f"https://lms-{number}.example", client_id="c", deployment_ids=["d"],
            auth_login_url="https://lms.example/auth",
            auth_token_url="https://lms.example/token", keyset_url=url))
        with pytest.raises(LaunchError) as caught:
            services(app).platform_keys.key_for(platform.registration.id, url, "k1", "RS256")
        assert caught.value.status == 502
    assert listener.connections == 0


def test_jwks_on_a_name_that_resolves_inside_is_not_fetched(tmp_path: Path,
                                                            listener: Listener) -> None:
    connector = RecordingConnector()
    resolver = StubResolver(keys_lms_example=["127.0.0.1"], vault_lms_example=["10.9.8.7"])
    app = production_app(tmp_path, resolver, connector)
    keys = services(app).platform_keys
    for registration_id, host in enumerate(("keys.lms.example", "vault.lms.example"), 1):
        with pytest.raises(LaunchError):
            keys.key_for(registration_id, f"https://{host}:{listener.port}/jwks", "k", "RS256")
    assert resolver.calls == ["keys.lms.example", "vault.lms.example"]
    assert connector.addresses == [] and listener.connections == 0


# --- Dynamic Registration ------------------------------------------------------------------

TOOL = ToolUrls(login=f"{PUBLIC_BASE}/lti/login", launch=f"{PUBLIC_BASE}/lti/launch",
                jwks=f"{PUBLIC_BASE}/lti/jwks")


def register(app: Flask, config_url: str) -> DynamicRegistration:
    """One Dynamic Registration through the app's own outbound client (the one place that
    knows how the use case is called)."""
    svc = services(app)
    now = datetime.now(UTC)
    link = create_invitation(svc.database, PUBLIC_BASE, now).link
    return register_dynamically(svc.http, svc.database, RegistrationRequest(
        link.rsplit("/", 1)[1], config_url, "reg-token"), TOOL, now)


def test_registration_configuration_on_loopback_is_not_fetched(tmp_path: Path,
                                                               listener: Listener) -> None:
    app = production_app(tmp_path)
    for url in (listener.url("/config"), listener.url("/config", host="localhost")):
        with pytest.raises(LaunchError, match="not requested"):
            register(app, url)
    assert listener.connections == 0


def test_registration_configuration_on_a_private_name_is_not_fetched(tmp_path: Path) -> None:
    connector = RecordingConnector()
    app = production_app(tmp_path, StubResolver(moodle_school_example=["192.168.10.10"]),
                         connector)
    with pytest.raises(LaunchError, match="not requested"):
        register(app, "https://moodle.school.example/config")
    assert connector.addresses == []


def _configuration_server(config: Listener, endpoint: str) -> None:
    issuer = config.url("", host="localhost")
    document = {"issuer": issuer, "registration_endpoint": endpoint,
                "authorization_endpoint": f"{issuer}/auth", "token_endpoint": f"{issuer}/token",
                "jwks_uri": f"{issuer}/jwks"}
    config.answer = lambda seen: reply(body=json.dumps(document).encode())


@pytest.mark.parametrize(("endpoint_host", "reached"), [("127.0.0.1", False),
                                                         ("localhost", True)])
def test_the_registration_endpoint_is_checked_as_well(tmp_path: Path, listener: Listener,
                                                      second: Listener, endpoint_host: str,
                                                      reached: bool) -> None:
    """Only the name `localhost` is allowed (so the configuration can be read): an endpoint
    on 127.0.0.1 itself is refused; the control on `localhost` shows the POST would go."""
    app = production_app(tmp_path, StubResolver(localhost=["127.0.0.1"]),
                         outbound_allow="localhost")
    _configuration_server(listener, second.url("/register", host=endpoint_host))
    second.answer = lambda seen: reply(body=b'{"client_id": "new-client"}')
    config_url = listener.url("/config", host="localhost")
    if reached:
        done = register(app, config_url)
        assert done.platform.registration.client_id == "new-client"
        assert [seen.path for seen in second.requests] == ["/register"]
    else:
        with pytest.raises(LaunchError, match="not requested"):
            register(app, config_url)
        assert second.connections == 0
    assert [seen.path for seen in listener.requests] == ["/config"]


def test_a_refused_registration_shows_no_remote_body(tmp_path: Path, listener: Listener,
                                                     second: Listener,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    app = production_app(tmp_path, StubResolver(localhost=["127.0.0.1"]),
                         outbound_allow="localhost")
    _configuration_server(listener, second.url("/register", host="localhost"))
    second.answer = lambda seen: reply(400, f"<b>{MARKER}</b> scope refused".encode())
    with pytest.raises(LaunchError) as caught:
        register(app, listener.url("/config", host="localhost"))
    assert "HTTP 400" in caught.value.what
    assert MARKER not in caught.value.what and MARKER not in caught.value.admin_hint
    assert MARKER in caplog.text  # the server log has the excerpt


# --- token, AGS and NRPS URLs from a launch ------------------------------------------------

def test_an_nrps_url_on_loopback_from_a_launch_is_not_called(tmp_path: Path,
                                                             listener: Listener) -> None:
    app = production_app(tmp_path)
    platform = _platform(app, "https://lms.school.example/token")
    course = _course(app, platform, listener.url("/api/members"))
    run = sync_course(sync_ports(services(app)), course)
    assert run.status == "failed" and "neither the platform's issuer host" in run.error
    assert listener.connections == 0


def test_a_token_url_on_loopback_is_not_called(tmp_path: Path, listener: Listener) -> None:
    app = production_app(tmp_path)
    platform = _platform(app, listener.url("/token"))
    course = _course(app, platform, listener.url("/api/members"))  # on the token URL's host
    run = sync_course(sync_ports(services(app)), course)
    assert run.status == "failed" and "was not called" in run.error
    assert listener.connections == 0


def _lms(seen: Seen) -> bytes:
    if seen.path == "/token":
        return reply(body=b'{"access_token": "tok", "token_type": "Bearer", "expires_in": 600}')
    if seen.path.startswith("/members"):
        return reply(body=b'{"members": []}')
    if seen.path.startswith("/lineitems"):
        return reply(body=b"[]")
    return reply(500, f'{{"error": "{MARKER}", "trace": "at internal.Service"}}'.encode())


def test_an_ags_url_on_a_foreign_host_is_not_called(tmp_path: Path,
                                                    listener: Listener) -> None:
    """Both names are on the operator's allow-list (so the address would be reached): the
    refusal is the platform host check. Once an admin lists the host, it is called."""
    resolver = StubResolver(lms_school_example=["127.0.0.1"], evil_example=["127.0.0.1"])
    app = production_app(tmp_path, resolver, outbound_allow="lms.school.example, evil.example")
    listener.answer = _lms
    lms = f"http://lms.school.example:{listener.port}"
    platform = _platform(app, f"{lms}/token", issuer=lms)
    course = _course(app, platform, f"{lms}/members",
                     f"http://evil.example:{listener.port}/lineitems")
    ports = sync_ports(services(app))
    run = sync_course(ports, course)
    assert run.status == "failed" and "evil.example" in run.error
    hosts = {seen.headers["host"].split(":")[0] for seen in listener.requests}
    assert hosts == {"lms.school.example"}
    add_service_host(services(app).database, platform.id, "evil.example")
    assert sync_course(ports, course).status == "succeeded"
    assert any(seen.headers["host"].startswith("evil.example") for seen in listener.requests)


def test_a_sync_record_shows_no_remote_body(tmp_path: Path, listener: Listener) -> None:
    resolver = StubResolver(lms_school_example=["127.0.0.1"])
    app = production_app(tmp_path, resolver, outbound_allow="lms.school.example")
    listener.answer = _lms
    lms = f"http://lms.school.example:{listener.port}"
    platform = _platform(app, f"{lms}/token", issuer=lms)
    course = _course(app, platform, f"{lms}/broken-members")
    services(app).http.sleep = lambda seconds: None
    run = sync_course(sync_ports(services(app)), course)
    assert run.status == "failed" and "HTTP 500" in run.error
    assert MARKER not in run.error and "internal.Service" not in run.error
    assert any(seen.path.startswith("/broken-members") for seen in listener.requests)


# --- webhooks ------------------------------------------------------------------------------

def _subscribe_and_deliver(app: Flask, url: str) -> str:
    svc = services(app)
    with svc.database.session() as session:
        tenant = TenantRepository(session).ensure("acme", "Acme").id
    subscription = create_subscription(svc.database, svc.settings.secret_key, tenant, url,
                                       [SYNC_COMPLETED]).subscription
    with svc.database.session() as session:
        publish(session, tenant, SYNC_COMPLETED, {"course_id": 1})
    assert deliver_due(delivery_ports(svc)).attempted == 1
    return delivery_log(svc.database, tenant, subscription.id)[0].attempts[0].error


def test_a_webhook_target_on_loopback_gets_nothing(tmp_path: Path, listener: Listener) -> None:
    app = production_app(tmp_path)
    error = _subscribe_and_deliver(app, listener.url("/hook"))
    assert error.startswith("not sent")
    assert listener.connections == 0


def test_a_webhook_target_on_a_private_name_gets_nothing(tmp_path: Path) -> None:
    connector = RecordingConnector()
    app = production_app(tmp_path, StubResolver(hooks_corp_example=["172.20.1.1"]), connector)
    assert _subscribe_and_deliver(app, "https://hooks.corp.example/hook").startswith("not sent")
    assert connector.addresses == []


def test_a_webhook_delivery_log_shows_no_remote_body(tmp_path: Path,
                                                     listener: Listener) -> None:
    app = production_app(tmp_path, outbound_allow="127.0.0.1")
    listener.answer = lambda seen: reply(500, MARKER.encode())
    error = _subscribe_and_deliver(app, listener.url("/hook"))
    assert error == "the subscriber answered HTTP 500"
    assert len(listener.requests) == 1


# --- CASE import by URL --------------------------------------------------------------------

def test_a_case_url_on_loopback_is_not_fetched(tmp_path: Path, listener: Listener) -> None:
    app = production_app(tmp_path)
    db = services(app).database
    with db.session() as session:
        TenantRepository(session).ensure("acme", "Acme")
    token = create_api_key(db, "acme", "write", "importer").token
    for url in (listener.url("/case.json"), listener.url("/case.json", host="localhost",
                                                         scheme="https")):
        answer = app.test_client().post("/api/v1/imports/case", json={"url": url},
                                        headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 422, answer.json
    assert listener.connections == 0


def test_a_case_url_on_a_private_name_is_not_fetched(tmp_path: Path) -> None:
    connector = RecordingConnector()
    app = production_app(tmp_path, StubResolver(frameworks_corp_example=["10.1.1.1"]),
                         connector)
    db = services(app).database
    with db.session() as session:
        TenantRepository(session).ensure("acme", "Acme")
    token = create_api_key(db, "acme", "write", "importer").token
    answer = app.test_client().post(
        "/api/v1/imports/case", json={"url": "https://frameworks.corp.example/case.json"},
        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422 and "refused" in answer.json["message"]
    assert connector.addresses == []
