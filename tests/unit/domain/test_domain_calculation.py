"""Canvas calculation semantics, worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lti_tool.domain.calculation import (
    METHODS,
    CalculationMethod,
    Observation,
    round_half_up,
)
from lti_tool.domain.errors import CareerPathError, DomainError, InvalidInput

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def at(day: int) -> datetime:
    return T0 + timedelta(days=day)


def obs(*values: float | None) -> list[Observation]:
    """Observations one day apart, oldest first, in the order given."""
    return [Observation(v, at(i)) for i, v in enumerate(values)]


# --- highest / latest / average -------------------------------------------------------

def test_highest_takes_the_maximum():
    # max(1, 3, 2) = 3
    assert CalculationMethod.highest().calculate(obs(1, 3, 2), mastery=2) == 3.0


def test_latest_takes_the_newest_by_time_not_by_position():
    given = [Observation(4, at(5)), Observation(1, at(9)), Observation(3, at(0))]
    # ordered by time: 3 (day 0), 4 (day 5), 1 (day 9) -> latest = 1
    assert CalculationMethod.latest().calculate(given, mastery=2) == 1.0


def test_average_is_the_mean():
    # (1 + 2 + 4) / 3 = 7/3 = 2.333... -> 2.33
    assert CalculationMethod.average().calculate(obs(1, 2, 4), mastery=2) == 2.33


def test_average_of_two_thirds_rounds_up():
    # (2 + 3 + 3) / 3 = 8/3 = 2.666... -> 2.67
    assert CalculationMethod.average().calculate(obs(2, 3, 3), mastery=2) == 2.67


# --- values without a value --------------------------------------------------------------

@pytest.mark.parametrize("name", ["highest", "latest", "average"])
def test_no_observations_gives_no_level(name):
    assert CalculationMethod(name).calculate([], mastery=2) is None


@pytest.mark.parametrize(
    "method",
    [CalculationMethod.highest(), CalculationMethod.latest(), CalculationMethod.average(),
     CalculationMethod.n_mastery(1), CalculationMethod.decaying_average()],
)
def test_only_none_values_gives_no_level(method):
    assert method.calculate(obs(None, None), mastery=2) is None


def test_none_values_are_dropped_before_latest():
    # 2 (day 0), None (day 1) -> None is dropped, latest of [2] = 2
    assert CalculationMethod.latest().calculate(obs(2, None), mastery=2) == 2.0


def test_none_values_are_dropped_before_average():
    # [1, None, 3] -> [1, 3] -> (1 + 3) / 2 = 2
    assert CalculationMethod.average().calculate(obs(1, None, 3), mastery=2) == 2.0


def test_none_values_are_dropped_before_decaying_average():
    # [1, 3, None] -> [1, 3]; latest 3: 3*0.65 + 1*0.35 = 1.95 + 0.35 = 2.30
    method = CalculationMethod.decaying_average()
    assert method.calculate(obs(1, 3, None), mastery=2) == 2.3


# --- n_mastery ---------------------------------------------------------------------------

def test_n_mastery_without_enough_mastery_scores_gives_no_level():
    # mastery 3: scores reaching it are [3] -> 1 < n=2 -> no level
    assert CalculationMethod.n_mastery(2).calculate(obs(1, 3, 2), mastery=3) is None


def test_n_mastery_averages_only_the_scores_that_reach_mastery():
    # mastery 3: reaching = [3, 4, 4] (1 and 2 are left out); 3 >= n=2
    # mean = (3 + 4 + 4) / 3 = 11/3 = 3.666... -> 3.67
    assert CalculationMethod.n_mastery(2).calculate(obs(1, 3, 2, 4, 4), mastery=3) == 3.67


def test_n_mastery_counts_a_score_equal_to_mastery():
    # mastery 2: [2, 2] both reach it -> 2 >= n=2 -> mean 2
    assert CalculationMethod.n_mastery(2).calculate(obs(2, 2), mastery=2) == 2.0


def test_n_mastery_one_with_nothing_at_mastery_gives_no_level():
    # mastery 2: reaching = [] -> 0 < 1
    assert CalculationMethod.n_mastery(1).calculate(obs(1, 1.5), mastery=2) is None


# --- decaying_average --------------------------------------------------------------------

def test_decaying_average_of_one_score_is_that_score():
    assert CalculationMethod.decaying_average().calculate(obs(3), mastery=2) == 3.0
    assert CalculationMethod.decaying_average(0.2).calculate(obs(1.5), mastery=2) == 1.5


def test_decaying_average_default_weight_is_0_65():
    assert CalculationMethod.decaying_average() == CalculationMethod("decaying_average", 0.65)
    # [2, 4]: latest 4*0.65 + mean(2)*0.35 = 2.6 + 0.7 = 3.30
    assert CalculationMethod.decaying_average().calculate(obs(2, 4), mastery=2) == 3.3


def test_decaying_average_uses_the_mean_of_all_older_scores():
    # [1, 2, 3, 4], w = 0.65: older mean = (1+2+3)/3 = 2
    # 4*0.65 + 2*0.35 = 2.6 + 0.7 = 3.30
    assert CalculationMethod.decaying_average().calculate(obs(1, 2, 3, 4), mastery=2) == 3.3


def test_decaying_average_with_a_custom_weight():
    # [4, 1], w = 0.5: 1*0.5 + 4*0.5 = 2.5
    assert CalculationMethod.decaying_average(0.5).calculate(obs(4, 1), mastery=2) == 2.5


def test_decaying_average_orders_by_observed_at_even_when_given_out_of_order():
    given = [Observation(4, at(3)), Observation(1, at(1)), Observation(2, at(2))]
    # by time: 1 (day 1), 2 (day 2), 4 (day 3); latest = 4, older mean = (1+2)/2 = 1.5
    # 4*0.65 + 1.5*0.35 = 2.6 + 0.525 = 3.125 -> half up -> 3.13
    assert CalculationMethod.decaying_average().calculate(given, mastery=2) == 3.13
    # the same values in the given order would be: latest 2, older mean 2.5
    # 2*0.65 + 2.5*0.35 = 1.3 + 0.875 = 2.175 -> 2.18, so the order matters
    assert CalculationMethod.decaying_average().calculate(obs(4, 1, 2), mastery=2) == 2.18


# --- rounding ----------------------------------------------------------------------------

def test_average_rounds_an_exact_half_up():
    # (2 + 2.01) / 2 = 4.01 / 2 = 2.005 exactly in decimal -> half up -> 2.01
    # (Python's round(2.005, 2) gives 2.0 because of binary floats)
    assert round(2.005, 2) == 2.0
    assert CalculationMethod.average().calculate(obs(2, 2.01), mastery=2) == 2.01


def test_decaying_average_rounds_an_exact_half_up():
    # [1, 2], w = 0.65: 2*0.65 + 1*0.35 = 1.3 + 0.35 = 1.65 (no rounding needed)
    assert CalculationMethod.decaying_average().calculate(obs(1, 2), mastery=2) == 1.65
    # [2, 3], w = 0.75: 3*0.75 + 2*0.25 = 2.25 + 0.5 = 2.75
    assert CalculationMethod.decaying_average(0.75).calculate(obs(2, 3), mastery=2) == 2.75
    # [3, 2], w = 0.65: 2*0.65 + 3*0.35 = 1.3 + 1.05 = 2.35
    assert CalculationMethod.decaying_average().calculate(obs(3, 2), mastery=2) == 2.35


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.005, 2.01),    # x.xx5 -> up
        (1.125, 1.13),    # exact binary half -> up (banker's rounding would give 1.12)
        (2.675, 2.68),    # round(2.675, 2) == 2.67 in Python
        (0.004, 0.0),
        (3.0, 3.0),
        (2.3449, 2.34),
    ],
)
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


def test_round_half_up_other_places():
    # 0.5 -> 1 at 0 places; 1.25 -> 1.3 at 1 place
    assert round_half_up(0.5, 0) == 1.0
    assert round_half_up(1.25, 1) == 1.3


# --- parse / str -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("highest", CalculationMethod.highest()),
        ("latest", CalculationMethod.latest()),
        ("average", CalculationMethod.average()),
        ("n_mastery(3)", CalculationMethod.n_mastery(3)),
        ("decaying_average(0.65)", CalculationMethod.decaying_average(0.65)),
        ("decaying_average(0.8)", CalculationMethod.decaying_average(0.8)),
        ("decaying_average", CalculationMethod.decaying_average()),
        ("  n_mastery ( 2 ) ", CalculationMethod.n_mastery(2)),
    ],
)
def test_parse(text, method):
    assert CalculationMethod.parse(text) == method


@pytest.mark.parametrize(
    "method",
    [CalculationMethod.highest(), CalculationMethod.latest(), CalculationMethod.average(),
     CalculationMethod.n_mastery(1), CalculationMethod.n_mastery(5),
     CalculationMethod.decaying_average(), CalculationMethod.decaying_average(0.3)],
)
def test_str_and_parse_round_trip(method):
    assert CalculationMethod.parse(str(method)) == method
    assert str(CalculationMethod.parse(str(method))) == str(method)


def test_str_forms():
    assert str(CalculationMethod.highest()) == "highest"
    assert str(CalculationMethod.n_mastery(3)) == "n_mastery(3)"
    assert str(CalculationMethod.decaying_average()) == "decaying_average(0.65)"


@pytest.mark.parametrize(
    "text",
    [
        "median",
        "",
        "n_mastery",              # n is required
        "n_mastery(0)",
        "n_mastery(-2)",
        "n_mastery(2.5)",         # not a whole number
        "n_mastery(nan)",
        "n_mastery(inf)",
        "n_mastery(x)",
        "n_mastery()",
        "decaying_average(0)",
        "decaying_average(1)",
        "decaying_average(1.5)",
        "decaying_average(-0.1)",
        "decaying_average(nan)",
        "decaying_average(abc)",
        "decaying_average((0.5))",
        "highest(2)",             # highest takes no parameter
        "average(0.5)",
        "bogus(1)",
    ],
)
def test_parse_rejects_bad_text(text):
    with pytest.raises(InvalidInput):
        CalculationMethod.parse(text)


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("n_mastery", None),
        ("n_mastery", 0),
        ("n_mastery", 1.5),
        ("n_mastery", float("nan")),
        ("n_mastery", float("inf")),
        ("decaying_average", None),
        ("decaying_average", 0.0),
        ("decaying_average", 1.0),
        ("latest", 3),
        ("unknown", None),
    ],
)
def test_constructor_rejects_bad_parameters(name, parameter):
    with pytest.raises(InvalidInput):
        CalculationMethod(name, parameter)


def test_factories_and_method_names():
    assert METHODS == ("highest", "latest", "average", "n_mastery", "decaying_average")
    assert CalculationMethod.n_mastery(2).parameter == 2
    assert CalculationMethod.decaying_average().parameter == 0.65


def test_invalid_input_is_a_domain_error_with_field_errors():
    error = InvalidInput("bad", {"name": ["unknown"]})
    assert isinstance(error, DomainError)
    assert isinstance(error, CareerPathError)
    assert error.code == "invalid_input"
    assert error.message == "bad"
    assert error.errors == {"name": ["unknown"]}
    assert InvalidInput("bad").errors == {}
