"""The ready-for-role check (alert and badge) also runs when a learner declares a goal and
when an instructor adds or removes a rule, not only when evidence arrives."""

from __future__ import annotations

import json

from flask import Flask
from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.domain.roles import Requirement
from lti_tool.store.database import Database
from lti_tool.store.models import EventRow
from lti_tool.store.repositories import CourseRepository, EvidenceRepository, RoleRepository
from lti_tool.store.repositories.badges import BadgeRepository
from lti_tool.usecases import course_mapping
from lti_tool.usecases.goals import declare_goals
from lti_tool.usecases.people_directory import set_goal
from tests.integration.widgets.scenario import START, Scenario, seed_scenario


def ready_alerts(database: Database, person_id: int) -> list[int]:
    """The role ids of the person.ready_for_role events published for the person."""
    with database.session() as session:
        rows = session.scalars(select(EventRow).where(
            EventRow.type == "person.ready_for_role").order_by(EventRow.created_at))
        found = [json.loads(row.data) for row in rows]
    return [event["role_id"] for event in found if event["person_id"] == person_id]


def sql_role(database: Database, scenario: Scenario, name: str = "SQL Analyst") -> str:
    """A role needing only SQL querying at level 2, which the scenario's learner has."""
    with database.session() as session:
        role = RoleRepository(session).add(
            scenario.tenant_id, name, [Requirement(scenario.competencies["PD.ANL.SQL"], 2, 1)])
    return role.id


def test_declaring_a_goal_already_met_raises_the_alert_once(tool_app: Flask) -> None:
    database = services(tool_app).database
    scenario = seed_scenario(database, "learner-sub")
    role = sql_role(database, scenario)
    assert ready_alerts(database, scenario.person_id) == []

    declare_goals(database, scenario.tenant_id, scenario.person_id, [role])
    assert ready_alerts(database, scenario.person_id) == [int(role)]
    declare_goals(database, scenario.tenant_id, scenario.person_id, [role])  # no new edge
    assert ready_alerts(database, scenario.person_id) == [int(role)]

    other = sql_role(database, scenario, "SQL Analyst II")  # the API's one-goal route too
    set_goal(database, scenario.tenant_id, scenario.person_id, int(other), True)
    assert ready_alerts(database, scenario.person_id) == [int(role), int(other)]


def test_a_new_rule_that_makes_a_learner_ready_raises_the_alert_and_issues_the_badge(
        tool_app: Flask) -> None:
    svc = services(tool_app)
    database = svc.database
    scenario = seed_scenario(database, "learner-sub")
    experiments = scenario.competencies["PD.ANL.EXP"]
    with database.session() as session:
        role = RoleRepository(session).add(scenario.tenant_id, "Experimenter",
                                           [Requirement(experiments, 2, 1)]).id
        item = CourseRepository(session).upsert_lms_item(
            scenario.course_id, "line_item", "li-ab", title="A/B testing quiz").id
        EvidenceRepository(session).record(scenario.tenant_id, Evidence(
            EvidenceKind.LMS_COMPLETION, str(scenario.person_id), START, 1.0,
            lms_item_id=item, source_ref="ab-done"))
    declare_goals(database, scenario.tenant_id, scenario.person_id, [role])
    assert ready_alerts(database, scenario.person_id) == []  # no rule yet: not ready
    with database.session() as session:
        held_before = BadgeRepository(session).achievement_keys(scenario.person_id)

    rule = course_mapping.create_rule(
        database, scenario.tenant_id, scenario.course_id,
        course_mapping.RuleInput(int(item), int(experiments), 2, {"type": "completed"}),
        svc.settings)

    assert ready_alerts(database, scenario.person_id) == [int(role)]
    with database.session() as session:
        held_after = BadgeRepository(session).achievement_keys(scenario.person_id)
    assert len(held_after - held_before) >= 1, "the readiness badge the rule earns is issued"

    # removing the rule is a change too: not ready again, so a later rule alerts again
    course_mapping.delete_rule(database, scenario.tenant_id, scenario.course_id, int(rule.id))
    assert ready_alerts(database, scenario.person_id) == [int(role)]
    course_mapping.create_rule(
        database, scenario.tenant_id, scenario.course_id,
        course_mapping.RuleInput(int(item), int(experiments), 2, {"type": "completed"}))
    assert ready_alerts(database, scenario.person_id) == [int(role), int(role)]
