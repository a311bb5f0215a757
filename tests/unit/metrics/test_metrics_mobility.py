"""Mobility metrics, computed by hand on a small HRIS history."""

from __future__ import annotations

from datetime import date

import pytest

from lti_tool.domain.errors import InvalidInput
from lti_tool.domain.metrics import (
    ChangeKind,
    Duration,
    FillRate,
    Opening,
    RoleChange,
    internal_fill_rate,
    mobility_velocity,
    monthly_series,
    months,
    role_spells,
    time_to_promotion,
)

P, L, H, X = ChangeKind.PROMOTION, ChangeKind.LATERAL, ChangeKind.HIRE, ChangeKind.EXIT
YEAR = (date(2025, 1, 1), date(2025, 12, 31))

# p1: R1 for 181 days (Jan..Jun), promoted to R2, 92 days later moved sideways to R3
# p2: R1 for 106 days (1 Mar → 15 Jun), promoted
# p3: first fact is a promotion (start of R1 unknown: never measured), exits R2 after 92 days
# p4: hired Dec 2024, R1 for 62 days, promoted on 1 Feb
CHANGES = [
    RoleChange("p1", None, "R1", H, date(2025, 1, 1)),
    RoleChange("p1", "R1", "R2", P, date(2025, 7, 1)),
    RoleChange("p1", "R2", "R3", L, date(2025, 10, 1)),
    RoleChange("p2", None, "R1", H, date(2025, 3, 1)),
    RoleChange("p2", "R1", "R2", P, date(2025, 6, 15)),
    RoleChange("p3", "R1", "R2", P, date(2025, 5, 1)),
    RoleChange("p3", "R2", None, X, date(2025, 8, 1)),
    RoleChange("p4", "R1", "R2", P, date(2025, 2, 1)),
    RoleChange("p4", None, "R1", H, date(2024, 12, 1)),
]
OPENINGS = [
    Opening("R2", date(2025, 5, 1), date(2025, 6, 15), True),
    Opening("R2", date(2025, 5, 1), date(2025, 7, 1), True),
    Opening("R3", date(2025, 9, 1), date(2025, 10, 1), True),
    Opening("R2", date(2025, 7, 1), date(2025, 8, 20), False),
    Opening("R1", date(2025, 11, 1)),
    Opening("R1", date(2024, 10, 1), date(2024, 12, 1), False),
]


def test_spells_follow_each_person_in_date_order() -> None:
    spells = [(s.person_id, s.role_id, s.days, s.ended_by) for s in role_spells(CHANGES)]
    assert spells == [("p1", "R1", 181, P), ("p1", "R2", 92, L), ("p1", "R3", None, None),
                      ("p2", "R1", 106, P), ("p2", "R2", None, None),
                      ("p3", "R2", 92, X), ("p4", "R1", 62, P), ("p4", "R2", None, None)]


def test_internal_fill_rate_counts_fills_in_the_period() -> None:
    assert internal_fill_rate(OPENINGS, *YEAR) == FillRate(3, 4)
    assert internal_fill_rate(OPENINGS, *YEAR).rate == 0.75
    assert internal_fill_rate(OPENINGS, *YEAR, role_id="R2").rate == pytest.approx(2 / 3)
    assert internal_fill_rate(OPENINGS, date(2026, 1, 1), date(2026, 2, 1)).rate is None


def test_time_to_promotion_is_the_median_of_known_spells() -> None:
    # 181, 106, 62 days (p3's start is unknown) → median 106
    assert time_to_promotion(CHANGES, *YEAR) == Duration(3, 106.0)
    assert time_to_promotion(CHANGES, *YEAR, role_id="R1") == Duration(3, 106.0)
    assert time_to_promotion(CHANGES, *YEAR, role_id="R2") == Duration(0, None)
    assert time_to_promotion(CHANGES, date(2025, 6, 1), date(2025, 7, 31)) == Duration(
        2, 143.5)


def test_mobility_velocity_is_the_mean_before_internal_moves() -> None:
    # promotions 181, 106, 62 and the lateral move after 92 days; p3's exit is not a move
    assert mobility_velocity(CHANGES, *YEAR) == Duration(4, 110.25)
    assert mobility_velocity(CHANGES, *YEAR, role_id="R2") == Duration(1, 92.0)


def test_months_are_clipped_to_the_period_and_cross_years() -> None:
    assert months(date(2024, 12, 5), date(2025, 2, 10)) == [
        (date(2024, 12, 5), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 10))]
    with pytest.raises(InvalidInput):
        months(date(2025, 2, 1), date(2025, 1, 1))


def test_monthly_series_has_one_point_per_month() -> None:
    series = monthly_series(CHANGES, OPENINGS, date(2025, 6, 1), date(2025, 8, 31))
    assert [p.month for p in series] == [date(2025, 6, 1), date(2025, 7, 1), date(2025, 8, 1)]
    june, july, august = series
    assert june.fill_rate == FillRate(1, 1) and june.time_to_promotion == Duration(1, 106.0)
    assert july.time_to_promotion == Duration(1, 181.0) and july.fill_rate == FillRate(1, 1)
    assert august.fill_rate == FillRate(0, 1) and august.velocity == Duration(0, None)
