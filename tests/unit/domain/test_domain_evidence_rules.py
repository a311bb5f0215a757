"""Evidence, evidence rules and the levels they give, worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lti_tool.domain.calculation import CalculationMethod, Observation
from lti_tool.domain.errors import InvalidInput
from lti_tool.domain.evidence import LMS_KINDS, Evidence, EvidenceKind
from lti_tool.domain.levels import (
    DEFAULT_POLICY,
    LevelPolicy,
    competency_levels,
    evidence_kinds_by_competency,
    observations_for,
)
from lti_tool.domain.rules import (
    Accepted,
    AllOf,
    AnyOf,
    Completed,
    EvidenceRule,
    ItemOutcome,
    ScoreAtLeast,
    Shortfall,
    condition_from_dict,
    condition_to_dict,
    outcomes_from_evidence,
    shortfalls,
    tried,
)

T0 = datetime(2024, 3, 1, tzinfo=UTC)
K = EvidenceKind


def at(day: int) -> datetime:
    return T0 + timedelta(days=day)


def completion(item: str, day: int, learner: str = "l1") -> Evidence:
    return Evidence(K.LMS_COMPLETION, learner, at(day), 1.0, lms_item_id=item)


def score(item: str, fraction: float, day: int, learner: str = "l1") -> Evidence:
    return Evidence(K.LMS_SCORE, learner, at(day), fraction, lms_item_id=item)


def accepted(item: str, day: int, learner: str = "l1") -> Evidence:
    return Evidence(K.PROJECT_ACCEPTED, learner, at(day), 1.0, lms_item_id=item)


def direct(kind: EvidenceKind, competency: str, level: float, day: int) -> Evidence:
    return Evidence(kind, "l1", at(day), level, competency_id=competency)


# --- evidence validation -----------------------------------------------------------------

def test_lms_kinds():
    assert {K.LMS_COMPLETION, K.LMS_SCORE, K.PROJECT_ACCEPTED} == LMS_KINDS
    assert str(K.MANAGER_ENDORSEMENT) == "manager_endorsement"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": K.LMS_COMPLETION},                                            # names neither
        {"kind": K.LMS_COMPLETION, "lms_item_id": "i", "competency_id": "c"},  # names both
        {"kind": K.LMS_SCORE, "lms_item_id": "i"},                             # score without value
        {"kind": K.LMS_SCORE, "lms_item_id": "i", "value": 1.01},
        {"kind": K.LMS_SCORE, "lms_item_id": "i", "value": -0.1},
        {"kind": K.MANAGER_ENDORSEMENT, "competency_id": "c", "value": -1},
    ],
)
def test_evidence_validation(kwargs):
    with pytest.raises(InvalidInput):
        Evidence(learner_id="l1", observed_at=T0, **kwargs)


def test_evidence_valid_edges():
    assert Evidence(K.LMS_SCORE, "l1", T0, 0.0, lms_item_id="i").value == 0.0
    assert Evidence(K.LMS_SCORE, "l1", T0, 1.0, lms_item_id="i").value == 1.0
    assert Evidence(K.PEER_REVIEW, "l1", T0, None, competency_id="c").value is None


# --- the seeds' example ------------------------------------------------------------------
# rule A on "sql-course": completion + assessment >= 80 %      -> SQL level 2
# rule B on "sql-course": completion + applied project accepted -> SQL level 3

RULE_A = EvidenceRule("A", "sql-course", "sql", 2, AllOf((Completed(), ScoreAtLeast(80))))
RULE_B = EvidenceRule("B", "sql-course", "sql", 3, AllOf((Completed(), Accepted("sql-project"))))
RULES = (RULE_A, RULE_B)
POLICIES = {"sql": LevelPolicy(CalculationMethod.highest(), mastery=2)}


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ([], None),                                                        # nothing
        ([completion("sql-course", 1)], None),                             # completion only
        ([completion("sql-course", 1), score("sql-course", 0.79, 2)], None),  # 79 % < 80 %
        ([completion("sql-course", 1), score("sql-course", 0.80, 2)], 2.0),   # 80 % -> rule A
        ([completion("sql-course", 1), score("sql-course", 0.85, 2),
          accepted("sql-project", 5)], 3.0),                                # rule B
    ],
    ids=["nothing", "completion", "completion+79", "completion+80", "completion+85+project"],
)
def test_seed_rules_give_the_levels(evidence, expected):
    levels = competency_levels(evidence, RULES, POLICIES)
    assert levels.get("sql") == expected


def test_project_accepted_without_score_still_reaches_level_3():
    evidence = [completion("sql-course", 1), accepted("sql-project", 3)]
    assert competency_levels(evidence, RULES, POLICIES) == {"sql": 3.0}


def test_only_the_highest_firing_rule_per_item_counts():
    # with an average policy, rules A (2) and B (3) on the same item are not averaged:
    # only rule B's observation is kept -> 3, not (2+3)/2 = 2.5
    evidence = [completion("sql-course", 1), score("sql-course", 0.9, 2),
                accepted("sql-project", 4)]
    averaging = {"sql": LevelPolicy(CalculationMethod.average(), 2)}
    observations = observations_for(evidence, RULES)
    assert observations == {"sql": [Observation(3.0, at(4))]}
    assert competency_levels(evidence, RULES, averaging) == {"sql": 3.0}
    # the order of the rules does not matter
    assert observations_for(evidence, (RULE_B, RULE_A)) == observations


def test_rules_on_different_items_and_direct_evidence_are_combined():
    rule_c = EvidenceRule("C", "sql-advanced", "sql", 4, Completed())
    evidence = [
        completion("sql-course", 1), score("sql-course", 0.8, 2),      # rule A: 2 at day 2
        completion("sql-advanced", 6),                                  # rule C: 4 at day 6
        direct(K.MANAGER_ENDORSEMENT, "sql", 3, 8),                     # 3 at day 8
        direct(K.PEER_REVIEW, "sql", None, 9),                          # no value: ignored
        direct(K.CERTIFICATION, "vis", 2, 3),
    ]
    rules = (*RULES, rule_c)
    obs = observations_for(evidence, rules)
    assert sorted((o.value, o.observed_at) for o in obs["sql"]) == [
        (2.0, at(2)), (3.0, at(8)), (4.0, at(6))]
    # latest: by time 2 (d2), 4 (d6), 3 (d8) -> 3
    latest = {"sql": LevelPolicy(CalculationMethod.latest(), 2)}
    assert competency_levels(evidence, rules, latest) == {"sql": 3.0, "vis": 2.0}
    # decaying average: 3*0.65 + mean(2, 4)*0.35 = 1.95 + 1.05 = 3.00
    decaying = {"sql": LevelPolicy(CalculationMethod.decaying_average(), 2)}
    assert competency_levels(evidence, rules, decaying)["sql"] == 3.0
    # no policy for vis -> DEFAULT_POLICY (highest, mastery 2)
    assert DEFAULT_POLICY == LevelPolicy(CalculationMethod.highest(), 2)


def test_competency_without_a_level_under_n_mastery_is_left_out():
    evidence = [direct(K.MANAGER_ENDORSEMENT, "sql", 1, 1)]
    # mastery 2: 1 does not reach it -> no level -> no key
    policies = {"sql": LevelPolicy(CalculationMethod.n_mastery(1), 2)}
    assert competency_levels(evidence, (), policies) == {}


# --- AnyOf and fires_at ------------------------------------------------------------------

def test_fires_at_of_all_of_is_the_latest_part():
    outcomes = outcomes_from_evidence([
        completion("sql-course", 3), score("sql-course", 0.9, 1), accepted("sql-project", 7)])
    # completion day 3, score day 1 -> AllOf holds from day 3
    assert RULE_A.fires_at(outcomes) == at(3)
    # completion day 3, project day 7 -> day 7
    assert RULE_B.fires_at(outcomes) == at(7)


def test_fires_at_of_any_of_is_the_earliest_part():
    rule = EvidenceRule("X", "course", "c", 2,
                        AnyOf((Accepted("project"), ScoreAtLeast(50), Completed("other"))))
    outcomes = outcomes_from_evidence([
        accepted("project", 9), score("course", 0.5, 4), completion("other", 6)])
    # parts hold at day 9, day 4, day 6 -> earliest = day 4
    assert rule.fires_at(outcomes) == at(4)
    # only the project: day 9
    assert rule.fires_at(outcomes_from_evidence([accepted("project", 9)])) == at(9)
    # none of them
    assert rule.fires_at(outcomes_from_evidence([score("course", 0.49, 1)])) is None
    assert rule.items() == {"project", "course", "other"}


def test_nested_conditions():
    cond = AllOf((Completed(), AnyOf((ScoreAtLeast(90), Accepted("capstone")))))
    rule = EvidenceRule("N", "pm-101", "roadmapping", 3, cond)
    base = [completion("pm-101", 2)]
    assert rule.fires_at(outcomes_from_evidence(base)) is None
    assert rule.fires_at(outcomes_from_evidence([*base, accepted("capstone", 5)])) == at(5)
    # score 90 % at day 1, completion day 2 -> max(2, min(1)) = day 2
    assert rule.fires_at(outcomes_from_evidence([*base, score("pm-101", 0.9, 1)])) == at(2)
    assert rule.items() == {"pm-101", "capstone"}


def test_empty_all_of_and_any_of_never_fire():
    outcomes = outcomes_from_evidence([completion("i", 1)])
    assert EvidenceRule("e", "i", "c", 1, AllOf(())).fires_at(outcomes) is None
    assert EvidenceRule("e", "i", "c", 1, AnyOf(())).fires_at(outcomes) is None
    assert EvidenceRule("e", "i", "c", 1, AllOf(())).items() == set()


def test_conditions_on_missing_outcomes_or_missing_parts():
    outcomes = {"i": ItemOutcome("i")}
    assert EvidenceRule("r", "i", "c", 1, Completed()).fires_at(outcomes) is None
    assert EvidenceRule("r", "i", "c", 1, Accepted()).fires_at(outcomes) is None
    assert EvidenceRule("r", "i", "c", 1, ScoreAtLeast(0)).fires_at(outcomes) is None
    assert EvidenceRule("r", "j", "c", 1, Completed()).fires_at(outcomes) is None


def test_score_threshold_boundaries():
    # 0.8 * 100 = 80.00000000000001 >= 80; 0.57 * 100 = 56.99999999999999 >= 57 - 1e-9
    for fraction, percent in [(0.8, 80), (0.57, 57), (0.29, 29), (1.0, 100), (0.0, 0)]:
        outcomes = outcomes_from_evidence([score("i", fraction, 1)])
        assert EvidenceRule("r", "i", "c", 1, ScoreAtLeast(percent)).fires_at(outcomes) == at(1)
    outcomes = outcomes_from_evidence([score("i", 0.7999, 1)])
    assert EvidenceRule("r", "i", "c", 1, ScoreAtLeast(80)).fires_at(outcomes) is None


def test_rule_validation():
    with pytest.raises(InvalidInput):
        EvidenceRule("r", "i", "c", 0, Completed())
    for percent in (-1, 100.5, float("nan")):
        with pytest.raises(InvalidInput):
            ScoreAtLeast(percent)


# --- outcomes_from_evidence --------------------------------------------------------------

def test_outcomes_keep_best_score_and_first_times():
    evidence = [
        score("i", 0.6, 1),
        score("i", 0.9, 2),                   # best
        score("i", 0.7, 3),
        score("i", 0.9, 4),                   # equal to best, later: keeps day 2
        completion("i", 5), completion("i", 3),   # earliest completion: day 3
        accepted("i", 8), accepted("i", 6),       # earliest acceptance: day 6
        direct(K.MANAGER_ENDORSEMENT, "c", 3, 1),  # not LMS: ignored
        Evidence(K.EXTERNAL, "l1", at(1), None, lms_item_id="j"),  # other kind on an item
    ]
    outcomes = outcomes_from_evidence(evidence)
    assert outcomes["i"] == ItemOutcome("i", completed_at=at(3), best_score=0.9,
                                        scored_at=at(2), accepted_at=at(6))
    assert outcomes["j"] == ItemOutcome("j")
    assert set(outcomes) == {"i", "j"}


def test_outcomes_of_nothing():
    assert outcomes_from_evidence([]) == {}


# --- serialisation -----------------------------------------------------------------------

SERIALISED = [
    (Completed(), {"type": "completed"}),
    (Completed("x"), {"type": "completed", "item_id": "x"}),
    (Accepted(), {"type": "accepted"}),
    (Accepted("p"), {"type": "accepted", "item_id": "p"}),
    (ScoreAtLeast(80.0), {"type": "score_at_least", "percent": 80.0}),
    (ScoreAtLeast(55.5, "q"), {"type": "score_at_least", "percent": 55.5, "item_id": "q"}),
    (AllOf((Completed(), ScoreAtLeast(80.0))),
     {"all": [{"type": "completed"}, {"type": "score_at_least", "percent": 80.0}]}),
    (AnyOf((Accepted("p"), AllOf((Completed(),)))),
     {"any": [{"type": "accepted", "item_id": "p"}, {"all": [{"type": "completed"}]}]}),
]


@pytest.mark.parametrize(("condition", "data"), SERIALISED)
def test_condition_round_trip(condition, data):
    assert condition_to_dict(condition) == data
    assert condition_from_dict(data) == condition
    assert condition_from_dict(condition_to_dict(condition)) == condition


def test_condition_from_dict_accepts_integer_percent():
    assert condition_from_dict({"type": "score_at_least", "percent": 80}) == ScoreAtLeast(80.0)


@pytest.mark.parametrize(
    "data",
    [
        "completed",
        ["completed"],
        None,
        {},
        {"type": "done"},
        {"type": None},
        {"all": []},
        {"any": []},
        {"all": {"type": "completed"}},
        {"any": "completed"},
        {"all": [{"type": "completed"}, "accepted"]},
        {"any": [{"type": "nope"}]},
        {"type": "completed", "item_id": 7},
        {"type": "accepted", "item_id": ["x"]},
        {"type": "score_at_least"},
        {"type": "score_at_least", "percent": "80"},
        {"type": "score_at_least", "percent": True},
        {"type": "score_at_least", "percent": None},
        {"type": "score_at_least", "percent": 101},
        {"type": "score_at_least", "percent": -5},
    ],
)
def test_condition_from_dict_rejects_malformed_input(data):
    with pytest.raises(InvalidInput):
        condition_from_dict(data)


# --- evidence kinds per competency -------------------------------------------------------

def test_evidence_kinds_by_competency():
    vis_rule = EvidenceRule("V", "vis-course", "vis", 2, Completed())
    evidence = [
        completion("sql-course", 1),
        score("sql-course", 0.8, 2),
        accepted("sql-project", 3),          # named by rule B -> counts for sql
        completion("unrelated", 1),           # no rule looks at it
        direct(K.MANAGER_ENDORSEMENT, "vis", 2, 4),
    ]
    kinds = evidence_kinds_by_competency(evidence, (*RULES, vis_rule))
    assert kinds == {
        "sql": {"lms_completion", "lms_score", "project_accepted"},
        "vis": {"manager_endorsement"},
    }


def test_shortfalls_say_what_each_unmet_part_lacks():
    t = datetime(2025, 1, 1, tzinfo=UTC)
    outcomes = {"quiz": ItemOutcome("quiz", completed_at=t, best_score=0.5, scored_at=t),
                "project": ItemOutcome("project")}
    need_80 = ScoreAtLeast(80)
    assert shortfalls(need_80, "quiz", outcomes) == (Shortfall("score", "quiz", 80, 50),)
    assert shortfalls(ScoreAtLeast(40), "quiz", outcomes) == ()
    assert shortfalls(need_80, "none", outcomes) == (Shortfall("score", "none", 80, None),)
    assert shortfalls(Completed(), "quiz", outcomes) == ()
    assert shortfalls(Completed("project"), "quiz", outcomes) == (
        Shortfall("completion", "project"),)
    assert shortfalls(Accepted("project"), "quiz", outcomes) == (
        Shortfall("acceptance", "project"),)
    both = AllOf((Completed(), need_80, Accepted("project")))
    assert shortfalls(both, "quiz", outcomes) == (Shortfall("score", "quiz", 80, 50),
                                                 Shortfall("acceptance", "project"))
    # any of: the alternative lacking the fewest parts; none lacking when one holds
    either = AnyOf((AllOf((need_80, Accepted("project"))), Completed("project")))
    assert shortfalls(either, "quiz", outcomes) == (Shortfall("completion", "project"),)
    assert shortfalls(AnyOf((need_80, Completed())), "quiz", outcomes) == ()
    assert shortfalls(AnyOf(()), "quiz", outcomes) == ()


def test_tried_means_any_evidence_on_the_item():
    t = datetime(2025, 1, 1, tzinfo=UTC)
    assert not tried(None)
    assert not tried(ItemOutcome("quiz"))
    assert tried(ItemOutcome("quiz", completed_at=t))
    assert tried(ItemOutcome("quiz", best_score=0.0, scored_at=t))
    assert tried(ItemOutcome("quiz", accepted_at=t))
