"""The class view and learner pages with people's evidence, rendered for stored launches."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.store.repositories import PersonRepository
from lti_tool.store.repositories.sync import SyncRepository
from lti_tool.usecases.projects import submissions
from tests.integration.instructor.conftest import Classroom, OpenPage, csrf_of

HOSTILE = '<script>alert("x")</script>'


def _selected_role(page: str) -> str:
    select = page[page.index('id="role"'):]
    found = re.search(r'<option value="(\d+)" selected>', select)
    assert found, "no role selected"
    return found.group(1)


def test_readiness_chart_starts_on_the_role_most_learners_aim_for(
        client: FlaskClient, tool_app: Flask, classroom: Classroom, open_page: OpenPage) -> None:
    roles = classroom.scenario.roles
    with services(tool_app).database.session() as session:
        people = PersonRepository(session)
        for sub in ("ben", "chidi"):
            people.add_goal(classroom.learners[sub], roles["Product Manager I"])
        people.add_goal(classroom.learners["dana"], roles["Senior Data Analyst"])
    page = client.get("/widgets/class_view", query_string={"launch": open_page("class_view")})
    assert _selected_role(page.text) == str(roles["Product Manager I"])
    asked = client.get("/widgets/class_view", query_string={
        "launch": open_page("class_view"), "role": roles["Senior Data Analyst"]})
    assert _selected_role(asked.text) == str(roles["Senior Data Analyst"])


def test_sync_history_reads_as_sentences(client: FlaskClient, tool_app: Flask,
                                         classroom: Classroom, open_page: OpenPage) -> None:
    with services(tool_app).database.session() as session:
        repo = SyncRepository(session)
        run = repo.start_run(classroom.scenario.course_id, "instructor")
        repo.update_run(run.id, status="succeeded", counts={
            "evidence_created": 1100, "evidence_updated": 18, "results": 65, "line_items": 4})
    page = client.get("/widgets/class_view", query_string={"launch": open_page("class_view")})
    assert "1,118 evidence rows from 65 results (18 updated); 4 line items." in page.text
    assert "evidence_created" not in page.text and "evidence created" not in page.text


def test_learner_form_round_trip_escapes_and_needs_csrf(
        client: FlaskClient, tool_app: Flask, classroom: Classroom, open_page: OpenPage) -> None:
    s = classroom.scenario
    launch = open_page("readiness", view=1)
    page = client.get("/widgets/readiness", query_string={
        "launch": launch, "role": s.roles["Senior Data Analyst"]})
    vis = s.competencies["PD.ANL.VIS"]
    assert f'data-competency="{vis}"' in page.text
    form = {"launch": launch, "competency": vis, "title": HOSTILE,
            "url": 'https://example.org/"><script>x</script>'}
    refused = client.post("/widgets/readiness/projects", data=form)
    assert refused.status_code in (400, 403)
    db = services(tool_app).database
    assert submissions(db, s.tenant_id, s.person_id) == []
    sent = client.post("/widgets/readiness/projects", data={**form, "csrf": csrf_of(page.text)})
    assert sent.status_code == 303 and "notice=project_link" in sent.headers["Location"]
    form["url"] = "https://example.org/work?a=1&b=2"
    sent = client.post("/widgets/readiness/projects", data={**form, "csrf": csrf_of(page.text)})
    assert "notice=project_sent" in sent.headers["Location"]
    shown = client.get(sent.headers["Location"]).text
    assert "Your project was sent for review." in shown
    assert HOSTILE not in shown and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in shown
    assert 'href="https://example.org/work?a=1&amp;b=2"' in shown
    staff = client.get("/widgets/class_view", query_string={"launch": open_page("class_view")})
    assert HOSTILE not in staff.text and "Projects waiting for review" in staff.text
    assert staff.text.count('class="cp-queue-item"') == 1


def test_instructor_forms_act_only_on_the_launch_course(
        client: FlaskClient, tool_app: Flask, classroom: Classroom, open_page: OpenPage) -> None:
    s = classroom.scenario
    launch = open_page("class_view", person_id=classroom.instructor_id)
    csrf = csrf_of(client.get("/widgets/class_view", query_string={"launch": launch}).text)
    body = {"launch": launch, "csrf": csrf, "learner": classroom.learners["ben"],
            "competency": s.competencies["PD.ANL.SQL"], "level": "3"}
    missing_anchor = client.post("/widgets/class_view/observations", data=body)
    assert "notice=anchor_needed" in missing_anchor.headers["Location"]
    done = client.post("/widgets/class_view/observations", data={**body, "anchor_level": "3"})
    assert "notice=observed" in done.headers["Location"]
    # a learner's launch of the same course is refused outright
    learner = open_page("class_view", view=1)
    assert client.post("/widgets/class_view/observations",
                       data={**body, "launch": learner}).status_code == 403
    # the learner's own launch on the class view page cannot be a staff member of another
    other = open_page("class_view", person_id=classroom.learners["chidi"])
    csrf_other = csrf_of(client.get("/widgets/class_view", query_string={"launch": other}).text)
    refused = client.post("/widgets/class_view/observations", data={
        **body, "launch": other, "csrf": csrf_other, "anchor_level": "3"})
    assert "notice=not_allowed" in refused.headers["Location"]
