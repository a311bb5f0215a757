"""Attack: a parent or adviser (Canvas observer, sent as `membership#Mentor`) opens the
instructor pages of the course they observe in and reads the class roster, exports it,
changes evidence rules or starts syncs. A Mentor gets a notice, never instructor powers.
"""

from __future__ import annotations

import pytest

from lti_tool.lti.roles import LaunchView, observer_only, view_for
from lti_tool.web.csrf import csrf_token
from tests.security.world import (
    MARKERS,
    SECRET,
    VOCAB,
    World,
    browser_client,
    open_session,
)

MENTOR = VOCAB + "membership#Mentor"
MENTOR_ROLES = {
    "canvas observer": [MENTOR],
    "sub-role": [VOCAB + "membership/Mentor#Advisor"],
    "short name": ["Mentor"],
    "with #None noise": [MENTOR, VOCAB + "system/person#None"],
}
STAFF_PAGES = [("GET", "/widgets/class_view", "class_view"),
               ("GET", "/widgets/class_view.csv", "class_view"),
               ("GET", "/widgets/mapping", "mapping")]
STAFF_POSTS = [("/widgets/class_view/sync", "class_view"),
               ("/widgets/mapping/rules", "mapping")]
ROSTER = MARKERS["A"] + MARKERS["B"]  # learners of course X, which the mentor observes in


@pytest.mark.parametrize("kind", sorted(MENTOR_ROLES))
def test_a_mentor_gets_no_instructor_page(world: World, kind: str) -> None:
    roles = MENTOR_ROLES[kind]
    assert view_for(roles) is LaunchView.LEARNER
    client = browser_client(world)
    for method, path, widget in STAFF_PAGES:
        launch = open_session(world, roles, widget=widget, context="ctx-x", sub="sub-mentor")
        page = client.open(path, method=method, query_string={"launch": launch.launch_id})
        text = page.get_data(as_text=True)
        assert page.status_code == 403, (kind, path, page.status_code)
        assert not [m for m in ROSTER if m in text], (kind, path)
    for path, widget in STAFF_POSTS:
        launch = open_session(world, roles, widget=widget, context="ctx-x", sub="sub-mentor")
        before = world.row_counts()
        answer = client.post(path, data={"launch": launch.launch_id,
                                          "csrf": csrf_token(SECRET, launch.launch_id)})
        assert answer.status_code == 403, (kind, path, answer.status_code)
        assert world.row_counts() == before


def test_a_mentor_launch_lands_on_a_clear_notice(world: World) -> None:
    from lti_tool.bootstrap import services
    from lti_tool.usecases.launch import launch_session
    from lti_tool.web.launch_pages import page_for
    from tests.security.world import BROWSER_KEY

    launch = open_session(world, [MENTOR], widget="class_view", context="ctx-x",
                          sub="sub-mentor")
    found = launch_session(services(world.app).cache, launch.launch_id, BROWSER_KEY)
    with world.app.test_request_context("/lti/launch"):
        page = page_for(found)
    text = page if isinstance(page, str) else page[0] if isinstance(page, tuple) else \
        page.get_data(as_text=True)
    assert "no observer view" in text
    assert not [m for m in ROSTER if m in text]


def test_a_mentor_who_also_teaches_keeps_the_instructor_view() -> None:
    """Control: Mentor next to Instructor is an instructor (the Mentor adds nothing)."""
    roles = [MENTOR, VOCAB + "membership#Instructor"]
    assert view_for(roles) is LaunchView.INSTRUCTOR
    assert not observer_only(roles)
    assert not observer_only([MENTOR, VOCAB + "membership#Learner"])
    assert observer_only([MENTOR])
