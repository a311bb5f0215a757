"""Proficiency scales and competency frameworks."""

from __future__ import annotations

import pytest

from lti_tool.domain.calculation import CalculationMethod
from lti_tool.domain.errors import InvalidInput
from lti_tool.domain.scales import (
    DEVELOPING_PROFICIENT_ADVANCED,
    FOUR_POINT_RUBRIC,
    SHIPPED_SCALES,
    ProficiencyLevel,
    ProficiencyScale,
)
from lti_tool.domain.taxonomy import BehaviouralAnchor, Competency, Framework, validate_tree

# --- scales ------------------------------------------------------------------------------

def test_four_point_rubric_shape():
    assert [lv.value for lv in FOUR_POINT_RUBRIC.levels] == [1, 2, 3, 4]
    assert FOUR_POINT_RUBRIC.min_value == 1
    assert FOUR_POINT_RUBRIC.max_value == 4
    # lowest proficient value: 2 "Meets expectations"
    assert FOUR_POINT_RUBRIC.mastery_value == 2
    assert FOUR_POINT_RUBRIC.level(4).label == "Role model"
    assert SHIPPED_SCALES == (FOUR_POINT_RUBRIC, DEVELOPING_PROFICIENT_ADVANCED)
    assert DEVELOPING_PROFICIENT_ADVANCED.mastery_value == 2


def test_mastery_value_is_the_lowest_proficient_even_when_not_contiguous():
    scale = ProficiencyScale("s", "S", (
        ProficiencyLevel(0, "zero"),
        ProficiencyLevel(5, "five", proficient=True),
        ProficiencyLevel(7, "seven"),
        ProficiencyLevel(9, "nine", proficient=True),
    ))
    assert scale.mastery_value == 5


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (None, "No evidence"),
        (0, "Not yet"),
        (0.99, "Not yet"),
        (1, "Needs development"),
        (1.5, "Needs development"),
        (2, "Meets expectations"),
        (2.67, "Meets expectations"),
        (2.9999999999, "Exceeds expectations"),   # within the 1e-9 tolerance of 3
        (3, "Exceeds expectations"),
        (4, "Role model"),
        (9, "Role model"),
    ],
)
def test_label_for(value, label):
    assert FOUR_POINT_RUBRIC.label_for(value) == label


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 1), (0, 1), (1, 2), (1.5, 2), (2, 3), (3.2, 4), (4, None), (5, None)],
)
def test_next_level(value, expected):
    found = FOUR_POINT_RUBRIC.next_level(value)
    assert (found.value if found else None) == expected


def test_level_lookup_of_unknown_value():
    with pytest.raises(InvalidInput):
        FOUR_POINT_RUBRIC.level(5)


@pytest.mark.parametrize(
    "levels",
    [
        (),
        (ProficiencyLevel(2, "b", True), ProficiencyLevel(1, "a")),          # descending
        (ProficiencyLevel(1, "a", True), ProficiencyLevel(1, "again")),      # duplicate
        (ProficiencyLevel(1, "a"), ProficiencyLevel(2, "b")),                # no proficient
    ],
)
def test_scale_validation(levels):
    with pytest.raises(InvalidInput):
        ProficiencyScale("bad", "Bad", levels)


# --- taxonomy ----------------------------------------------------------------------------

ANALYTICS = Competency("c-analytics", "AN", "Analytics")
SQL = Competency("c-sql", "AN.1", "SQL", parent_id="c-analytics")
VIS = Competency("c-vis", "AN.2", "Visualisation", parent_id="c-analytics")
STAKE = Competency("c-stake", "ST", "Stakeholder management")


def make_framework(**kwargs) -> Framework:
    defaults = {
        "id": "fw",
        "name": "Data",
        "scale": FOUR_POINT_RUBRIC,
        "competencies": (ANALYTICS, SQL, VIS, STAKE),
        "anchors": (BehaviouralAnchor("c-sql", 2, "Writes joins unaided"),),
    }
    defaults.update(kwargs)
    return Framework(**defaults)


def test_framework_lookups():
    fw = make_framework()
    assert fw.calculation == CalculationMethod.highest()
    assert fw.competency("c-sql") is SQL
    assert fw.children(None) == [ANALYTICS, STAKE]
    assert fw.children("c-analytics") == [SQL, VIS]
    assert fw.children("c-sql") == []
    assert fw.anchor("c-sql", 2).text == "Writes joins unaided"
    assert fw.anchor("c-sql", 3) is None
    assert fw.anchor("c-vis", 2) is None


def test_framework_unknown_competency():
    with pytest.raises(InvalidInput):
        make_framework().competency("c-nope")


def test_framework_anchor_on_unknown_level():
    with pytest.raises(InvalidInput):
        make_framework(anchors=(BehaviouralAnchor("c-sql", 5, "beyond the rubric"),))


def test_framework_with_empty_tree_is_fine():
    fw = make_framework(competencies=(), anchors=())
    assert fw.children(None) == []


def test_tree_duplicate_id():
    with pytest.raises(InvalidInput, match="duplicate"):
        validate_tree([ANALYTICS, Competency("c-analytics", "X", "Again")])


def test_tree_unknown_parent():
    with pytest.raises(InvalidInput, match="unknown parent"):
        validate_tree([ANALYTICS, Competency("c-x", "X", "X", parent_id="c-missing")])


def test_tree_unknown_grandparent():
    with pytest.raises(InvalidInput, match="unknown parent"):
        validate_tree([Competency("a", "A", "A", parent_id="b"),
                       Competency("b", "B", "B", parent_id="ghost")])


def test_tree_cycle():
    a = Competency("a", "A", "A", parent_id="c")
    b = Competency("b", "B", "B", parent_id="a")
    c = Competency("c", "C", "C", parent_id="b")
    with pytest.raises(InvalidInput, match="cycle"):
        validate_tree([a, b, c])
    with pytest.raises(InvalidInput, match="cycle"):
        make_framework(competencies=(ANALYTICS, a, b, c), anchors=())


def test_tree_self_parent_is_a_cycle():
    with pytest.raises(InvalidInput, match="cycle"):
        validate_tree([Competency("a", "A", "A", parent_id="a")])


def test_tree_deep_chain_is_fine():
    chain = [Competency("n0", "N0", "N0")] + [
        Competency(f"n{i}", f"N{i}", f"N{i}", parent_id=f"n{i - 1}") for i in range(1, 20)
    ]
    validate_tree(reversed(chain))


def test_scale_with_mastery_point_marks_it_and_the_levels_above_proficient() -> None:
    from lti_tool.domain.scales import scale_with_mastery_point

    scale = scale_with_mastery_point("fpa", "F/P/A", [(3, "Advanced", False),
                                                      (1, "Foundation", False),
                                                      (2, "Practitioner", True)])
    assert [(lv.value, lv.proficient) for lv in scale.levels] == [(1, False), (2, True),
                                                                  (3, True)]
    assert scale.mastery_value == 2


@pytest.mark.parametrize("levels", [
    [(1, "a", False), (2, "b", False)],          # no mastery point
    [(1, "a", True), (2, "b", True)],            # two
    [(1, "a", False), (1, "b", True)],           # duplicate value
    [(1, "Same", False), (2, "same", True)],     # duplicate label (case-insensitive)
    [(1, " ", False), (2, "b", True)],           # empty label
    [(1, "a", True)],                            # one level only
])
def test_scale_with_mastery_point_refuses_bad_levels(levels: list) -> None:
    from lti_tool.domain.errors import InvalidInput
    from lti_tool.domain.scales import scale_with_mastery_point

    with pytest.raises(InvalidInput) as refused:
        scale_with_mastery_point("bad", "Bad", levels)
    assert "levels" in refused.value.errors
