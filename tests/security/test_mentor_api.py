"""Attack: a person who is an LMS Mentor in a course records observations through the REST
API for learners of that course the LMS never named as their mentees. The API sees no
launch: it must hold a Mentor to the mentees its last Mentor launch in the course named
(stored as mentor links), as the Mentor's page does, and never reach across tenants.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.lti import claims as c
from lti_tool.store.models import MentorLinkRow
from lti_tool.usecases.launch import LaunchSession, record_launch
from lti_tool.usecases.tenant_evidence_settings import change_evidence_settings
from tests.security.world import BROWSER_KEY, MENTOR, World, open_session


def _observe(world: World, key: str, author: int, learner: int,
             competency: int, **extra: Any) -> Any:
    return world.app.test_client().post(
        f"/api/v1/people/{learner}/observations",
        json={"author_id": author, "competency_id": competency, "level": 2, **extra},
        headers={"Authorization": f"Bearer {world.bearer[key]}"})


def _mentor(world: World, sub: str, mentees: Any, now: float | None = None) -> LaunchSession:
    return open_session(world, [MENTOR], widget="readiness", context="ctx-x", sub=sub,
                        extra={c.ROLE_SCOPE_MENTOR: mentees}, now=now)


def _links(world: World, mentor: int) -> list[tuple[str, int | None, datetime]]:
    with services(world.app).database.read_session() as session:
        return [(row.mentee_sub, row.mentee_id, row.updated_at) for row in session.scalars(
            select(MentorLinkRow).where(MentorLinkRow.mentor_id == mentor)
            .order_by(MentorLinkRow.mentee_sub))]


def test_an_api_mentor_observes_its_mentees_only(world: World) -> None:
    ids = world.ids
    a, b = ids["person_learner_a"], ids["person_learner_b"]
    mentor = _mentor(world, "sub-api-mentor-1", ["sub-alfa"]).person_id
    seen = _observe(world, "key_t1_all", mentor, a, ids["comp1"])
    assert seen.status_code == 201, seen.text
    assert seen.json["as_manager"] is True
    in_course = _observe(world, "key_t1_all", mentor, a, ids["comp1"],
                         course_id=ids["course_ctx-x"])
    assert in_course.status_code == 201, in_course.text
    # B learns in the same course, where this person is a Mentor: not named, refused
    before = world.row_counts()
    for learner in (b, mentor):
        refused = _observe(world, "key_t1_all", mentor, learner, ids["comp1"])
        assert refused.status_code == 403, refused.text
    # a course the Mentor does not mentor in names no one
    elsewhere = _observe(world, "key_t1_all", mentor, a, ids["comp1"],
                         course_id=ids["course_ctx-y"])
    assert elsewhere.status_code == 403, elsewhere.text
    assert world.row_counts() == before


def test_a_later_launch_without_a_mentee_removes_the_access(world: World) -> None:
    ids = world.ids
    a, b = ids["person_learner_a"], ids["person_learner_b"]
    first = _mentor(world, "sub-api-mentor-2", ["sub-alfa", "sub-bravo"], now=1_000_000.0)
    mentor = first.person_id
    for learner in (a, b):
        assert _observe(world, "key_t1_all", mentor, learner, ids["comp1"]).status_code == 201
    written = _links(world, mentor)
    assert [(sub, who) for sub, who, _ in written] == [("sub-alfa", a), ("sub-bravo", b)]
    _mentor(world, "sub-api-mentor-2", ["sub-bravo", "sub-alfa"], now=1_000_500.0)
    assert _links(world, mentor) == written  # the same set: nothing written again
    _mentor(world, "sub-api-mentor-2", ["sub-bravo"])
    assert [sub for sub, _, _ in _links(world, mentor)] == ["sub-bravo"]
    assert _observe(world, "key_t1_all", mentor, a, ids["comp1"]).status_code == 403
    assert _observe(world, "key_t1_all", mentor, b, ids["comp1"]).status_code == 201
    _mentor(world, "sub-api-mentor-2", "sub-bravo")  # malformed: names no one
    assert _links(world, mentor) == []
    assert _observe(world, "key_t1_all", mentor, b, ids["comp1"]).status_code == 403


def test_a_mentee_who_opens_careerpath_later_is_matched_by_sub(world: World) -> None:
    ids = world.ids
    mentor = _mentor(world, "sub-api-mentor-3", ["sub-late-comer"]).person_id
    assert [(sub, who) for sub, who, _ in _links(world, mentor)] == [("sub-late-comer", None)]
    late = open_session(world, [MENTOR.replace("Mentor", "Learner")], widget="readiness",
                        context="ctx-x", sub="sub-late-comer").person_id
    assert _observe(world, "key_t1_all", mentor, late, ids["comp1"]).status_code == 201


def test_mentor_links_stay_in_their_tenant(world: World) -> None:
    ids = world.ids
    d = ids["person_learner_d"]
    # a tenant 1 Mentor whose claim names tenant 2's learner by sub gets no one
    mentor1 = _mentor(world, "sub-api-mentor-4", ["sub-delta", "sub-alfa"]).person_id
    assert dict((sub, who) for sub, who, _ in _links(world, mentor1)) == {
        "sub-alfa": ids["person_learner_a"], "sub-delta": None}
    assert _observe(world, "key_t1_all", mentor1, d, ids["comp1"]).status_code == 404
    assert _observe(world, "key_t2_all", mentor1, d, ids["comp2"]).status_code == 404
    # tenant 2 (managers' observations off) refuses its own Mentor of D
    claims: dict[str, Any] = {
        "iss": "https://lms-t2.example", "aud": "client-t2", "sub": "sub-api-mentor-t2",
        "name": "Mentor Two", c.DEPLOYMENT_ID: "dep-t2", c.ROLES: [MENTOR],
        c.CUSTOM: {"widget": "readiness"}, c.RESOURCE_LINK: {"id": "link-readiness"},
        c.CONTEXT: {"id": "ctx-z", "label": "CTX-Z"}, c.ROLE_SCOPE_MENTOR: ["sub-delta"]}
    svc = services(world.app)
    mentor2 = record_launch(svc.database, svc.cache, world.platforms[2].registration, claims,
                            "LtiResourceLinkRequest", ["https://lms-t2.example"],
                            browser_key=BROWSER_KEY).person_id
    assert [(sub, who) for sub, who, _ in _links(world, mentor2)] == [("sub-delta", d)]
    assert _observe(world, "key_t2_all", mentor2, d, ids["comp2"]).status_code == 403
    change_evidence_settings(svc.database, ids["tenant2"], managers_may_observe=True)
    try:
        seen = _observe(world, "key_t2_all", mentor2, d, ids["comp2"])
        assert seen.status_code == 201 and seen.json["as_manager"] is True, seen.text
        # tenant 1's key acts neither for tenant 2's Mentor nor on tenant 2's learner
        assert _observe(world, "key_t1_all", mentor2, ids["person_learner_a"],
                        ids["comp1"]).status_code == 404
        assert _observe(world, "key_t1_all", mentor2, d, ids["comp1"]).status_code == 404
    finally:
        change_evidence_settings(svc.database, ids["tenant2"], managers_may_observe=False)


def test_an_erased_mentee_leaves_no_mentor_link(world: World) -> None:
    """Links name a person by `sub` before CareerPath knows them: erasure removes those too,
    and a later claim naming the erased `sub` stores nothing."""
    from lti_tool.usecases.erasure import erase_person

    ids = world.ids
    mentor = _mentor(world, "sub-api-mentor-5", ["sub-gone"]).person_id
    gone = open_session(world, [MENTOR.replace("Mentor", "Learner")], widget="readiness",
                        context="ctx-x", sub="sub-gone").person_id
    assert [(sub, who) for sub, who, _ in _links(world, mentor)] == [("sub-gone", None)]
    erase_person(services(world.app).database, ids["tenant1"], gone)
    assert _links(world, mentor) == []
    _mentor(world, "sub-api-mentor-5", ["sub-gone", "sub-alfa"])
    assert [sub for sub, _, _ in _links(world, mentor)] == ["sub-alfa"]
