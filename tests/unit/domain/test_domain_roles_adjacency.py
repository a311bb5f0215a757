"""Role blueprints, the career lattice and adjacency, worked by hand."""

from __future__ import annotations

import pytest

from lti_tool.domain.adjacency import best_next_roles, ranked_next_roles, role_adjacency
from lti_tool.domain.errors import InvalidInput
from lti_tool.domain.roles import (
    CareerLattice,
    Requirement,
    RoleBlueprint,
    Transition,
    TransitionKind,
)

# --- validation --------------------------------------------------------------------------

@pytest.mark.parametrize(
    "kwargs",
    [
        {"required_level": 0},
        {"required_level": -1},
        {"required_level": 3, "weight": 0},
        {"required_level": 3, "weight": -2},
        {"required_level": 3, "minimum_level": 0},
        {"required_level": 3, "minimum_level": 4},
    ],
)
def test_requirement_validation(kwargs):
    with pytest.raises(InvalidInput):
        Requirement("c", **kwargs)


def test_requirement_minimum_may_equal_required():
    assert Requirement("c", 3, minimum_level=3).minimum_level == 3
    assert Requirement("c", 3).weight == 1.0


@pytest.mark.parametrize("threshold", [0, -0.1, 1.01])
def test_role_threshold_validation(threshold):
    with pytest.raises(InvalidInput):
        RoleBlueprint("r", "R", (Requirement("c", 2),), threshold=threshold)


def test_role_names_a_competency_twice():
    with pytest.raises(InvalidInput, match="twice"):
        RoleBlueprint("r", "R", (Requirement("c", 2), Requirement("c", 3)))


def test_role_total_weight():
    role = RoleBlueprint("r", "R", (Requirement("a", 2, 25), Requirement("b", 2, 35)),
                         threshold=1)
    # 25 + 35 = 60
    assert role.total_weight == 60
    assert RoleBlueprint("e", "E", ()).threshold == 0.8


def test_transition_to_itself():
    with pytest.raises(InvalidInput):
        Transition("a", "a")
    assert Transition("a", "b").kind == TransitionKind.UPWARD


def test_lattice_transition_names_unknown_role():
    role = RoleBlueprint("a", "A", (Requirement("x", 1),))
    with pytest.raises(InvalidInput, match="unknown role"):
        CareerLattice((role,), (Transition("a", "ghost"),))
    with pytest.raises(InvalidInput, match="unknown role"):
        CareerLattice((role,), (Transition("ghost", "a"),))


# --- a small lattice ---------------------------------------------------------------------
#
#   analyst --up--> senior --up--> lead
#      |                 ^  \
#    lateral          lateral \--up--> head --up--> senior (a cycle back)
#      v                 |
#   bi_dev  -------------+
#   support (isolated, no requirements)

ANALYST = RoleBlueprint("analyst", "Data Analyst", (
    Requirement("sql", 2, 2), Requirement("vis", 2, 1), Requirement("domain", 1, 1)))
SENIOR = RoleBlueprint("senior", "Senior Analyst", (
    Requirement("sql", 3, 2), Requirement("vis", 3, 1), Requirement("domain", 2, 1)))
BI_DEV = RoleBlueprint("bi_dev", "BI Developer", (
    Requirement("sql", 3, 3), Requirement("etl", 2, 1)))
LEAD = RoleBlueprint("lead", "Analytics Lead", (
    Requirement("sql", 3, 1), Requirement("lead", 3, 3)))
HEAD = RoleBlueprint("head", "Head of Data", (
    Requirement("lead", 4, 1), Requirement("strategy", 4, 1)))
SUPPORT = RoleBlueprint("support", "Support Rep", ())

LATTICE = CareerLattice(
    (ANALYST, SENIOR, BI_DEV, LEAD, HEAD, SUPPORT),
    (
        Transition("analyst", "senior"),
        Transition("analyst", "bi_dev", TransitionKind.LATERAL),
        Transition("bi_dev", "senior", TransitionKind.LATERAL),
        Transition("senior", "lead"),
        Transition("senior", "head"),
        Transition("head", "senior"),
    ),
)


def test_lattice_lookups():
    assert LATTICE.role("senior") is SENIOR
    with pytest.raises(InvalidInput):
        LATTICE.role("nobody")
    assert [t.to_role_id for t in LATTICE.next_roles("analyst")] == ["senior", "bi_dev"]
    assert LATTICE.next_roles("support") == []


def test_lattice_lookups_are_indexed_without_changing_the_lattice():
    lattice = CareerLattice(LATTICE.roles, LATTICE.transitions)
    lattice.next_roles("analyst").clear()  # the caller's list, not the lattice's index
    assert [t.to_role_id for t in lattice.next_roles("analyst")] == ["senior", "bi_dev"]
    assert lattice.role("head") is HEAD
    assert lattice == LATTICE and hash(lattice) == hash(LATTICE)
    assert repr(lattice) == repr(LATTICE)


def test_a_repeated_role_id_finds_the_first_role():
    again = RoleBlueprint("analyst", "Analyst (duplicate)", (Requirement("sql", 1),))
    assert CareerLattice((ANALYST, again)).role("analyst") is ANALYST


def test_reachable_from_is_breadth_first_and_survives_cycles():
    # analyst -> senior, bi_dev (distance 1) -> lead, head (distance 2); the cycle
    # head -> senior and bi_dev -> senior add nothing; the start never appears
    assert LATTICE.reachable_from("analyst") == ["senior", "bi_dev", "lead", "head"]
    # senior -> lead, head -> (head -> senior is the start, skipped)
    assert LATTICE.reachable_from("senior") == ["lead", "head"]
    assert LATTICE.reachable_from("head") == ["senior", "lead"]
    assert LATTICE.reachable_from("support") == []


def test_role_adjacency_by_hand():
    # someone meeting ANALYST exactly: sql 2, vis 2, domain 1
    # against SENIOR (sql 3 w2, vis 3 w1, domain 2 w1):
    #   (2*2/3 + 1*2/3 + 1*1/2) / 4 = (1.3333 + 0.6667 + 0.5) / 4 = 2.5 / 4 = 0.625
    assert role_adjacency(ANALYST, SENIOR) == pytest.approx(0.625)
    # SENIOR against ANALYST: every level is above what ANALYST needs -> 1
    assert role_adjacency(SENIOR, ANALYST) == pytest.approx(1.0)
    # ANALYST against BI_DEV (sql 3 w3, etl 2 w1): (3*2/3 + 1*0) / 4 = 2 / 4 = 0.5
    assert role_adjacency(ANALYST, BI_DEV) == pytest.approx(0.5)
    # no competency in common -> 0
    assert role_adjacency(ANALYST, HEAD) == 0.0


def test_role_adjacency_with_an_empty_target_is_refused():
    with pytest.raises(InvalidInput):
        role_adjacency(ANALYST, SUPPORT)


LEVELS = {"sql": 3, "vis": 2, "domain": 2, "etl": 1, "lead": 1}


def test_best_next_roles_from_analyst():
    # reachable from analyst: senior, bi_dev, lead, head
    # senior: (2*1 + 1*2/3 + 1*1) / 4 = 3.6667 / 4 = 0.9167
    # bi_dev: (3*1 + 1*1/2) / 4 = 3.5 / 4 = 0.875
    # lead:   (1*1 + 3*1/3) / 4 = 2 / 4 = 0.5
    # head:   (1*1/4 + 1*0) / 2 = 0.125
    results = best_next_roles(LATTICE, "analyst", LEVELS)
    assert [r.role_id for r in results] == ["senior", "bi_dev", "lead", "head"]
    assert [r.score for r in results] == pytest.approx([11 / 12, 0.875, 0.5, 0.125])
    # threshold 0.8: senior and bi_dev pass the threshold and have no minimum gates
    assert [r.ready for r in results] == [True, True, False, False]


def test_best_next_roles_from_senior_only_reachable_roles():
    results = best_next_roles(LATTICE, "senior", LEVELS)
    assert [r.role_id for r in results] == ["lead", "head"]


def test_best_next_roles_without_a_current_role_covers_every_role_with_requirements():
    # analyst: sql 3>=2, vis 2>=2, domain 2>=1 -> 1.0; support has no requirements (skipped)
    results = best_next_roles(LATTICE, None, LEVELS)
    assert [r.role_id for r in results] == ["analyst", "senior", "bi_dev", "lead", "head"]
    assert results[0].score == 1.0


def test_best_next_roles_ties_are_broken_by_role_name():
    a = RoleBlueprint("z-id", "Alpha", (Requirement("x", 2),))
    b = RoleBlueprint("a-id", "Beta", (Requirement("x", 2),))
    lattice = CareerLattice((b, a))
    # both score 1/2 = 0.5 -> by name: Alpha, Beta
    assert [r.role_id for r in best_next_roles(lattice, None, {"x": 1})] == ["z-id", "a-id"]


def test_best_next_roles_passes_evidence_kinds_to_the_checklist():
    results = best_next_roles(LATTICE, "senior", {}, {"lead": {"manager_endorsement"}})
    lead = next(r for r in results if r.role_id == "lead")
    item = next(c for c in lead.checklist if c.competency_id == "lead")
    assert [str(s) for s in item.missing_steps] == ["learning", "applied_project"]


@pytest.mark.parametrize("current", ["analyst", "senior", "support", None])
def test_ranked_next_roles_is_the_order_of_best_next_roles(current):
    ranked = ranked_next_roles(LATTICE, current, LEVELS)
    assert ranked == [r.role_id for r in best_next_roles(LATTICE, current, LEVELS)]


def test_ranked_next_roles_from_analyst_most_ready_first():
    assert ranked_next_roles(LATTICE, "analyst", LEVELS) == ["senior", "bi_dev", "lead", "head"]


def test_ranked_next_roles_ties_are_broken_by_role_name():
    a = RoleBlueprint("z-id", "Alpha", (Requirement("x", 2),))
    b = RoleBlueprint("a-id", "Beta", (Requirement("x", 2),))
    assert ranked_next_roles(CareerLattice((b, a)), None, {"x": 1}) == ["z-id", "a-id"]
