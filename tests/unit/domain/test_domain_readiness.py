"""Readiness for the DOMAIN.md "Delivery Lead" matrix, worked by hand."""

from __future__ import annotations

import pytest

from lti_tool.domain.errors import InvalidInput
from lti_tool.domain.evidence import EvidenceKind
from lti_tool.domain.readiness import (
    STEP_KINDS,
    EvidenceStep,
    FailingGate,
    readiness_for,
    weighted_coverage,
)
from lti_tool.domain.roles import Requirement, RoleBlueprint

# Client Partnership 25 %, Technical Delivery 35 %, Leadership 20 %,
# Continuous Improvement 20 %; required level 3 each on the 4-point rubric;
# a minimum level 2 gate on Technical Delivery; threshold 0.8.
DELIVERY_LEAD = RoleBlueprint(
    "delivery-lead",
    "Delivery Lead",
    (
        Requirement("cp", 3, 25),
        Requirement("td", 3, 35, minimum_level=2),
        Requirement("l", 3, 20),
        Requirement("ci", 3, 20),
    ),
    threshold=0.8,
)

STEPS = (EvidenceStep.LEARNING, EvidenceStep.APPLIED_PROJECT, EvidenceStep.MANAGER_ENDORSEMENT)


def test_learner_cp3_td2_l1_ci3():
    levels = {"cp": 3, "td": 2, "l": 1, "ci": 3}
    kinds = {
        "td": {"lms_completion", "lms_score", "project_accepted"},
        "l": {"lms_completion"},
        "cp": {"manager_endorsement"},
    }
    result = readiness_for(DELIVERY_LEAD, levels, kinds)
    # score = (25*3/3 + 35*2/3 + 20*1/3 + 20*3/3) / 100
    #       = (25 + 23.333 + 6.667 + 20) / 100 = 75 / 100 = 0.75
    assert result.score == pytest.approx(0.75)
    assert result.role_id == "delivery-lead"
    assert result.threshold == 0.8
    # TD 2 meets its minimum 2; only the threshold fails (0.75 < 0.8)
    assert result.failing_gates == (FailingGate("threshold", 0.8, result.score),)
    assert result.ready is False
    # gaps: L shortfall 3-1 = 2, impact 20*2 = 40; TD shortfall 3-2 = 1, impact 35*1 = 35
    # CP and CI are at 3: no gap. Order by impact: L (40), TD (35)
    assert [g.competency_id for g in result.gaps] == ["l", "td"]
    lead, td = result.gaps
    assert (lead.current, lead.required, lead.weight, lead.shortfall, lead.impact) == (
        1, 3, 20, 2, 40)
    assert (td.current, td.shortfall, td.impact) == (2, 1, 35)
    # readiness gain: L 20 * (2/3) / 100 = 0.1333; TD 35 * (1/3) / 100 = 0.1167
    assert lead.readiness_gain == pytest.approx(0.4 / 3)
    assert td.readiness_gain == pytest.approx(0.35 / 3)
    # the checklist follows the gaps; L has learning only; TD has learning and a project
    assert [c.competency_id for c in result.checklist] == ["l", "td"]
    assert result.checklist[0].missing_steps == (EvidenceStep.APPLIED_PROJECT,
                                                 EvidenceStep.MANAGER_ENDORSEMENT)
    assert result.checklist[1].missing_steps == (EvidenceStep.MANAGER_ENDORSEMENT,)
    assert (result.checklist[0].required_level, result.checklist[0].current) == (3, 1)


def test_gate_fails_although_score_passes_threshold():
    levels = {"cp": 3, "td": 1.5, "l": 3, "ci": 3}
    result = readiness_for(DELIVERY_LEAD, levels)
    # score = (25 + 35*1.5/3 + 20 + 20) / 100 = (25 + 17.5 + 40) / 100 = 0.825 >= 0.8
    assert result.score == pytest.approx(0.825)
    # but TD 1.5 < minimum 2 -> not ready, with the minimum-level gate only
    assert result.failing_gates == (FailingGate("minimum_level", 2, 1.5, "td"),)
    assert result.ready is False
    # only gap: TD shortfall 1.5, impact 35*1.5 = 52.5; no evidence -> every step missing
    assert [(g.competency_id, g.impact) for g in result.gaps] == [("td", 52.5)]
    assert result.checklist[0].missing_steps == STEPS


def test_missing_competency_fails_the_gate_and_counts_as_zero():
    levels = {"cp": 4, "l": 3, "ci": 3}
    result = readiness_for(DELIVERY_LEAD, levels)
    # CP 4 is capped at 1: (25 + 0 + 20 + 20) / 100 = 0.65
    assert result.score == pytest.approx(0.65)
    assert result.failing_gates == (
        FailingGate("minimum_level", 2, 0.0, "td"),
        FailingGate("threshold", 0.8, result.score),
    )
    # TD: no level, shortfall 3, impact 105, gain 35/100 = 0.35
    (gap,) = result.gaps
    assert (gap.current, gap.shortfall, gap.impact) == (None, 3, 105)
    assert gap.readiness_gain == pytest.approx(0.35)
    assert result.checklist[0].current is None


def test_ready_learner():
    levels = {"cp": 3, "td": 3, "l": 2, "ci": 3}
    result = readiness_for(DELIVERY_LEAD, levels, {})
    # (25 + 35 + 20*2/3 + 20) / 100 = 93.333 / 100 = 0.9333
    assert result.score == pytest.approx(0.9333333)
    assert result.ready is True
    assert result.failing_gates == ()
    # L: shortfall 1, impact 20
    assert [(g.competency_id, g.impact) for g in result.gaps] == [("l", 20)]


def test_score_exactly_at_threshold_is_ready():
    # CP 3, TD 3, L 3, CI 0: (25 + 35 + 20 + 0) / 100 = 0.8 = threshold
    result = readiness_for(DELIVERY_LEAD, {"cp": 3, "td": 3, "l": 3})
    assert result.score == pytest.approx(0.8)
    assert result.ready is True


def test_everything_met_gives_full_score_and_no_gaps():
    result = readiness_for(DELIVERY_LEAD, {"cp": 4, "td": 3, "l": 3, "ci": 3.5})
    assert result.score == 1.0
    assert result.ready and result.gaps == () and result.checklist == ()


def test_gaps_with_equal_impact_are_ordered_by_competency_id():
    role = RoleBlueprint("r", "R", (Requirement("b", 3, 2), Requirement("a", 2, 3)),
                         threshold=1)
    # b: shortfall 3, weight 2 -> 6; a: shortfall 2, weight 3 -> 6 -> tie, by id: a, b
    result = readiness_for(role, {})
    assert [g.competency_id for g in result.gaps] == ["a", "b"]
    assert [g.impact for g in result.gaps] == [6, 6]


def test_gap_ties_survive_fractional_weights():
    # percent weights: a: 30 * (2-0) = 60, b: 20 * (3-0) = 60 -> a tie, by id: a, b
    # the same role with weights 0.3 / 0.2: by hand 0.6 and 0.6 again, but in floats
    # 0.3 * 2 = 0.6 and 0.2 * 3 = 0.6000000000000001; the order must not flip
    percent = RoleBlueprint("p", "P", (Requirement("a", 2, 30), Requirement("b", 3, 20)))
    fraction = RoleBlueprint("f", "F", (Requirement("a", 2, 0.3), Requirement("b", 3, 0.2)))
    assert 0.2 * 3 != 0.3 * 2
    assert [g.competency_id for g in readiness_for(percent, {}).gaps] == ["a", "b"]
    assert [g.competency_id for g in readiness_for(fraction, {}).gaps] == ["a", "b"]


def test_weighted_coverage_refuses_a_role_without_requirements():
    with pytest.raises(InvalidInput):
        weighted_coverage({}, RoleBlueprint("empty", "Empty", ()))


def test_weighted_coverage_ignores_competencies_the_role_does_not_need():
    # only "cp" counts: 25 * 3/3 / 100 = 0.25
    assert weighted_coverage({"cp": 3, "other": 4}, DELIVERY_LEAD) == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("kinds", "missing"),
    [
        (set(), STEPS),
        ({"lms_score"}, STEPS[1:]),
        ({"certification"}, STEPS[1:]),
        ({"external"}, STEPS[1:]),
        ({"peer_review"}, (EvidenceStep.LEARNING, EvidenceStep.MANAGER_ENDORSEMENT)),
        ({"project_accepted", "manager_endorsement"}, (EvidenceStep.LEARNING,)),
        ({"self_assessment"}, STEPS),                # counts for no step
        ({"lms_completion", "peer_review", "manager_endorsement"}, ()),
    ],
)
def test_checklist_missing_steps(kinds, missing):
    result = readiness_for(DELIVERY_LEAD, {}, {"td": kinds})
    item = next(c for c in result.checklist if c.competency_id == "td")
    assert item.missing_steps == missing


@pytest.mark.parametrize(
    ("kinds", "missing"),
    [
        ([EvidenceKind.LMS_SCORE], STEPS[1:]),
        ((EvidenceKind.PEER_REVIEW, "manager_endorsement"), (EvidenceStep.LEARNING,)),
        (frozenset({EvidenceKind.SELF_ASSESSMENT}), STEPS),
        ((), STEPS),
    ],
)
def test_checklist_missing_steps_from_any_collection_of_kinds(kinds, missing):
    result = readiness_for(DELIVERY_LEAD, {}, {"td": kinds})
    item = next(c for c in result.checklist if c.competency_id == "td")
    assert item.missing_steps == missing


def test_step_kinds_cover_the_three_step_validation():
    assert list(STEP_KINDS) == list(STEPS)
