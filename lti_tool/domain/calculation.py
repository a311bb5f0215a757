"""Level calculation methods with Canvas outcomes' semantics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from math import isfinite

from .errors import InvalidInput

METHODS = ("highest", "latest", "average", "n_mastery", "decaying_average")


@dataclass(frozen=True)
class Observation:
    """One level-valued score for a competency, observed at a time."""

    value: float | None
    observed_at: datetime


@dataclass(frozen=True)
class CalculationMethod:
    """How several observations of one competency become one level.

    `parameter` is n for `n_mastery` and the weight w for `decaying_average`.
    """

    name: str
    parameter: float | None = None

    def __post_init__(self) -> None:
        if self.name not in METHODS:
            raise InvalidInput(f"unknown calculation method {self.name!r}; use one of {METHODS}")
        if self.name in ("highest", "latest", "average") and self.parameter is not None:
            raise InvalidInput(f"{self.name} takes no parameter")
        if self.name == "n_mastery" and (self.parameter is None or not isfinite(self.parameter)
                                         or self.parameter < 1
                                         or int(self.parameter) != self.parameter):
            raise InvalidInput("n_mastery needs a whole number n >= 1")
        if self.name == "decaying_average" and (
            self.parameter is None or not 0 < self.parameter < 1
        ):
            raise InvalidInput("decaying_average needs a weight strictly between 0 and 1")

    @classmethod
    def highest(cls) -> CalculationMethod:
        return cls("highest")

    @classmethod
    def latest(cls) -> CalculationMethod:
        return cls("latest")

    @classmethod
    def average(cls) -> CalculationMethod:
        return cls("average")

    @classmethod
    def n_mastery(cls, n: int) -> CalculationMethod:
        return cls("n_mastery", n)

    @classmethod
    def decaying_average(cls, weight: float = 0.65) -> CalculationMethod:
        return cls("decaying_average", weight)

    @classmethod
    def parse(cls, text: str) -> CalculationMethod:
        """Read `highest`, `n_mastery(3)`, `decaying_average(0.65)` and the like."""
        text = text.strip()
        if "(" not in text:
            return cls.decaying_average() if text == "decaying_average" else cls(text)
        name, _, rest = text.partition("(")
        try:
            value = float(rest.rstrip(")"))
        except ValueError:
            raise InvalidInput(f"bad calculation method {text!r}") from None
        whole = name.strip() == "n_mastery" and value.is_integer()
        return cls(name.strip(), int(value) if whole else value)

    def __str__(self) -> str:
        if self.parameter is None:
            return self.name
        shown = int(self.parameter) if self.name == "n_mastery" else self.parameter
        return f"{self.name}({shown})"

    def calculate(self, observations: Sequence[Observation], mastery: float) -> float | None:
        """The level the observations show, or None when there is nothing to go on."""
        ordered = sorted((o for o in observations if o.value is not None),
                         key=lambda o: o.observed_at)
        values = [float(o.value) for o in ordered if o.value is not None]
        if not values:
            return None
        result = _CALCULATORS[self.name](values, self.parameter, mastery)
        return None if result is None else round_half_up(result)


def round_half_up(value: float, places: int = 2) -> float:
    """Round like Canvas does: 2 places, halves away from zero."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _highest(values: list[float], _p: float | None, _m: float) -> float:
    return max(values)


def _latest(values: list[float], _p: float | None, _m: float) -> float:
    return values[-1]


def _average(values: list[float], _p: float | None, _m: float) -> float:
    return sum(values) / len(values)


def _n_mastery(values: list[float], n: float | None, mastery: float) -> float | None:
    reaching = [v for v in values if v >= mastery]
    if len(reaching) < int(n or 1):
        return None
    return sum(reaching) / len(reaching)


def _decaying_average(values: list[float], weight: float | None, _m: float) -> float:
    if len(values) == 1:
        return values[0]
    w = 0.65 if weight is None else weight
    older = values[:-1]
    return values[-1] * w + (sum(older) / len(older)) * (1 - w)


_CALCULATORS = {
    "highest": _highest,
    "latest": _latest,
    "average": _average,
    "n_mastery": _n_mastery,
    "decaying_average": _decaying_average,
}
