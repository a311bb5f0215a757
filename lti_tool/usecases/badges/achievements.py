"""The badges a learner has reached: an Open Badges achievement per competency at its badge
level and per goal role the learner is ready for, with the evidence behind each."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ...badges import (
    AchievementSpec,
    AlignmentTarget,
    BadgeUrls,
    ResultDescription,
    case_item_url,
)
from ...domain.errors import InvalidInput, NotFound
from ...domain.evidence import Evidence
from ...records import Tenant
from ...store.repositories.badges import AlignmentSource
from ..readiness import LearnerLevels, readiness_report

EPSILON = 1e-9


@dataclass(frozen=True)
class DueBadge:
    """An achievement the learner has reached and does not hold yet."""

    key: str
    kind: str
    achievement: AchievementSpec
    results: tuple[tuple[str, str], ...]
    evidence: tuple[Evidence, ...]


def due_badges(learner: LearnerLevels, sources: dict[str, AlignmentSource], urls: BadgeUrls,
               tenant: Tenant, now: datetime) -> Iterator[DueBadge]:
    """Every competency and next-role readiness badge the learner has reached."""
    yield from _competency_badges(learner, sources, urls, tenant)
    yield from _role_badges(learner, sources, urls, tenant, now)


def _competency_badges(learner: LearnerLevels, sources: dict[str, AlignmentSource],
                       urls: BadgeUrls, tenant: Tenant) -> Iterator[DueBadge]:
    """A badge per competency whose level reached its `badge_level`."""
    for source in sources.values():
        level = learner.levels.get(source.id)
        if source.badge_level is None or level is None or level < source.badge_level - EPSILON:
            continue
        key = f"competency-{source.id}"
        achievement_id = urls.achievement(tenant.slug, key)
        target = dict(source.level_labels).get(source.badge_level, str(source.badge_level))
        rubric = ResultDescription(f"{achievement_id}#level", f"{source.name} level",
                                   "RubricCriterionLevel",
                                   tuple(label for _value, label in source.level_labels),
                                   target)
        achievement = AchievementSpec(
            id=achievement_id, name=f"{source.name}: {target}",
            description=source.description or f"The {source.name} competency at {target}.",
            criteria=f"Reach {target} (level {source.badge_level}) in {source.name}, "
                     f"as shown by the evidence the organisation's rules recognise.",
            achievement_type="Competency", alignments=(_alignment(source, urls, tenant),),
            result_descriptions=(rubric,))
        yield DueBadge(key, "competency", achievement,
                       ((rubric.id, _label_at(source, level)),),
                       _evidence_for(learner, {source.id}))


def _role_badges(learner: LearnerLevels, sources: dict[str, AlignmentSource], urls: BadgeUrls,
                 tenant: Tenant, now: datetime) -> Iterator[DueBadge]:
    """A next-role readiness badge per goal role the learner is ready for."""
    for role_id in learner.context.goals:
        try:
            report = readiness_report(learner, role_id, now)
        except (NotFound, InvalidInput):
            continue
        if not report.readiness.ready or report.readiness.failing_gates:
            continue
        role, key = report.role, f"role-{role_id}"
        achievement_id = urls.achievement(tenant.slug, key)
        readiness = ResultDescription(f"{achievement_id}#readiness", "Readiness", "Percent",
                                      required_value=_percent(role.threshold))
        needs = {r.competency_id for r in role.requirements}
        achievement = AchievementSpec(
            id=achievement_id, name=f"Ready for {role.name}",
            description=f"Ready for the next role: {role.name}.",
            criteria=f"Readiness for {role.name} of at least {_percent(role.threshold)}%, "
                     "with no required competency below its minimum level.",
            achievement_type="Badge",
            alignments=tuple(_alignment(sources[c], urls, tenant)
                             for c in sorted(needs) if c in sources),
            result_descriptions=(readiness,))
        yield DueBadge(key, "role", achievement,
                       ((readiness.id, _percent(report.readiness.score)),),
                       _evidence_for(learner, needs))


def _alignment(source: AlignmentSource, urls: BadgeUrls, tenant: Tenant) -> AlignmentTarget:
    """The CASE CFItem when the framework came from CASE, else the tool's competency URL."""
    if source.framework_source_uri and source.source_identifier:
        return AlignmentTarget(source.name, case_item_url(source.framework_source_uri,
                                                          source.source_identifier),
                               source.code, source.framework_name, "CFItem")
    return AlignmentTarget(source.name, urls.competency(tenant.slug, source.id), source.code,
                           source.framework_name)


def _label_at(source: AlignmentSource, level: float) -> str:
    """The label of the highest scale level the learner's level reaches."""
    reached = [label for value, label in source.level_labels if value <= level + EPSILON]
    return reached[-1] if reached else str(source.badge_level)


def _percent(fraction: float) -> str:
    return str(round(fraction * 100))


def _evidence_for(learner: LearnerLevels, competencies: set[str]) -> tuple[Evidence, ...]:
    """The learner's evidence on `competencies`, directly or through an evidence rule."""
    items = {rule.lms_item_id for rule in learner.context.rules
             if rule.competency_id in competencies}
    return tuple(e for e in learner.context.evidence
                 if e.competency_id in competencies or e.lms_item_id in items)
