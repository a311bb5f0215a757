"""A learner declares target roles: the chosen set replaces the previous one."""

from __future__ import annotations

from collections.abc import Iterable

from ..store.database import Database
from ..store.repositories.people import PersonRepository
from ..store.repositories.roles import RoleRepository


def declare_goals(database: Database, tenant_id: int | str, person_id: int | str,
                  role_ids: Iterable[str]) -> list[str]:
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
        return people.goals(person_id)
