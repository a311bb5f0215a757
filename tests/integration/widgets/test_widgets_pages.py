"""Each widget's content and numbers, computed again here from the domain functions."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.cache import MemoryCache
from lti_tool.store.repositories import PersonRepository
from lti_tool.usecases.readiness import load_levels, next_roles, readiness_report
from lti_tool.usecases.role_peers import PEERS_TTL
from tests.integration.widgets.conftest import OpenWidget
from tests.integration.widgets.scenario import Scenario, seed_role_peers, set_badge_level
from tests.support.clock import Clock
from widgets.locale_format import LocaleFormat

EN = LocaleFormat("en")


def text_of(page: str) -> str:
    """The page's visible text, tags removed and whitespace collapsed."""
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
    return re.sub(r" ([:.,;)])", r"\1", text)


def get(client: FlaskClient, widget: str, launch: str, **query: str):  # noqa: ANN201
    return client.get(f"/widgets/{widget}", query_string={"launch": launch, **query})


def learner(tool_app: Flask, scenario: Scenario):  # noqa: ANN201
    return load_levels(services(tool_app).database, scenario.tenant_id, scenario.person_id)


def names_of(tool_app: Flask, scenario: Scenario) -> dict[str, str]:
    return {role.id: role.name for role in learner(tool_app, scenario).context.lattice.roles}


def test_readiness_shows_the_best_next_role_with_domain_numbers(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    levels = learner(tool_app, scenario)
    best = next_roles(levels)[0]
    report = readiness_report(levels, best.role_id, datetime.now(UTC))
    page = get(client, "readiness", open_widget("readiness"))
    assert page.status_code == 200
    text = text_of(page.text)
    assert f"You are {EN.percent(report.readiness.score)} ready for {report.role.name}" in text
    assert report.readiness.score > 0.3, "the scenario should give non-trivial numbers"
    assert ("Not ready yet" in text) is (not report.readiness.ready)
    assert f"this role needs {EN.percent(report.role.threshold)}" in text
    names = [levels.competency(p.gap.competency_id)[0].name for p in report.plans]
    positions = [text.index(f"{name}: now") for name in names]
    assert positions == sorted(positions), "gaps must be listed by impact"


def test_readiness_explains_modules_gates_and_checklist(
        client: FlaskClient, scenario: Scenario, open_widget: OpenWidget) -> None:
    target = scenario.roles["Senior Data Analyst"]
    text = text_of(get(client, "readiness", open_widget("readiness", target_role=target)).text)
    assert "Readiness for Senior Data Analyst" in text or "ready for Senior Data Analyst" in text
    assert ("SQL querying is at Meets expectations (2); this role needs at least "
            "Exceeds expectations (3).") in text
    assert ("Advanced SQL lab: raises SQL querying to Exceeds expectations (3), "
            "narrowing the gap") in text
    assert "Experiment design course: raises Experimentation to Meets expectations (2)" in text
    assert "SQL Fundamentals quiz:" not in text, "completed modules are not recommended again"
    assert "Learning (course or assessment): done" in text
    assert "Manager endorsement: missing" in text


def test_readiness_role_switch_and_goal_default(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    with services(tool_app).database.session() as session:
        PersonRepository(session).add_goal(scenario.person_id, scenario.roles["Product Manager I"])
    launch = open_widget("readiness")
    assert "ready for Product Manager I" in text_of(get(client, "readiness", launch).text)
    other = scenario.roles["Senior Data Analyst"]
    switched = text_of(get(client, "readiness", launch, role=other).text)
    assert "ready for Senior Data Analyst" in switched
    assert "Product Manager I (your goal)" in switched


def test_social_proof_only_from_five_people(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    clock = Clock()
    services(tool_app).local = MemoryCache(clock)
    target = scenario.roles["Senior Data Analyst"]
    database = services(tool_app).database
    seed_role_peers(database, scenario, "Senior Data Analyst", 4)
    launch = open_widget("readiness", target_role=target)
    assert "People who moved into this role" not in get(client, "readiness", launch).text
    seed_role_peers(database, scenario, "Senior Data Analyst", 5)
    # the role's peers are recounted at most once a minute by each process
    assert "People who moved into this role" not in get(client, "readiness", launch).text
    clock.now += PEERS_TTL
    text = text_of(get(client, "readiness", launch).text)
    assert "People who moved into this role completed" in text
    assert "Data modelling workshop (5 of 5 people)" in text
    assert "Advanced SQL lab (2 of 5" not in text, "modules only a minority completed are left out"


def test_career_path_draws_lattice_bars_and_anchors(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    page = get(client, "career_path", open_widget("career_path"))
    assert page.status_code == 200
    assert 'role="img"' in page.text and "<title id=\"lattice-title\">" in page.text
    assert page.text.count('class="cp-node') == 9
    assert page.text.count('class="cp-edge cp-edge--lateral"') == 4
    assert "cp-node cp-node--current" in page.text
    text = text_of(page.text)
    assert "Data Analyst (Analytics) your current role" in text
    best = next_roles(learner(tool_app, scenario))[0]
    assert f"Possible next role: {names_of(tool_app, scenario)[best.role_id]}" in text
    assert "Now: Meets expectations (2) · Required: Exceeds expectations (3)" in text
    assert "Next level, Exceeds expectations:" in text
    assert 'name="csrf"' in page.text and 'name="goal"' in page.text
    assert "frame-ancestors 'self' http://localhost:5001" in page.headers[
        "Content-Security-Policy"]


def test_career_path_shows_goal_progress_once_a_goal_is_set(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    goal = scenario.roles["Senior Data Analyst"]
    with services(tool_app).database.session() as session:
        PersonRepository(session).add_goal(scenario.person_id, goal)
    score = readiness_report(learner(tool_app, scenario), goal, datetime.now(UTC)).readiness.score
    page = get(client, "career_path", open_widget("career_path"))
    text = text_of(page.text)
    assert f"Goal: Senior Data Analyst · {EN.percent(score)} ready" in text
    assert "Senior Data Analyst (Analytics) your goal" in text
    assert "cp-node cp-node--goal" in page.text
    assert f'value="{goal}" checked' in page.text


def test_badges_are_locked_and_say_what_is_missing(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    database = services(tool_app).database
    with database.session() as session:
        PersonRepository(session).add_goal(scenario.person_id, scenario.roles["Data Analyst"])
    set_badge_level(database, scenario.competencies["PD.ANL.SQL"], 2)
    set_badge_level(database, scenario.competencies["PD.ANL.MOD"], 3)
    text = text_of(get(client, "badges", open_widget("badges")).text)
    assert "You have not earned a badge yet." in text
    assert "badge issuing is enabled" not in text and "later" not in text
    assert "Next-role readiness: Data Analyst" in text
    assert "SQL querying is at Meets expectations (2); this role needs at least" not in text
    assert "Raise SQL querying to Exceeds expectations (3)." in text
    assert "SQL querying: Meets expectations" in text and "You have reached" in text
    assert "Domain modelling: Exceeds expectations" in text
    assert "Needs Exceeds expectations (3); you are at No evidence (–)." in text


def test_french_locale_formats_percent_and_sets_lang(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    target = scenario.roles["Senior Data Analyst"]
    report = readiness_report(learner(tool_app, scenario), target, datetime.now(UTC))
    page = get(client, "readiness", open_widget("readiness", locale="fr-FR", target_role=target))
    assert '<html lang="fr-FR">' in page.text
    expected = LocaleFormat("fr").percent(report.readiness.score)
    assert expected.endswith("\u00a0%") and expected in page.text


def test_staff_see_their_own_learner_page(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    with services(tool_app).database.session() as session:
        teacher = PersonRepository(session).upsert_person(scenario.tenant_id, "teacher",
                                                          name="Grace Whitfield")
    for view, name in ((2, "Instructor"), (3, "Admin")):
        page = get(client, "career_path", open_widget("career_path", teacher.id, view=view))
        assert page.status_code == 200
        assert f"{name} view" in page.text and "it shows your own progress" in page.text
        assert "your current role</span>" not in page.text, "the learner's data must not leak"


def test_a_learner_who_reaches_a_badge_level_sees_the_badge_with_working_links(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    from lti_tool.usecases.badges import badges_of
    from lti_tool.usecases.people_directory import EvidenceInput, add_evidence

    svc = services(tool_app)
    modelling = scenario.competencies["PD.ANL.MOD"]
    set_badge_level(svc.database, modelling, 2)
    before = text_of(get(client, "badges", open_widget("badges", locale="fr-FR")).text)
    assert "Domain modelling: Meets expectations" in before
    add_evidence(svc.database, scenario.tenant_id, scenario.person_id, EvidenceInput(
        kind="manager_endorsement", value=2, competency_id=int(modelling)),
        settings=svc.settings)
    [badge] = [b for b in badges_of(svc.database, scenario.person_id)
               if b.achievement_key == f"competency-{modelling}"]
    page = get(client, "badges", open_widget("badges", locale="fr-FR"))
    text = text_of(page.text)
    day = LocaleFormat("fr-FR").date(badge.valid_from.date())
    assert f"Domain modelling: Meets expectations Issued {day} · Meets expectations" in text
    assert "Needs Meets expectations" not in text, "an earned badge is no longer locked"
    verify = f'href="/badges/{badge.id}" target="_blank" rel="noopener"'
    assert verify in page.text
    for link in (f"/badges/{badge.id}.json", f"/badges/{badge.id}.jwt"):
        assert f'href="{link}" download' in page.text
        assert client.get(link).status_code == 200
    shown = client.get(f"/badges/{badge.id}")
    assert shown.status_code == 200 and '<span id="badge-verdict">Valid</span>' in shown.text
