"""Recommendations: modules ranked by readiness gain ÷ effort, worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lti_tool.domain.calculation import CalculationMethod, Observation
from lti_tool.domain.errors import InvalidInput
from lti_tool.domain.levels import LevelPolicy
from lti_tool.domain.readiness import readiness_for
from lti_tool.domain.recommendations import Action, Module, recommend
from lti_tool.domain.roles import Requirement, RoleBlueprint
from lti_tool.domain.rules import (
    Accepted,
    AllOf,
    Completed,
    EvidenceRule,
    ItemOutcome,
    ScoreAtLeast,
    Shortfall,
)

PAST = datetime(2024, 1, 1, tzinfo=UTC)
NOW = datetime(2024, 6, 1, tzinfo=UTC)

# Senior Analyst: SQL 3 (weight 2), Visualisation 3 (weight 1), Domain modelling 2 (weight 1)
SENIOR = RoleBlueprint("senior", "Senior Analyst", (
    Requirement("sql", 3, 2), Requirement("vis", 3, 1), Requirement("domain", 2, 1)))

LEVELS = {"sql": 1.0, "vis": 2.0, "domain": 2.0}
OBSERVATIONS = {
    "sql": [Observation(1.0, PAST)],
    "vis": [Observation(2.0, PAST)],
    "domain": [Observation(2.0, PAST)],
}

MODULES = (
    Module("sql-101", "SQL 101", effort=1),
    Module("sql-bootcamp", "SQL Bootcamp", effort=4),
    Module("sql-project", "SQL applied project", effort=3),
    Module("sql-intro", "SQL intro", effort=0.5),
    Module("sql-done", "SQL already done", effort=0.5),
    Module("vis-course", "Visualisation course", effort=1),
    Module("vis-dash", "Dashboard sprint", effort=0.5),
    Module("dm-course", "Domain modelling", effort=1),
)


def rule(rule_id: str, item: str, competency: str, level: int) -> EvidenceRule:
    return EvidenceRule(rule_id, item, competency, level, Completed())


RULES = (
    rule("r1", "sql-101", "sql", 2),
    rule("r2", "sql-bootcamp", "sql", 3),
    rule("r3a", "sql-project", "sql", 2),       # the item's best rule is r3b (level 3)
    rule("r3b", "sql-project", "sql", 3),
    rule("r3c", "sql-project", "sql", 1),       # lower than r3b, seen after it: ignored
    rule("r4", "sql-intro", "sql", 1),          # would not raise SQL above 1: left out
    rule("r5", "sql-done", "sql", 3),           # completed already: skipped
    rule("r6", "vis-course", "vis", 3),
    rule("r7", "vis-dash", "vis", 3),
    rule("r8", "dm-course", "domain", 3),       # no domain gap: no plan
    rule("r9", "not-a-module", "sql", 4),       # item not offered as a module: skipped
)


def completions(*items: str) -> dict[str, ItemOutcome]:
    return {item: ItemOutcome(item, completed_at=PAST) for item in items}


def plans_for(policies=None, observations=OBSERVATIONS, levels=LEVELS, completed=("sql-done",)):
    readiness = readiness_for(SENIOR, levels)
    return readiness, recommend(readiness, SENIOR, RULES, MODULES, observations,
                                policies or {}, completions(*completed), NOW)


def test_ranking_by_readiness_gain_over_effort():
    readiness, plans = plans_for()
    # score = (2*1/3 + 1*2/3 + 1*2/2) / 4 = (0.667 + 0.667 + 1) / 4 = 0.5833
    assert readiness.score == pytest.approx(7 / 12)
    # gaps: SQL shortfall 2 impact 4; Vis shortfall 1 impact 1
    assert [p.gap.competency_id for p in plans] == ["sql", "vis"]

    sql = plans[0].recommendations
    # sql-101     -> 2: gain = 2 * (2/3 - 1/3) / 4 = 1/6;  priority 1/6 / 1 = 0.1667
    # sql-project -> 3: gain = 2 * (3/3 - 1/3) / 4 = 1/3;  priority 1/3 / 3 = 0.1111
    # sql-bootcamp-> 3: gain = 1/3;                        priority 1/3 / 4 = 0.0833
    assert [r.module.item_id for r in sql] == ["sql-101", "sql-project", "sql-bootcamp"]
    assert [r.readiness_gain for r in sql] == pytest.approx([1 / 6, 1 / 3, 1 / 3])
    assert [r.priority for r in sql] == pytest.approx([1 / 6, 1 / 9, 1 / 12])
    assert [r.reaches_level for r in sql] == [2.0, 3.0, 3.0]
    # sql-101 only narrows the gap (2 < 3); the others close it
    assert [r.closes_gap for r in sql] == [False, True, True]
    assert all(r.current == 1.0 and r.competency_id == "sql" for r in sql)

    vis = plans[1].recommendations
    # vis-dash   -> 3: gain = 1 * (1 - 2/3) / 4 = 1/12; priority 1/12 / 0.5 = 1/6
    # vis-course -> 3: gain = 1/12;                     priority 1/12 / 1   = 1/12
    assert [r.module.item_id for r in vis] == ["vis-dash", "vis-course"]
    assert [r.priority for r in vis] == pytest.approx([1 / 6, 1 / 12])
    assert all(r.closes_gap for r in vis)


def test_completed_module_is_recommended_once_not_completed():
    _, plans = plans_for(completed=())
    # sql-done -> 3: gain 1/3, effort 0.5 -> priority 2/3: now first
    assert plans[0].recommendations[0].module.item_id == "sql-done"
    assert plans[0].recommendations[0].priority == pytest.approx(2 / 3)


def test_ties_in_priority_are_broken_by_effort_then_title():
    modules = (Module("b", "Beta", 1), Module("a", "Alpha", 1), Module("c", "Gamma", 2))
    rules = (rule("ra", "a", "sql", 3), rule("rb", "b", "sql", 3), rule("rc", "c", "sql", 2))
    role = RoleBlueprint("r", "R", (Requirement("sql", 3),))
    readiness = readiness_for(role, {})
    (plan,) = recommend(readiness, role, rules, modules, {}, {}, {}, NOW)
    # a, b: gain 1, priority 1; c: gain 2/3 / 2 = 1/3
    assert [r.module.title for r in plan.recommendations] == ["Alpha", "Beta", "Gamma"]
    assert plan.recommendations[0].current is None
    assert plan.recommendations[2].closes_gap is False


def test_decaying_average_policy_uses_past_observations():
    policies = {"sql": LevelPolicy(CalculationMethod.decaying_average(), 2)}
    _, plans = plans_for(policies=policies)
    sql = {r.module.item_id: r for r in plans[0].recommendations}
    # sql-101: [1, 2] -> 2*0.65 + 1*0.35 = 1.65; gain = 2 * (1.65/3 - 1/3) / 4 = 0.108333
    assert sql["sql-101"].reaches_level == 1.65
    assert sql["sql-101"].readiness_gain == pytest.approx(2 * (0.55 - 1 / 3) / 4)
    # bootcamp: [1, 3] -> 3*0.65 + 1*0.35 = 2.3; does not close the gap (2.3 < 3)
    assert sql["sql-bootcamp"].reaches_level == 2.3
    assert sql["sql-bootcamp"].closes_gap is False
    # sql-intro: [1, 1] -> 1, not above the current 1: left out
    assert "sql-intro" not in sql


def test_rule_that_would_not_raise_the_level_is_left_out():
    # n_mastery(2) with mastery 3: one new level-3 score alone does not give a level
    policies = {"vis": LevelPolicy(CalculationMethod.n_mastery(2), 3)}
    _, plans = plans_for(policies=policies)
    assert plans[1].gap.competency_id == "vis"
    assert plans[1].recommendations == ()


def test_no_gaps_no_plans():
    readiness, plans = plans_for(levels={"sql": 3, "vis": 3, "domain": 2})
    assert readiness.gaps == ()
    assert plans == ()


def test_module_effort_must_be_positive():
    with pytest.raises(InvalidInput):
        Module("m", "M", effort=0)
    assert Module("m", "M").effort == 1.0


# Advice that matches the evidence: a module tried without meeting its rule is "improve"

ROLE = RoleBlueprint("analyst", "Analyst", (Requirement("sql", 2, 1),))


def scored(item: str, fraction: float) -> ItemOutcome:
    return ItemOutcome(item, completed_at=PAST, best_score=fraction, scored_at=PAST)


def test_a_50_percent_attempt_on_an_80_percent_rule_is_an_improve_recommendation():
    rules = (EvidenceRule("r", "quiz", "sql", 2, ScoreAtLeast(80)),)
    readiness = readiness_for(ROLE, {})
    (plan,) = recommend(readiness, ROLE, rules, (Module("quiz", "SQL quiz"),), {}, {},
                        {"quiz": scored("quiz", 0.5)}, NOW)
    (rec,) = plan.recommendations
    assert rec.action == Action.IMPROVE
    assert rec.missing == (Shortfall("score", "quiz", required=80, actual=50),)
    assert rec.reaches_level == 2 and rec.closes_gap
    assert rec.readiness_gain == pytest.approx(1.0)


def test_a_met_rule_yields_no_recommendation():
    rules = (EvidenceRule("r", "quiz", "sql", 2, ScoreAtLeast(80)),
             EvidenceRule("other", "course", "sql", 2, Completed()))
    modules = (Module("quiz", "SQL quiz"), Module("course", "SQL course"))
    # the quiz at 85 % meets its rule; the gap stays open (levels come from elsewhere)
    readiness = readiness_for(ROLE, {"sql": 1.0})
    (plan,) = recommend(readiness, ROLE, rules, modules, {}, {},
                        {"quiz": scored("quiz", 0.85)}, NOW)
    assert [r.module.item_id for r in plan.recommendations] == ["course"]
    assert plan.recommendations[0].action == Action.TAKE
    assert plan.recommendations[0].missing == (Shortfall("completion", "course"),)


def test_a_met_lower_rule_leaves_the_higher_rule_to_improve():
    role = RoleBlueprint("senior", "Senior", (Requirement("sql", 3, 1),))
    rules = (EvidenceRule("low", "quiz", "sql", 2, ScoreAtLeast(60)),
             EvidenceRule("high", "quiz", "sql", 3, ScoreAtLeast(90)))
    readiness = readiness_for(role, {"sql": 2.0})
    (plan,) = recommend(readiness, role, rules, (Module("quiz", "SQL quiz"),),
                        {"sql": [Observation(2.0, PAST)]}, {}, {"quiz": scored("quiz", 0.7)},
                        NOW)
    (rec,) = plan.recommendations
    assert (rec.action, rec.reaches_level) == (Action.IMPROVE, 3.0)
    assert rec.missing == (Shortfall("score", "quiz", required=90, actual=70),)


def test_improve_is_ranked_with_the_others_by_gain():
    role = RoleBlueprint("senior", "Senior", (Requirement("sql", 3, 1),))
    rules = (EvidenceRule("retake", "quiz", "sql", 3, ScoreAtLeast(80)),
             EvidenceRule("new", "course", "sql", 2, Completed()))
    modules = (Module("quiz", "SQL quiz"), Module("course", "SQL course"))
    readiness = readiness_for(role, {})
    (plan,) = recommend(readiness, role, rules, modules, {}, {},
                        {"quiz": scored("quiz", 0.5)}, NOW)
    # quiz -> 3: gain 1; course -> 2: gain 2/3: the retake comes first
    assert [(r.module.item_id, r.action) for r in plan.recommendations] == [
        ("quiz", Action.IMPROVE), ("course", Action.TAKE)]
    assert [r.readiness_gain for r in plan.recommendations] == pytest.approx([1, 2 / 3])


def test_of_equal_rules_on_a_module_one_met_is_done_else_the_one_missing_least():
    rules = (EvidenceRule("both", "quiz", "sql", 2, AllOf((Completed(), Accepted()))),
             EvidenceRule("score", "quiz", "sql", 2, ScoreAtLeast(80)))
    modules = (Module("quiz", "SQL quiz"),)
    readiness = readiness_for(ROLE, {})
    (plan,) = recommend(readiness, ROLE, rules, modules, {}, {}, {}, NOW)
    (rec,) = plan.recommendations
    assert rec.action == Action.TAKE
    assert rec.missing == (Shortfall("score", "quiz", required=80, actual=None),)
    (plan,) = recommend(readiness, ROLE, rules, modules, {}, {}, {"quiz": scored("quiz", 0.9)},
                        NOW)
    assert plan.recommendations == ()
