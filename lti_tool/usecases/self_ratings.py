"""Self-assessment: a learner rates themselves against a competency's anchors.

A self-rating is shown beside the evidence-based level as a calibration prompt. It never
raises a level, unless the tenant turned on "self-ratings count as evidence": then the
latest rating is `self_assessment` evidence (one per competency, replaced on each rating).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.evidence import Evidence, EvidenceKind
from ..domain.people_evidence import SelfRating, calibration_gap, scale_level
from ..store.database import Database
from ..store.repositories.evidence import EvidenceRepository
from ..store.repositories.people_evidence import PeopleEvidenceRepository
from .evidence_authors import tenant_person
from .projects import competency_in, evidence_changed
from .readiness import load_levels


def rate_self(database: Database, tenant_id: int, person_id: int, competency_id: int | str,
              level: int | str | None, now: datetime) -> SelfRating:
    """Save the learner's own rating: a level of the scale (its anchor, when there is one)."""
    with database.session() as session:
        tenant_person(session, tenant_id, person_id)
        competency, framework = competency_in(session, tenant_id, competency_id)
        value = scale_level(framework, level)
        anchor = framework.anchor(competency.id, value)
        store = PeopleEvidenceRepository(session, tenant_id)
        rating = store.rate(person_id, competency.id, value,
                            "" if anchor is None else anchor.text, now)
        source_ref = f"self:{competency.id}"
        EvidenceRepository(session).remove_by_source(
            tenant_id, person_id, EvidenceKind.SELF_ASSESSMENT.value, source_ref)
        if store.settings().self_ratings_count:
            recorded, _ = EvidenceRepository(session).record(tenant_id, Evidence(
                EvidenceKind.SELF_ASSESSMENT, str(person_id), now, float(value),
                competency_id=competency.id, source_ref=source_ref,
                verifier=f"person:{person_id}"))
            evidence_changed(session, tenant_id, person_id, recorded, "self_rating")
        return rating


def self_ratings(database: Database, tenant_id: int, person_id: int) -> dict[str, SelfRating]:
    """The learner's latest rating per competency id."""
    with database.read_session() as session:
        tenant_person(session, tenant_id, person_id)
        return PeopleEvidenceRepository(session, tenant_id).self_ratings_of(person_id)




@dataclass(frozen=True)
class Calibration:
    """A self-rating beside the level the evidence gives, and the gap between them."""

    rating: SelfRating
    evidence_level: float | None
    gap: float | None


def calibration(database: Database, tenant_id: int, person_id: int) -> list[Calibration]:
    """Each self-rated competency with the evidence-based level (competency id order)."""
    ratings = self_ratings(database, tenant_id, person_id)
    levels = load_levels(database, tenant_id, person_id).levels
    return [Calibration(r, levels.get(cid), calibration_gap(r.level, levels.get(cid)))
            for cid, r in sorted(ratings.items(), key=lambda pair: int(pair[0]))]
