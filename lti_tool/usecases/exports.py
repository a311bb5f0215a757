"""Exports of frameworks: a CASE 1.0 CFPackage for one framework.

A framework imported from a CASE document keeps that document's identifier, uri, title and
(until it changes here) lastChangeDateTime, its items their identifiers, and its other
associations; retired items are left out.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from ..domain.taxonomy import Framework
from ..interop.case import write_package
from ..interop.model import AssociationDraft, CompetencyDraft, FrameworkDraft
from ..store.database import Database
from ..store.repositories.interchange import FrameworkProvenance, InterchangeRepository
from ..store.repositories.taxonomy import TaxonomyRepository


def export_case(database: Database, framework_id: int | str, base_url: str,
                changed: datetime | None = None) -> dict[str, Any]:
    """The framework as a CFPackage; `changed` is its lastChangeDateTime (default: that of
    the document it was imported from, else when the framework was created here, so two
    exports of an unchanged framework are the same document)."""
    with database.session() as session:
        framework = TaxonomyRepository(session).framework(framework_id)
        provenance = InterchangeRepository(session).provenance(framework_id)
    draft = case_draft(framework, provenance, base_url)
    return write_package(draft, base_url,
                         changed or provenance.document_changed_at or provenance.created_at
                         or datetime.now(UTC))


def stable_identifier(base_url: str, kind: str, object_id: str) -> str:
    """A UUID that stays the same for the same object of this installation."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url.rstrip('/')}/{kind}/{object_id}"))


def case_draft(framework: Framework, provenance: FrameworkProvenance,
               base_url: str) -> FrameworkDraft:
    """The draft to write: imported items keep their CASE identifiers, an imported document
    its identifier and uri; retired items are left out."""
    current = [c for c in framework.competencies if c.id not in provenance.retired_ids]
    keys = {c.id: provenance.source_identifiers.get(c.id)
            or stable_identifier(base_url, "competencies", c.id) for c in current}
    competencies = tuple(CompetencyDraft(
        key=keys[c.id], code=c.code, name=c.name, description=c.description,
        parent_key=keys.get(c.parent_id) if c.parent_id is not None else None,
        source_identifier=keys[c.id]) for c in current)
    document = provenance.document_identifier
    return FrameworkDraft(
        name=framework.name, scale=framework.scale, competencies=competencies,
        description=provenance.description, source_uri=provenance.source_uri,
        identifier=document or stable_identifier(base_url, "frameworks", framework.id),
        uri=(provenance.source_uri or "") if document else "",
        creator=provenance.tenant_name, associations=tuple(
            AssociationDraft(a.identifier, a.association_type, a.origin, a.destination,
                             0, a.origin_uri, a.destination_uri)
            for a in provenance.associations))
