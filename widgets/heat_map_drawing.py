"""Geometry for the class heat-map (learners × competencies) and the readiness histogram."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lti_tool.domain.cohorts import ReadinessDistribution
from lti_tool.usecases.class_view import ClassLearner, CompetencyColumn
from lti_tool.web.translations import gettext

from .locale_format import LocaleFormat

CELL, LABEL_WIDTH, HEADER_HEIGHT, RIGHT_MARGIN = 34, 180, 130, 110
NAME_CHARS = 24
BAR_WIDTH, BAR_GAP, CHART_LEFT, CHART_TOP, CHART_HEIGHT = 30, 6, 30, 20, 110


@dataclass(frozen=True)
class HeatCell:
    x: int
    y: int
    css: str
    text: str
    title: str


@dataclass(frozen=True)
class HeatMap:
    """An SVG view box with row labels, rotated column labels and one cell per level."""

    width: int
    height: int
    rows: tuple[tuple[int, str], ...]
    columns: tuple[tuple[int, str], ...]
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class Bar:
    x: int
    y: float
    height: float
    count: int
    label: str


def short(text: str, limit: int = NAME_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def level_css(value: float | None) -> str:
    """`cp-heat-none` without evidence, else `cp-heat-0` … `cp-heat-4` by whole level."""
    return "cp-heat-none" if value is None else f"cp-heat-{min(max(int(value + 1e-9), 0), 4)}"


def draw_heat_map(learners: Sequence[ClassLearner], columns: Sequence[CompetencyColumn],
                  fmt: LocaleFormat) -> HeatMap:
    """One row per learner (in the given order), one column per competency."""
    cells = []
    for row, learner in enumerate(learners):
        for col, column in enumerate(columns):
            value = learner.levels.levels.get(column.competency.id)
            label = column.scale.label_for(value)
            cells.append(HeatCell(
                LABEL_WIDTH + col * CELL, HEADER_HEIGHT + row * CELL, level_css(value),
                "" if value is None else fmt.level(value),
                gettext("%(learner)s, %(competency)s: %(label)s", learner=learner.name,
                        competency=column.competency.name, label=label)
                + ("" if value is None else f" ({fmt.level(value)})")))
    return HeatMap(
        LABEL_WIDTH + len(columns) * CELL + RIGHT_MARGIN,
        HEADER_HEIGHT + max(len(learners), 1) * CELL + 4,
        tuple((HEADER_HEIGHT + i * CELL + CELL // 2, short(learner.name))
              for i, learner in enumerate(learners)),
        tuple((LABEL_WIDTH + i * CELL + CELL // 2, short(column.competency.name))
              for i, column in enumerate(columns)),
        tuple(cells))


def draw_histogram(distribution: ReadinessDistribution) -> tuple[Bar, ...]:
    """Ten bars (0–10 %, …, 90–100 %) scaled to the fullest bin."""
    fullest = max(distribution.bins) or 1
    bars = []
    for index, count in enumerate(distribution.bins):
        height = round(CHART_HEIGHT * count / fullest, 2)
        bars.append(Bar(CHART_LEFT + index * (BAR_WIDTH + BAR_GAP),
                        CHART_TOP + CHART_HEIGHT - height, height, count,
                        f"{index * 10}–{index * 10 + 10} %"))
    return tuple(bars)
