"""Deep linking in the browser: an instructor places a widget, the course shows the link."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lti_tool.sandbox import platform_of
from tests.e2e.test_e2e_widgets import serious_violations
from tests.integration.widgets.live_demo import LiveDemo


def test_instructor_places_a_readiness_widget(demo: LiveDemo, page: Any,
                                              screenshots: Path) -> None:
    live = demo.live
    instructor = live.users("instructor")[0]
    name = platform_of(live.sandbox).state.user(instructor).name
    page.goto(f"{live.sandbox_url}/courses/course-101")
    page.get_by_role("link", name=f"Deep linking: add CareerPath content (as {name})").click()
    frame = page.frame_locator("iframe.tool")
    frame.get_by_role("heading", name="Add CareerPath to Data Analytics Foundations").wait_for()
    tool_frame = page.frame(name="tool-frame")
    assert tool_frame is not None
    assert not serious_violations(tool_frame)
    page.screenshot(path=str(screenshots / "deep-linking-picker.png"), full_page=True)
    frame.get_by_label("Next-role readiness").check()
    frame.get_by_label("Send readiness (0–100) to the gradebook").check()
    frame.get_by_role("button", name="Place in course").click()
    frame.get_by_text("Content added to Data Analytics Foundations").first.wait_for()
    state = platform_of(live.sandbox).state
    with state.lock:
        placed = [link for link in state.course("course-101").links.values()
                  if link.custom.get("widget") == "readiness" and link.line_item_id]
    assert placed, "no readiness link with a gradebook column was placed"
    page.screenshot(path=str(screenshots / "deep-linking-placed.png"), full_page=True)
