"""The goal form (CSRF, own goals only, PRG), escaping of hostile names and the mapping 403."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from lti_tool.bootstrap import services
from lti_tool.store.models import RoleRow
from lti_tool.store.repositories import PersonRepository
from lti_tool.web.csrf import csrf_token
from tests.integration.widgets.conftest import OpenWidget
from tests.integration.widgets.scenario import Scenario

SECRET = "test-secret-key-for-launches"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


def goals(tool_app: Flask, person_id: int) -> list[str]:
    with services(tool_app).database.session() as session:
        return PersonRepository(session).goals(person_id)


def post_goals(client: FlaskClient, launch: str, role_ids: list[str], csrf: str | None = None,
               **extra: str):  # noqa: ANN201
    data = {"launch": launch, "csrf": csrf_token(SECRET, launch) if csrf is None else csrf,
            "goal": role_ids, **extra}
    return client.post("/widgets/career_path/goals", data=data)


def test_goal_form_saves_and_redirects(tool_app: Flask, client: FlaskClient,
                                       scenario: Scenario, open_widget: OpenWidget) -> None:
    launch = open_widget("career_path")
    wanted = [scenario.roles["Senior Data Analyst"], scenario.roles["Product Manager I"]]
    response = post_goals(client, launch, wanted)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/widgets/career_path?launch={launch}")
    assert sorted(goals(tool_app, scenario.person_id)) == sorted(wanted)
    page = client.get(response.headers["Location"])
    assert "Your goals were saved." in page.text
    post_goals(client, launch, [scenario.roles["Product Manager I"]])
    assert goals(tool_app, scenario.person_id) == [scenario.roles["Product Manager I"]]


def test_goal_form_needs_the_launch_csrf_token(tool_app: Flask, client: FlaskClient,
                                               scenario: Scenario,
                                               open_widget: OpenWidget) -> None:
    launch, other = open_widget("career_path"), open_widget("career_path")
    role = scenario.roles["Senior Data Analyst"]
    assert post_goals(client, launch, [role], csrf="").status_code == 403
    assert post_goals(client, launch, [role], csrf=csrf_token(SECRET, other)).status_code == 403
    assert client.post("/widgets/career_path/goals", data={"goal": role}).status_code == 401
    assert goals(tool_app, scenario.person_id) == []


def test_learner_cannot_set_another_persons_goals(tool_app: Flask, client: FlaskClient,
                                                  scenario: Scenario,
                                                  open_widget: OpenWidget) -> None:
    with services(tool_app).database.session() as session:
        other = PersonRepository(session).upsert_person(scenario.tenant_id, "someone-else")
    launch = open_widget("career_path")
    role = scenario.roles["Delivery Lead"]
    response = post_goals(client, launch, [role, "999999"], person_id=str(other.id),
                          person=str(other.id))
    assert response.status_code == 303
    assert goals(tool_app, other.id) == []
    assert goals(tool_app, scenario.person_id) == [role], "unknown role ids are ignored"


def test_goal_form_is_only_for_the_career_path_launch(client: FlaskClient, scenario: Scenario,
                                                      open_widget: OpenWidget) -> None:
    launch = open_widget("readiness")
    assert post_goals(client, launch, [scenario.roles["Delivery Lead"]]).status_code == 404


def test_hostile_names_titles_and_custom_params_are_escaped(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    with services(tool_app).database.session() as session:
        session.execute(update(RoleRow).where(RoleRow.id == int(scenario.roles["Data Analyst"]))
                        .values(name=SCRIPT))
        session.execute(update(RoleRow).where(
            RoleRow.id == int(scenario.roles["Senior Data Analyst"])).values(name=IMG))
    cache = services(tool_app).cache
    for widget in ("career_path", "readiness", "badges"):
        launch = open_widget(widget, locale=IMG, target_role=IMG)
        raw = cache.get(f"launch:{launch}")
        cache.set(f"launch:{launch}", {**raw, "person_name": SCRIPT, "course_title": IMG}, 600)
        page = client.get(f"/widgets/{widget}", query_string={"launch": launch, "role": IMG})
        assert page.status_code == 200, widget
        assert SCRIPT not in page.text and IMG not in page.text and "<img" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert '<html lang="en">' in page.text


def test_learner_gets_403_on_mapping_and_staff_a_placeholder(
        client: FlaskClient, open_widget: OpenWidget) -> None:
    refused = client.get("/widgets/mapping", query_string={"launch": open_widget("mapping")})
    assert refused.status_code == 403
    assert "This page is for instructors" in refused.text
    staff = client.get("/widgets/mapping",
                       query_string={"launch": open_widget("mapping", view=2)})
    assert staff.status_code == 200
    assert "Add a rule" in staff.text


def test_wrong_widget_or_expired_launch_is_refused(client: FlaskClient,
                                                  open_widget: OpenWidget) -> None:
    launch = open_widget("badges")
    assert client.get("/widgets/readiness", query_string={"launch": launch}).status_code == 404
    assert client.get("/widgets/nothing", query_string={"launch": launch}).status_code == 404
    assert client.get("/widgets/badges", query_string={"launch": "gone"}).status_code == 401
