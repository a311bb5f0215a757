"""The "hiring-ready" alert: publish person.ready_for_role when a goal role becomes ready.

The last ready flag per (person, goal role) is remembered; an event is published only on
the not-ready → ready edge (a first check that finds a person ready counts as an edge).
Call it in the transaction that changed the person's evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.readiness import readiness_for
from ..store.learner_context import load_learner_context
from ..store.repositories.events import ReadyStates
from ..store.repositories.people import PersonRepository
from .events import PERSON_READY_FOR_ROLE, publish
from .readiness import learner_levels


def check_ready_transitions(session: Session, tenant_id: int, person_ids: Iterable[int],
                            now: datetime | None = None) -> list[str]:
    """Re-check the people's goal roles; the ids of the events published."""
    wanted = {int(p) for p in person_ids}
    if not wanted:
        return []
    with_goals = sorted(PersonRepository(session).with_goals(tenant_id, wanted))
    states = ReadyStates(session)
    known = states.known(with_goals)
    published = []
    for person_id in with_goals:
        learner = learner_levels(load_learner_context(session, tenant_id, person_id))
        roles = {r.id: r for r in learner.context.lattice.roles}
        for role_id in learner.context.goals:
            role = roles.get(role_id)
            if role is None or not role.requirements:  # no readiness to be had (yet)
                continue
            result = readiness_for(role, learner.levels, learner.evidence_kinds)
            before = known.get((person_id, int(role_id)))
            if before is not None and before == result.ready:
                continue
            states.remember(person_id, int(role_id), result.ready, result.score)
            if result.ready and not before:
                published.append(publish(session, tenant_id, PERSON_READY_FOR_ROLE, {
                    "person_id": person_id, "sub": learner.context.person.sub,
                    "role_id": int(role_id), "role_name": role.name,
                    "score": round(result.score, 4)}, now))
    return published
