"""Courses, their LMS items and the evidence rules that map items to competency levels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from ..config import Settings
from ..domain.cohorts import ReadinessDistribution, readiness_distribution
from ..domain.errors import InvalidInput
from ..domain.readiness import readiness_for
from ..domain.rules import EvidenceRule, condition_from_dict
from ..records import Course, LmsItem, Membership
from ..store.database import Database
from ..store.learner_context import load_learner_context
from ..store.repositories.courses import CourseRepository
from ..store.repositories.evidence import EvidenceRepository
from ..store.repositories.roles import RoleRepository
from ..store.repositories.tenant_scope import TenantScope
from .badges.issuing import issue_badges_for
from .catalogue import Page
from .readiness import learner_levels
from .ready_transitions import check_ready_transitions

LEARNER_ROLE_MARK = "Learner"


@dataclass(frozen=True)
class LmsItemInput:
    lms_id: str
    kind: str = "line_item"
    title: str = ""
    score_maximum: float | None = None
    effort: float | None = None
    tag: str = ""
    resource_link_id: str = ""


@dataclass(frozen=True)
class RuleInput:
    """A rule in the API's form: `condition` as `condition_to_dict` writes it."""

    lms_item_id: int
    competency_id: int
    level: int
    condition: Mapping[str, Any]


def list_courses(database: Database, tenant_id: int, offset: int, limit: int) -> Page[Course]:
    with database.session() as session:
        return Page(*TenantScope(session, tenant_id).courses_page(offset, limit))


def get_course(database: Database, tenant_id: int, course_id: int) -> Course:
    with database.session() as session:
        return TenantScope(session, tenant_id).course(course_id)


def create_course(database: Database, tenant_id: int, context_id: str, title: str = "",
                  label: str = "") -> Course:
    """A course outside any LMS registration (or the existing one with that context id)."""
    with database.session() as session:
        return CourseRepository(session).upsert_course(tenant_id, context_id, None,
                                                       title=title, label=label)


def delete_course(database: Database, tenant_id: int, course_id: int) -> None:
    with database.session() as session:
        TenantScope(session, tenant_id).delete_course(course_id)


def enrol(database: Database, tenant_id: int, course_id: int, person_id: int,
          roles: list[str], status: str = "Active") -> Membership:
    """Add or update a person's membership of a course."""
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        scope.course(course_id)
        scope.person(person_id)
        return CourseRepository(session).upsert_membership(course_id, person_id, roles, status)


def members(database: Database, tenant_id: int, course_id: int) -> list[Membership]:
    with database.session() as session:
        TenantScope(session, tenant_id).course(course_id)
        return CourseRepository(session).memberships(course_id)


def list_items(database: Database, tenant_id: int, course_id: int) -> list[LmsItem]:
    with database.session() as session:
        TenantScope(session, tenant_id).course(course_id)
        return CourseRepository(session).lms_items(course_id)


def get_item(database: Database, tenant_id: int, course_id: int, item_id: int) -> LmsItem:
    with database.session() as session:
        return TenantScope(session, tenant_id).lms_item(item_id, course_id)


def upsert_item(database: Database, tenant_id: int, course_id: int,
                data: LmsItemInput) -> LmsItem:
    """An LMS item of the course, created or brought current by (kind, lms_id)."""
    if data.effort is not None and data.effort <= 0:
        raise InvalidInput("effort must be above 0", {"effort": ["must be above 0"]})
    with database.session() as session:
        TenantScope(session, tenant_id).course(course_id)
        return CourseRepository(session).upsert_lms_item(
            course_id, data.kind, data.lms_id, title=data.title,
            score_maximum=data.score_maximum, effort=data.effort, tag=data.tag,
            resource_link_id=data.resource_link_id)


def delete_item(database: Database, tenant_id: int, course_id: int, item_id: int) -> None:
    with database.session() as session:
        TenantScope(session, tenant_id).delete_lms_item(course_id, item_id)


def list_rules(database: Database, tenant_id: int, course_id: int) -> list[EvidenceRule]:
    with database.session() as session:
        TenantScope(session, tenant_id).course(course_id)
        return CourseRepository(session).rules_for_course(course_id)


def get_rule(database: Database, tenant_id: int, course_id: int, rule_id: int) -> EvidenceRule:
    with database.session() as session:
        return TenantScope(session, tenant_id).rule(course_id, rule_id)


def create_rule(database: Database, tenant_id: int, course_id: int,
                data: RuleInput, settings: Settings | None = None) -> EvidenceRule:
    """Map an LMS item of the course to a competency level under a condition.

    The people with evidence on the rule's items are checked for readiness at once (the
    "hiring-ready" alert, and with `settings` the badges the new rule earns them).
    """
    try:
        condition = condition_from_dict(data.condition)
    except InvalidInput as exc:
        raise InvalidInput(str(exc), {"condition": [str(exc)]}) from None
    rule = EvidenceRule("new", str(data.lms_item_id), str(data.competency_id), data.level,
                        condition)
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        scope.course(course_id)
        for item_id in sorted(rule.items()):
            scope.lms_item(item_id, course_id)
        scope.competency_ids([rule.competency_id])
        added = CourseRepository(session).add_rule(rule)
        affected = _recheck(session, tenant_id, rule)
    _issue_badges(database, settings, tenant_id, affected)
    return added


def delete_rule(database: Database, tenant_id: int, course_id: int, rule_id: int) -> None:
    """Delete a rule; the people with evidence on its items are checked for readiness again
    (so a later return to ready raises the alert again)."""
    with database.session() as session:
        rule = TenantScope(session, tenant_id).rule(course_id, rule_id)
        CourseRepository(session).delete_rule(rule_id)
        _recheck(session, tenant_id, rule)


def _recheck(session: Session, tenant_id: int, rule: EvidenceRule) -> list[int]:
    """Re-run the ready-for-role check for the people the rule's items have evidence of."""
    affected = EvidenceRepository(session).people_with_evidence_on(tenant_id, rule.items())
    check_ready_transitions(session, tenant_id, affected)
    return affected


def _issue_badges(database: Database, settings: Settings | None, tenant_id: int,
                  people: list[int]) -> None:
    if settings is not None and people:
        issue_badges_for(database, settings, tenant_id, people, datetime.now(UTC))


def cohort_readiness(database: Database, tenant_id: int, course_id: int,
                     role_id: int) -> ReadinessDistribution:
    """How ready the course's active learners are for one role."""
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        scope.course(course_id)
        scope.check_role(role_id)
        role = RoleRepository(session).get(role_id)
        learners = [m.person_id for m in CourseRepository(session).memberships(course_id)
                    if m.status == "Active" and _is_learner(m)]
        contexts = [load_learner_context(session, tenant_id, p) for p in learners]
    results = [readiness_for(role, learner.levels, learner.evidence_kinds)
               for learner in map(learner_levels, contexts)]
    return readiness_distribution(role.id, results)


def _is_learner(membership: Membership) -> bool:
    return not membership.roles or any(LEARNER_ROLE_MARK in r for r in membership.roles)

