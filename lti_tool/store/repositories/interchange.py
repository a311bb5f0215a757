"""What the CASE export needs beyond the domain framework: tenant, source and identifiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound

from ..models import CompetencyRow, FrameworkRow, TenantRow
from .statements import pk


@dataclass(frozen=True)
class FrameworkProvenance:
    """Where a framework came from: its tenant, source URI and item identifiers."""

    framework_id: str
    tenant_name: str
    description: str
    source_uri: str | None
    created_at: datetime | None
    source_identifiers: dict[str, str]


class InterchangeRepository:
    """Reads for imports and exports that the domain objects do not carry."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def provenance(self, framework_id: int | str) -> FrameworkProvenance:
        """The tenant name, description, source URI and competency source identifiers."""
        found = self.session.execute(
            select(FrameworkRow, TenantRow.name).join(TenantRow,
                                                      TenantRow.id == FrameworkRow.tenant_id)
            .where(FrameworkRow.id == pk(framework_id))).first()
        if found is None:
            raise NotFound(f"framework {framework_id} does not exist")
        row, tenant_name = found
        identifiers = self.session.execute(
            select(CompetencyRow.id, CompetencyRow.source_identifier).where(
                CompetencyRow.framework_id == row.id,
                CompetencyRow.source_identifier.is_not(None)))
        return FrameworkProvenance(
            framework_id=str(row.id), tenant_name=tenant_name, description=row.description,
            source_uri=row.source_uri, created_at=row.created_at,
            source_identifiers={str(cid): ident for cid, ident in identifiers})
