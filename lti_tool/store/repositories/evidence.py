"""Evidence about learners, recorded idempotently by its source reference."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from lti_tool.domain.evidence import Evidence, EvidenceKind

from ..models import EvidenceRow
from .statements import insert_if_absent, pk


def evidence_from_row(row: EvidenceRow | Row[Any]) -> Evidence:
    """Domain evidence from an ORM row or a plain row with the same columns."""
    return Evidence(
        kind=EvidenceKind(row.kind), learner_id=str(row.person_id), observed_at=row.observed_at,
        value=row.value,
        competency_id=None if row.competency_id is None else str(row.competency_id),
        lms_item_id=None if row.lms_item_id is None else str(row.lms_item_id),
        source_ref=row.source_ref, verifier=row.verifier, id=str(row.id))


class EvidenceRepository:
    """Evidence is recorded once per (tenant, person, kind, source_ref).

    `source_ref` names where a piece of evidence came from (an AGS result URL, an API
    idempotency key, a badge id); recording the same reference again is a no-op, so
    syncs and retried API calls are safe. Evidence recorded without a reference gets a
    fresh `local:<uuid>` one and is therefore never merged with anything.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, tenant_id: int | str, evidence: Evidence) -> tuple[Evidence, bool]:
        """The stored evidence and whether this call created it."""
        source_ref = evidence.source_ref or f"local:{uuid.uuid4().hex}"
        key = {"tenant_id": pk(tenant_id), "person_id": pk(evidence.learner_id),
               "kind": str(evidence.kind), "source_ref": source_ref}
        created = insert_if_absent(self.session, EvidenceRow, {
            **key, "value": evidence.value, "observed_at": evidence.observed_at,
            "verifier": evidence.verifier,
            "competency_id": None if evidence.competency_id is None else pk(
                evidence.competency_id),
            "lms_item_id": None if evidence.lms_item_id is None else pk(evidence.lms_item_id)})
        row = self.session.scalars(select(EvidenceRow).filter_by(**key)).one()
        return evidence_from_row(row), created

    def for_person(self, tenant_id: int | str, person_id: int | str) -> list[Evidence]:
        """A learner's evidence, oldest observation first."""
        rows = self.session.scalars(select(EvidenceRow).where(
            EvidenceRow.tenant_id == pk(tenant_id), EvidenceRow.person_id == pk(person_id))
            .order_by(EvidenceRow.observed_at, EvidenceRow.id))
        return [evidence_from_row(row) for row in rows]
