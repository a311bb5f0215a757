"""The embeddable web components in Chromium on a portal of another origin (portal on
localhost, tool on 127.0.0.1): numbers from the domain, CORS with a widget token, expired and
foreign tokens, no script from API data, axe-core, 320 px, dark mode, screenshots."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from flask import Flask
from sqlalchemy import update

from lti_tool.bootstrap import services
from lti_tool.store.models import LmsItemRow
from lti_tool.store.repositories import PersonRepository
from lti_tool.usecases.badges import badges_of, issue_due_badges
from lti_tool.usecases.goals import declare_goals
from lti_tool.usecases.readiness import LearnerLevels, load_levels, next_roles, readiness_report
from lti_tool.usecases.widget_tokens import mint_widget_token
from tests.e2e.test_e2e_widgets import serious_violations
from tests.integration.widgets.scenario import Scenario, seed_scenario
from tests.support.servers import LiveServer
from widgets.locale_format import LocaleFormat

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "embed_widget.py"
PAYLOAD = "<img src=x onerror=window.__xss=1>"
NAME = f"Amara {PAYLOAD} Okafor"
MODULE_TITLE = f"Advanced SQL lab {PAYLOAD}"
GOAL = "Senior Data Analyst"
COMPONENTS = "careerpath-readiness, careerpath-career-path, careerpath-badges"
EN = LocaleFormat("en")


def _example() -> Any:
    """examples/embed_widget.py as a module (the portal page comes from its template)."""
    spec = importlib.util.spec_from_file_location("embed_widget", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Portal:
    app: Flask
    scenario: Scenario
    tool_url: str
    portal_url: str
    goal: str
    other_person: int

    def token(self, person: int | None = None, now: datetime | None = None) -> str:
        svc = services(self.app)
        return mint_widget_token(svc.database, svc.settings.secret_key, self.scenario.tenant_id,
                                 person or self.scenario.person_id, 600, now=now).token

    def page_url(self, token: str, person: int | None = None) -> str:
        from urllib.parse import urlencode

        return f"{self.portal_url}/?" + urlencode(
            {"token": token, "person": person or self.scenario.person_id})

    def levels(self) -> LearnerLevels:
        return load_levels(services(self.app).database, self.scenario.tenant_id,
                           self.scenario.person_id)


def portal_app(tool_url: str, name: str) -> Callable[..., Any]:
    """A tiny WSGI portal: examples/embed.html filled from `?token=&person=`."""
    fill = _example().portal_page

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if environ.get("PATH_INFO") != "/":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        body = fill(tool_url, query.get("token", [""])[0], int(query.get("person", ["0"])[0]),
                    name).encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                  ("Content-Length", str(len(body)))])
        return [body]

    return app


@pytest.fixture
def portal(tool_app: Flask) -> Iterator[Portal]:
    database = services(tool_app).database
    scenario = seed_scenario(database, "portal-learner", name=NAME)
    goal = scenario.roles[GOAL]
    declare_goals(database, scenario.tenant_id, scenario.person_id, [goal])
    with database.session() as session:
        session.execute(update(LmsItemRow).where(
            LmsItemRow.id == int(scenario.items["Advanced SQL lab"])).values(title=MODULE_TITLE))
        other = PersonRepository(session).upsert_person(scenario.tenant_id, "someone-else",
                                                        name="Someone Else").id
    tool, host = LiveServer("127.0.0.1"), LiveServer("127.0.0.1")
    tool_url, portal_url = tool.url(), host.url("localhost")
    tool.start(tool_app)
    host.start(portal_app(tool_url, NAME))
    try:
        yield Portal(tool_app, scenario, tool_url, portal_url, goal, int(other))
    finally:
        tool.stop()
        host.stop()


def open_portal(page: Any, url: str) -> None:
    """Record careerpath:error events, open the portal, wait for the three components."""
    page.add_init_script("window.__cpErrors = [];"
                         "addEventListener('careerpath:error', e => window.__cpErrors.push("
                         "{tag: e.target.localName, status: e.detail.status}));")
    page.goto(url)
    page.wait_for_function(
        f"() => [...document.querySelectorAll({COMPONENTS!r})].length === 3 && "
        f"[...document.querySelectorAll({COMPONENTS!r})].every("
        "e => ['ready', 'error'].includes(e.dataset.state))")


def text(page: Any, selector: str) -> str:
    return " ".join(page.locator(selector).inner_text().replace("\u202f", " ")
                    .replace("\u00a0", " ").split())


def still_needed_count(report: Any) -> int:
    gated = {g.competency_id for g in report.readiness.failing_gates}
    return len(report.readiness.failing_gates) + sum(
        1 for gap in report.readiness.gaps if gap.competency_id not in gated)


def test_components_show_the_domain_numbers_across_origins(portal: Portal, page: Any,
                                                           screenshots: Path) -> None:
    svc = services(portal.app)
    issued = issue_due_badges(svc.database, svc.settings, portal.scenario.tenant_id,
                              portal.scenario.person_id, datetime.now(UTC))
    assert issued, "the demo's badge levels give the learner a competency badge"
    open_portal(page, portal.page_url(portal.token()))
    assert page.evaluate("window.__cpErrors") == []
    levels = portal.levels()
    report = readiness_report(levels, portal.goal, datetime.now(UTC))
    r = report.readiness
    pct = EN.percent(r.score)
    assert f"You are {pct} ready for {report.role.name}; the role needs " \
           f"{EN.percent(r.threshold)}." in text(page, "careerpath-readiness .cp-readiness-text")
    gauge = page.locator("careerpath-readiness svg[role=img] title").text_content()
    assert gauge == f"Readiness for {report.role.name}: {pct}"
    assert page.locator("careerpath-readiness .cp-gates > li").count() == len(r.failing_gates)
    assert page.locator("careerpath-readiness .cp-gaps > li").count() == len(r.gaps)
    titles = {rec.module.title for plan in report.plans for rec in plan.recommendations}
    assert page.locator("careerpath-readiness .cp-modules > li").count() == len(
        [rec for plan in report.plans for rec in plan.recommendations])
    assert MODULE_TITLE in titles, "the payload module should be recommended"
    assert MODULE_TITLE in text(page, "careerpath-readiness .cp-gaps")

    goal_facts = text(page, f"careerpath-career-path .cp-goals [data-role='{portal.goal}']")
    assert goal_facts.startswith(report.role.name) and f"{pct} ready" in goal_facts
    expected_next = next_roles(levels)
    assert page.locator("careerpath-career-path .cp-next > li").count() == len(expected_next)
    for found in expected_next:
        facts = text(page, f"careerpath-career-path .cp-next [data-role='{found.role_id}']")
        assert f"{EN.percent(found.score)} ready · needs {EN.percent(found.threshold)}" in facts

    badge = page.locator(f"careerpath-badges .cp-badge[data-role='{portal.goal}']")
    assert f"Next-role readiness: {report.role.name}" in badge.locator("h3").inner_text()
    assert badge.locator(".cp-still-needed > li").count() == still_needed_count(report)
    earned = [b for b in badges_of(svc.database, portal.scenario.person_id) if not b.revoked]
    assert page.locator("careerpath-badges .cp-earned > li").count() == len(earned) > 0
    for found in earned:
        item = page.locator(f"careerpath-badges .cp-earned [data-badge='{found.id}']")
        assert item.locator("h3").inner_text() == found.name
        assert " ".join(item.locator(".cp-badge-facts").inner_text().split()).startswith(
            f"Issued {found.valid_from.strftime('%B')} {found.valid_from.day}, "
            f"{found.valid_from.year}")
        verify = item.locator("a.cp-verify")
        assert verify.get_attribute("href") == found.credential["id"]
        assert verify.get_attribute("target") == "_blank"
        assert verify.get_attribute("rel") == "noopener"
        assert item.locator("a.cp-download-json").get_attribute("href") == \
            found.credential["id"] + ".json"
        assert item.locator("a.cp-download-jwt").get_attribute("href") == \
            found.credential["id"] + ".jwt"
    badges_text = text(page, "careerpath-badges")
    assert "later release" not in badges_text and "issuing is enabled" not in badges_text

    assert page.evaluate("window.__xss") is None
    assert PAYLOAD in text(page, "header .person-name")
    assert page.locator("img").count() == 0
    page.screenshot(path=str(screenshots / "web-components-1280.png"), full_page=True)


def test_locale_and_role_attributes_re_render(portal: Portal, page: Any) -> None:
    open_portal(page, portal.page_url(portal.token()))
    levels = portal.levels()
    best = next_roles(levels)[0]
    page.evaluate("""([role]) => {
        const el = document.querySelector('careerpath-readiness');
        el.setAttribute('locale', 'fr'); el.setAttribute('role', role); }""", [best.role_id])
    report = readiness_report(levels, best.role_id, datetime.now(UTC))
    french = " ".join(LocaleFormat("fr").percent(report.readiness.score).split())
    expected = f"You are {french} ready for {report.role.name}"
    page.wait_for_function(
        "([expected]) => { const t = document.querySelector('careerpath-readiness')"
        ".shadowRoot.querySelector('.cp-readiness-text'); return !!t && t.textContent"
        ".replace(/[\\u202f\\u00a0\\s]+/g, ' ').includes(expected); }", arg=[expected])
    assert f"You are {french} ready for {report.role.name}" in text(
        page, "careerpath-readiness .cp-readiness-text")


def test_expired_or_forged_token_says_the_view_expired(portal: Portal, page: Any,
                                                       screenshots: Path) -> None:
    expired = portal.token(now=datetime.now(UTC) - timedelta(hours=1))
    open_portal(page, portal.page_url(expired))
    for tag in ("careerpath-readiness", "careerpath-career-path", "careerpath-badges"):
        assert text(page, f"{tag} [role=alert]") == "This view has expired; reload the page."
    assert {e["status"] for e in page.evaluate("window.__cpErrors")} == {401}
    assert len(page.evaluate("window.__cpErrors")) == 3
    page.screenshot(path=str(screenshots / "web-components-expired.png"), full_page=True)
    open_portal(page, portal.page_url(portal.token()[:-4] + "AAAA"))
    assert text(page, "careerpath-readiness [role=alert]") == \
        "This view has expired; reload the page."


def test_token_of_another_person_shows_not_available(portal: Portal, page: Any,
                                                     screenshots: Path) -> None:
    open_portal(page, portal.page_url(portal.token(portal.other_person)))
    for tag in ("careerpath-readiness", "careerpath-career-path", "careerpath-badges"):
        assert text(page, f"{tag} [role=alert]") == "Not available."
    assert {e["status"] for e in page.evaluate("window.__cpErrors")} == {404}
    page.screenshot(path=str(screenshots / "web-components-not-available.png"), full_page=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_portal_page_is_accessible_and_fits_320px(portal: Portal, page: Any, screenshots: Path,
                                                  scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    open_portal(page, portal.page_url(portal.token()))
    serious = serious_violations(page)
    assert not serious, serious
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the portal scrolls sideways by {overflow}px at 320px"
    page.screenshot(path=str(screenshots / f"web-components-320-{scheme}.png"), full_page=True)


def test_api_key_requests_get_no_cors_headers(portal: Portal) -> None:
    """A preflight is answered for widget views; an API key's response is never shared."""
    from lti_tool.usecases.api_keys import create_api_key

    key = create_api_key(services(portal.app).database, "northwind", "read", "cors").token
    client = portal.app.test_client()
    path = f"/api/v1/people/{portal.scenario.person_id}/goals"
    origin = {"Origin": portal.portal_url}
    preflight = client.options(path, headers={**origin, "Access-Control-Request-Method": "GET",
                                              "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Headers"] == "Authorization"
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    with_key = client.get(path, headers={**origin, "Authorization": f"Bearer {key}"})
    assert with_key.status_code == 200
    assert "Access-Control-Allow-Origin" not in with_key.headers
    widget = client.get(path, headers={**origin, "Authorization": f"Bearer {portal.token()}"})
    assert widget.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in widget.headers
    person = client.options(f"/api/v1/people/{portal.scenario.person_id}",
                            headers={**origin, "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in person.headers
