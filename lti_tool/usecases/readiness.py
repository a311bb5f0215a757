"""A learner's levels, readiness for a role, recommendations and best next roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.adjacency import best_next_roles, ranked_next_roles
from ..domain.calculation import Observation
from ..domain.errors import InvalidInput, NotFound
from ..domain.levels import DEFAULT_POLICY, evidence_kinds_by_competency, observations_for
from ..domain.readiness import Readiness, readiness_for
from ..domain.recommendations import GapPlan, recommend
from ..domain.roles import RoleBlueprint
from ..domain.rules import outcomes_from_evidence
from ..domain.taxonomy import Competency, Framework
from ..store.catalogue import CatalogueCache
from ..store.database import Database
from ..store.learner_context import LearnerContext, load_learner_context


@dataclass(frozen=True)
class LearnerLevels:
    """Where one learner stands on every competency with evidence."""

    context: LearnerContext
    levels: Mapping[str, float]
    observations: Mapping[str, list[Observation]]
    evidence_kinds: Mapping[str, set[str]]

    def competency(self, competency_id: str) -> tuple[Competency, Framework]:
        found = self.context.competencies.get(competency_id)
        if found is None:
            raise NotFound(f"competency {competency_id} does not exist")
        return found


@dataclass(frozen=True)
class ReadinessReport:
    """Readiness for one role, with the modules that would close each gap."""

    role: RoleBlueprint
    readiness: Readiness
    plans: tuple[GapPlan, ...]
    learner: LearnerLevels


def learner_levels(context: LearnerContext) -> LearnerLevels:
    """Apply the evidence rules and calculation methods to the learner's evidence."""
    observations = observations_for(context.evidence, context.rules)
    levels: dict[str, float] = {}
    for competency_id, found in observations.items():
        policy = context.policies.get(competency_id, DEFAULT_POLICY)
        level = policy.method.calculate(found, policy.mastery)
        if level is not None:
            levels[competency_id] = level
    kinds = evidence_kinds_by_competency(context.evidence, context.rules)
    return LearnerLevels(context, levels, observations, kinds)


def load_levels(database: Database, tenant_id: int, person_id: int,
                catalogue: CatalogueCache | None = None) -> LearnerLevels:
    """A learner's levels; the tenant's catalogue comes from `catalogue` when given."""
    with database.read_session() as session:
        return levels_in(session, tenant_id, person_id, catalogue)


def levels_in(session: Session, tenant_id: int, person_id: int,
              catalogue: CatalogueCache | None = None) -> LearnerLevels:
    """`load_levels` inside the caller's (read-only) unit of work."""
    return learner_levels(load_learner_context(session, tenant_id, person_id, catalogue))


def readiness_report(learner: LearnerLevels, role_id: str, now: datetime) -> ReadinessReport:
    """Readiness for `role_id` and the recommended modules: those not tried, and those
    tried whose rule the learner's evidence does not meet yet ("improve")."""
    context = learner.context
    try:
        role = context.lattice.role(role_id)
    except InvalidInput:
        raise NotFound(f"role {role_id} does not exist") from None
    readiness = readiness_for(role, learner.levels, learner.evidence_kinds)
    plans = recommend(readiness, role, context.rules, context.modules, learner.observations,
                      context.policies, outcomes_from_evidence(context.evidence), now)
    return ReadinessReport(role, readiness, plans, learner)


def next_roles(learner: LearnerLevels) -> list[Readiness]:
    """Every role reachable from the learner's current role, ranked by readiness."""
    return best_next_roles(learner.context.lattice, _current_role(learner), learner.levels,
                           learner.evidence_kinds)


def next_role_ids(learner: LearnerLevels) -> list[str]:
    """The ids of `next_roles`, in the same order, without building each full readiness."""
    return ranked_next_roles(learner.context.lattice, _current_role(learner), learner.levels)


def _current_role(learner: LearnerLevels) -> str | None:
    current = learner.context.person.current_role_id
    return None if current is None else str(current)
