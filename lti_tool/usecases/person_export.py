"""The personal-data export (the right of access): every section about one person, as JSON
that `docs/person-export.schema.json` describes.

Adding a section is one function in `store.repositories.personal_data` (or here) and one
entry in SECTIONS, plus its description in the schema file (a test checks they agree).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from ..records import Person
from ..store.database import Database
from ..store.learner_context import load_learner_context
from ..store.repositories import people_evidence_export as pe
from ..store.repositories import personal_data as read
from ..store.repositories.taxonomy import TaxonomyRepository
from ..store.repositories.tenant_scope import TenantScope
from .readiness import learner_levels

SCHEMA_ID = "https://careerpath.example/schemas/person-export/v1"
Section = Callable[[Session, Person], Any]


def levels_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """The person's current level in each competency with evidence, as readiness sees it."""
    levels = learner_levels(load_learner_context(session, person.tenant_id, person.id)).levels
    names = {c.id: (c.name, f.scale.label_for(levels.get(c.id)))
             for f in TaxonomyRepository(session).frameworks(person.tenant_id)
             for c in f.competencies}
    return [{"competency_id": int(cid), "competency_name": names.get(cid, ("", ""))[0],
             "level": level, "label": names.get(cid, ("", ""))[1]}
            for cid, level in sorted(levels.items(), key=lambda kv: int(kv[0]))]


SECTIONS: dict[str, Section] = {
    "person": read.person_section,
    "memberships": read.memberships_section,
    "evidence": read.evidence_section,
    "levels": levels_section,
    "goals": read.goals_section,
    "readiness_states": read.readiness_states_section,
    "badges": read.badges_section,
    "hris_changes": read.hris_changes_section,
    "events": read.events_section,
    "project_submissions": pe.project_submissions_section,
    "observations": pe.observations_section,
    "self_ratings": pe.self_ratings_section,
    "reporting_lines": pe.reporting_lines_section,
    "mentor_links": pe.mentor_links_section,
}


def export_person(database: Database, tenant_id: int, person_id: int) -> dict[str, Any]:
    """Everything stored about the person, one key per section."""
    with database.read_session() as session:
        person = TenantScope(session, tenant_id).person(person_id)
        found = {name: section(session, person) for name, section in SECTIONS.items()}
    return {"$schema": SCHEMA_ID, "exported_at": datetime.now(UTC).isoformat(), **found}
