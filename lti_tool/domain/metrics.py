"""Mobility metrics from HRIS facts: internal fill rate, time to promotion, mobility velocity.

Pure: role changes and openings in, numbers out. A *spell* is the time a person holds one
role, from the change that put them in it to the change that took them out; a spell whose
start is unknown (the first fact about a person is them leaving a role) is never measured.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from statistics import mean, median

from .errors import InvalidInput


class ChangeKind(StrEnum):
    """How a person's role changed."""

    PROMOTION = "promotion"
    LATERAL = "lateral"
    HIRE = "hire"
    EXIT = "exit"


MOVES = frozenset({ChangeKind.PROMOTION, ChangeKind.LATERAL})


@dataclass(frozen=True)
class RoleChange:
    """One HRIS fact: from `effective_date` the person holds `to_role_id` (None on exit)."""

    person_id: str
    from_role_id: str | None
    to_role_id: str | None
    kind: ChangeKind
    effective_date: date


@dataclass(frozen=True)
class Opening:
    """A vacancy for a role; `filled_internally` is None while it is open."""

    role_id: str
    opened_on: date
    filled_on: date | None = None
    filled_internally: bool | None = None


@dataclass(frozen=True)
class RoleSpell:
    """A person's time in one role; `ended_by` is the kind of change that ended it."""

    person_id: str
    role_id: str
    started_on: date
    ended_on: date | None
    ended_by: ChangeKind | None

    @property
    def days(self) -> int | None:
        return None if self.ended_on is None else (self.ended_on - self.started_on).days


@dataclass(frozen=True)
class FillRate:
    """Internal fills ÷ all fills of the openings filled in a period."""

    internal: int
    total: int

    @property
    def rate(self) -> float | None:
        return None if self.total == 0 else self.internal / self.total


@dataclass(frozen=True)
class Duration:
    """A median or mean number of days over `count` spells (None when there are none)."""

    count: int
    days: float | None


@dataclass(frozen=True)
class MobilityPoint:
    """One month of the series: fills, promotions and moves that happened in it."""

    month: date
    fill_rate: FillRate
    time_to_promotion: Duration
    velocity: Duration


def check_period(start: date, end: date) -> None:
    """A period runs forward: `start` on or before `end`."""
    if start > end:
        raise InvalidInput("the period starts after it ends", {"from": ["must be ≤ to"]})


def internal_fill_rate(openings: Iterable[Opening], start: date, end: date,
                       role_id: str | None = None) -> FillRate:
    """Of the openings filled between start and end (inclusive), how many were internal."""
    internal = total = 0
    for opening in openings:
        if opening.filled_on is None or not start <= opening.filled_on <= end:
            continue
        if role_id is not None and opening.role_id != role_id:
            continue
        total += 1
        internal += bool(opening.filled_internally)
    return FillRate(internal, total)


def role_spells(changes: Iterable[RoleChange]) -> list[RoleSpell]:
    """Every person's spells, in date order; the last spell of a person may be open."""
    by_person: dict[str, list[RoleChange]] = defaultdict(list)
    for change in changes:
        by_person[change.person_id].append(change)
    spells: list[RoleSpell] = []
    for person_id, found in sorted(by_person.items()):
        ordered = sorted(found, key=lambda c: c.effective_date)
        for current, following in zip(ordered, [*ordered[1:], None], strict=True):
            if current.to_role_id is None:
                continue
            spells.append(RoleSpell(
                person_id, current.to_role_id, current.effective_date,
                None if following is None else following.effective_date,
                None if following is None else following.kind))
    return spells


def time_to_promotion(changes: Iterable[RoleChange], start: date, end: date,
                      role_id: str | None = None) -> Duration:
    """Median days from role start to promotion, for promotions in the period.

    `role_id` keeps the promotions out of that role.
    """
    days = [d for s in _ended_in(role_spells(changes), start, end, role_id)
            if s.ended_by is ChangeKind.PROMOTION and (d := s.days) is not None]
    return Duration(len(days), float(median(days)) if days else None)


def mobility_velocity(changes: Iterable[RoleChange], start: date, end: date,
                      role_id: str | None = None) -> Duration:
    """Mean days in a role before an internal move (promotion or lateral) in the period."""
    days = [d for s in _ended_in(role_spells(changes), start, end, role_id)
            if s.ended_by in MOVES and (d := s.days) is not None]
    return Duration(len(days), float(mean(days)) if days else None)


def months(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months touching the period, each as (first day, last day) clipped to it."""
    check_period(start, end)
    found, first = [], start.replace(day=1)
    while first <= end:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        found.append((max(first, start), min(date.fromordinal(following.toordinal() - 1), end)))
        first = following
    return found


def monthly_series(changes: Sequence[RoleChange], openings: Sequence[Opening], start: date,
                   end: date, role_id: str | None = None) -> list[MobilityPoint]:
    """One point per month of the period, for charts."""
    return [MobilityPoint(first.replace(day=1),
                          internal_fill_rate(openings, first, last, role_id),
                          time_to_promotion(changes, first, last, role_id),
                          mobility_velocity(changes, first, last, role_id))
            for first, last in months(start, end)]


def _ended_in(spells: Iterable[RoleSpell], start: date, end: date,
              role_id: str | None) -> list[RoleSpell]:
    return [s for s in spells if s.ended_on is not None and start <= s.ended_on <= end
            and (role_id is None or s.role_id == role_id)]
