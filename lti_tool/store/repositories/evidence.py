"""Evidence about learners, recorded idempotently by its source reference."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound
from lti_tool.domain.evidence import Evidence, EvidenceKind

from ..models import EvidenceRow
from .statements import insert_if_absent, pk

_columns = EvidenceRow.__table__.c
# what `evidence_from_values` reads after the learner id, in its order
EVIDENCE_COLUMNS = (_columns.id, _columns.kind, _columns.observed_at, _columns.value,
                    _columns.competency_id, _columns.lms_item_id, _columns.source_ref,
                    _columns.verifier)
_KINDS = {kind.value: kind for kind in EvidenceKind}


def evidence_from_row(row: EvidenceRow | Row[Any]) -> Evidence:
    """Domain evidence from an ORM row or a plain row with the same columns."""
    return evidence_from_values(str(row.person_id), row.id, row.kind, row.observed_at,
                                row.value, row.competency_id, row.lms_item_id, row.source_ref,
                                row.verifier)


def evidence_from_values(learner_id: str, evidence_id: int, kind: str, observed_at: datetime,
                         value: float | None, competency_id: int | None,
                         lms_item_id: int | None, source_ref: str, verifier: str) -> Evidence:
    """Domain evidence from the values of `EVIDENCE_COLUMNS` (a learner's rows in bulk)."""
    return Evidence(
        _KINDS.get(kind) or EvidenceKind(kind), learner_id, observed_at, value,
        None if competency_id is None else str(competency_id),
        None if lms_item_id is None else str(lms_item_id), source_ref, verifier,
        str(evidence_id))


class EvidenceRepository:
    """Evidence is recorded once per (tenant, person, kind, source_ref).

    `source_ref` names where a piece of evidence came from (an AGS result URL, an API
    idempotency key, a badge id); recording the same reference again is a no-op, so
    syncs and retried API calls are safe. Evidence recorded without a reference gets a
    fresh `local:<uuid>` one and is therefore never merged with anything.
    """

    def __init__(self, session: Session) -> None:
        self.session = session


    def remove_by_source(self, tenant_id: int | str, person_id: int | str, kind: str,
                         source_ref: str) -> None:
        """Delete the person's evidence of `kind` that came from `source_ref`."""
        self.session.execute(delete(EvidenceRow).where(
            EvidenceRow.tenant_id == pk(tenant_id), EvidenceRow.person_id == pk(person_id),
            EvidenceRow.kind == kind, EvidenceRow.source_ref == source_ref))

    def set_author_key(self, evidence_id: int, author_key_id: int) -> None:
        """Record which API key wrote a piece of evidence."""
        self.session.execute(update(EvidenceRow).where(EvidenceRow.id == evidence_id)
                             .values(author_key_id=author_key_id))

    def author_key_of(self, tenant_id: int, person_id: int, evidence_id: int
                      ) -> int | None:
        """The API key that recorded the person's evidence (None: no key), or NotFound."""
        row = self.session.get(EvidenceRow, evidence_id) if 0 < evidence_id < 2**31 else None
        if row is None or row.tenant_id != tenant_id or row.person_id != person_id:
            raise NotFound(f"evidence {evidence_id} does not exist")
        return row.author_key_id

    def delete(self, evidence_id: int) -> None:
        row = self.session.get(EvidenceRow, evidence_id)
        if row is not None:
            self.session.delete(row)
            self.session.flush()

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

    def people_with_evidence_on(self, tenant_id: int | str, item_ids: Iterable[int | str]
                                ) -> list[int]:
        """The people with any evidence on the LMS items, by id."""
        wanted = [pk(i) for i in item_ids]
        if not wanted:
            return []
        return sorted(self.session.scalars(select(EvidenceRow.person_id).where(
            EvidenceRow.tenant_id == pk(tenant_id), EvidenceRow.lms_item_id.in_(wanted))
            .distinct()))

    def for_person(self, tenant_id: int | str, person_id: int | str) -> list[Evidence]:
        """A learner's evidence, oldest observation first."""
        rows = self.session.scalars(select(EvidenceRow).where(
            EvidenceRow.tenant_id == pk(tenant_id), EvidenceRow.person_id == pk(person_id))
            .order_by(EvidenceRow.observed_at, EvidenceRow.id))
        return [evidence_from_row(row) for row in rows]
