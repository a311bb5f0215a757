"""XSS and template-injection payloads in every LMS-supplied field, checked in Chromium.

Chromium starts a real login at the tool (the state cookie is set in the browser); the LMS's
auth endpoint is intercepted and answers with an auto-submitting form carrying an id_token
signed with the sandbox's key whose claims hold the payloads. Catalogue names (framework,
competency, role, course module) come through the REST API with the same payloads. Every
page is then opened and must not run a payload: `window.__xss` stays undefined, no dialog
opens, no `javascript:` link or injected element exists, and the payload shows as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from lti_tool.bootstrap import services
from lti_tool.lti import claims as c
from lti_tool.usecases.api_keys import create_tenant_key
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_certification_cases import claims
from tests.security.world import ADMIN, INSTRUCTOR, LEARNER

SCRIPT = "<script>window.__xss=1</script>"
IMG = '"><img src=x onerror="window.__xss=1">'
JS_URL = "javascript:window.__xss=1"
TEMPLATE = "{{7*'7'}}"  # 7777777 on the page would mean a template evaluated it
TEXT_PAYLOADS = (SCRIPT, IMG, TEMPLATE)
LAUNCH_ID = re.compile(r'(?:launch=|name="launch" value=")([A-Za-z0-9_-]{16,})')


def payload_claims(live: LiveLti, nonce: str, roles: list[str], widget: str,
                   message_type: str = "LtiResourceLinkRequest", **extra: Any) -> dict[str, Any]:
    body = claims(live, nonce, sub="xss-" + roles[0].rsplit("#", 1)[-1].lower(),
                  name=SCRIPT, given_name=IMG, family_name=TEMPLATE,
                  email='x"><img src=x onerror="window.__xss=1">@example.edu',
                  lti_roles=roles, lti_message_type=message_type,
                  lti_context={"id": "xss-course", "label": IMG, "title": SCRIPT},
                  lti_resource_link={"id": f"xss-link-{widget}", "title": IMG},
                  lti_custom={"widget": widget, "target_role": IMG, "note": SCRIPT},
                  lti_launch_presentation={"locale": IMG, "return_url": JS_URL,
                                           "document_target": "iframe"},
                  lti_tool_platform={"name": SCRIPT, "url": JS_URL, "guid": IMG})
    body.update(extra)
    return body


class XssBrowser:
    """One Chromium context whose LMS auth endpoint answers with a crafted id_token."""

    def __init__(self, chromium: Any, live: LiveLti) -> None:
        self.live = live
        self.context = chromium.new_context()
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)
        self.next_claims: Any = None
        self.context.route(re.compile(r"/lti/login\?"), self._answer_login)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _answer_login(self, route: Any) -> None:
        """The tool's real login answer (its state cookie kept), but instead of following
        the redirect to the LMS, the LMS's answer: a form posting the crafted id_token.
        (Playwright does not route the redirected request, so the login is routed.)"""
        from lti_tool.sandbox import sign_platform_jwt

        answer = route.fetch(max_redirects=0)
        assert answer.status == 302, answer.text()
        query = parse_qs(urlsplit(answer.headers["location"]).query)
        token = sign_platform_jwt(self.live.sandbox, self.next_claims(query["nonce"][0]))
        route.fulfill(status=200, headers={"Content-Type": "text/html",
                                           "Set-Cookie": answer.headers["set-cookie"]}, body=(
            f'<form method="post" action="{self.live.tool_url}/lti/launch">'
            f'<input type="hidden" name="state" value="{query["state"][0]}">'
            f'<input type="hidden" name="id_token" value="{token}"></form>'
            "<script>document.forms[0].submit()</script>"))

    def launch(self, make_claims: Any) -> str:
        """Log in at the tool and come back with the crafted id_token; the launch id."""
        self.next_claims = make_claims
        registration = self.live.platform.registration
        with self.page.expect_navigation(url=re.compile(r".*/lti/launch$"), timeout=5000):
            self.page.goto(f"{self.live.tool_url}/lti/login?iss={registration.issuer}"
                           f"&login_hint=xss&client_id={registration.client_id}"
                           f"&target_link_uri={self.live.tool_url}/lti/launch")
        self.page.wait_for_load_state()
        found = LAUNCH_ID.search(self.page.content())
        return found.group(1) if found else ""

    def open(self, path: str) -> None:
        self.page.goto(f"{self.live.tool_url}{path}")

    def assert_inert(self, where: str, shows_payload: bool = True) -> None:
        page = self.page
        page.wait_for_timeout(50)  # let onerror handlers of broken images fire
        assert page.evaluate("typeof window.__xss") == "undefined", f"payload ran on {where}"
        assert self.dialogs == [], (where, self.dialogs)
        injected = page.evaluate("""() => [
            ...document.querySelectorAll('img[src="x"], [onerror]'),
            ...[...document.scripts].filter(s => s.textContent.includes('__xss')),
            ...document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i],'
                                        + 'form[action^="javascript:" i]')
        ].map(e => e.outerHTML)""")
        assert injected == [], (where, injected)
        text = page.inner_text("body")
        assert "7777777" not in text, f"template expression evaluated on {where}"
        if shows_payload:
            assert any(p in text for p in TEXT_PAYLOADS), f"no payload shown as text on {where}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def catalogue(live: LiveLti) -> dict[str, Any]:
    """Framework, competency, role and course module named with the payloads (REST API)."""
    svc = services(live.tool)
    tenant_id = live.platform.registration.tenant_id
    key = create_tenant_key(svc.database, tenant_id, ["read", "write", "admin"], SCRIPT).token
    client, headers = live.tool.test_client(), {"Authorization": f"Bearer {key}"}

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = client.post(f"/api/v1{path}", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return response.json

    fw = post("/frameworks", {"name": SCRIPT, "scale_key": "four_point_rubric", "competencies": [
        {"code": "XSS1", "name": IMG}, {"code": "XSS2", "name": TEMPLATE}]})
    cids = [comp["id"] for comp in fw["competencies"]]
    role = post("/roles", {"name": IMG, "family": SCRIPT, "requirements": [
        {"competency_id": cids[0], "required_level": 2}]})
    post("/roles", {"name": TEMPLATE, "requirements": [
        {"competency_id": cids[1], "required_level": 2}]})
    return {"key": key, "headers": headers, "framework": fw["id"], "competencies": cids,
            "role": role["id"], "post": post}


@pytest.fixture(scope="module")
def xss(chromium: Any, live: LiveLti, catalogue: dict[str, Any]) -> Iterator[XssBrowser]:
    found = XssBrowser(chromium, live)
    try:
        yield found
    finally:
        found.close()


@pytest.mark.parametrize("widget", ["readiness", "career_path", "badges"])
def test_learner_widgets(xss: XssBrowser, live: LiveLti, widget: str,
                         catalogue: dict[str, Any]) -> None:
    launch = xss.launch(lambda nonce: payload_claims(live, nonce, [LEARNER], widget))
    xss.assert_inert(f"learner {widget} (launch)")
    if not launch:  # the badges page carries no link back: the launch page was the widget
        return
    xss.open(f"/widgets/{widget}?launch={launch}&role={catalogue['role']}")
    xss.assert_inert(f"learner {widget}")


@pytest.mark.parametrize("widget", ["mapping", "class_view"])
def test_instructor_pages(xss: XssBrowser, live: LiveLti, widget: str,
                          catalogue: dict[str, Any]) -> None:
    launch = xss.launch(lambda nonce: payload_claims(live, nonce, [INSTRUCTOR], widget))
    with services(live.tool).database.session() as session:
        from lti_tool.store.repositories import CourseRepository

        course = CourseRepository(session).upsert_course(
            live.platform.registration.tenant_id, "xss-course",
            registration_id=live.platform.registration.id, title=SCRIPT, label=IMG)
        CourseRepository(session).upsert_lms_item(course.id, "line_item", "xss-item",
                                                  title=IMG, score_maximum=100)
    xss.assert_inert(f"instructor {widget} (launch)")
    for path in (f"/widgets/{widget}?launch={launch}", f"/widgets/{widget}?launch={launch}"
                 f"&role={catalogue['role']}&item={IMG}&done={SCRIPT}"):
        xss.open(path)
        xss.assert_inert(f"instructor {path}")


def test_admin_pages(xss: XssBrowser, live: LiveLti, catalogue: dict[str, Any]) -> None:
    launch = xss.launch(lambda nonce: payload_claims(live, nonce, [ADMIN], "admin"))
    xss.assert_inert("admin dashboard (launch)")
    for path in ("/admin/", "/admin/frameworks", f"/admin/frameworks/{catalogue['framework']}",
                 "/admin/roles", f"/admin/roles/{catalogue['role']}", "/admin/api-keys",
                 "/admin/platforms", "/admin/keys"):
        xss.open(f"{path}?launch={launch}")
        xss.assert_inert(f"admin {path}", shows_payload=path not in {"/admin/keys",
                                                                     "/admin/platforms"})


def test_deep_linking_picker(xss: XssBrowser, live: LiveLti) -> None:
    settings = {"deep_link_return_url": JS_URL, "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe"], "data": SCRIPT,
                "title": IMG, "text": SCRIPT}
    xss.launch(lambda nonce: payload_claims(
        live, nonce, [INSTRUCTOR], "", message_type="LtiDeepLinkingRequest",
        **{c.DEEP_LINKING_SETTINGS: settings}))
    xss.assert_inert("deep-linking picker", shows_payload=False)


def test_error_page(xss: XssBrowser, live: LiveLti) -> None:
    xss.launch(lambda nonce: payload_claims(live, nonce, [LEARNER], "readiness",
                                            **{c.DEPLOYMENT_ID: SCRIPT + IMG}))
    assert "What failed" in xss.page.inner_text("body")
    xss.assert_inert("launch error page")
