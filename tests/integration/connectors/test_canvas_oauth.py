"""Canvas OAuth2 for a course's connector: authorize once, refresh on expiry, a revoked
authorization fails the sync clearly and keeps the evidence."""

from __future__ import annotations

import html
import re

import requests
from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.sandbox.native_course import CANVAS_KEY_ID, CANVAS_KEY_SECRET
from lti_tool.sealing import unseal
from lti_tool.store.models import ConnectorGrantRow, LmsConnectorRow
from lti_tool.usecases.connectors import (
    ConnectInput,
    connect_platform,
    course_connector,
    start_authorization,
)
from lti_tool.usecases.sync.jobs import run_sync
from tests.integration.conftest import LiveLti
from tests.integration.connectors.conftest import NativeCourseUnderTest
from tests.integration.lti.test_lti_launch_flow import launch
from tests.support.browser import Browser


def authorize(course: NativeCourseUnderTest) -> requests.Response:
    svc = services(course.live.tool)
    callback = f"{course.live.tool_url}/widgets/connectors/canvas/callback"
    url = start_authorization(svc.database, svc.settings.secret_key, course.course_id,
                              callback)
    assert url.startswith(f"{course.live.sandbox_url}/login/oauth2/auth?")
    return requests.get(url, timeout=10)  # Canvas approves, then back to the tool's callback


def test_authorize_then_sync_refresh_and_revoke(native_course: NativeCourseUnderTest) -> None:
    live, svc = native_course.live, services(native_course.live.tool)
    native_course.connect("canvas", client_id=CANVAS_KEY_ID, client_secret=CANVAS_KEY_SECRET)
    before = run_sync(svc, native_course.course_id)
    assert before.status == "succeeded", before.error
    assert before.counts["native_not_authorized"] == 1 and native_course.stored() == set()
    assert not course_connector(svc.database, native_course.course_id).authorized

    answer = authorize(native_course)
    assert answer.status_code == 200 and "Canvas access authorized" in answer.text
    replay = requests.get(answer.url, timeout=10)  # the same code and state once more
    assert replay.status_code == 400 and "already used" in replay.text
    with svc.database.session() as session:
        grant = session.scalars(select(ConnectorGrantRow)).one()
        secret = session.scalars(select(LmsConnectorRow)).one().secret_encrypted
        refresh = unseal(grant.refresh_token_encrypted,
                                      svc.settings.secret_key).decode()
    assert refresh in native_course.native.refresh_tokens  # the real one, kept encrypted
    assert refresh not in grant.refresh_token_encrypted and CANVAS_KEY_SECRET not in secret

    first = run_sync(svc, native_course.course_id)
    assert first.status == "succeeded", first.error
    assert native_course.stored() == native_course.expected("canvas")
    tokens_before = native_course.stats().get("canvas.oauth_token", 0)

    requests.post(f"{live.sandbox_url}/_sandbox/native/expire", timeout=10)
    refreshed = run_sync(svc, native_course.course_id)
    assert refreshed.status == "succeeded", refreshed.error
    assert native_course.stats()["canvas.oauth_token"] == tokens_before + 1  # one refresh

    kept = native_course.stored()
    requests.post(f"{live.sandbox_url}/_sandbox/native/revoke", json={"all_refresh": True},
                  timeout=10)
    failed = run_sync(svc, native_course.course_id)
    assert failed.status == "failed"
    assert "authorize again from the mapping page" in failed.error
    assert native_course.stored() == kept
    status = course_connector(svc.database, native_course.course_id)
    assert status.revoked and not status.authorized


def test_callback_refuses_a_forged_state(native_course: NativeCourseUnderTest) -> None:
    native_course.connect("canvas", client_id=CANVAS_KEY_ID, client_secret=CANVAS_KEY_SECRET)
    answer = requests.get(f"{native_course.live.tool_url}/widgets/connectors/canvas/callback",
                          params={"code": "x", "state": "forged"}, timeout=10)
    assert answer.status_code == 400 and "not one the tool asked for" in answer.text
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Referrer-Policy"] == "no-referrer"


def test_instructor_authorizes_from_the_mapping_page(live_lti: LiveLti) -> None:
    svc = services(live_lti.tool)
    instructor = live_lti.users("instructor")[0]
    connect_platform(svc.database, svc.settings.secret_key, ConnectInput(
        live_lti.platform.registration.id, "canvas", live_lti.sandbox_url,
        client_id=CANVAS_KEY_ID, client_secret=CANVAS_KEY_SECRET))
    page = launch(Browser(), live_lti, "link-mapping", instructor)
    assert page.status_code == 200 and 'data-connector="unauthorized"' in page.text
    found = re.search(r'href="([^"]*/mapping/connector/authorize[^"]*)"', page.text)
    assert found is not None and 'target="_blank"' in page.text
    answer = requests.get(live_lti.tool_url + html.unescape(found.group(1)), timeout=10)
    assert answer.status_code == 200 and "Canvas access authorized" in answer.text
    again = launch(Browser(), live_lti, "link-mapping", instructor)
    assert 'data-connector="canvas"' in again.text
    unknown = requests.get(f"{live_lti.tool_url}/widgets/mapping/connector/authorize",
                           params={"launch": "not-a-launch"}, timeout=10,
                           allow_redirects=False)
    assert 400 <= unknown.status_code < 500 and "Location" not in unknown.headers
