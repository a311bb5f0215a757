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
from lti_tool.store.catalogue import CatalogueCache
from lti_tool.store.models.learners import GoalRow
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
    """Every statement the database is sent: SQLAlchemy's, and the prepared reads that go
    straight to the driver (sqlite3's trace callback sees both; on PostgreSQL the driver
    connection's `execute` is watched beside SQLAlchemy's cursor events)."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def trace(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    def untrace(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_trace_callback(None)

    def watch(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        execute = type(dbapi_connection).execute

        def counted(query: Any, *args: Any, **kwargs: Any) -> Any:
            statements.append(str(query))
            return execute(dbapi_connection, query, *args, **kwargs)

        dbapi_connection.execute = counted

    def unwatch(dbapi_connection: Any, _record: Any) -> None:
        vars(dbapi_connection).pop("execute", None)

    listeners = ([("checkout", trace), ("checkin", untrace)] if db.dialect == "sqlite" else
                 [("before_cursor_execute", count), ("checkout", watch), ("checkin", unwatch)])
    for name, listener in listeners:
        event.listen(db.engine, name, listener)
    try:
        yield statements
    finally:
        for name, listener in listeners:
            event.remove(db.engine, name, listener)


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


def test_three_statements_when_the_catalogue_is_cached(migrated_db: Database) -> None:
    tenant_id, person_id = _learner(migrated_db, "cached", evidence=5, roles=3)
    catalogue = CatalogueCache(lambda: 0)
    with migrated_db.read_session() as s:
        load_learner_context(s, tenant_id, person_id, catalogue)  # builds the catalogue
    with _counting(migrated_db) as statements, migrated_db.read_session() as s:
        load_learner_context(s, tenant_id, person_id, catalogue)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 3


def test_items_without_rules_and_with_several_rules(migrated_db: Database) -> None:
    tenant_id, person_id = _learner(migrated_db, "rules", evidence=2, roles=1)
    with migrated_db.session() as s:
        context = load_learner_context(s, tenant_id, person_id)
        first, second = (m.item_id for m in context.modules)
        competency = context.rules[0].competency_id
        courses = CourseRepository(s)
        late = courses.add_rule(EvidenceRule("", first, competency, 3, Completed()))
        course = courses.upsert_course(tenant_id, "ctx")
        bare = courses.upsert_lms_item(course.id, "line_item", "li/bare", title="Bare",
                                       effort=2.5)
    with migrated_db.read_session() as s:
        context = load_learner_context(s, tenant_id, person_id)
    assert [(m.item_id, m.title, m.effort) for m in context.modules] == [
        (first, "M0", 1.0), (second, "M1", 1.0), (str(bare.id), "Bare", 2.5)]
    assert [(r.lms_item_id, r.level) for r in context.rules] == [(first, 2), (second, 2),
                                                                 (first, 3)]
    assert context.rules[-1] == late
    assert [int(r.id) for r in context.rules] == sorted(int(r.id) for r in context.rules)


def test_goals_oldest_first_and_a_learner_without_goals(migrated_db: Database) -> None:
    tenant_id, person_id = _learner(migrated_db, "goals", evidence=1, roles=3)
    with migrated_db.session() as s:
        context = load_learner_context(s, tenant_id, person_id)
        roles = [role.id for role in context.lattice.roles]
        people = PersonRepository(s)
        people.add_goal(person_id, roles[0])
        loner = people.upsert_person(tenant_id, "no-goals", name="Loner")
    with migrated_db.read_session() as s:
        context = load_learner_context(s, tenant_id, person_id)
        alone = load_learner_context(s, tenant_id, loner.id)
        declared = PersonRepository(s).goals(person_id)
    assert context.goals == tuple(declared)
    assert set(context.goals) == {roles[-1], roles[0]} and len(context.goals) == 2
    assert alone.goals == () and alone.person.name == "Loner"
    assert alone.evidence == () and alone.rules == () and alone.modules == ()


def test_pending_changes_of_the_unit_of_work_count(migrated_db: Database) -> None:
    # prepared reads bypass the ORM, so they flush first, as ORM queries do
    tenant_id, person_id = _learner(migrated_db, "pending", evidence=1, roles=2)
    with migrated_db.session() as s:
        first_role = load_learner_context(s, tenant_id, person_id).lattice.roles[0].id
        s.add(GoalRow(person_id=person_id, role_id=int(first_role)))  # not flushed
        assert first_role in load_learner_context(s, tenant_id, person_id).goals
