"""Proficiency scales: ordered levels with a label, a value and a proficient flag."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidInput


@dataclass(frozen=True)
class ProficiencyLevel:
    """One step of a scale, e.g. 2 "Meets expectations" (proficient)."""

    value: int
    label: str
    proficient: bool = False


@dataclass(frozen=True)
class ProficiencyScale:
    """An ordered set of levels; exactly the data, no behaviour beyond lookups."""

    key: str
    name: str
    levels: tuple[ProficiencyLevel, ...]

    def __post_init__(self) -> None:
        values = [level.value for level in self.levels]
        if not values:
            raise InvalidInput(f"scale {self.key!r} has no levels")
        if values != sorted(set(values)):
            raise InvalidInput(f"scale {self.key!r}: level values must be unique and ascending")
        if not any(level.proficient for level in self.levels):
            raise InvalidInput(f"scale {self.key!r} has no proficient level")

    @property
    def max_value(self) -> int:
        return self.levels[-1].value

    @property
    def min_value(self) -> int:
        return self.levels[0].value

    @property
    def mastery_value(self) -> int:
        """The lowest value marked proficient (Canvas's mastery point)."""
        return min(level.value for level in self.levels if level.proficient)

    def level(self, value: int) -> ProficiencyLevel:
        for level in self.levels:
            if level.value == value:
                return level
        raise InvalidInput(f"scale {self.key!r} has no level {value}")

    def label_for(self, value: float | None) -> str:
        """The label of the highest level not above `value` ("Not yet" below the scale)."""
        if value is None:
            return "No evidence"
        reached = [level for level in self.levels if level.value <= value + 1e-9]
        return reached[-1].label if reached else "Not yet"

    def next_level(self, value: float | None) -> ProficiencyLevel | None:
        """The first level above `value`, or None at the top."""
        for level in self.levels:
            if value is None or level.value > value + 1e-9:
                return level
        return None


def scale_with_mastery_point(key: str, name: str,
                             levels: list[tuple[int, str, bool]]) -> ProficiencyScale:
    """A scale from (value, label, is_mastery_point) rows, as Canvas defines mastery scales.

    Exactly one level is the mastery point; it and every level above it are proficient.
    Values must be unique, labels non-empty and unique.
    """
    problems: dict[str, list[str]] = {}
    points = [value for value, _label, mastery in levels if mastery]
    if len(points) != 1:
        problems["levels"] = [f"exactly one level is the mastery point ({len(points)} given)"]
    values = [value for value, _label, _m in levels]
    if len(values) != len(set(values)):
        problems.setdefault("levels", []).append("level values must be unique")
    labels = [label.strip().casefold() for _v, label, _m in levels]
    if any(not label for label in labels) or len(labels) != len(set(labels)):
        problems.setdefault("levels", []).append("labels must be non-empty and unique")
    if len(levels) < 2:
        problems.setdefault("levels", []).append("a scale has at least two levels")
    if problems:
        raise InvalidInput(f"scale {key!r} is not valid: {'; '.join(problems['levels'])}",
                           problems)
    point = points[0]
    ordered = sorted(levels)
    return ProficiencyScale(key, name, tuple(
        ProficiencyLevel(value, label.strip(), value >= point) for value, label, _m in ordered))


FOUR_POINT_RUBRIC = ProficiencyScale(
    key="four_point_rubric",
    name="4-point rubric",
    levels=(
        ProficiencyLevel(1, "Needs development"),
        ProficiencyLevel(2, "Meets expectations", proficient=True),
        ProficiencyLevel(3, "Exceeds expectations", proficient=True),
        ProficiencyLevel(4, "Role model", proficient=True),
    ),
)

DEVELOPING_PROFICIENT_ADVANCED = ProficiencyScale(
    key="developing_proficient_advanced",
    name="Developing / Proficient / Advanced",
    levels=(
        ProficiencyLevel(1, "Developing"),
        ProficiencyLevel(2, "Proficient", proficient=True),
        ProficiencyLevel(3, "Advanced", proficient=True),
    ),
)

SHIPPED_SCALES: tuple[ProficiencyScale, ...] = (FOUR_POINT_RUBRIC, DEVELOPING_PROFICIENT_ADVANCED)
