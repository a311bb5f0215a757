"""Issued Open Badges, their recipients' subject ids and what competency badges align to."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound

from ...records import IssuedBadge
from ..models import CompetencyRow, FrameworkRow, ScaleLevelRow
from ..models.badges import BadgeRow, BadgeSubjectRow
from .statements import insert_if_absent, pk


@dataclass(frozen=True)
class AlignmentSource:
    """A competency as an alignment names it; `badge_level` earns its badge when set."""

    id: str
    code: str
    name: str
    description: str
    badge_level: int | None
    source_identifier: str | None
    framework_name: str
    framework_source_uri: str | None
    level_labels: tuple[tuple[int, str], ...]


def badge_record(row: BadgeRow) -> IssuedBadge:
    return IssuedBadge(
        id=row.id, tenant_id=row.tenant_id, person_id=row.person_id,
        achievement_key=row.achievement_key, kind=row.kind, name=row.name,
        status_index=row.status_index, credential=json.loads(row.credential_json),
        compact_jwt=row.compact_jwt, kid=row.kid, valid_from=row.valid_from,
        valid_until=row.valid_until, revoked_at=row.revoked_at,
        revocation_reason=row.revocation_reason)


class BadgeRepository:
    """Badges of one tenant's people, in one unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def subject_uuid(self, person_id: int | str) -> str:
        """The person's stable subject UUID, made on first use."""
        insert_if_absent(self.session, BadgeSubjectRow,
                         {"person_id": pk(person_id), "subject_uuid": str(uuid.uuid4())})
        found = self.session.scalar(select(BadgeSubjectRow.subject_uuid).where(
            BadgeSubjectRow.person_id == pk(person_id)))
        assert found is not None
        return found

    def achievement_keys(self, person_id: int | str) -> set[str]:
        return set(self.session.scalars(select(BadgeRow.achievement_key).where(
            BadgeRow.person_id == pk(person_id))))

    def used_indexes(self, tenant_id: int | str) -> set[int]:
        return set(self.session.scalars(select(BadgeRow.status_index).where(
            BadgeRow.tenant_id == pk(tenant_id))))

    def revoked_indexes(self, tenant_id: int | str) -> list[int]:
        return list(self.session.scalars(select(BadgeRow.status_index).where(
            BadgeRow.tenant_id == pk(tenant_id), BadgeRow.revoked_at.is_not(None))
            .order_by(BadgeRow.status_index)))

    def add(self, badge: IssuedBadge) -> bool:
        """Store `badge`; False when the person has that achievement or the index is taken."""
        return insert_if_absent(self.session, BadgeRow, {
            "id": badge.id, "tenant_id": badge.tenant_id, "person_id": badge.person_id,
            "achievement_key": badge.achievement_key, "kind": badge.kind, "name": badge.name,
            "status_index": badge.status_index,
            "credential_json": json.dumps(badge.credential, sort_keys=True),
            "compact_jwt": badge.compact_jwt, "kid": badge.kid,
            "valid_from": badge.valid_from, "valid_until": badge.valid_until,
            "revocation_reason": ""})

    def get(self, badge_id: str) -> IssuedBadge:
        row = self.session.get(BadgeRow, badge_id)
        if row is None:
            raise NotFound(f"badge {badge_id} does not exist")
        return badge_record(row)

    def for_person(self, person_id: int | str) -> list[IssuedBadge]:
        rows = self.session.scalars(select(BadgeRow).where(BadgeRow.person_id == pk(person_id))
                                    .order_by(BadgeRow.valid_from, BadgeRow.id))
        return [badge_record(row) for row in rows]

    def for_tenant(self, tenant_id: int | str) -> list[IssuedBadge]:
        """Every badge the tenant issued, newest first."""
        rows = self.session.scalars(select(BadgeRow).where(BadgeRow.tenant_id == pk(tenant_id))
                                    .order_by(BadgeRow.valid_from.desc(), BadgeRow.id))
        return [badge_record(row) for row in rows]

    def revoke(self, badge_id: str, reason: str, now: datetime) -> IssuedBadge:
        """Mark the badge revoked (the first revocation's time is kept; the reason updated)."""
        row = self.session.get(BadgeRow, badge_id)
        if row is None:
            raise NotFound(f"badge {badge_id} does not exist")
        row.revoked_at = row.revoked_at or now
        row.revocation_reason = reason
        self.session.flush()
        return badge_record(row)

    def alignment_sources(self, tenant_id: int | str) -> list[AlignmentSource]:
        """Every competency of the tenant, with its framework's CASE URI and scale labels."""
        rows = self.session.execute(
            select(CompetencyRow, FrameworkRow)
            .join(FrameworkRow, FrameworkRow.id == CompetencyRow.framework_id)
            .where(FrameworkRow.tenant_id == pk(tenant_id))
            .order_by(CompetencyRow.id)).all()
        scale_ids = {framework.scale_id for _competency, framework in rows}
        levels: dict[int, list[tuple[int, str]]] = {}
        for level in self.session.scalars(select(ScaleLevelRow).where(
                ScaleLevelRow.scale_id.in_(scale_ids)).order_by(ScaleLevelRow.value)):
            levels.setdefault(level.scale_id, []).append((level.value, level.label))
        return [AlignmentSource(
            id=str(c.id), code=c.code, name=c.name, description=c.description,
            badge_level=c.badge_level, source_identifier=c.source_identifier,
            framework_name=f.name, framework_source_uri=f.source_uri,
            level_labels=tuple(levels.get(f.scale_id, ()))) for c, f in rows]
