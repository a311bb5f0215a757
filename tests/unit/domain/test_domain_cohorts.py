"""Cohort aggregates: readiness distribution and skills-gap closure, by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lti_tool.domain.calculation import CalculationMethod, Observation
from lti_tool.domain.cohorts import BINS, GapClosure, readiness_distribution, skills_gap_closure
from lti_tool.domain.levels import DEFAULT_POLICY, LevelPolicy
from lti_tool.domain.readiness import Readiness, readiness_for
from lti_tool.domain.roles import Requirement, RoleBlueprint

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def at(day: int) -> datetime:
    return T0 + timedelta(days=day)


def result(score: float, ready: bool) -> Readiness:
    return Readiness("r", score, ready, 0.8, (), (), ())


def test_readiness_distribution():
    results = [result(0.0, False), result(0.05, False), result(0.25, False),
               result(0.5, False), result(0.95, True), result(1.0, True)]
    dist = readiness_distribution("r", results)
    assert dist.role_id == "r"
    assert dist.total == 6
    assert dist.ready == 2
    # bins: 0.0, 0.05 -> 0; 0.25 -> 2; 0.5 -> 5; 0.95 and 1.0 -> 9 (the last bin has 1.0)
    assert dist.bins == (2, 0, 1, 0, 0, 1, 0, 0, 0, 2)
    assert len(dist.bins) == BINS
    # mean = (0 + 0.05 + 0.25 + 0.5 + 0.95 + 1.0) / 6 = 2.75 / 6 = 0.4583
    assert dist.mean == pytest.approx(2.75 / 6)
    # median of 6 = (0.25 + 0.5) / 2 = 0.375
    assert dist.median == pytest.approx(0.375)


def test_readiness_distribution_from_real_results():
    role = RoleBlueprint("r", "R", (Requirement("a", 2), Requirement("b", 2)))
    results = [readiness_for(role, levels) for levels in
               ({}, {"a": 2}, {"a": 2, "b": 1}, {"a": 2, "b": 2})]
    # scores 0, 0.5, 0.75, 1.0 -> bins 0, 5, 7, 9; only the last is ready
    dist = readiness_distribution("r", results)
    assert dist.bins == (1, 0, 0, 0, 0, 1, 0, 1, 0, 1)
    assert (dist.ready, dist.total) == (1, 4)
    assert dist.median == pytest.approx(0.625)   # (0.5 + 0.75) / 2


def test_readiness_distribution_of_no_one():
    dist = readiness_distribution("r", [])
    assert (dist.total, dist.ready, dist.mean, dist.median) == (0, 0, None, None)
    assert dist.bins == (0,) * BINS


def test_skills_gap_closure_before_and_after():
    observations = {
        "a": [Observation(1, at(1)), Observation(3, at(10))],
        "b": [Observation(2, at(2))],
        "c": [Observation(3, at(12))],            # nothing before the date -> counts as 0
        "d": [Observation(None, at(1))],          # never a level -> 0 before and after
    }
    closure = skills_gap_closure("sql", observations, DEFAULT_POLICY, at(5))
    assert closure.competency_id == "sql"
    assert closure.learners == 4
    # before (highest): a 1, b 2, c 0, d 0 -> 3 / 4 = 0.75
    assert closure.before == pytest.approx(0.75)
    # after: a 3, b 2, c 3, d 0 -> 8 / 4 = 2.0
    assert closure.after == pytest.approx(2.0)
    assert closure.change == pytest.approx(1.25)


def test_skills_gap_closure_uses_the_policy():
    observations = {"a": [Observation(1, at(1)), Observation(3, at(10))]}
    latest = LevelPolicy(CalculationMethod.average(), 2)
    closure = skills_gap_closure("sql", observations, latest, at(5))
    # before: average [1] = 1; after: average [1, 3] = 2
    assert (closure.before, closure.after, closure.change) == (1.0, 2.0, 1.0)


def test_observation_exactly_at_the_date_counts_as_after():
    closure = skills_gap_closure("sql", {"a": [Observation(2, at(5))]}, DEFAULT_POLICY, at(5))
    assert (closure.before, closure.after) == (0.0, 2.0)


def test_skills_gap_closure_of_no_one():
    closure = skills_gap_closure("sql", {}, DEFAULT_POLICY, at(5))
    assert closure == GapClosure("sql", 0, None, None)
    assert closure.change is None
    assert GapClosure("sql", 1, 1.0, None).change is None
