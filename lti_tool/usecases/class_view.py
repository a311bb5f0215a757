"""An instructor's class: learners × competency levels, readiness for a role, CSV rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy.orm import Session

from ..cache import MemoryCache
from ..domain.cohorts import ReadinessDistribution, readiness_distribution
from ..domain.readiness import Readiness, readiness_for
from ..domain.roles import RoleBlueprint
from ..domain.scales import ProficiencyScale
from ..domain.taxonomy import Competency
from ..records import Course, Person
from ..store.catalogue import CatalogueCache
from ..store.database import Database
from ..store.learner_context import LearnerContext, load_learner_context
from ..store.repositories.courses import CourseRepository
from ..store.repositories.tenant_scope import TenantScope
from .course_mapping import LEARNER_ROLE_MARK
from .readiness import LearnerLevels, learner_levels

CSV_INJECTION_LEADS = ("=", "+", "-", "@", "\t", "\r")
CLASS_TTL = 600  # a bound on how long another process's unannounced change can lag


@dataclass(frozen=True)
class ClassLearner:
    """One active learner of the course with the levels the evidence rules give."""

    person_id: int
    name: str
    email: str
    levels: LearnerLevels

    @property
    def context(self) -> LearnerContext:
        return self.levels.context


@dataclass(frozen=True)
class CompetencyColumn:
    """A competency shown in the heat-map, with its framework's scale."""

    competency: Competency
    framework: str
    scale: ProficiencyScale


@dataclass(frozen=True)
class ClassRoster:
    """The course, its learners, the competencies worth showing and the measurable roles."""

    course: Course
    learners: tuple[ClassLearner, ...]
    columns: tuple[CompetencyColumn, ...]
    roles: tuple[RoleBlueprint, ...]
    readiness: dict[str, RoleReadiness] = field(default_factory=dict, compare=False,
                                                repr=False)


@dataclass(frozen=True)
class RoleReadiness:
    """Every learner's readiness for one role, and how it is spread."""

    role: RoleBlueprint
    results: tuple[tuple[ClassLearner, Readiness], ...]
    distribution: ReadinessDistribution


def learner_rows(session: Session, course_id: int) -> list[Person]:
    """The course's active learners (a membership without roles counts as a learner)."""
    rows = CourseRepository(session).active_members(course_id)
    return [person for person, roles in rows if not roles or LEARNER_ROLE_MARK in roles]


def person_name(row: Person) -> str:
    """The name the LMS gave, else given + family name, else the platform's id."""
    return row.name or " ".join(p for p in (row.given_name, row.family_name) if p) or row.sub


def course_contexts(session: Session, tenant_id: int, course_id: int
                    ) -> tuple[Course, list[tuple[Person, LearnerContext]]]:
    """The tenant's course (NotFound otherwise) and each active learner's context (the
    tenant's catalogue read once for all of them, in this unit of work)."""
    course = TenantScope(session, tenant_id).course(course_id)
    catalogue = CatalogueCache(lambda: None, ttl=float("inf"))
    return course, [(row, load_learner_context(session, tenant_id, row.id, catalogue))
                    for row in learner_rows(session, course_id)]


def load_class(database: Database, tenant_id: int, course_id: int,
               memo: MemoryCache | None = None, version: Hashable | None = None
               ) -> ClassRoster:
    """The class of one course of the tenant, read in one session.

    With `memo` and the `version` of the catalogue and learner data, the class is read and
    computed once per version and shared by the views after it (a cached class was read
    for this same tenant and course, so the tenant check stands).
    """
    key = f"class-roster:{tenant_id}:{course_id}:{version}"
    if memo is not None and version is not None:
        cached = memo.get(key)
        if cached is not None:
            return cast(ClassRoster, cached)
    roster = _read_class(database, tenant_id, course_id)
    if memo is not None and version is not None:
        memo.set(key, roster, CLASS_TTL)
    return roster


def _read_class(database: Database, tenant_id: int, course_id: int) -> ClassRoster:
    with database.session() as session:
        course, contexts = course_contexts(session, tenant_id, course_id)
        ruled = {r.competency_id for r in CourseRepository(session).rules_for_course(course_id)}
    learners = tuple(ClassLearner(row.id, person_name(row), row.email, learner_levels(context))
                     for row, context in contexts)
    frameworks = learners[0].context.frameworks if learners else ()
    shown = ruled | {c for learner in learners for c in learner.levels.levels}
    columns = tuple(CompetencyColumn(c, f.name, f.scale) for f in frameworks
                    for c in f.competencies if c.id in shown)
    roles = tuple(role for role in learners[0].context.lattice.roles
                  if role.requirements) if learners else ()
    return ClassRoster(course, learners, columns, tuple(sorted(roles, key=lambda r: r.name)))


def sorted_learners(roster: ClassRoster, sort: str, descending: bool) -> list[ClassLearner]:
    """Learners by name, or by their level of the competency `sort` names (no level last)."""
    by_name = sorted(roster.learners, key=lambda learner: learner.name.casefold())
    if sort not in {column.competency.id for column in roster.columns}:
        return list(reversed(by_name)) if descending else by_name
    known = [learner for learner in by_name if sort in learner.levels.levels]
    known.sort(key=lambda learner: learner.levels.levels[sort], reverse=descending)
    return known + [learner for learner in by_name if sort not in learner.levels.levels]


def most_aimed_role(roster: ClassRoster) -> str | None:
    """The measurable role most of the class's learners declared as a goal (ties: by name)."""
    measurable = {role.id: role.name for role in roster.roles}
    counts = Counter(goal for learner in roster.learners for goal in set(learner.context.goals)
                     if goal in measurable)
    if not counts:
        return None
    return min(counts, key=lambda role_id: (-counts[role_id], measurable[role_id].casefold()))


def role_readiness(roster: ClassRoster, role_id: str) -> RoleReadiness | None:
    """Readiness of every learner for the role, or None when the role is not measurable.

    Kept on the roster per role: a cached roster answers a role asked again at once."""
    if role_id in roster.readiness:
        return roster.readiness[role_id]
    role = next((r for r in roster.roles if r.id == role_id), None)
    if role is None:
        return None
    results = tuple((learner, readiness_for(role, learner.levels.levels,
                                            learner.levels.evidence_kinds))
                    for learner in roster.learners)
    found = RoleReadiness(role, results, readiness_distribution(
        role.id, (readiness for _learner, readiness in results)))
    roster.readiness[role_id] = found
    return found


def csv_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection guard)."""
    return "'" + text if text.startswith(CSV_INJECTION_LEADS) else text


def level_cell(value: float | None) -> str:
    return "" if value is None else f"{round(value, 2):g}"


def csv_rows(roster: ClassRoster, found: RoleReadiness) -> list[list[str]]:
    """Header and one row per learner: name, email, levels, readiness % and ready."""
    header = ["learner", "email", *(c.competency.name for c in roster.columns),
              f"readiness for {found.role.name} (%)", "ready"]
    rows = [[csv_safe(cell) for cell in header]]
    for learner, readiness in sorted(found.results, key=lambda pair: pair[0].name.casefold()):
        levels = [level_cell(learner.levels.levels.get(c.competency.id)) for c in roster.columns]
        rows.append([csv_safe(learner.name), csv_safe(learner.email), *levels,
                     f"{round(100 * readiness.score, 1):g}", "yes" if readiness.ready else "no"])
    return rows


def scale_legend(columns: Sequence[CompetencyColumn]) -> list[tuple[int, str]]:
    """Each level value shown with the labels its scales give it ("2: Meets expectations")."""
    labels: dict[int, list[str]] = {}
    for column in columns:
        for level in column.scale.levels:
            found = labels.setdefault(level.value, [])
            if level.label not in found:
                found.append(level.label)
    return [(value, " / ".join(names)) for value, names in sorted(labels.items())]
