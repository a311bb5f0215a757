"""Attacks on launch sessions: a `?launch=` id stolen (a log, a shared screen, a Referer)
and replayed from another browser; a session left open; a stale session making keys.
"""

from __future__ import annotations

import re
import time

from sqlalchemy import func, select

from lti_tool.bootstrap import services
from lti_tool.store.models import ApiKeyRow
from lti_tool.web.csrf import csrf_token
from lti_tool.web.launch_binding import BROWSER_COOKIE
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_launch_flow import launch
from tests.security.world import (
    ADMIN,
    LEARNER,
    SECRET,
    World,
    browser_client,
    open_session,
)
from tests.support.browser import Browser

LAUNCH_ID = re.compile(r'(?:launch=|name="launch" value=")([A-Za-z0-9_-]{16,})')


def test_a_launch_id_replayed_from_another_browser_is_refused(live: LiveLti) -> None:
    victim, thief = Browser(), Browser()
    page = launch(victim, live, "link-mapping", live.users("instructor")[0])
    assert page.status_code == 200, page.text[:300]
    launch_id = LAUNCH_ID.search(page.text).group(1)  # type: ignore[union-attr]
    url = f"{live.tool_url}/widgets/mapping?launch={launch_id}"
    stolen = thief.get(url)
    assert stolen.status_code == 401, stolen.text[:300]
    assert "another browser" in stolen.text
    assert "Data Analytics Foundations" not in stolen.text
    # a thief who makes up a binding cookie of its own gets no further
    thief.session.cookies.set(BROWSER_COOKIE, "A" * 43)
    assert thief.get(url).status_code == 401
    # control: the browser that launched keeps working
    again = victim.get(url)
    assert again.status_code == 200, again.text[:300]
    assert "Data Analytics Foundations" in again.text


def test_the_binding_cookie_is_partitioned_secure_and_samesite_none(live: LiveLti) -> None:
    browser = Browser()
    page = launch(browser, live, "link-readiness", live.users("learner")[0])
    cookie = next(c for c in page.raw.headers.getlist("Set-Cookie")
                  if c.startswith(BROWSER_COOKIE + "="))
    for attribute in ("Secure", "HttpOnly", "SameSite=None", "Partitioned", "Path=/"):
        assert attribute in cookie, cookie
    assert "Domain=" not in cookie


def test_an_idle_session_has_expired(world: World) -> None:
    hour_ago = time.time() - 61 * 60
    idle = open_session(world, [LEARNER], widget="readiness", context="ctx-x", sub="sub-alfa",
                        now=hour_ago)
    page = browser_client(world).get("/widgets/readiness", query_string={
        "launch": idle.launch_id})
    assert page.status_code == 401
    assert "unused for too long" in page.get_data(as_text=True)
    # and it stays gone: the session was removed, not only refused once
    assert browser_client(world).get("/widgets/readiness", query_string={
        "launch": idle.launch_id}).status_code == 401
    # control: used 59 minutes ago is still alive, and its use resets the idle clock
    recent = open_session(world, [LEARNER], widget="readiness", context="ctx-x",
                          sub="sub-alfa", now=time.time() - 59 * 60)
    assert browser_client(world).get("/widgets/readiness", query_string={
        "launch": recent.launch_id}).status_code == 200


def test_the_idle_timeout_is_a_setting(tmp_path) -> None:  # noqa: ANN001
    from tests.security.world import build_world

    short = build_world(tmp_path, launch_idle_minutes=5)
    try:
        launch6 = open_session(short, [LEARNER], widget="readiness", context="ctx-x",
                               sub="sub-alfa", now=time.time() - 6 * 60)
        launch4 = open_session(short, [LEARNER], widget="readiness", context="ctx-x",
                               sub="sub-alfa", now=time.time() - 4 * 60)
        client = browser_client(short)
        assert client.get("/widgets/readiness",
                          query_string={"launch": launch6.launch_id}).status_code == 401
        assert client.get("/widgets/readiness",
                          query_string={"launch": launch4.launch_id}).status_code == 200
    finally:
        services(short.app).database.dispose()


def _api_keys(world: World) -> int:
    with services(world.app).database.session() as session:
        return session.scalar(select(func.count()).select_from(ApiKeyRow)) or 0


def _create_key(world: World, launch_id: str):  # noqa: ANN202
    return browser_client(world).post("/admin/api-keys", data={
        "launch": launch_id, "csrf": csrf_token(SECRET, f"admin:launch:{launch_id}"),
        "name": "made by a stale session", "scopes": ["read"]})


def test_a_stale_admin_session_cannot_create_api_keys(world: World) -> None:
    """Opened 11 minutes ago and used since (not idle): pages open, keys are not made."""
    stale = open_session(world, [ADMIN], widget="admin", sub="sub-ada",
                         now=time.time() - 11 * 60)
    client = browser_client(world)
    assert client.get("/admin/api-keys", query_string={
        "launch": stale.launch_id}).status_code == 200
    before = _api_keys(world)
    answer = _create_key(world, stale.launch_id)
    assert answer.status_code == 403, answer.get_data(as_text=True)[:300]
    assert "relaunch CareerPath from the LMS" in answer.get_data(as_text=True)
    assert _api_keys(world) == before
    # control: a launch of 9 minutes ago may
    fresh = open_session(world, [ADMIN], widget="admin", sub="sub-ada",
                         now=time.time() - 9 * 60)
    assert _create_key(world, fresh.launch_id).status_code == 303
    assert _api_keys(world) == before + 1


def test_a_stale_operator_session_cannot_register_or_rotate(world: World) -> None:
    """The admin-token session: the same 10 minutes for registrations and key rotation."""
    from lti_tool.admin.access import COOKIE
    from lti_tool.usecases.admin_session import AdminSession, session_cookie

    svc = services(world.app)
    old = AdminSession("stale-operator-session", None, started_at=time.time() - 11 * 60)
    svc.cache.set(f"admin-session:{old.session_id}", vars(old), 3600)
    client = world.app.test_client()
    client.set_cookie(COOKIE, session_cookie(SECRET, old), path="/admin")
    csrf = csrf_token(SECRET, f"admin:{old.session_id}")
    rotate = client.post("/admin/keys/rotate", data={"csrf": csrf, "retire_after_days": "1"})
    assert rotate.status_code == 403
    assert "sign in again with the admin token" in rotate.get_data(as_text=True)
    register = client.post("/admin/platforms", data={
        "csrf": csrf, "tenant": str(world.ids["tenant1"]), "issuer": "https://new.example",
        "client_id": "c", "deployment_ids": "d", "auth_login_url": "https://new.example/a",
        "auth_token_url": "https://new.example/t", "keyset_url": "https://new.example/k"})
    assert register.status_code == 403
    invite = client.post("/admin/platforms/invitations", data={
        "csrf": csrf, "tenant": str(world.ids["tenant1"]), "expires_days": "7"})
    assert invite.status_code == 403
    approve = client.post(f"/admin/platforms/{world.ids['reg1']}/approve", data={
        "csrf": csrf, "tenant": str(world.ids["tenant1"])})
    assert approve.status_code == 403
    # control: the same session, signed in just now, may create a registration link
    fresh = AdminSession("fresh-operator-session", None, started_at=time.time())
    svc.cache.set(f"admin-session:{fresh.session_id}", vars(fresh), 3600)
    client.set_cookie(COOKIE, session_cookie(SECRET, fresh), path="/admin")
    made = client.post("/admin/platforms/invitations", data={
        "csrf": csrf_token(SECRET, f"admin:{fresh.session_id}"),
        "tenant": str(world.ids["tenant1"]), "expires_days": "7"})
    assert made.status_code == 303, made.get_data(as_text=True)[:300]


def test_a_new_window_handoff_opens_once_for_its_own_launch(world: World) -> None:
    """A page in a window of its own (Canvas OAuth) gets a one-time handoff from the bound
    frame; replayed, made up, or spent on another launch it opens nothing."""
    from lti_tool.web.launch_binding import handoff_url
    from tests.security.world import INSTRUCTOR

    mine = open_session(world, [INSTRUCTOR], widget="mapping", context="ctx-x", sub="sub-xavier")
    other = open_session(world, [INSTRUCTOR], widget="mapping", context="ctx-x",
                         sub="sub-xavier")
    with world.app.test_request_context("/widgets/mapping"):
        url = handoff_url("widgets.show_mapping", mine)
        for_other = handoff_url("widgets.show_mapping", other)
    new_window = world.app.test_client()  # no binding cookie: a top-level window
    assert new_window.get(url).status_code == 200
    assert new_window.get(url).status_code == 401  # spent
    assert world.app.test_client().get(url).status_code == 401  # a thief replaying it
    token = for_other.split("handoff=")[1]
    assert new_window.get(f"/widgets/mapping?launch={mine.launch_id}&handoff={token}"
                          ).status_code == 401  # made for another launch (and now spent)
    assert new_window.get(f"/widgets/mapping?launch={mine.launch_id}&handoff=made-up"
                          ).status_code == 401
