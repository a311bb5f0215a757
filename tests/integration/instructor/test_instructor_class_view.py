"""Class view: heat-map cells and table, readiness distribution, CSV (injection guard),
sync now (CSRF, fake job queue), authorization, course isolation and escaping."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from lti_tool.bootstrap import services
from lti_tool.domain.cohorts import readiness_distribution
from lti_tool.domain.readiness import readiness_for
from lti_tool.store.models import CompetencyRow, LmsItemRow
from lti_tool.store.repositories.sync import SyncRepository
from lti_tool.usecases.readiness import load_levels
from tests.integration.instructor.conftest import (
    INJECTED_NAME,
    Classroom,
    FakeJobs,
    OpenPage,
    csrf_of,
)
from tests.integration.widgets.scenario import seed_scenario


def levels_of(app: Flask, room: Classroom) -> dict[str, dict[str, float]]:
    db = services(app).database
    return {sub: dict(load_levels(db, room.scenario.tenant_id, pid).levels)
            for sub, pid in room.learners.items()}


def test_heat_map_cells_and_table_match_levels(client: FlaskClient, classroom: Classroom,
                                               open_page: OpenPage) -> None:
    app, s = client.application, classroom.scenario
    page = client.get("/widgets/class_view", query_string={"launch": open_page("class_view")})
    assert page.status_code == 200
    levels = levels_of(app, classroom)
    sql = s.competencies["PD.ANL.SQL"]
    assert levels["ben"][sql] == 3 and levels["learner-sub"][sql] == 2
    cells = re.findall(r'data-competency="(\d+)" data-level="([^"]*)"', page.text)
    shown = {(c, v) for c, v in cells if v}
    expected = {(c, str(v)) for found in levels.values() for c, v in found.items()}
    assert shown == expected
    assert 'role="img"' in page.text and "<title id=\"heat-title\">" in page.text
    assert page.text.count('<th scope="row">') == 4  # the instructor is not a learner
    assert "cp-heat-3" in page.text and "3: Exceeds expectations" in page.text


def test_sort_by_competency_and_name(client: FlaskClient, classroom: Classroom,
                                     open_page: OpenPage) -> None:
    sql = classroom.scenario.competencies["PD.ANL.SQL"]
    launch = open_page("class_view")
    page = client.get("/widgets/class_view", query_string={"launch": launch, "sort": sql,
                                                           "order": "desc"}).text
    rows = re.findall(r'<th scope="row">([^<]*)</th>', page)
    assert rows[:2] == ["Ben Berg", "Amara Okafor"]
    assert 'aria-sort="descending"' in page
    by_name = client.get("/widgets/class_view", query_string={
        "launch": launch, "sort": "name", "order": "desc"}).text
    names = [html.unescape(n) for n in re.findall(r'<th scope="row">([^<]*)</th>', by_name)]
    assert names == sorted(names, key=str.casefold, reverse=True)


def test_readiness_distribution_from_the_domain(client: FlaskClient, classroom: Classroom,
                                                open_page: OpenPage) -> None:
    app, s = client.application, classroom.scenario
    role_id = s.roles["Senior Data Analyst"]
    page = client.get("/widgets/class_view", query_string={
        "launch": open_page("class_view"), "role": role_id}).text
    db = services(app).database
    learners = [load_levels(db, s.tenant_id, pid) for pid in classroom.learners.values()]
    role = learners[0].context.lattice.role(str(role_id))
    dist = readiness_distribution(role.id, [readiness_for(role, x.levels, x.evidence_kinds)
                                            for x in learners])
    assert f'data-total="{dist.total}" data-ready="{dist.ready}"' in page
    assert f"{round(dist.mean * 100)}%" in page
    desc = re.search(r'<desc id="hist-desc">([^<]*)</desc>', page).group(1)
    assert [int(n) for n in re.findall(r": (\d+)", desc)] == list(dist.bins)


def test_csv_export_with_injection_guard(client: FlaskClient, classroom: Classroom,
                                         open_page: OpenPage) -> None:
    app, s = client.application, classroom.scenario
    role_id = s.roles["Senior Data Analyst"]
    response = client.get("/widgets/class_view.csv", query_string={
        "launch": open_page("class_view"), "role": role_id})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="class-daf101-senior-data-analyst-'
                        r'\d{4}-\d\d-\d\d\.csv"', disposition), disposition
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:2] == ["learner", "email"] and rows[0][-1] == "ready"
    by_name = {row[0]: row for row in rows[1:]}
    assert "'" + INJECTED_NAME in by_name and INJECTED_NAME not in by_name
    assert by_name["Chidi Costa"][1] == "'+chidi@example.edu"
    assert by_name["'" + INJECTED_NAME][1] == "'@dana@example.edu"
    sql_column = rows[0].index("SQL querying")
    assert by_name["Ben Berg"][sql_column] == "3"
    for row in rows[1:]:
        assert not row[0].startswith(("=", "+", "-", "@"))
    levels = load_levels(services(app).database, s.tenant_id, classroom.learners["ben"])
    role = levels.context.lattice.role(str(role_id))
    ben = readiness_for(role, levels.levels, levels.evidence_kinds)
    assert by_name["Ben Berg"][-2] == f"{round(100 * ben.score, 1):g}"
    assert by_name["Ben Berg"][-1] == ("yes" if ben.ready else "no")


def test_learner_is_refused_everywhere(client: FlaskClient, classroom: Classroom,
                                       open_page: OpenPage, fake_jobs: FakeJobs) -> None:
    launch = open_page("class_view", view=1)
    for path in ("/widgets/class_view", "/widgets/class_view.csv"):
        response = client.get(path, query_string={"launch": launch})
        assert response.status_code == 403
        assert "This page is for instructors" in response.text
    assert client.post("/widgets/class_view/sync", data={"launch": launch}).status_code == 403
    assert fake_jobs.calls == []


def test_course_comes_from_the_launch_only(client: FlaskClient, tool_app: Flask,
                                           classroom: Classroom, open_page: OpenPage) -> None:
    other = seed_scenario(services(tool_app).database, "other-sub", name="Zed Other",
                          context_id="course-202", course_title="Other course")
    launch = open_page("class_view")
    page = client.get("/widgets/class_view", query_string={
        "launch": launch, "course_id": other.course_id, "course": other.course_id}).text
    assert "Zed Other" not in page and "Ben Berg" in page
    foreign = open_page("class_view", tenant_id=other.tenant_id + 1000)
    assert client.get("/widgets/class_view", query_string={"launch": foreign}).status_code \
        == 404
    badges = open_page("badges")
    assert client.get("/widgets/class_view", query_string={"launch": badges}).status_code \
        == 404


def test_sync_now_enqueues_and_redirects(client: FlaskClient, tool_app: Flask,
                                         classroom: Classroom, open_page: OpenPage,
                                         fake_jobs: FakeJobs) -> None:
    s = classroom.scenario
    launch = open_page("class_view")
    csrf = csrf_of(client.get("/widgets/class_view", query_string={"launch": launch}).text)
    refused = client.post("/widgets/class_view/sync", data={"launch": launch, "csrf": csrf})
    assert refused.status_code == 303 and "sync=unavailable" in refused.headers["Location"]
    assert fake_jobs.calls == []
    with services(tool_app).database.session() as session:
        SyncRepository(session).save_services(s.course_id, "https://lms/nrps",
                                              "https://lms/items", ["scope"])
    for bad in ("", "f" * 64):
        assert client.post("/widgets/class_view/sync",
                           data={"launch": launch, "csrf": bad}).status_code == 403
    assert fake_jobs.calls == []
    response = client.post("/widgets/class_view/sync", data={"launch": launch, "csrf": csrf})
    assert response.status_code == 303 and "sync=started" in response.headers["Location"]
    assert fake_jobs.calls == [(s.course_id, "instructor")]
    assert "Sync started" in client.get(response.headers["Location"]).text


def test_mapping_launch_reaches_the_class_view(client: FlaskClient, classroom: Classroom,
                                               open_page: OpenPage) -> None:
    launch = open_page("mapping")
    mapping = client.get("/widgets/mapping", query_string={"launch": launch}).text
    link = re.search(r'href="(/widgets/class_view\?launch=[^"]+)"', mapping).group(1)
    assert client.get(html.unescape(link)).status_code == 200


def test_hostile_titles_and_names_are_escaped(client: FlaskClient, tool_app: Flask,
                                              classroom: Classroom, open_page: OpenPage) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    s = classroom.scenario
    with services(tool_app).database.session() as session:
        session.execute(update(LmsItemRow).where(
            LmsItemRow.id == int(s.items["SQL Fundamentals quiz"])).values(title=payload))
        session.execute(update(CompetencyRow).where(
            CompetencyRow.id == int(s.competencies["PD.ANL.SQL"])).values(name=payload))
    for widget in ("mapping", "class_view"):
        page = client.get(f"/widgets/{widget}", query_string={"launch": open_page(widget)})
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;alert" in page.text


def test_a_large_class_is_shown_a_page_of_learners_at_a_time(
        client: FlaskClient, classroom: Classroom, open_page: OpenPage,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from widgets import class_view as class_view_widget

    monkeypatch.setattr(class_view_widget, "PAGE_SIZE", 3)
    launch = open_page("class_view")

    def shown(**query: str) -> tuple[list[str], str]:
        page = client.get("/widgets/class_view", query_string={"launch": launch, **query}).text
        return re.findall(r'<th scope="row">([^<]*)</th>', page), page

    first, page = shown()
    assert len(first) == 3 and "Learners 1–3 of 4 (page 1 of 2)" in page
    assert "Next learners" in page and "Previous learners" not in page
    second, page = shown(page="2")
    assert len(second) == 1 and "Previous learners" in page and "Next learners" not in page
    assert len(set(first) | set(second)) == len(classroom.learners) == 4
    assert shown(page="99")[0] == first  # out of range: the first page
    assert f'data-total="{len(classroom.learners)}"' in page, "aggregates cover every learner"
