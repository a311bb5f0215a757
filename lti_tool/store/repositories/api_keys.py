"""API keys of tenants: stored hashed, found by their public prefix."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound

from ...records import ApiKeyRecord
from ..models import ApiKeyRow
from .statements import pk


def api_key_record(row: ApiKeyRow) -> ApiKeyRecord:
    return ApiKeyRecord(id=row.id, tenant_id=row.tenant_id, prefix=row.prefix,
                        secret_hash=row.secret_hash, name=row.name,
                        scopes=tuple(row.scopes.split()), created_at=row.created_at,
                        revoked_at=row.revoked_at)


class ApiKeyRepository:
    """Create, find, list and revoke API keys."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, tenant_id: int | str, prefix: str, secret_hash: str, name: str,
            scopes: tuple[str, ...]) -> ApiKeyRecord:
        row = ApiKeyRow(tenant_id=pk(tenant_id), prefix=prefix, secret_hash=secret_hash,
                        name=name, scopes=" ".join(scopes))
        self.session.add(row)
        self.session.flush()
        return api_key_record(row)

    def by_prefix(self, prefix: str) -> ApiKeyRecord | None:
        row = self.session.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))
        return None if row is None else api_key_record(row)

    def list(self, tenant_id: int | str | None = None) -> list[ApiKeyRecord]:
        query = select(ApiKeyRow).order_by(ApiKeyRow.id)
        if tenant_id is not None:
            query = query.where(ApiKeyRow.tenant_id == pk(tenant_id))
        return [api_key_record(row) for row in self.session.scalars(query)]

    def revoke(self, key_id: int | str, when: datetime,
               tenant_id: int | str | None = None) -> ApiKeyRecord:
        """Mark a key revoked (once); NotFound when absent or another tenant's."""
        row = self.session.get(ApiKeyRow, pk(key_id))
        if row is None or (tenant_id is not None and row.tenant_id != pk(tenant_id)):
            raise NotFound(f"API key {key_id} does not exist")
        if row.revoked_at is None:
            row.revoked_at = when
            self.session.flush()
        return api_key_record(row)
