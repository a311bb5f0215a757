"""Instructor pages in Chromium inside the sandbox LMS's iframe: an instructor maps a module,
a sync runs, the learner's readiness changes to what the domain computes; axe-core on the
mapping and class view pages; screenshots."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import update

from lti_tool.bootstrap import services
from lti_tool.store.models import LmsItemRow
from lti_tool.store.repositories import CourseRepository
from lti_tool.usecases.readiness import load_levels, readiness_report
from lti_tool.usecases.sync.jobs import run_sync
from tests.e2e.test_e2e_widgets import open_from_course, serious_violations
from tests.integration.widgets.live_demo import LiveDemo
from widgets.locale_format import LocaleFormat

MAPPED_ITEM = "Spreadsheet modelling lab"  # the sandbox grades it for the first learner


def sync_course(tool_app: Flask, demo: LiveDemo) -> None:
    """Sync the course from the sandbox.

    The scenario's own items (lms ids `li-0`…, not AGS URLs) become resource links first:
    a sync asks the LMS for the results of every line item the tool knows.
    """
    with services(tool_app).database.session() as session:
        session.execute(update(LmsItemRow).where(LmsItemRow.lms_id.like("li-%"))
                        .values(kind="resource_link"))
    run = run_sync(services(tool_app), demo.scenario.course_id, "e2e")
    assert run.status == "succeeded", run.error


def learner_readiness(tool_app: Flask, demo: LiveDemo, role_id: str) -> float:
    levels = load_levels(services(tool_app).database, demo.scenario.tenant_id,
                         demo.scenario.person_id)
    return readiness_report(levels, role_id, datetime.now(UTC)).readiness.score


def weakest_requirement(tool_app: Flask, demo: LiveDemo, role_id: str) -> tuple[str, int]:
    """A competency the role requires above the learner's level, and that required level."""
    levels = load_levels(services(tool_app).database, demo.scenario.tenant_id,
                         demo.scenario.person_id)
    role = levels.context.lattice.role(role_id)
    gaps = [r for r in role.requirements
            if levels.levels.get(r.competency_id, 0.0) < r.required_level]
    best = max(gaps, key=lambda r: r.weight * (r.required_level
                                               - levels.levels.get(r.competency_id, 0.0)))
    return best.competency_id, int(best.required_level)


def item_id(tool_app: Flask, demo: LiveDemo, title: str) -> int:
    with services(tool_app).database.session() as session:
        items = CourseRepository(session).lms_items(demo.scenario.course_id)
    return next(i.id for i in items if i.title == title and i.kind == "line_item")


def add_rule(frame: Any, item: int, competency: str, level: str) -> None:
    """Open the item's add-rule form, choose competency and level, keep "completed", save."""
    article = frame.locator(f"#item-{item}")
    article.locator("summary").click()
    article.locator("select[name=competency]").select_option(competency)
    article.locator("select[name=level]").select_option(level)
    article.get_by_role("button", name="Add rule").click()
    frame.get_by_text("The rule was added.").wait_for()


def test_mapping_a_module_changes_learner_readiness(tool_app: Flask, demo: LiveDemo,
                                                    page: Any, screenshots: Path) -> None:
    open_from_course(page, demo, "mapping", "instructor")  # the launch announces the services
    sync_course(tool_app, demo)
    role_id = str(demo.scenario.roles["Senior Data Analyst"])
    before = learner_readiness(tool_app, demo, role_id)
    competency, required = weakest_requirement(tool_app, demo, role_id)
    frame = open_from_course(page, demo, "mapping", "instructor")
    framework = frame.locator(f"select[name=competency] option[value='{competency}']").first \
        .get_attribute("data-framework")
    add_rule(frame, item_id(tool_app, demo, MAPPED_ITEM), competency, f"{framework}:{required}")
    page.screenshot(path=str(screenshots / "mapping-rule-added.png"), full_page=True)
    sync_course(tool_app, demo)
    after = learner_readiness(tool_app, demo, role_id)
    assert after > before
    learner = open_from_course(page, demo, "readiness")
    learner.locator("#role").select_option(role_id)
    learner.get_by_role("button", name="Show").click()
    shown = LocaleFormat("en").percent(after)
    learner.locator(f".cp-readiness-text[data-readiness='{shown}']").wait_for()
    assert shown != LocaleFormat("en").percent(before)
    page.screenshot(path=str(screenshots / "readiness-after-mapping.png"), full_page=True)


def test_instructor_pages_are_accessible(tool_app: Flask, demo: LiveDemo, page: Any,
                                         screenshots: Path) -> None:
    open_from_course(page, demo, "mapping", "instructor")
    sync_course(tool_app, demo)
    frame = open_from_course(page, demo, "mapping", "instructor")
    frame.locator("details.cp-add-rule summary").first.click()
    serious = serious_violations(frame)
    assert not serious, serious
    page.screenshot(path=str(screenshots / "mapping-instructor-synced.png"), full_page=True)
    frame.get_by_role("link", name="Class view").click()
    frame.locator("#heat-h").wait_for()
    serious = serious_violations(frame)
    assert not serious, serious
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = frame.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"class view scrolls sideways by {overflow}px at {width}px"
        page.screenshot(path=str(screenshots / f"class_view-instructor-{width}.png"),
                        full_page=True)
