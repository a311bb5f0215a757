"""People's evidence in Chromium inside the sandbox LMS's iframe: a learner sends a project,
the instructor accepts it and the learner's level and readiness rise; an observation with a
behavioural anchor (by the instructor, and by an LMS Mentor on their own page); a
self-rating beside the level; the current role changed; the frame resized by
lti.frameResize; axe-core on the new parts of the pages."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.sandbox import platform_of
from lti_tool.sandbox.seed import add_demo_mentor
from lti_tool.usecases.observations import observations_of
from lti_tool.usecases.readiness import load_levels
from lti_tool.usecases.tenant_evidence_settings import change_evidence_settings
from tests.e2e.test_e2e_instructor import learner_readiness
from tests.e2e.test_e2e_widgets import open_from_course, serious_violations
from tests.integration.widgets.live_demo import LiveDemo
from widgets.locale_format import LocaleFormat

TARGET = "Senior Data Analyst"


def _level(tool_app: Flask, demo: LiveDemo, code: str) -> float | None:
    levels = load_levels(services(tool_app).database, demo.scenario.tenant_id,
                         demo.scenario.person_id)
    return levels.levels.get(demo.scenario.competencies[code])


def readiness_for_target(page: Any, demo: LiveDemo) -> Any:
    frame = open_from_course(page, demo, "readiness")
    role = str(demo.scenario.roles[TARGET])
    frame.locator("#role").select_option(role)
    frame.get_by_role("button", name="Show").click()
    frame.wait_for_url(re.compile(rf"[?&]role={role}(&|$)"))  # the page shown before has
    frame.locator("#evidence-h").wait_for()                  # an #evidence-h too
    return frame


def class_view(page: Any, demo: LiveDemo) -> Any:
    frame = open_from_course(page, demo, "mapping", "instructor")
    frame.get_by_role("link", name="Class view").click()
    frame.locator("#queue-h").wait_for()
    return frame


def test_project_sent_accepted_raises_level_and_readiness(tool_app: Flask, demo: LiveDemo,
                                                          page: Any, screenshots: Path) -> None:
    vis = demo.scenario.competencies["PD.ANL.VIS"]
    role_id = str(demo.scenario.roles[TARGET])
    level_before = _level(tool_app, demo, "PD.ANL.VIS")
    ready_before = learner_readiness(tool_app, demo, role_id)
    frame = readiness_for_target(page, demo)
    card = frame.locator(f"article[data-competency='{vis}']")
    card.get_by_label("Link to your work (https)").fill("https://portfolio.example.org/churn")
    card.get_by_label("Project title").fill("Churn <dashboard>")
    card.get_by_role("button", name="Send for review").click()
    frame.get_by_text("Your project was sent for review.").wait_for()
    card = frame.locator(f"article[data-competency='{vis}']")
    assert card.locator(".cp-submission[data-state='submitted']").inner_text().startswith(
        "Churn <dashboard>: waiting for review")
    assert card.locator(".cp-project-form").count() == 0  # one waiting per competency
    page.screenshot(path=str(screenshots / "readiness-project-sent.png"), full_page=True)

    staff = class_view(page, demo)
    item = staff.locator(".cp-queue-item", has_text="Churn <dashboard>")
    assert "Amara Okafor" in item.inner_text()
    item.get_by_label("Level it shows").select_option("3")
    item.get_by_role("button", name="Accept").click()
    staff.get_by_text("The project was accepted.").wait_for()
    assert staff.locator(".cp-queue-item").count() == 0
    page.screenshot(path=str(screenshots / "class_view-project-accepted.png"), full_page=True)

    level_after = _level(tool_app, demo, "PD.ANL.VIS")
    ready_after = learner_readiness(tool_app, demo, role_id)
    assert level_after is not None and level_after > (level_before or 0)
    assert ready_after > ready_before
    frame = readiness_for_target(page, demo)
    card = frame.locator(f"article[data-competency='{vis}']")
    assert card.locator(".cp-evidence-level").get_attribute("data-level") == str(level_after)
    assert "accepted at Exceeds expectations (3)" in card.locator(
        ".cp-submission[data-state='accepted']").inner_text()
    shown = LocaleFormat("en").percent(ready_after)
    frame.locator(f".cp-readiness-text[data-readiness='{shown}']").wait_for()


def test_instructor_records_an_observation_with_an_anchor(tool_app: Flask, demo: LiveDemo,
                                                          page: Any, screenshots: Path) -> None:
    staff = class_view(page, demo)
    form = staff.locator("form", has=staff.locator("#observe-learner"))
    form.locator("#observe-learner").select_option(label="Amara Okafor")
    form.locator("#observe-competency").select_option(demo.scenario.competencies["PD.ANL.SQL"])
    form.get_by_role("button", name="Observe…").click()
    staff.locator("#observe-level").wait_for()
    staff.locator("#observe-level").select_option("3")
    anchor = "Uses window functions and CTEs, and tunes slow queries with the plan."
    staff.get_by_label(f"3: {anchor}").check()
    staff.locator("#observe-note").fill("Tuned the <slow> report query")
    serious = serious_violations(staff)
    assert not serious, serious
    staff.get_by_role("button", name="Record observation").click()
    staff.get_by_text("Your observation was recorded.").wait_for()
    entry = staff.locator(".cp-observation").first
    assert anchor in entry.inner_text() and "Tuned the <slow> report query" in entry.inner_text()
    assert "observed by Grace Whitfield" in entry.inner_text()
    found = observations_of(services(tool_app).database, demo.scenario.tenant_id,
                            demo.scenario.person_id)
    assert [(o.level, o.anchor) for o in found] == [(3, anchor)]
    assert _level(tool_app, demo, "PD.ANL.SQL") == 3
    page.screenshot(path=str(screenshots / "class_view-observation.png"), full_page=True)
    entry.get_by_role("button", name="Withdraw").click()
    staff.get_by_text("Your observation was withdrawn.").wait_for()
    assert observations_of(services(tool_app).database, demo.scenario.tenant_id,
                           demo.scenario.person_id) == []


def test_a_mentor_records_an_observation_the_learner_then_sees(tool_app: Flask, demo: LiveDemo,
                                                              page: Any,
                                                              screenshots: Path) -> None:
    """An LMS Mentor (role_scope_mentor names the demo learner) observes on their own page."""
    add_demo_mentor(platform_of(demo.live.sandbox))
    change_evidence_settings(services(tool_app).database, demo.scenario.tenant_id,
                             managers_may_observe=True)
    sql = demo.scenario.competencies["PD.ANL.SQL"]
    mentor = open_from_course(page, demo, "readiness", "mentor")
    assert mentor.locator("h1").inner_text() == "People I mentor"
    people = mentor.locator(".cp-mentee")
    assert people.count() == 1  # the other learners of the course are not the Mentor's
    card = mentor.locator(f".cp-mentee[data-person='{demo.scenario.person_id}']")
    assert "Amara Okafor" in card.inner_text()
    card.locator("select[name=competency]").select_option(sql)
    card.get_by_role("button", name="Observe… Amara Okafor").click()
    mentor.locator("#observe-level").wait_for()
    mentor.locator("#observe-level").select_option("3")
    anchor = "Uses window functions and CTEs, and tunes slow queries with the plan."
    mentor.get_by_label(f"3: {anchor}").check()
    mentor.locator("#observe-note").fill("Walked the <team> through the query plan")
    serious = serious_violations(mentor)
    assert not serious, serious
    mentor.get_by_role("button", name="Record observation").click()
    mentor.get_by_text("Your observation was recorded.").wait_for()
    entry = mentor.locator(".cp-observation").first
    assert anchor in entry.inner_text()
    assert "Walked the <team> through the query plan" in entry.inner_text()
    serious = serious_violations(mentor)
    assert not serious, serious
    page.screenshot(path=str(screenshots / "mentor-observation.png"), full_page=True)
    found = observations_of(services(tool_app).database, demo.scenario.tenant_id,
                            demo.scenario.person_id)
    assert [(o.level, o.anchor, o.as_manager) for o in found] == [(3, anchor, True)]

    frame = readiness_for_target(page, demo)  # the learner's own page now shows level 3
    card = frame.locator(f"article[data-competency='{sql}']")
    assert card.locator(".cp-evidence-level").get_attribute("data-level") == "3.0"
    assert _level(tool_app, demo, "PD.ANL.SQL") == 3


def test_self_rating_beside_the_level_never_raises_it(tool_app: Flask, demo: LiveDemo,
                                                      page: Any, screenshots: Path) -> None:
    mod = demo.scenario.competencies["PD.ANL.SQL"]
    before = _level(tool_app, demo, "PD.ANL.SQL")
    frame = readiness_for_target(page, demo)
    card = frame.locator(f"article[data-competency='{mod}']")
    card.locator("input[name=level][value='4']").check()
    card.get_by_role("button", name="Save my rating").click()
    frame.get_by_text("Your self-rating was saved.").wait_for()
    card = frame.locator(f"article[data-competency='{mod}']")
    assert card.locator(".cp-self-rating").get_attribute("data-level") == "4"
    assert card.locator(".cp-evidence-level").get_attribute("data-level") == str(before)
    assert "above your evidence" in card.locator(".cp-calibration-prompt").inner_text()
    assert _level(tool_app, demo, "PD.ANL.SQL") == before
    serious = serious_violations(frame)
    assert not serious, serious
    page.screenshot(path=str(screenshots / "readiness-self-rating.png"), full_page=True)


def test_learner_changes_current_role_and_next_roles_follow(tool_app: Flask, demo: LiveDemo,
                                                            page: Any,
                                                            screenshots: Path) -> None:
    frame = open_from_course(page, demo, "career_path")
    pm = str(demo.scenario.roles["Product Manager I"])
    frame.locator("#current-role").select_option(pm)
    frame.get_by_role("button", name="Save my current role").click()
    frame.get_by_text("Your current role was saved.").wait_for()
    assert frame.locator("#current-role").input_value() == pm
    levels = load_levels(services(tool_app).database, demo.scenario.tenant_id,
                         demo.scenario.person_id)
    assert levels.context.person.current_role_id == int(pm)
    serious = serious_violations(frame)
    assert not serious, serious
    page.screenshot(path=str(screenshots / "career_path-current-role.png"), full_page=True)


def test_the_lms_frame_takes_the_height_of_the_page(demo: LiveDemo, page: Any) -> None:
    frame = readiness_for_target(page, demo)
    iframe = page.locator("iframe.tool")
    deadline = time.monotonic() + 10
    while True:  # the frame follows the page's own height (the page before had another)
        content = frame.evaluate("() => Math.ceil(document.body.getBoundingClientRect().height)")
        asked = iframe.get_attribute("data-resized-to")
        if asked is not None and abs(int(asked) - content) <= 4:
            break
        assert time.monotonic() < deadline, ("no lti.frameResize for the page", asked, content)
        page.wait_for_timeout(100)
    box = iframe.bounding_box()
    assert box is not None and abs(box["height"] - int(asked)) <= 4, (box, asked)
    assert int(asked) > 900  # the readiness page is longer than the 75vh the sandbox starts at
    assert frame.evaluate("() => document.documentElement.scrollHeight") <= box["height"] + 4
    # the page grows (a notice, more content): the frame follows
    frame.evaluate("() => { const p = document.createElement('p');"
                   " p.textContent = 'x'; p.className = 'cp-card';"
                   " p.setAttribute('data-test', 'grow'); document.querySelector('main')"
                   ".append(...Array.from({length: 20}, () => p.cloneNode(true))); }")
    page.wait_for_function(
        f"() => Number(document.querySelector('iframe.tool').dataset.resizedTo) > {asked}")
