"""Attack: a parent or adviser (Canvas observer, sent as `membership#Mentor`) opens the
instructor pages of the course they observe in and reads the class roster, exports it,
changes evidence rules or starts syncs. A Mentor gets its own page (only the people the
platform names as its mentees, where the tenant enables managers' observations), never
instructor powers.
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
    assert "People I mentor" in text and "No one to observe yet" in text
    assert not [m for m in ROSTER if m in text]


def test_role_scope_mentor_opens_only_the_named_mentees(world: World) -> None:
    """The claim names A; B learns in the same course and stays hidden. A Learner launch that
    carries the claim (a platform bug or a forged token's wish) gets no Mentor page."""
    from lti_tool.lti import claims as c

    client = browser_client(world)
    scope = {c.ROLE_SCOPE_MENTOR: ["sub-alfa"]}
    launch = open_session(world, [MENTOR], widget="readiness", context="ctx-x",
                          sub="sub-mentor-2", extra=scope)
    page = client.get("/widgets/mentor", query_string={"launch": launch.launch_id}).text
    assert MARKERS["A"][0] in page and MARKERS["B"][0] not in page
    learner = open_session(world, [VOCAB + "membership#Learner"], widget="readiness",
                           context="ctx-x", sub="sub-learner-2", extra=scope)
    refused = client.get("/widgets/mentor", query_string={"launch": learner.launch_id})
    assert refused.status_code == 403
    assert not [m for m in ROSTER if m in refused.text]


def test_a_mentor_who_also_teaches_keeps_the_instructor_view() -> None:
    """Control: Mentor next to Instructor is an instructor (the Mentor adds nothing)."""
    roles = [MENTOR, VOCAB + "membership#Instructor"]
    assert view_for(roles) is LaunchView.INSTRUCTOR
    assert not observer_only(roles)
    assert not observer_only([MENTOR, VOCAB + "membership#Learner"])
    assert observer_only([MENTOR])


@pytest.mark.parametrize(("claim", "kept"), [
    ("sub-alfa", []),  # not a list: no mentees at all
    ([123, {"sub": "sub-bravo"}, "", "sub-alfa"], ["sub-alfa"]),  # only non-empty strings
    (None, [])])
def test_a_malformed_role_scope_mentor_claim_names_no_one_extra(world: World, claim: object,
                                                                kept: list[str]) -> None:
    from lti_tool.lti import claims as c

    launch = open_session(world, [MENTOR], widget="readiness", context="ctx-x",
                          sub="sub-mentor-3", extra={c.ROLE_SCOPE_MENTOR: claim})
    assert launch.mentees == kept
    page = browser_client(world).get("/widgets/mentor",
                                     query_string={"launch": launch.launch_id}).text
    assert MARKERS["B"][0] not in page
    assert (MARKERS["A"][0] in page) == bool(kept)
