"""Properties of the domain core, checked with Hypothesis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lti_tool.domain.calculation import CalculationMethod, Observation
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.domain.levels import competency_levels
from lti_tool.domain.readiness import readiness_for
from lti_tool.domain.roles import Requirement, RoleBlueprint
from lti_tool.domain.rules import Accepted, AllOf, AnyOf, Completed, EvidenceRule, ScoreAtLeast

PROPERTY = settings(max_examples=200, deadline=None)
T0 = datetime(2024, 1, 1, tzinfo=UTC)
COMPETENCIES = ("c0", "c1", "c2", "c3", "c4")
ITEMS = ("i0", "i1", "i2", "i3")

# --- strategies --------------------------------------------------------------------------

times = st.integers(0, 365).map(lambda d: T0 + timedelta(days=d))
halves = st.integers(1, 10).map(lambda n: n / 2)                  # 0.5 .. 5.0
# whole weights make equal impacts (ties) common; floats cover the rest
weights = st.integers(1, 10).map(float) | st.floats(0.01, 100)
# decimal factors turn percent weights into fractions, with float noise (0.3 * 2 != 0.2 * 3)
factors = (st.sampled_from([10.0, 100.0, 0.1, 0.01, 0.3, 0.7, 1.1, 1 / 3, 7.0])
           | st.floats(0.001, 1000))


@st.composite
def requirements(draw):
    required = draw(halves)
    minimum = draw(st.none() | st.integers(1, int(required * 2)).map(lambda n: n / 2))
    return required, draw(weights), minimum


@st.composite
def roles(draw, competencies=COMPETENCIES):
    ids = draw(st.lists(st.sampled_from(competencies), min_size=1, max_size=len(competencies),
                        unique=True))
    reqs = tuple(Requirement(cid, *draw(requirements())) for cid in ids)
    threshold = draw(st.floats(0.05, 1.0))
    return RoleBlueprint("role", "Role", reqs, threshold=threshold)


levels_maps = st.dictionaries(st.sampled_from(COMPETENCIES),
                              st.integers(0, 12).map(lambda n: n / 2), max_size=5)

items_or_own = st.none() | st.sampled_from(ITEMS)
leaf_conditions = st.one_of(
    st.builds(Completed, items_or_own),
    st.builds(Accepted, items_or_own),
    st.builds(ScoreAtLeast, st.integers(0, 100).map(float), items_or_own),
)
conditions = st.recursive(
    leaf_conditions,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: AllOf(tuple(cs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: AnyOf(tuple(cs))),
    ),
    max_leaves=5,
)
rules = st.lists(
    st.builds(EvidenceRule, st.just("r"), st.sampled_from(ITEMS),
              st.sampled_from(COMPETENCIES[:3]), st.integers(1, 4), conditions),
    max_size=6,
)

lms_evidence = st.one_of(
    st.builds(Evidence, st.just(EvidenceKind.LMS_COMPLETION), st.just("l"), times,
              st.just(1.0), lms_item_id=st.sampled_from(ITEMS)),
    st.builds(Evidence, st.just(EvidenceKind.PROJECT_ACCEPTED), st.just("l"), times,
              st.just(1.0), lms_item_id=st.sampled_from(ITEMS)),
    st.builds(Evidence, st.just(EvidenceKind.LMS_SCORE), st.just("l"), times,
              st.integers(0, 100).map(lambda n: n / 100), lms_item_id=st.sampled_from(ITEMS)),
)
direct_evidence = st.builds(
    Evidence,
    st.sampled_from([EvidenceKind.MANAGER_ENDORSEMENT, EvidenceKind.PEER_REVIEW,
                     EvidenceKind.CERTIFICATION]),
    st.just("l"), times, st.none() | st.integers(0, 4).map(float),
    competency_id=st.sampled_from(COMPETENCIES[:3]),
)
evidence_items = lms_evidence | direct_evidence

methods = st.one_of(
    st.sampled_from([CalculationMethod.highest(), CalculationMethod.latest(),
                     CalculationMethod.average(), CalculationMethod.decaying_average()]),
    st.integers(1, 4).map(CalculationMethod.n_mastery),
    st.integers(1, 99).map(lambda n: CalculationMethod.decaying_average(n / 100)),
)
observations = st.lists(
    st.builds(Observation, st.none() | st.integers(0, 400).map(lambda n: n / 100), times),
    max_size=8,
)

THREE_ROLE = RoleBlueprint("r3", "Three", tuple(Requirement(c, 3, w, 1) for c, w in
                                                 zip(COMPETENCIES[:3], (25, 35, 40),
                                                     strict=True)))

# --- properties --------------------------------------------------------------------------


@PROPERTY
@given(roles(), levels_maps)
def test_score_is_between_0_and_1(role, levels):
    result = readiness_for(role, levels)
    assert 0.0 <= result.score <= 1.0
    assert all(g.shortfall > 0 and g.impact > 0 and 0 < g.readiness_gain <= 1
               for g in result.gaps)


@PROPERTY
@given(rules, st.lists(evidence_items, max_size=10), evidence_items)
def test_under_highest_more_evidence_never_lowers_readiness(rule_list, evidence, extra):
    before = competency_levels(evidence, rule_list, {})
    after = competency_levels([*evidence, extra], rule_list, {})
    for competency, level in before.items():
        assert after[competency] >= level
    assert (readiness_for(THREE_ROLE, after).score
            >= readiness_for(THREE_ROLE, before).score - 1e-12)
    assert readiness_for(THREE_ROLE, after).ready >= readiness_for(THREE_ROLE, before).ready


@PROPERTY
@given(roles(), levels_maps, factors, st.booleans())
# 30/20 percent -> 0.3/0.2: 0.3 * 2 = 0.6 but 0.2 * 3 = 0.6000000000000001 (was reordered)
@example(RoleBlueprint("role", "Role", (Requirement("a", 2, 30), Requirement("b", 3, 20))),
         {}, 100.0, True)
def test_scaling_all_weights_changes_nothing(role, levels, factor, divide):
    # dividing is how percent weights become fractions (30 / 100 = 0.3)
    scaled = RoleBlueprint(role.id, role.name, tuple(
        Requirement(r.competency_id, r.required_level,
                    r.weight / factor if divide else r.weight * factor, r.minimum_level)
        for r in role.requirements), threshold=role.threshold)
    a, b = readiness_for(role, levels), readiness_for(scaled, levels)
    assert abs(a.score - b.score) <= 1e-9
    assert a.ready == b.ready
    assert [g.competency_id for g in a.gaps] == [g.competency_id for g in b.gaps]
    assert [c.competency_id for c in a.checklist] == [c.competency_id for c in b.checklist]
    assert [(f.kind, f.competency_id) for f in a.failing_gates] == [
        (f.kind, f.competency_id) for f in b.failing_gates]


@PROPERTY
@given(roles(), levels_maps)
def test_failing_gate_if_and_only_if_not_ready(role, levels):
    result = readiness_for(role, levels)
    assert result.ready == (not result.failing_gates)
    below_minimum = any(r.minimum_level is not None
                        and levels.get(r.competency_id, 0) < r.minimum_level
                        for r in role.requirements)
    if below_minimum or result.score < role.threshold - 1e-6:
        assert not result.ready
    if result.ready:
        assert result.score >= role.threshold - 1e-9


@PROPERTY
@given(methods, observations, st.integers(1, 4))
def test_calculation_lies_between_min_and_max(method, given_observations, mastery):
    result = method.calculate(given_observations, mastery)
    values = [o.value for o in given_observations if o.value is not None]
    if result is None:
        assert not values or method.name == "n_mastery"
        return
    assert min(values) <= result <= max(values)
    if method.name == "n_mastery":
        assert result >= mastery
    # with distinct times, the order the observations are given in does not matter
    # (equal times keep the given order: that case is not specified)
    if len({o.observed_at for o in given_observations}) == len(given_observations):
        assert method.calculate(list(reversed(given_observations)), mastery) == result
    # at most 2 places
    assert round(result, 2) == result


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_batch_scores_equal_full_readiness(data: st.DataObject) -> None:
    """`readiness_scores` (the fast path) agrees with `readiness_for` on score and ready."""
    from lti_tool.domain.cohorts import readiness_scores

    competencies = [f"c{i}" for i in range(6)]
    roles = []
    for index in range(data.draw(st.integers(1, 3))):
        chosen = data.draw(st.lists(st.sampled_from(competencies), min_size=1, max_size=6,
                                    unique=True))
        requirements = []
        for competency in chosen:
            required = data.draw(st.integers(1, 4))
            minimum = data.draw(st.one_of(st.none(), st.integers(1, required)))
            requirements.append(Requirement(competency, required,
                                            data.draw(st.floats(0.1, 10)), minimum))
        roles.append(RoleBlueprint(f"r{index}", f"Role {index}", tuple(requirements),
                                   threshold=data.draw(st.floats(0.05, 1.0))))
    learners = {f"l{i}": data.draw(st.dictionaries(st.sampled_from(competencies),
                                                   st.floats(0, 4), max_size=6))
                for i in range(3)}
    for found in readiness_scores(roles, learners):
        role = next(r for r in roles if r.id == found.role_id)
        full = readiness_for(role, learners[found.learner_id])
        assert found.score == pytest.approx(full.score, abs=1e-12)
        assert found.ready == full.ready
