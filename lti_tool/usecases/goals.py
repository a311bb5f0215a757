"""A learner declares target roles: the chosen set replaces the previous one.

A declared goal the learner is already ready for raises the "hiring-ready" alert at once
(person.ready_for_role), as new evidence would; with `settings`, its readiness badge
is issued too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from ..config import Settings
from ..store.database import Database
from ..store.repositories.people import PersonRepository
from ..store.repositories.roles import RoleRepository
from .badges.issuing import issue_badges_for
from .ready_transitions import check_ready_transitions


def declare_goals(database: Database, tenant_id: int | str, person_id: int | str,
                  role_ids: Iterable[str], settings: Settings | None = None) -> list[str]:
    """Keep exactly the chosen roles of the person's tenant as goals; unknown ids are ignored."""
    with database.session() as session:
        known = {role.id for role in RoleRepository(session).list(tenant_id)}
        people = PersonRepository(session)
        people.get(person_id)
        wanted = {str(r) for r in role_ids} & known
        before = set(people.goals(person_id))
        for role_id in sorted(wanted - before, key=int):
            people.add_goal(person_id, role_id)
        for role_id in before - wanted:
            people.remove_goal(person_id, role_id)
        goals = people.goals(person_id)
        if wanted - before:
            check_ready_transitions(session, int(tenant_id), [int(person_id)])
    if wanted - before and settings is not None:
        issue_badges_for(database, settings, int(tenant_id), [int(person_id)],
                         datetime.now(UTC))
    return goals
