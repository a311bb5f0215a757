"""Learner widgets in Chromium inside the sandbox LMS's iframe (LMS on localhost, tool on
127.0.0.1): numbers, a goal set by keyboard, axe-core, no horizontal scroll, screenshots."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.config import in_ci
from lti_tool.store.repositories import PersonRepository
from lti_tool.usecases.readiness import load_levels, next_roles, readiness_report
from tests.integration.widgets.live_demo import LiveDemo
from widgets.locale_format import LocaleFormat

LINKS = {"career_path": "My career path", "readiness": "Next-role readiness",
         "badges": "My badges", "mapping": "Competency mapping (instructors)"}
WIDTHS = (320, 1280)


def open_from_course(page: Any, demo: LiveDemo, widget: str, kind: str = "learner") -> Any:
    """Click the widget's launch link on the course page; the tool's frame once it has loaded."""
    user = demo.live.users(kind)[0]
    name = demo.live.sandbox.extensions["careerpath_sandbox"].state.user(user).name
    page.goto(f"{demo.live.sandbox_url}/courses/course-101")
    row = page.locator("tr", has_text=LINKS[widget])
    row.get_by_role("link", name=f"launch as {name} ({kind})").click()
    page.frame_locator("iframe.tool").locator(".cp-widget-head").wait_for()
    frame = page.frame(name="tool-frame")
    assert frame is not None
    assert frame.url.startswith(demo.live.tool_url), frame.url
    return frame


def test_learner_sees_readiness_numbers_from_the_domain(tool_app: Flask, demo: LiveDemo,
                                                        page: Any, screenshots: Path) -> None:
    frame = open_from_course(page, demo, "readiness")
    levels = load_levels(services(tool_app).database, demo.scenario.tenant_id,
                         demo.scenario.person_id)
    best = next_roles(levels)[0]
    report = readiness_report(levels, best.role_id, datetime.now(UTC))
    shown = frame.locator(".cp-readiness-text").inner_text()
    assert f"{LocaleFormat('en').percent(report.readiness.score)} ready for {report.role.name}" \
        in shown
    assert frame.locator(".cp-gaps > li").count() == len(report.plans)
    page.screenshot(path=str(screenshots / "readiness-learner.png"), full_page=True)


def test_learner_sets_a_goal_by_keyboard_only(tool_app: Flask, demo: LiveDemo, page: Any,
                                              screenshots: Path) -> None:
    frame = open_from_course(page, demo, "career_path")
    goal = demo.scenario.roles["Senior Data Analyst"]
    tab_to(page, frame, f"document.activeElement.value === {goal!r}")
    page.keyboard.press("Space")
    assert frame.evaluate("document.activeElement.checked") is True
    tab_to(page, frame, "document.activeElement.type === 'submit'")
    page.keyboard.press("Enter")
    frame.get_by_text("Your goals were saved.").wait_for()
    with services(tool_app).database.session() as session:
        assert PersonRepository(session).goals(demo.scenario.person_id) == [goal]
    assert frame.locator(f'input[value="{goal}"]').is_checked()
    page.screenshot(path=str(screenshots / "career_path-goal-saved.png"), full_page=True)


def serious_violations(frame: Any) -> list[dict[str, Any]]:
    """axe-core (as shipped inside the axe-playwright-python wheel) on the frame's document."""
    if importlib.util.find_spec("axe_playwright_python") is None:
        reason = "axe-playwright-python (which ships axe.min.js) is not installed"
        pytest.fail(f"CI is set but {reason}") if in_ci() else pytest.skip(reason)
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(frame).response
    assert results["passes"], "axe-core ran no check"
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["html"] for n in v["nodes"]]}
            for v in results["violations"] if v.get("impact") in {"serious", "critical"}]


def tab_to(page: Any, frame: Any, condition: str, limit: int = 120) -> None:
    """Press Tab until `condition` holds on the frame's focused element."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if frame.evaluate(f"() => !!document.activeElement && ({condition})"):
            return
    pytest.fail(f"Tab never reached an element where {condition}")


@pytest.mark.parametrize(("widget", "kind"), [
    ("career_path", "learner"), ("readiness", "learner"), ("badges", "learner"),
    ("mapping", "learner"), ("mapping", "instructor")])
def test_widget_pages_are_accessible_and_fit(demo: LiveDemo, page: Any, screenshots: Path,
                                             widget: str, kind: str) -> None:
    frame = open_from_course(page, demo, widget, kind)
    serious = serious_violations(frame)
    assert not serious, serious
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = frame.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{widget} scrolls sideways by {overflow}px at {width}px"
        page.screenshot(path=str(screenshots / f"{widget}-{kind}-{width}.png"), full_page=True)
