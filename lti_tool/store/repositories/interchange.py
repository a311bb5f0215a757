"""What CASE imports and exports need beyond the domain framework: the CFDocument a
framework came from, its items' identifiers, retired items and other associations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound

from ..models import CompetencyRow, FrameworkAssociationRow, FrameworkRow, TenantRow
from .statements import pk


@dataclass(frozen=True)
class StoredAssociation:
    """A CASE association other than isChildOf, by identifiers (and URIs when known)."""

    identifier: str
    association_type: str
    origin: str
    destination: str
    origin_uri: str = ""
    destination_uri: str = ""


@dataclass(frozen=True)
class FrameworkProvenance:
    """Where a framework came from: its tenant, source URI and item identifiers."""

    framework_id: str
    tenant_name: str
    description: str
    source_uri: str | None
    created_at: datetime | None
    source_identifiers: dict[str, str]
    document_identifier: str | None = None
    document_changed_at: datetime | None = None
    retired_ids: frozenset[str] = frozenset()
    associations: tuple[StoredAssociation, ...] = ()


@dataclass(frozen=True)
class StoredItem:
    """A competency as a CASE update compares it."""

    id: str
    code: str
    name: str
    description: str
    parent_id: str | None
    source_identifier: str | None
    retired: bool


@dataclass(frozen=True)
class StoredDocument:
    """The framework a CFDocument was imported as."""

    framework_id: str
    name: str
    changed_at: datetime | None


class InterchangeRepository:
    """Reads and writes for imports and exports that the domain objects do not carry."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def provenance(self, framework_id: int | str) -> FrameworkProvenance:
        """The tenant name, description, source, identifiers, retired items, associations."""
        found = self.session.execute(
            select(FrameworkRow, TenantRow.name).join(TenantRow,
                                                      TenantRow.id == FrameworkRow.tenant_id)
            .where(FrameworkRow.id == pk(framework_id))).first()
        if found is None:
            raise NotFound(f"framework {framework_id} does not exist")
        row, tenant_name = found
        items = self.items(row.id)
        return FrameworkProvenance(
            framework_id=str(row.id), tenant_name=tenant_name, description=row.description,
            source_uri=row.source_uri, created_at=row.created_at,
            source_identifiers={i.id: i.source_identifier for i in items
                                if i.source_identifier is not None},
            document_identifier=row.source_identifier,
            document_changed_at=row.source_changed_at,
            retired_ids=frozenset(i.id for i in items if i.retired),
            associations=tuple(self.associations(row.id)))

    def document(self, tenant_id: int | str, identifier: str) -> StoredDocument | None:
        """The tenant's framework imported from the CFDocument `identifier`, if any."""
        row = self.session.scalar(select(FrameworkRow).where(
            FrameworkRow.tenant_id == pk(tenant_id), FrameworkRow.source_identifier == identifier)
            .order_by(FrameworkRow.id).limit(1))
        return None if row is None else StoredDocument(str(row.id), row.name,
                                                       row.source_changed_at)

    def set_document(self, framework_id: int | str, identifier: str,
                     changed_at: datetime | None, *, name: str | None = None,
                     description: str | None = None, source_uri: str | None = None) -> None:
        """Record the CFDocument a framework holds (and its newer title, description, uri)."""
        row = self.session.get(FrameworkRow, pk(framework_id))
        if row is None:
            raise NotFound(f"framework {framework_id} does not exist")
        row.source_identifier, row.source_changed_at = identifier, changed_at
        if name is not None:
            row.name = name
        if description is not None:
            row.description = description
        if source_uri is not None:
            row.source_uri = source_uri
        self.session.flush()

    def items(self, framework_id: int | str) -> list[StoredItem]:
        rows = self.session.scalars(select(CompetencyRow).where(
            CompetencyRow.framework_id == pk(framework_id)).order_by(CompetencyRow.id))
        return [StoredItem(str(r.id), r.code, r.name, r.description,
                           None if r.parent_id is None else str(r.parent_id),
                           r.source_identifier, r.retired_at is not None) for r in rows]

    def update_item(self, competency_id: int | str, *, code: str, name: str,
                    description: str, parent_id: str | None, retired_at: datetime | None
                    ) -> None:
        row = self.session.get(CompetencyRow, pk(competency_id))
        if row is None:
            raise NotFound(f"competency {competency_id} does not exist")
        row.code, row.name, row.description = code, name, description
        row.parent_id = None if parent_id is None else pk(parent_id)
        row.retired_at = retired_at
        self.session.flush()

    def associations(self, framework_id: int | str) -> list[StoredAssociation]:
        rows = self.session.scalars(select(FrameworkAssociationRow).where(
            FrameworkAssociationRow.framework_id == pk(framework_id))
            .order_by(FrameworkAssociationRow.id))
        return [StoredAssociation(r.identifier, r.association_type, r.origin, r.destination,
                                  r.origin_uri, r.destination_uri) for r in rows]

    def replace_associations(self, framework_id: int | str,
                             associations: Iterable[StoredAssociation]) -> None:
        """The framework's associations become `associations` (by identifier, first wins)."""
        self.session.execute(delete(FrameworkAssociationRow).where(
            FrameworkAssociationRow.framework_id == pk(framework_id)))
        seen: set[str] = set()
        for a in associations:
            if a.identifier in seen:
                continue
            seen.add(a.identifier)
            self.session.add(FrameworkAssociationRow(
                framework_id=pk(framework_id), identifier=a.identifier,
                association_type=a.association_type, origin=a.origin,
                destination=a.destination, origin_uri=a.origin_uri,
                destination_uri=a.destination_uri))
        self.session.flush()
