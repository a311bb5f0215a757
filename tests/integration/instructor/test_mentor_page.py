"""The Mentor's page: an LMS Mentor observes only the people the launch's role_scope_mentor
claim (and the HRIS data) name, and only where the tenant turned managers' observations on."""

from __future__ import annotations

import secrets
from dataclasses import asdict

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.domain.errors import NotAllowed
from lti_tool.store.repositories import CourseRepository, PersonRepository
from lti_tool.usecases.launch import LaunchSession
from lti_tool.usecases.observations import observations_of, record_observation
from lti_tool.usecases.tenant_evidence_settings import change_evidence_settings, set_manager
from lti_tool.web.csrf import csrf_token
from lti_tool.web.launch_pages import page_for
from tests.integration.instructor.conftest import INJECTED_NAME, Classroom, csrf_of
from tests.support.launch_binding import bound_to_test_browser

MENTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
ANCHOR = "Uses window functions and CTEs, and tunes slow queries with the plan."


def _mentor(app: Flask, room: Classroom) -> int:
    with services(app).database.session() as session:
        person = PersonRepository(session).upsert_person(room.scenario.tenant_id, "mentor-sub",
                                                         name="Olivia Bennett")
        CourseRepository(session).upsert_membership(room.scenario.course_id, person.id, MENTOR)
        return person.id


def _launch(app: Flask, room: Classroom, person_id: int, mentees: list[str],
            roles: list[str] | None = None, locale: str = "en") -> str:
    launch = LaunchSession(
        launch_id=secrets.token_urlsafe(16), message_type="LtiResourceLinkRequest", view=1,
        tenant_id=room.scenario.tenant_id, registration_id=1, deployment_id="d1",
        person_id=person_id, person_name="Olivia Bennett", course_id=room.scenario.course_id,
        course_title="Data Analytics Foundations", widget="readiness", locale=locale,
        roles=[MENTOR] if roles is None else roles, custom={"widget": "readiness"},
        platform_origins=["http://localhost:5001"], mentees=mentees, **bound_to_test_browser())
    services(app).cache.set(f"launch:{launch.launch_id}", asdict(launch), 600)
    return launch.launch_id


@pytest.fixture
def mentor_id(tool_app: Flask, classroom: Classroom) -> int:
    return _mentor(tool_app, classroom)


def _enable(app: Flask, room: Classroom) -> None:
    change_evidence_settings(services(app).database, room.scenario.tenant_id, True)


def _observe(client: FlaskClient, launch: str, learner: int, room: Classroom,
             **extra: str) -> object:
    csrf = csrf_token(services(client.application).settings.secret_key, launch)
    return client.post("/widgets/mentor/observations", data={
        "launch": launch, "csrf": csrf, "learner": str(learner),
        "competency": room.scenario.competencies["PD.ANL.SQL"], "level": "3",
        "anchor_level": "3", "note": "Tuned the <slow> report", **extra})


def test_not_enabled_shows_a_notice_and_no_one(client: FlaskClient, tool_app: Flask,
                                               classroom: Classroom, mentor_id: int) -> None:
    launch = _launch(tool_app, classroom, mentor_id, ["ben", "chidi"])
    page = client.get("/widgets/mentor", query_string={"launch": launch})
    assert page.status_code == 200
    assert "Observations by mentors are not turned on" in page.text
    for name in ("Ben Berg", "Chidi Costa", "Amara Okafor"):
        assert name not in page.text
    assert 'name="learner"' not in page.text
    refused = _observe(client, launch, classroom.learners["ben"], classroom)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert observations_of(services(tool_app).database, classroom.scenario.tenant_id,
                           classroom.learners["ben"]) == []


def test_the_mentor_sees_only_mentees_and_hris_reports(client: FlaskClient, tool_app: Flask,
                                                      classroom: Classroom,
                                                      mentor_id: int) -> None:
    _enable(tool_app, classroom)
    set_manager(services(tool_app).database, classroom.scenario.tenant_id,
                classroom.learners["dana"], mentor_id, True)
    launch = _launch(tool_app, classroom, mentor_id, ["ben", "never-launched"])
    page = client.get("/widgets/mentor", query_string={"launch": launch})
    assert page.status_code == 200, page.text
    assert "People I mentor" in page.text and "Mentor view" in page.text
    assert "Ben Berg" in page.text
    assert "Chidi Costa" not in page.text and "Amara Okafor" not in page.text
    assert INJECTED_NAME not in page.text  # dana (an HRIS report) is shown, escaped
    assert "=HYPERLINK(&#34;http://evil.example&#34;" in page.text
    assert "1 person you mentor has not opened CareerPath yet" in page.text
    assert page.headers["Content-Security-Policy"].count("frame-ancestors") == 1
    assert "<script>" not in page.text.replace(
        '<script src="/static/frame-resize.js" defer></script>', "")


def test_a_mentor_records_with_an_anchor_then_withdraws(client: FlaskClient, tool_app: Flask,
                                                       classroom: Classroom,
                                                       mentor_id: int) -> None:
    _enable(tool_app, classroom)
    ben, sql = classroom.learners["ben"], classroom.scenario.competencies["PD.ANL.SQL"]
    launch = _launch(tool_app, classroom, mentor_id, ["ben"])
    form = client.get("/widgets/mentor", query_string={
        "launch": launch, "observe": ben, "competency": sql})
    assert f"3: {ANCHOR}" in form.text and 'id="observe-level"' in form.text
    done = _observe(client, launch, ben, classroom)
    assert done.status_code == 303  # type: ignore[attr-defined]
    found = observations_of(services(tool_app).database, classroom.scenario.tenant_id, ben)
    assert [(o.level, o.anchor, o.as_manager, o.author_id) for o in found] == [
        (3, ANCHOR, True, str(mentor_id))]
    page = client.get("/widgets/mentor", query_string={"launch": launch, "notice": "observed"})
    assert "Your observation was recorded." in page.text
    assert "Tuned the &lt;slow&gt; report" in page.text
    withdrawn = client.post(f"/widgets/mentor/observations/{found[0].id}/withdraw", data={
        "launch": launch, "csrf": csrf_of(page.text)})
    assert withdrawn.status_code == 303
    assert observations_of(services(tool_app).database, classroom.scenario.tenant_id,
                           ben) == []


def test_a_course_learner_who_is_not_a_mentee_is_refused(client: FlaskClient, tool_app: Flask,
                                                        classroom: Classroom,
                                                        mentor_id: int) -> None:
    _enable(tool_app, classroom)
    chidi = classroom.learners["chidi"]
    launch = _launch(tool_app, classroom, mentor_id, ["ben"])
    refused = _observe(client, launch, chidi, classroom)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert "Chidi Costa" not in refused.get_data(as_text=True)  # type: ignore[attr-defined]
    assert observations_of(services(tool_app).database, classroom.scenario.tenant_id,
                           chidi) == []
    # the use case refuses too, though the Mentor shares the course with the learner
    with pytest.raises(NotAllowed):
        record_observation(services(tool_app).database, classroom.scenario.tenant_id,
                           mentor_id, chidi, classroom.scenario.competencies["PD.ANL.SQL"], 2,
                           None, "", _now(), classroom.scenario.course_id,
                           mentees=frozenset({classroom.learners["ben"]}))


def test_withdrawing_someone_elses_observation_is_refused(client: FlaskClient, tool_app: Flask,
                                                         classroom: Classroom,
                                                         mentor_id: int) -> None:
    _enable(tool_app, classroom)
    ben = classroom.learners["ben"]
    theirs = record_observation(services(tool_app).database, classroom.scenario.tenant_id,
                                classroom.instructor_id, ben,
                                classroom.scenario.competencies["PD.ANL.SQL"], 2, 2,
                                "by the instructor", _now(), classroom.scenario.course_id)
    launch = _launch(tool_app, classroom, mentor_id, ["ben"])
    page = client.get("/widgets/mentor", query_string={"launch": launch})
    assert "by the instructor" not in page.text  # only the Mentor's own are listed
    refused = client.post(f"/widgets/mentor/observations/{theirs.id}/withdraw", data={
        "launch": launch, "csrf": csrf_token(services(tool_app).settings.secret_key, launch)})
    assert refused.status_code == 403
    assert len(observations_of(services(tool_app).database, classroom.scenario.tenant_id,
                               ben)) == 1


def test_forms_need_the_launch_csrf_and_a_mentor_launch(client: FlaskClient, tool_app: Flask,
                                                       classroom: Classroom,
                                                       mentor_id: int) -> None:
    _enable(tool_app, classroom)
    ben = classroom.learners["ben"]
    launch = _launch(tool_app, classroom, mentor_id, ["ben"])
    forged = client.post("/widgets/mentor/observations", data={
        "launch": launch, "csrf": "0" * 64, "learner": str(ben),
        "competency": classroom.scenario.competencies["PD.ANL.SQL"], "level": "2"})
    assert forged.status_code in (400, 403)
    # a learner's (or instructor's) launch naming mentees opens no Mentor page
    learner = _launch(tool_app, classroom, classroom.learners["chidi"], ["ben"], [LEARNER])
    assert client.get("/widgets/mentor", query_string={"launch": learner}).status_code == 403
    assert _observe(client, learner, ben, classroom).status_code == 403  # type: ignore[attr-defined]
    assert observations_of(services(tool_app).database, classroom.scenario.tenant_id,
                           ben) == []


def test_a_mentor_launch_lands_on_the_mentor_page(tool_app: Flask, classroom: Classroom,
                                                  mentor_id: int) -> None:
    _enable(tool_app, classroom)
    launch = LaunchSession(**services(tool_app).cache.get(
        "launch:" + _launch(tool_app, classroom, mentor_id, ["ben"], locale="de")))
    with tool_app.test_request_context("/lti/launch"):
        page = page_for(launch)
    text = page.get_data(as_text=True)  # type: ignore[union-attr]
    assert "Personen, die ich begleite" in text and "Ben Berg" in text


def _now():  # noqa: ANN202
    from datetime import UTC, datetime

    return datetime.now(UTC)
