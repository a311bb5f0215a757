"""Repositories round-trip domain objects and records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lti_tool.domain.calculation import CalculationMethod
from lti_tool.domain.errors import NotFound
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.domain.roles import Requirement, Transition, TransitionKind
from lti_tool.domain.rules import AllOf, Completed, EvidenceRule, ScoreAtLeast
from lti_tool.domain.scales import FOUR_POINT_RUBRIC
from lti_tool.store import Database
from lti_tool.store.repositories import (
    CourseRepository,
    EvidenceRepository,
    LtiRepository,
    PersonRepository,
    RoleRepository,
    TaxonomyRepository,
    TenantRepository,
)

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_framework_round_trip(migrated_db: Database) -> None:
    with migrated_db.session() as s:
        tenant = TenantRepository(s).ensure("acme", "Acme")
        taxonomy = TaxonomyRepository(s)
        scale_id = taxonomy.ensure_scale(FOUR_POINT_RUBRIC)
        assert taxonomy.ensure_scale(FOUR_POINT_RUBRIC) == scale_id
        fid = taxonomy.add_framework(tenant.id, "Data", scale_id, CalculationMethod.n_mastery(3))
        group = taxonomy.add_competency(fid, "D", "Data")
        leaf = taxonomy.add_competency(fid, "D.SQL", "SQL", "Queries", parent_id=group.id)
        taxonomy.set_anchor(leaf.id, 2, "Writes joins")
        taxonomy.set_anchor(leaf.id, 2, "Writes correct joins")
    with migrated_db.session() as s:
        framework = TaxonomyRepository(s).framework(fid)
        assert TaxonomyRepository(s).scale(scale_id) == FOUR_POINT_RUBRIC
    assert framework.scale == FOUR_POINT_RUBRIC
    assert framework.calculation == CalculationMethod.n_mastery(3)
    assert framework.competency(leaf.id).parent_id == group.id
    assert framework.children(None) == [group]
    anchor = framework.anchor(leaf.id, 2)
    assert anchor is not None and anchor.text == "Writes correct joins"


def test_roles_and_lattice_round_trip(migrated_db: Database) -> None:
    with migrated_db.session() as s:
        tenant = TenantRepository(s).ensure("acme", "Acme")
        taxonomy = TaxonomyRepository(s)
        fid = taxonomy.add_framework(tenant.id, "F", taxonomy.ensure_scale(FOUR_POINT_RUBRIC))
        a = taxonomy.add_competency(fid, "A", "A").id
        b = taxonomy.add_competency(fid, "B", "B").id
        roles = RoleRepository(s)
        junior = roles.add(tenant.id, "Analyst", [Requirement(a, 2, 60, 1), Requirement(b, 2, 40)],
                           threshold=0.75, family="Analytics")
        senior = roles.add(tenant.id, "Senior Analyst", [Requirement(a, 3)])
        roles.add_transition(Transition(junior.id, senior.id))
        roles.add_transition(Transition(junior.id, senior.id))
    with migrated_db.session() as s:
        lattice = RoleRepository(s).lattice(tenant.id)
        assert RoleRepository(s).by_name(tenant.id, "Analyst") == junior
    assert lattice.role(junior.id).requirements == (Requirement(a, 2, 60, 1),
                                                    Requirement(b, 2, 40))
    assert lattice.role(junior.id).threshold == 0.75
    assert lattice.transitions == (Transition(junior.id, senior.id, TransitionKind.UPWARD),)


def _course_with_item(s: object) -> tuple[int, int, str, str]:
    from sqlalchemy.orm import Session
    assert isinstance(s, Session)
    tenant = TenantRepository(s).ensure("acme", "Acme")
    taxonomy = TaxonomyRepository(s)
    fid = taxonomy.add_framework(tenant.id, "F", taxonomy.ensure_scale(FOUR_POINT_RUBRIC))
    competency = taxonomy.add_competency(fid, "A", "A").id
    course = CourseRepository(s).upsert_course(tenant.id, "ctx-1", title="SQL 101")
    item = CourseRepository(s).upsert_lms_item(course.id, "line_item", "https://lms/li/1",
                                               title="Quiz", score_maximum=10)
    return tenant.id, course.id, str(item.id), competency


def test_rules_and_evidence_round_trip(migrated_db: Database) -> None:
    with migrated_db.session() as s:
        tenant_id, course_id, item_id, competency_id = _course_with_item(s)
        condition = AllOf((Completed(), ScoreAtLeast(80.0, item_id)))
        stored = CourseRepository(s).add_rule(EvidenceRule("", item_id, competency_id, 2,
                                                           condition))
        person = PersonRepository(s).upsert_person(tenant_id, "sub-1", name="Ada")
        score = Evidence(EvidenceKind.LMS_SCORE, str(person.id), T0, 0.9, lms_item_id=item_id,
                         source_ref="result:1", verifier="ags")
        first, created = EvidenceRepository(s).record(tenant_id, score)
        again, created_again = EvidenceRepository(s).record(
            tenant_id, Evidence(EvidenceKind.LMS_SCORE, str(person.id), T0 + timedelta(1), 0.5,
                                lms_item_id=item_id, source_ref="result:1"))
    assert (created, created_again) == (True, False)
    assert again == first and first.value == 0.9 and first.observed_at == T0
    with migrated_db.session() as s:
        assert CourseRepository(s).rules_for_course(course_id) == [stored]
        assert stored.condition == condition
        assert EvidenceRepository(s).for_person(tenant_id, person.id) == [first]


def test_lti_registrations_deployments_and_keys(migrated_db: Database) -> None:
    with migrated_db.session() as s:
        tenant = TenantRepository(s).ensure("acme", "Acme")
        lti = LtiRepository(s)
        reg = lti.add_registration(tenant.id, "https://canvas.instructure.com", "10000000001",
                                   auth_login_url="https://sso/login",
                                   auth_token_url="https://sso/token",
                                   keyset_url="https://sso/jwks", registered_via="dynamic")
        dep = lti.ensure_deployment(reg.id, "1:abc")
        assert lti.ensure_deployment(reg.id, "1:abc", enabled=False) == dep
        lti.set_deployment_enabled(dep.id, False)
        lti.add_key("k1", "enc", {"kty": "RSA", "kid": "k1"}, status="active", activated_at=T0)
    with migrated_db.session() as s:
        lti = LtiRepository(s)
        assert lti.registration("https://canvas.instructure.com", "10000000001") == reg
        assert lti.registration("https://canvas.instructure.com", "other") is None
        assert [d.enabled for d in lti.deployments(reg.id)] == [False]
        key = lti.active_key()
        assert key is not None and key.public_jwk == {"kty": "RSA", "kid": "k1"}
        retired = lti.set_key_status("k1", "retired", retire_at=T0 + timedelta(days=7))
        assert retired.status == "retired" and lti.active_key() is None
        with pytest.raises(NotFound):
            lti.registration_by_id(999)
        lti.remove_registration(reg.id)
        assert lti.registrations(tenant.id) == [] and lti.deployments(reg.id) == []


def test_goals_are_idempotent(migrated_db: Database) -> None:
    with migrated_db.session() as s:
        tenant = TenantRepository(s).ensure("acme", "Acme")
        role = RoleRepository(s).add(tenant.id, "R")
        people = PersonRepository(s)
        person = people.upsert_person(tenant.id, "u")
        people.add_goal(person.id, role.id)
        people.add_goal(person.id, role.id)
        assert people.goals(person.id) == [role.id]
        people.set_current_role(person.id, role.id)
        people.remove_goal(person.id, role.id)
        assert people.goals(person.id) == []
        assert people.get(person.id).current_role_id == int(role.id)
