"""Attack: script injected into any page runs, or the page is framed by a stranger.

Every HTML response (pages, refusals, error pages of every status, the deep-linking return
page that auto-posts to the LMS) must carry one strict CSP: `default-src 'self'`, scripts
from the tool's own files only, frame-ancestors from the launch's platform only, and no
inline `<script>` in the body. The walk covers every GET route the app has.
"""

from __future__ import annotations

import re
from typing import Any

import requests
from werkzeug.test import TestResponse

from lti_tool.lti import claims as c
from tests.integration.conftest import LiveLti
from tests.security.world import (
    ADMIN_TOKEN,
    CSRF,
    INSTRUCTOR,
    World,
    browser_client,
    open_session,
)
from tests.support.browser import Browser

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
LMS = "https://lms-t1.example"


def check_page(label: str, response: TestResponse | requests.Response,
               framed_by: str | None = None) -> list[str]:
    """The strict policy on an HTML response, and nothing inline that it would block; the
    page's frame-ancestors."""
    mimetype = response.headers.get("Content-Type", "").split(";")[0]
    assert mimetype == "text/html", (label, mimetype)
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    default = directives.get("default-src")
    assert default in (["'self'"], ["'none'"]), (label, policy)  # 'none' is stricter
    assert directives.get("script-src", default) in (["'self'"], ["'none'"]), (label, policy)
    assert directives.get("object-src", default) == ["'none'"], (label, policy)
    ancestors = directives.get("frame-ancestors", [])
    assert ancestors and "*" not in ancestors, (label, policy)
    if framed_by is not None:
        assert ancestors == ["'self'", framed_by], (label, policy)
    body = response.text if isinstance(response, requests.Response) else \
        response.get_data(as_text=True)
    assert not INLINE_SCRIPT.search(body), (label, INLINE_SCRIPT.search(body))
    assert not EVENT_HANDLER.search(body), (label, EVENT_HANDLER.search(body))
    assert "<style" not in body.lower(), label
    return ancestors


def fill(rule: str, world: World) -> str | None:
    """A concrete path for a GET rule, with ids from the world; None if one is unknown."""
    values = {"badge_id": "00000000-0000-4000-8000-00000000beef", "filename": "careerpath.css",
              "registration_id": world.ids["reg1"], "framework_id": world.ids["fw1"],
              "role_id": world.ids["role1"], "key_id": world.ids["apikey_key_t1_read"],
              "deployment_pk": world.ids["dep1"], "person_id": world.ids["person_learner_a"],
              "course_id": world.ids["course_ctx-x"], "tenant_id": world.ids["tenant1"]}
    missing = []

    def one(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        if name not in values:
            missing.append(name)
            return ""
        return str(values[name])

    path = re.sub(r"<([^>]+)>", one, rule)
    return None if missing else path


def test_every_html_get_route_carries_the_strict_policy(world: World) -> None:
    """Walk every GET route as an instructor's launch (widgets), an admin launch (admin
    pages) and a stranger; every HTML answer, whatever its status, is checked."""
    instructor = browser_client(world)
    stranger = world.app.test_client()
    checked: dict[str, int] = {}
    for rule in world.app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.rule.startswith("/static"):
            continue
        path = fill(rule.rule, world)
        if path is None:
            continue
        launch = world.launches["admin_t1"]["admin"] if path.startswith("/admin") else \
            world.launches["instructor_x"].get(path.split("/")[2] if path.startswith(
                "/widgets/") else "", world.launches["instructor_x"]["readiness"])
        for who, client, query in (("launched", instructor, {"launch": launch}),
                                   ("stranger", stranger, {})):
            response = client.get(path, query_string=query)
            if response.mimetype == "text/html":
                framed = LMS if who == "launched" and response.status_code == 200 \
                    and path.startswith(("/widgets/", "/admin/")) and path != "/admin/login" \
                    else None
                check_page(f"{who} GET {path} -> {response.status_code}", response, framed)
                checked[f"{who} {path}"] = response.status_code
    assert len(checked) >= 20, checked  # the walk reached the pages, not only JSON
    assert any(s >= 400 for s in checked.values()), checked  # and refusals among them
    assert any(k.startswith("launched /widgets/class_view") and s == 200
               for k, s in checked.items()), checked


def test_error_pages_of_every_kind_carry_the_policy(world: World) -> None:
    client = world.app.test_client()
    pages: dict[str, Any] = {
        "unknown URL (404)": client.get("/no/such/page"),
        "wrong method (405)": client.put("/lti/login"),
        "launch refused (400)": client.post("/lti/launch", data={"state": "x"}),
        "session expired (401)": client.get("/widgets/readiness?launch=made-up-id"),
        "admin sign-in": client.get("/admin/login"),
        "admin not signed in": client.get("/admin/platforms", follow_redirects=True),
    }
    for label, response in pages.items():
        check_page(label, response)
    # a refusal notice shown before any launch is known carries no form and no data
    assert "<form" not in pages["session expired (401)"].get_data(as_text=True)


def test_the_deep_linking_return_page_carries_the_policy(world: World) -> None:
    """The page that auto-posts the signed items to the LMS: its script is a file."""
    launch = open_session(world, [INSTRUCTOR], context="ctx-x", sub="sub-xavier",
                          message_type=c.DEEP_LINKING_REQUEST, extra={c.DEEP_LINKING_SETTINGS: {
                              "deep_link_return_url": f"{LMS}/deep_links/return",
                              "accept_types": ["ltiResourceLink"], "accept_multiple": True}})
    client = browser_client(world)
    picker = client.get("/widgets/readiness", query_string={"launch": launch.launch_id})
    assert picker.status_code in (401, 404)  # a deep-linking launch opens no widget
    csrf = _csrf_for(world, launch.launch_id)
    page = client.post("/lti/deep_link", data={"launch": launch.launch_id, "csrf": csrf,
                                                "widget": "readiness"})
    assert page.status_code == 200, page.get_data(as_text=True)[:400]
    assert f'action="{LMS}/deep_links/return"' in page.get_data(as_text=True)
    check_page("deep-linking return", page, LMS)
    assert "auto-submit.js" in page.get_data(as_text=True)


def test_the_admin_sign_in_is_not_weakened_by_the_policy(world: World) -> None:
    """Control: the policy does not stop the pages working (the form still signs in)."""
    client = world.app.test_client()
    form = client.get("/admin/login")
    token = CSRF.search(form.get_data(as_text=True))
    assert token is not None
    answer = client.post("/admin/login", data={"csrf": token.group(1), "token": ADMIN_TOKEN})
    assert answer.status_code == 303


def _csrf_for(world: World, launch_id: str) -> str:
    from lti_tool.web.csrf import csrf_token
    from tests.security.world import SECRET

    return csrf_token(SECRET, launch_id)


def test_login_steps_in_the_lms_frame_carry_the_policy(live: LiveLti) -> None:
    """The platform-storage relay and the "cookies blocked" page come before any launch is
    known: the LMS frame must be able to show them (so any origin may frame them), and
    they run no inline script. The launched page after them is framed by the LMS only."""
    learner = live.users("learner")[0]
    browser = Browser()
    frame = browser.get(live.launch_url("link-readiness", learner, storage="1"))
    relay = browser.submit(browser.frame(frame))
    assert 'data-mode="put"' in relay.text
    assert "https:" in check_page("platform-storage relay", relay)
    browser = Browser()
    frame = browser.get(live.launch_url("link-readiness", learner))
    auth_page = browser.submit(browser.frame(frame))
    browser.session.cookies.clear()
    blocked = browser.submit(auth_page)
    assert "Open CareerPath in a new window" in blocked.text
    assert "https:" in check_page("cookies blocked", blocked)
    browser = Browser()
    frame = browser.get(live.launch_url("link-readiness", learner))
    launched = browser.submit(browser.submit(browser.frame(frame)))
    assert launched.status_code == 200
    check_page("launched", launched, live.sandbox_url)
