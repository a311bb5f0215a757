"""Everything readiness needs about one learner, loaded in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound
from lti_tool.domain.evidence import Evidence
from lti_tool.domain.levels import LevelPolicy
from lti_tool.domain.recommendations import Module
from lti_tool.domain.roles import CareerLattice
from lti_tool.domain.rules import EvidenceRule
from lti_tool.domain.taxonomy import Framework

from .catalogue import CatalogueCache, load_catalogue
from .models import EvidenceRow, EvidenceRuleRow, LmsItemRow, MembershipRow, PersonRow
from .models.learners import GoalRow
from .records import Person
from .repositories.courses import rule_from_row
from .repositories.evidence import evidence_from_row
from .repositories.people import person_record
from .repositories.statements import pk


@dataclass(frozen=True)
class LearnerContext:
    """One learner's evidence, the rules and policies that read it, and the role lattice.

    `policies` maps every competency id of the tenant's frameworks to its framework's
    calculation method and the mastery value of its scale; `modules` are the LMS items of
    the learner's courses (and any item the learner has evidence on).
    """

    person: Person
    evidence: tuple[Evidence, ...]
    rules: tuple[EvidenceRule, ...]
    policies: Mapping[str, LevelPolicy]
    frameworks: tuple[Framework, ...]
    lattice: CareerLattice
    goals: tuple[str, ...]
    modules: tuple[Module, ...]


def load_learner_context(session: Session, tenant_id: int | str, person_id: int | str,
                         catalogue: CatalogueCache | None = None) -> LearnerContext:
    """Load a learner's context in a fixed number of SQL statements, whatever the amount
    of data (fewer when the tenant's catalogue comes from `catalogue`)."""
    person = session.get(PersonRow, pk(person_id))
    if person is None or person.tenant_id != pk(tenant_id):
        raise NotFound(f"person {person_id} does not exist in tenant {tenant_id}")
    # plain rows, not ORM objects: read-only and several times cheaper per row
    evidence = session.execute(select(*EvidenceRow.__table__.columns).where(
        EvidenceRow.tenant_id == person.tenant_id, EvidenceRow.person_id == person.id)
        .order_by(EvidenceRow.observed_at, EvidenceRow.id)).all()
    items = _learner_items(person)
    item_rows = session.execute(select(LmsItemRow.id, LmsItemRow.title, LmsItemRow.effort)
                                .where(LmsItemRow.id.in_(items)).order_by(LmsItemRow.id)).all()
    rules = session.execute(select(*EvidenceRuleRow.__table__.columns).where(
        EvidenceRuleRow.lms_item_id.in_(items)).order_by(EvidenceRuleRow.id)).all()
    tenant_catalogue = (catalogue.get(session, person.tenant_id) if catalogue is not None
                        else load_catalogue(session, person.tenant_id))
    goals = session.scalars(select(GoalRow.role_id).where(GoalRow.person_id == person.id)
                            .order_by(GoalRow.created_at, GoalRow.role_id)).all()
    return LearnerContext(
        person=person_record(person),
        evidence=tuple(evidence_from_row(row) for row in evidence),
        rules=tuple(rule_from_row(row) for row in rules),
        policies=tenant_catalogue.policies,
        frameworks=tenant_catalogue.frameworks,
        lattice=tenant_catalogue.lattice,
        goals=tuple(str(role_id) for role_id in goals),
        modules=tuple(Module(item_id=str(row.id), title=row.title, effort=row.effort)
                      for row in item_rows),
    )


def _learner_items(person: PersonRow) -> Select[tuple[int]]:
    """The ids of the items in the learner's live courses or in the learner's evidence."""
    courses = select(MembershipRow.course_id).where(
        MembershipRow.person_id == person.id, MembershipRow.status != "Deleted")
    evidenced = select(EvidenceRow.lms_item_id).where(
        EvidenceRow.person_id == person.id, EvidenceRow.lms_item_id.is_not(None))
    return select(LmsItemRow.id).where(or_(LmsItemRow.course_id.in_(courses),
                                           LmsItemRow.id.in_(evidenced)))
