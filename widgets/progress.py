"""Competency progress and readiness gates in words, with the frameworks' own scale labels."""

from __future__ import annotations

from dataclasses import dataclass

from lti_tool.domain.errors import NotFound
from lti_tool.domain.readiness import FailingGate, Readiness
from lti_tool.domain.roles import RoleBlueprint
from lti_tool.usecases.readiness import LearnerLevels
from lti_tool.web.translations import gettext

from .locale_format import LocaleFormat


@dataclass(frozen=True)
class CompetencyBar:
    """Current vs required level of one competency, on its framework's scale."""

    competency_id: str
    name: str
    framework: str
    current: float | None
    required: float
    scale_max: int
    current_label: str
    required_label: str
    next_label: str | None
    next_anchor: str | None

    @property
    def met(self) -> bool:
        return (self.current or 0.0) >= self.required - 1e-9

    def share(self, value: float | None) -> float:
        """`value` as a 0–100 share of the scale, for the SVG bar."""
        return round(100 * min(max(value or 0.0, 0.0) / self.scale_max, 1.0), 2)


def competency_name(learner: LearnerLevels, competency_id: str) -> str:
    """The competency's name, or a neutral stand-in when it is not in the tenant's frameworks."""
    try:
        return learner.competency(competency_id)[0].name
    except NotFound:
        return gettext("Competency %(id)s", id=competency_id)


def bars_for(learner: LearnerLevels, role: RoleBlueprint) -> list[CompetencyBar]:
    """One bar per requirement of `role`, with the behavioural anchor of the next level."""
    bars = []
    for requirement in role.requirements:
        competency, framework = learner.competency(requirement.competency_id)
        current = learner.levels.get(competency.id)
        scale = framework.scale
        upcoming = scale.next_level(current)
        anchor = None if upcoming is None else framework.anchor(competency.id, upcoming.value)
        bars.append(CompetencyBar(
            competency.id, competency.name, framework.name, current,
            requirement.required_level, scale.max_value, scale.label_for(current),
            scale.label_for(requirement.required_level),
            None if upcoming is None else upcoming.label, None if anchor is None else anchor.text))
    return bars


def level_words(learner: LearnerLevels, competency_id: str, value: float | None,
                fmt: LocaleFormat) -> str:
    """"Meets expectations (2)" on the competency's scale."""
    try:
        scale = learner.competency(competency_id)[1].scale
    except NotFound:
        return fmt.level(value)
    return gettext("%(label)s (%(level)s)", label=scale.label_for(value), level=fmt.level(value))


def gate_text(learner: LearnerLevels, gate: FailingGate, fmt: LocaleFormat) -> str:
    """One failing gate, spelled out for the learner."""
    if gate.kind == "threshold":
        return gettext("Overall readiness is %(actual)s; this role needs %(needed)s.",
                       actual=fmt.percent(gate.actual), needed=fmt.percent(gate.required))
    competency_id = gate.competency_id or ""
    name = competency_name(learner, competency_id)
    needed = level_words(learner, competency_id, gate.required, fmt)
    if competency_id not in learner.levels:
        return gettext("%(competency)s has no evidence yet; this role needs at least %(needed)s.",
                       competency=name, needed=needed)
    return gettext("%(competency)s is at %(now)s; this role needs at least %(needed)s.",
                   competency=name, now=level_words(learner, competency_id, gate.actual, fmt),
                   needed=needed)


def still_needed(learner: LearnerLevels, readiness: Readiness, fmt: LocaleFormat) -> list[str]:
    """The failing gates, then every other gap, as sentences."""
    lines = [gate_text(learner, gate, fmt) for gate in readiness.failing_gates]
    gated = {g.competency_id for g in readiness.failing_gates}
    for gap in readiness.gaps:
        if gap.competency_id not in gated:
            lines.append(gettext(
                "Raise %(competency)s to %(level)s.",
                competency=competency_name(learner, gap.competency_id),
                level=level_words(learner, gap.competency_id, gap.required, fmt)))
    return lines
