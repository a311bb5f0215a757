"""People's evidence through the use cases: projects, observations, self-ratings, roles."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.bootstrap import services
from lti_tool.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from lti_tool.domain.people_evidence import SubmissionState
from lti_tool.store.database import Database
from lti_tool.store.models import EvidenceRow, PersonRow, RoleChangeRow
from lti_tool.store.models.events import EventRow
from lti_tool.store.repositories import CourseRepository, PersonRepository
from lti_tool.usecases.current_role import choose_current_role, current_role
from lti_tool.usecases.mentoring import keep_mentees
from lti_tool.usecases.observations import (
    observations_of,
    record_observation,
    withdraw_observation,
)
from lti_tool.usecases.projects import (
    accept_project,
    return_project,
    review_queue,
    submissions,
    submit_project,
)
from lti_tool.usecases.readiness import load_levels, readiness_report
from lti_tool.usecases.self_ratings import rate_self
from lti_tool.usecases.tenant_evidence_settings import change_evidence_settings, set_manager
from tests.integration.instructor.conftest import Classroom
from tests.integration.widgets.scenario import START

LATER = START + timedelta(days=30)
MENTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"


def _db(app: Flask) -> Database:
    return services(app).database


def _vis(room: Classroom) -> str:
    return room.scenario.competencies["PD.ANL.VIS"]


def test_accepted_project_is_evidence_rules_use_and_raises_level_and_readiness(
        tool_app: Flask, classroom: Classroom) -> None:
    db, s = _db(tool_app), classroom.scenario
    before = load_levels(db, s.tenant_id, s.person_id)
    ready_before = readiness_report(before, s.roles["Senior Data Analyst"], LATER).readiness
    sub = submit_project(db, s.tenant_id, s.person_id, _vis(classroom),
                         "https://portfolio.example.org/dashboards/churn", "Churn dashboard",
                         LATER)
    assert sub.state == SubmissionState.SUBMITTED
    queue = review_queue(db, s.tenant_id, s.course_id)
    assert [(q.submission.id, q.learner_name) for q in queue] == [(sub.id, "Amara Okafor")]
    done = accept_project(db, s.tenant_id, classroom.instructor_id, sub.id, 3, LATER,
                          course_id=s.course_id)
    assert (done.state, done.level, done.reviewer_id) == (
        SubmissionState.ACCEPTED, 3, str(classroom.instructor_id))
    assert review_queue(db, s.tenant_id, s.course_id) == []
    with db.read_session() as session:
        kinds = session.execute(select(EvidenceRow.competency_id, EvidenceRow.lms_item_id,
                                       EvidenceRow.value).where(
            EvidenceRow.kind == "project_accepted", EvidenceRow.person_id == s.person_id)).all()
    # on the competency at the level given, and on the "Dashboard project" item whose rule
    # reads "project accepted" for that competency
    assert sorted(kinds, key=str) == sorted([(int(_vis(classroom)), None, 3.0),
                                             (None, int(s.items["Dashboard project"]), 1.0)],
                                            key=str)
    after = load_levels(db, s.tenant_id, s.person_id)
    assert after.levels[_vis(classroom)] > before.levels[_vis(classroom)]
    assert "project_accepted" in after.evidence_kinds[_vis(classroom)]
    ready_after = readiness_report(after, s.roles["Senior Data Analyst"], LATER).readiness
    assert ready_after.score > ready_before.score
    with db.read_session() as session:
        events = [json.loads(data) for data in session.scalars(select(EventRow.data).where(
            EventRow.type == "evidence.added"))]
    assert [(e["source"], e["person_id"], e["kind"], e["competency_id"]) for e in events] == [
        ("project", s.person_id, "project_accepted", int(_vis(classroom)))]


def test_returned_project_carries_the_comment_and_can_be_submitted_again(
        tool_app: Flask, classroom: Classroom) -> None:
    db, s = _db(tool_app), classroom.scenario
    first = submit_project(db, s.tenant_id, s.person_id, _vis(classroom),
                           "https://example.org/a", "", LATER)
    assert first.title == "Data visualisation"
    with pytest.raises(Conflict):
        submit_project(db, s.tenant_id, s.person_id, _vis(classroom),
                       "https://example.org/b", "", LATER)
    with pytest.raises(InvalidInput):
        return_project(db, s.tenant_id, classroom.instructor_id, first.id, "  ", LATER)
    back = return_project(db, s.tenant_id, classroom.instructor_id, first.id,
                          "Label the axes, please.", LATER)
    assert (back.state, back.comment) == (SubmissionState.RETURNED, "Label the axes, please.")
    with pytest.raises(Conflict):
        accept_project(db, s.tenant_id, classroom.instructor_id, first.id, 2, LATER)
    again = submit_project(db, s.tenant_id, s.person_id, _vis(classroom),
                           "https://example.org/b", "v2", LATER + timedelta(hours=1))
    assert [x.state for x in submissions(db, s.tenant_id, s.person_id)] == [
        SubmissionState.SUBMITTED, SubmissionState.RETURNED]
    assert again.id != first.id


@pytest.mark.parametrize("url", ["http://example.org/x", "javascript:alert(1)", "",
                                 "https:///nohost", "https://user:pw@example.org/",
                                 "https://example.org/a b", 'https://e.org/"><script>',
                                 "https://e.org/" + "a" * 2100])
def test_artifact_links_are_https_with_a_host(tool_app: Flask, classroom: Classroom,
                                              url: str) -> None:
    s = classroom.scenario
    with pytest.raises(InvalidInput) as refused:
        submit_project(_db(tool_app), s.tenant_id, s.person_id, _vis(classroom), url, "", LATER)
    assert "url" in refused.value.errors


def test_only_an_instructor_of_the_learners_course_reviews(tool_app: Flask,
                                                            classroom: Classroom) -> None:
    db, s = _db(tool_app), classroom.scenario
    sub = submit_project(db, s.tenant_id, s.person_id, _vis(classroom),
                         "https://example.org/a", "", LATER)
    with db.session() as session:
        courses = CourseRepository(session)
        other = courses.upsert_course(s.tenant_id, "course-202", None, title="Other")
        stranger = PersonRepository(session).upsert_person(s.tenant_id, "t2", name="T2")
        courses.upsert_membership(other.id, stranger.id, "Instructor")
    for actor in (classroom.learners["ben"], stranger.id):  # a classmate; another course's
        with pytest.raises(NotAllowed):
            accept_project(db, s.tenant_id, actor, sub.id, 3, LATER)
    with pytest.raises(NotAllowed):  # the right instructor, but named for another course
        accept_project(db, s.tenant_id, classroom.instructor_id, sub.id, 3, LATER,
                       course_id=other.id)
    with pytest.raises(InvalidInput):  # not on the 4-point scale
        accept_project(db, s.tenant_id, classroom.instructor_id, sub.id, 7, LATER)
    with pytest.raises(NotFound):  # another tenant never sees it
        accept_project(db, s.tenant_id + 1000, classroom.instructor_id, sub.id, 3, LATER)


def test_observation_with_anchor_is_evidence_its_author_alone_withdraws(
        tool_app: Flask, classroom: Classroom) -> None:
    db, s = _db(tool_app), classroom.scenario
    ben, sql = classroom.learners["ben"], s.competencies["PD.ANL.SQL"]
    before = load_levels(db, s.tenant_id, ben).levels.get(sql)
    with pytest.raises(InvalidInput):  # the competency has anchors: one must be picked
        record_observation(db, s.tenant_id, classroom.instructor_id, ben, sql, 4, None, "",
                           LATER)
    with pytest.raises(InvalidInput):  # an anchor above the level observed
        record_observation(db, s.tenant_id, classroom.instructor_id, ben, sql, 2, 4, "",
                           LATER)
    seen = record_observation(db, s.tenant_id, classroom.instructor_id, ben, sql, 4, 4,
                              "Ran the SQL clinic <b>twice</b>", LATER, course_id=s.course_id)
    assert seen.anchor.startswith("Reviews others' SQL")
    assert (seen.author_id, seen.as_manager) == (str(classroom.instructor_id), False)
    assert load_levels(db, s.tenant_id, ben).levels[sql] > (before or 0)
    with pytest.raises(NotAllowed):
        withdraw_observation(db, s.tenant_id, classroom.learners["chidi"], seen.id, LATER)
    withdraw_observation(db, s.tenant_id, classroom.instructor_id, seen.id, LATER)
    assert observations_of(db, s.tenant_id, ben) == []
    assert load_levels(db, s.tenant_id, ben).levels.get(sql) == before
    with pytest.raises(NotFound):
        withdraw_observation(db, s.tenant_id, classroom.instructor_id, seen.id, LATER)


def test_managers_observe_only_where_the_tenant_allows_it(tool_app: Flask,
                                                          classroom: Classroom) -> None:
    """A Mentor outside a launch (the API path) observes only the people its last Mentor
    launch in the course named, not every learner of the course."""
    db, s = _db(tool_app), classroom.scenario
    ben, sql = classroom.learners["ben"], s.competencies["PD.ANL.SQL"]
    chidi = classroom.learners["chidi"]
    with db.session() as session:
        people, courses = PersonRepository(session), CourseRepository(session)
        boss = people.upsert_person(s.tenant_id, "boss", name="Boss").id
        mentor = people.upsert_person(s.tenant_id, "mentor", name="Mentor").id
        courses.upsert_membership(s.course_id, mentor, MENTOR)
        ben_sub = _sub(session, ben)
    keep_mentees(db, s.tenant_id, s.course_id, mentor, [ben_sub], LATER)
    set_manager(db, s.tenant_id, ben, boss, True)
    for actor in (boss, mentor):
        with pytest.raises(NotAllowed):
            record_observation(db, s.tenant_id, actor, ben, sql, 3, 3, "", LATER)
    change_evidence_settings(db, s.tenant_id, managers_may_observe=True)
    for actor in (boss, mentor):
        seen = record_observation(db, s.tenant_id, actor, ben, sql, 3, 3, "", LATER)
        assert seen.as_manager
    with db.read_session() as session:
        kinds = set(session.scalars(select(EvidenceRow.kind).where(
            EvidenceRow.person_id == ben, EvidenceRow.source_ref.like("observation:%"))))
    assert kinds == {"manager_endorsement"}
    for actor in (boss, mentor):  # Chidi learns in the course, but is neither's
        with pytest.raises(NotAllowed):
            record_observation(db, s.tenant_id, actor, chidi, sql, 3, 3, "", LATER)
    with pytest.raises(NotAllowed):  # a course the Mentor does not mentor in
        record_observation(db, s.tenant_id, mentor, ben, sql, 3, 3, "", LATER,
                           course_id=s.course_id + 1000)
    keep_mentees(db, s.tenant_id, s.course_id, mentor, [], LATER)  # the LMS dropped Ben
    with pytest.raises(NotAllowed):
        record_observation(db, s.tenant_id, mentor, ben, sql, 3, 3, "", LATER)


def _sub(session: Session, person_id: int) -> str:
    row = session.get(PersonRow, person_id)
    assert row is not None
    return row.sub


def test_self_rating_never_raises_a_level_unless_the_tenant_says_so(
        tool_app: Flask, classroom: Classroom) -> None:
    db, s = _db(tool_app), classroom.scenario
    mod = s.competencies["PD.ANL.MOD"]
    before = load_levels(db, s.tenant_id, s.person_id).levels.get(mod)
    rating = rate_self(db, s.tenant_id, s.person_id, mod, 4, LATER)
    assert rating.anchor and rating.level == 4
    assert load_levels(db, s.tenant_id, s.person_id).levels.get(mod) == before
    change_evidence_settings(db, s.tenant_id, self_ratings_count=True)
    rate_self(db, s.tenant_id, s.person_id, mod, 3, LATER)
    assert load_levels(db, s.tenant_id, s.person_id).levels.get(mod) == 3
    with pytest.raises(InvalidInput):
        rate_self(db, s.tenant_id, s.person_id, mod, 0, LATER)


def test_current_role_is_the_learners_choice_until_the_hris_owns_it(
        tool_app: Flask, classroom: Classroom) -> None:
    db, s = _db(tool_app), classroom.scenario
    chosen = choose_current_role(db, s.tenant_id, s.person_id, s.roles["Product Manager I"])
    assert chosen.role_id == int(s.roles["Product Manager I"])
    assert load_levels(db, s.tenant_id, s.person_id).context.person.current_role_id == int(
        s.roles["Product Manager I"])
    with pytest.raises(NotFound):
        choose_current_role(db, s.tenant_id, s.person_id, 999999)
    with db.session() as session:
        session.add(RoleChangeRow(tenant_id=s.tenant_id, person_id=s.person_id,
                                  to_role_id=int(s.roles["Data Analyst"]), kind="hire",
                                  effective_date=START.date()))
    assert not current_role(db, s.tenant_id, s.person_id).editable
    with pytest.raises(Conflict):
        choose_current_role(db, s.tenant_id, s.person_id, s.roles["Data Analyst"])


def test_the_queue_holds_the_courses_learners_only(tool_app: Flask,
                                                   classroom: Classroom) -> None:
    db, s = _db(tool_app), classroom.scenario
    own = submit_project(db, s.tenant_id, classroom.instructor_id, _vis(classroom),
                         "https://example.org/teacher", "", LATER)
    ben = submit_project(db, s.tenant_id, classroom.learners["ben"], _vis(classroom),
                         "https://example.org/ben", "", LATER)
    assert [q.submission.id for q in review_queue(db, s.tenant_id, s.course_id)] == [ben.id]
    with pytest.raises(NotAllowed):  # nobody in the course may review their own teacher
        accept_project(db, s.tenant_id, classroom.instructor_id, own.id, 2, LATER)
    with pytest.raises(NotFound):
        review_queue(db, s.tenant_id + 1000, s.course_id)
