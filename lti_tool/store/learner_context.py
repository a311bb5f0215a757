"""Everything readiness needs about one learner, loaded in a fixed number of statements.

This is the readiness panel's hot path, so the statements are built once, at import,
as plain Core selects with bound parameters, run as prepared reads (store.prepared_reads:
straight on the unit of work's driver connection; on PostgreSQL the three statements go
out in one pipeline, one round trip), and rows are read by position into domain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound
from lti_tool.domain.evidence import Evidence
from lti_tool.domain.levels import LevelPolicy
from lti_tool.domain.recommendations import Module
from lti_tool.domain.roles import CareerLattice
from lti_tool.domain.rules import EvidenceRule
from lti_tool.domain.taxonomy import Competency, Framework

from ..records import Person
from .catalogue import CatalogueCache, load_catalogue
from .models import EvidenceRow, EvidenceRuleRow, LmsItemRow, MembershipRow, PersonRow
from .models.learners import GoalRow
from .prepared_reads import PreparedRead, read_together
from .repositories.courses import rule_from_values
from .repositories.evidence import EVIDENCE_COLUMNS, evidence_from_values
from .repositories.statements import pk, record_columns

_people, _goals = PersonRow.__table__, GoalRow.__table__
_items, _rules = LmsItemRow.__table__, EvidenceRuleRow.__table__
_evidence, _memberships = EvidenceRow.__table__, MembershipRow.__table__

# the person (no row when not in the tenant), once per goal, goals oldest first
PERSON_WITH_GOALS = PreparedRead(
    select(*record_columns(PersonRow, Person), _goals.c.role_id)
    .select_from(_people.outerjoin(_goals, _goals.c.person_id == _people.c.id))
    .where(_people.c.id == bindparam("person_id"), _people.c.tenant_id == bindparam("tenant_id"))
    .order_by(_goals.c.created_at, _goals.c.role_id))

EVIDENCE = PreparedRead(select(*EVIDENCE_COLUMNS)
            .where(_evidence.c.tenant_id == bindparam("tenant_id"),
                   _evidence.c.person_id == bindparam("person_id"))
            .order_by(_evidence.c.observed_at, _evidence.c.id))

# the items of the learner's live courses or of the learner's evidence
_LEARNER_ITEMS = select(_items.c.id).where(or_(
    _items.c.course_id.in_(select(_memberships.c.course_id).where(
        _memberships.c.person_id == bindparam("person_id"),
        _memberships.c.status != "Deleted")),
    _items.c.id.in_(select(_evidence.c.lms_item_id).where(
        _evidence.c.person_id == bindparam("person_id"),
        _evidence.c.lms_item_id.is_not(None)))))

# each of those items once per rule on it (once with no rule when it has none)
ITEMS_WITH_RULES = PreparedRead(
    select(_items.c.id, _items.c.title, _items.c.effort, _rules.c.id, _rules.c.competency_id,
           _rules.c.level, _rules.c.condition)
    .select_from(_items.outerjoin(_rules, _rules.c.lms_item_id == _items.c.id))
    .where(_items.c.id.in_(_LEARNER_ITEMS))
    .order_by(_items.c.id, _rules.c.id))


@dataclass(frozen=True)
class LearnerContext:
    """One learner's evidence, the rules and policies that read it, and the role lattice.

    `policies` maps every competency id of the tenant's frameworks to its framework's
    calculation method and the mastery value of its scale; `modules` are the LMS items of
    the learner's courses (and any item the learner has evidence on); `competencies` maps
    every competency id of those frameworks to the competency and its framework.
    """

    person: Person
    evidence: tuple[Evidence, ...]
    rules: tuple[EvidenceRule, ...]
    policies: Mapping[str, LevelPolicy]
    frameworks: tuple[Framework, ...]
    lattice: CareerLattice
    goals: tuple[str, ...]
    modules: tuple[Module, ...]
    competencies: Mapping[str, tuple[Competency, Framework]]


def load_learner_context(session: Session, tenant_id: int | str, person_id: int | str,
                         catalogue: CatalogueCache | None = None) -> LearnerContext:
    """Load a learner's context in a fixed number of SQL statements, whatever the amount
    of data (fewer when the tenant's catalogue comes from `catalogue`)."""
    keys = {"tenant_id": pk(tenant_id), "person_id": pk(person_id)}
    person_rows, evidence_rows, item_rows = read_together(
        session, (PERSON_WITH_GOALS, keys), (EVIDENCE, keys), (ITEMS_WITH_RULES, keys))
    person, goals = _person_with_goals(person_rows)
    if person is None:
        raise NotFound(f"person {person_id} does not exist in tenant {tenant_id}")
    learner_id = str(person.id)
    evidence = tuple(evidence_from_values(learner_id, *row) for row in evidence_rows)
    modules, rules = _modules_and_rules(item_rows)
    tenant_catalogue = (catalogue.get(session, person.tenant_id) if catalogue is not None
                        else load_catalogue(session, person.tenant_id))
    return LearnerContext(
        person=person, evidence=evidence, rules=rules, policies=tenant_catalogue.policies,
        frameworks=tenant_catalogue.frameworks, lattice=tenant_catalogue.lattice,
        goals=goals, modules=modules, competencies=tenant_catalogue.competencies)


def _person_with_goals(rows: list[Any]) -> tuple[Person | None, tuple[str, ...]]:
    """The person of `PERSON_WITH_GOALS` rows and the goal role ids, in order."""
    if not rows:
        return None, ()
    person = Person(*rows[0][:-1])
    return person, tuple(str(row[-1]) for row in rows if row[-1] is not None)


def _modules_and_rules(rows: Iterable[Any]
                       ) -> tuple[tuple[Module, ...], tuple[EvidenceRule, ...]]:
    """Modules in item id order and rules in rule id order from `ITEMS_WITH_RULES` rows."""
    modules: list[Module] = []
    rules: list[tuple[int, EvidenceRule]] = []
    for item_id, title, effort, rule_id, competency_id, level, condition in rows:
        if not modules or modules[-1].item_id != str(item_id):
            modules.append(Module(item_id=str(item_id), title=title, effort=effort))
        if rule_id is not None:
            rules.append((rule_id, rule_from_values(rule_id, item_id, competency_id, level,
                                                    condition)))
    rules.sort(key=lambda numbered: numbered[0])
    return tuple(modules), tuple(rule for _id, rule in rules)
