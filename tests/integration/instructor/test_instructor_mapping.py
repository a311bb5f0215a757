"""Module mapping: rules in words, add with validation (PRG), delete, preview numbers."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.domain.levels import competency_levels
from lti_tool.domain.rules import (
    AllOf,
    Completed,
    EvidenceRule,
    ScoreAtLeast,
    outcomes_from_evidence,
)
from lti_tool.store.learner_context import load_learner_context
from lti_tool.store.repositories import CourseRepository
from tests.integration.instructor.conftest import Classroom, OpenPage, csrf_of


def rules_of(app: Flask, course_id: int) -> list[EvidenceRule]:
    with services(app).database.session() as session:
        return CourseRepository(session).rules_for_course(course_id)


def expected_moves(app: Flask, room: Classroom, rule: EvidenceRule) -> int:
    """The preview computed independently: the rule fires and the level without it is lower."""
    moved = 0
    with services(app).database.session() as session:
        for person_id in room.learners.values():
            context = load_learner_context(session, room.scenario.tenant_id, person_id)
            fires = rule.fires_at(outcomes_from_evidence(context.evidence)) is not None
            others = [r for r in context.rules if r.id != rule.id]
            level = competency_levels(context.evidence, others, context.policies).get(
                rule.competency_id, 0.0)
            moved += fires and level < rule.level
    return moved


def rule_form(room: Classroom, launch: str, csrf: str, **fields: str) -> dict[str, str]:
    s = room.scenario
    form = {"launch": launch, "csrf": csrf, "item": str(s.items["Data modelling workshop"]),
            "competency": s.competencies["PD.ANL.SQL"], "level": "", "intent": "save",
            "cond_type_1": "completed", "combinator": "all"}
    form.update(fields)
    return form


def sql_level(app: Flask, room: Classroom, value: int) -> str:
    """The level option value (`framework_id:level`) of the SQL competency's framework."""
    with services(app).database.session() as session:
        context = load_learner_context(session, room.scenario.tenant_id, room.scenario.person_id)
    framework = next(f for f in context.frameworks
                     if any(c.id == room.scenario.competencies["PD.ANL.SQL"]
                            for c in f.competencies))
    return f"{framework.id}:{value}"


def test_items_and_rules_in_words(client: FlaskClient, classroom: Classroom,
                                  open_page: OpenPage) -> None:
    page = client.get("/widgets/mapping", query_string={"launch": open_page()})
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Gradable items" in text and "SQL Fundamentals quiz" in text
    assert "score ≥ 80\u00a0% → SQL querying: Meets expectations (2)" in text or \
        "score ≥ 80\u00a0% → " in text
    assert "Class view" in text and 'aria-current="page"' in page.text
    assert "Content-Security-Policy" in page.headers


def test_learner_gets_403_everywhere(client: FlaskClient, classroom: Classroom,
                                     open_page: OpenPage) -> None:
    launch = open_page(view=1)
    assert client.get("/widgets/mapping", query_string={"launch": launch}).status_code == 403
    rule_id = rules_of(client.application, classroom.scenario.course_id)[0].id
    for path in ("/widgets/mapping/rules", f"/widgets/mapping/rules/{rule_id}/delete"):
        assert client.post(path, data={"launch": launch}).status_code == 403
    assert len(rules_of(client.application, classroom.scenario.course_id)) == 5


def test_add_rule_saves_and_redirects(client: FlaskClient, classroom: Classroom,
                                      open_page: OpenPage) -> None:
    app, s = client.application, classroom.scenario
    launch = open_page()
    csrf = csrf_of(client.get("/widgets/mapping", query_string={"launch": launch}).text)
    form = rule_form(classroom, launch, csrf, level=sql_level(app, classroom, 2),
                     cond_type_2="score", cond_percent_2="70")
    response = client.post("/widgets/mapping/rules", data=form)
    assert response.status_code == 303
    assert "done=saved" in response.headers["Location"]
    added = rules_of(app, s.course_id)[-1]
    assert added.lms_item_id == str(s.items["Data modelling workshop"])
    assert added.condition == AllOf((Completed(), ScoreAtLeast(70.0)))
    page = client.get(response.headers["Location"])
    assert "The rule was added." in page.text
    assert "completed AND score ≥ 70\u00a0% → SQL querying: Meets expectations (2)" in \
        html.unescape(page.text)


def test_preview_counts_match_the_domain(client: FlaskClient, classroom: Classroom,
                                         open_page: OpenPage) -> None:
    app, s = client.application, classroom.scenario
    launch = open_page()
    csrf = csrf_of(client.get("/widgets/mapping", query_string={"launch": launch}).text)
    form = rule_form(classroom, launch, csrf, level=sql_level(app, classroom, 3),
                     intent="preview", item=str(s.items["SQL Fundamentals quiz"]))
    response = client.post("/widgets/mapping/rules", data=form)
    assert response.status_code == 200
    proposal = EvidenceRule("p", str(s.items["SQL Fundamentals quiz"]),
                            s.competencies["PD.ANL.SQL"], 3, Completed())
    expected = expected_moves(app, classroom, proposal)
    assert expected == 3  # Amara, Chidi and Dana completed the quiz; only Ben is at 3 already
    assert f'data-moves="{expected}">{expected} of 4 learners' in response.text
    assert len(rules_of(app, s.course_id)) == 5
    page = client.get("/widgets/mapping", query_string={"launch": launch}).text
    for rule in rules_of(app, s.course_id):
        moves = expected_moves(app, classroom, rule)
        assert f'data-moves="{moves}">moves {moves} of 4 learners up' in page


def test_validation_messages_and_nothing_saved(client: FlaskClient, classroom: Classroom,
                                               open_page: OpenPage) -> None:
    app, s = client.application, classroom.scenario
    launch = open_page()
    csrf = csrf_of(client.get("/widgets/mapping", query_string={"launch": launch}).text)
    cases = [
        ({"competency": "999999", "level": sql_level(app, classroom, 2)},
         "Choose a competency from your organisation"),
        ({"level": ""}, "Choose a level."),
        ({"level": sql_level(app, classroom, 9)}, "Choose a level of the"),
        ({"level": sql_level(app, classroom, 2), "cond_type_1": ""},
         "Add at least one condition."),
        ({"level": sql_level(app, classroom, 2), "cond_type_1": "score",
          "cond_percent_1": "120"}, "a score is a percentage from 0 to 100"),
        ({"level": sql_level(app, classroom, 2), "item": "424242"},
         "Choose one of this course"),
        ({"level": sql_level(app, classroom, 2), "cond_item_1": "424242"},
         "Condition 1: choose one of this course"),
    ]
    for fields, message in cases:
        response = client.post("/widgets/mapping/rules",
                               data=rule_form(classroom, launch, csrf, **fields))
        assert response.status_code == 422, fields
        assert message in html.unescape(response.text), (fields, message)
        assert 'role="alert"' in response.text
    assert len(rules_of(app, s.course_id)) == 5


def test_delete_rule_is_prg_and_only_this_course(client: FlaskClient, classroom: Classroom,
                                                 open_page: OpenPage) -> None:
    app, s = client.application, classroom.scenario
    launch = open_page()
    csrf = csrf_of(client.get("/widgets/mapping", query_string={"launch": launch}).text)
    victim = rules_of(app, s.course_id)[0]
    response = client.post(f"/widgets/mapping/rules/{victim.id}/delete",
                           data={"launch": launch, "csrf": csrf})
    assert response.status_code == 303 and "done=deleted" in response.headers["Location"]
    assert victim.id not in {r.id for r in rules_of(app, s.course_id)}
    again = client.post(f"/widgets/mapping/rules/{victim.id}/delete",
                        data={"launch": launch, "csrf": csrf})
    assert again.status_code == 404


def test_csrf_missing_or_wrong_is_403(client: FlaskClient, classroom: Classroom,
                                      open_page: OpenPage) -> None:
    app, s = client.application, classroom.scenario
    launch, other = open_page(), open_page()
    other_csrf = csrf_of(client.get("/widgets/mapping", query_string={"launch": other}).text)
    rule_id = rules_of(app, s.course_id)[0].id
    for csrf in ("", "0" * 64, other_csrf):
        form = rule_form(classroom, launch, csrf, level=sql_level(app, classroom, 2))
        assert client.post("/widgets/mapping/rules", data=form).status_code == 403
        assert client.post(f"/widgets/mapping/rules/{rule_id}/delete",
                           data={"launch": launch, "csrf": csrf}).status_code == 403
    assert len(rules_of(app, s.course_id)) == 5
