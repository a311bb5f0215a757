"""load_learner_context: complete, and a fixed number of statements whatever the data size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from lti_tool.domain.calculation import CalculationMethod
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.domain.roles import Requirement, Transition
from lti_tool.domain.rules import Completed, EvidenceRule
from lti_tool.domain.scales import DEVELOPING_PROFICIENT_ADVANCED
from lti_tool.store import Database, load_learner_context
from lti_tool.store.repositories import (
    CourseRepository,
    EvidenceRepository,
    PersonRepository,
    RoleRepository,
    TaxonomyRepository,
    TenantRepository,
)

T0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def _learner(db: Database, slug: str, evidence: int, roles: int) -> tuple[int, int]:
    """A tenant with `roles` roles in a chain and a learner with `evidence` scores."""
    with db.session() as s:
        tenant = TenantRepository(s).ensure(slug, slug)
        taxonomy = TaxonomyRepository(s)
        fid = taxonomy.add_framework(tenant.id, "F", taxonomy.ensure_scale(
            DEVELOPING_PROFICIENT_ADVANCED), CalculationMethod.decaying_average())
        comps = [taxonomy.add_competency(fid, f"C{i}", f"C{i}").id for i in range(3)]
        for level in (1, 2, 3):
            taxonomy.set_anchor(comps[0], level, f"anchor {level}")
        role_repo = RoleRepository(s)
        role_ids = [role_repo.add(tenant.id, f"R{i}", [Requirement(c, 2) for c in comps]).id
                    for i in range(roles)]
        for a, b in zip(role_ids, role_ids[1:], strict=False):
            role_repo.add_transition(Transition(a, b))
        courses = CourseRepository(s)
        course = courses.upsert_course(tenant.id, "ctx")
        person = PersonRepository(s).upsert_person(tenant.id, "learner")
        courses.upsert_membership(course.id, person.id, "Learner")
        for n in range(evidence):
            item = courses.upsert_lms_item(course.id, "line_item", f"li/{n}", title=f"M{n}")
            courses.add_rule(EvidenceRule("", str(item.id), comps[n % 3], 2, Completed()))
            EvidenceRepository(s).record(tenant.id, Evidence(
                EvidenceKind.LMS_COMPLETION, str(person.id), T0 + timedelta(hours=n), 1.0,
                lms_item_id=str(item.id), source_ref=f"r{n}"))
        PersonRepository(s).add_goal(person.id, role_ids[-1])
        return tenant.id, person.id


@contextmanager
def _counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _statements_for(db: Database, tenant_id: int, person_id: int) -> int:
    with _counting(db) as statements, db.session() as s:
        load_learner_context(s, tenant_id, person_id)
    return len(statements)


def test_context_has_everything_readiness_needs(migrated_db: Database) -> None:
    tenant_id, person_id = _learner(migrated_db, "small", evidence=4, roles=3)
    with migrated_db.session() as s:
        context = load_learner_context(s, tenant_id, person_id)
    assert context.person.id == person_id
    assert len(context.evidence) == 4 and len(context.rules) == 4 and len(context.modules) == 4
    assert [m.title for m in context.modules] == ["M0", "M1", "M2", "M3"]
    assert len(context.lattice.roles) == 3 and len(context.lattice.transitions) == 2
    assert context.goals == (context.lattice.roles[-1].id,)
    (framework,) = context.frameworks
    assert framework.scale == DEVELOPING_PROFICIENT_ADVANCED and len(framework.anchors) == 3
    policy = context.policies[framework.competencies[0].id]
    assert (policy.method, policy.mastery) == (CalculationMethod.decaying_average(), 2)


def test_statement_count_does_not_grow_with_data(migrated_db: Database) -> None:
    small = _learner(migrated_db, "small", evidence=1, roles=3)
    large = _learner(migrated_db, "large", evidence=50, roles=10)
    counted = _statements_for(migrated_db, *small)
    assert counted == _statements_for(migrated_db, *large)
    assert counted <= 15


def test_a_person_of_another_tenant_is_not_found(migrated_db: Database) -> None:
    from lti_tool.domain.errors import NotFound
    _tenant_id, person_id = _learner(migrated_db, "one", evidence=1, roles=1)
    with migrated_db.session() as s:
        other = TenantRepository(s).ensure("two", "Two")
    with pytest.raises(NotFound), migrated_db.session() as s:
        load_learner_context(s, other.id, person_id)
