"""LMS API connectors: credentials per registration, OAuth2 grants per course, REST ids."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from ...clock import utcnow
from ..models import ConnectorGrantRow, ConnectorPersonRow, CourseRow, LmsConnectorRow
from .statements import insert_if_absent, pk


@dataclass(frozen=True)
class Connector:
    """How to reach one registration's LMS API (the secret still encrypted)."""

    id: int
    registration_id: int
    platform: str
    base_url: str
    auth: str
    client_id: str
    secret_encrypted: str
    updated_at: datetime


@dataclass(frozen=True)
class Grant:
    """A course's OAuth2 grant (tokens still encrypted)."""

    id: int
    connector_id: int
    course_id: int
    refresh_token_encrypted: str
    access_token_encrypted: str
    access_expires_at: datetime | None
    lms_user_id: str
    status: str


def connector_record(row: LmsConnectorRow) -> Connector:
    return Connector(row.id, row.registration_id, row.platform, row.base_url, row.auth,
                     row.client_id, row.secret_encrypted, row.updated_at)


def grant_record(row: ConnectorGrantRow) -> Grant:
    return Grant(row.id, row.connector_id, row.course_id, row.refresh_token_encrypted,
                 row.access_token_encrypted, row.access_expires_at, row.lms_user_id,
                 row.status)


class ConnectorRepository:
    """Read and write connectors, grants and people's REST ids."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, registration_id: int, platform: str, base_url: str, auth: str,
             client_id: str, secret_encrypted: str) -> Connector:
        """Create or replace the registration's connector (a new secret replaces the old)."""
        row = self.session.scalars(select(LmsConnectorRow).where(
            LmsConnectorRow.registration_id == pk(registration_id))).one_or_none()
        if row is None:
            row = LmsConnectorRow(registration_id=pk(registration_id))
            self.session.add(row)
        elif (row.platform, row.base_url) != (platform, base_url):
            # another LMS: the REST ids and grants of the old one mean nothing there
            self.session.execute(delete(ConnectorPersonRow).where(
                ConnectorPersonRow.connector_id == row.id))
            self.session.execute(delete(ConnectorGrantRow).where(
                ConnectorGrantRow.connector_id == row.id))
        row.platform, row.base_url, row.auth = platform, base_url, auth
        row.client_id, row.secret_encrypted, row.updated_at = client_id, secret_encrypted, utcnow()
        self.session.flush()
        return connector_record(row)

    def of_registration(self, registration_id: int) -> Connector | None:
        row = self.session.scalars(select(LmsConnectorRow).where(
            LmsConnectorRow.registration_id == pk(registration_id))).one_or_none()
        return None if row is None else connector_record(row)

    def of_course(self, course_id: int) -> Connector | None:
        """The connector of the registration the course belongs to, if any."""
        row = self.session.scalars(select(LmsConnectorRow).join(
            CourseRow, CourseRow.registration_id == LmsConnectorRow.registration_id).where(
            CourseRow.id == pk(course_id))).one_or_none()
        return None if row is None else connector_record(row)

    def of_registrations(self, registration_ids: Iterable[int]) -> dict[int, Connector]:
        rows = self.session.scalars(select(LmsConnectorRow).where(
            LmsConnectorRow.registration_id.in_(list(registration_ids))))
        return {row.registration_id: connector_record(row) for row in rows}

    def remove(self, registration_id: int) -> bool:
        result = self.session.execute(delete(LmsConnectorRow).where(
            LmsConnectorRow.registration_id == pk(registration_id)))
        return bool(cast("CursorResult[Any]", result).rowcount)

    def grant(self, connector_id: int, course_id: int) -> Grant | None:
        row = self._grant_row(connector_id, course_id)
        return None if row is None else grant_record(row)

    def save_grant(self, connector_id: int, course_id: int, refresh_encrypted: str,
                   access_encrypted: str, expires_at: datetime | None,
                   lms_user_id: str) -> Grant:
        """Store a course's grant after an authorization (replacing any earlier one)."""
        row = self._grant_row(connector_id, course_id)
        if row is None:
            row = ConnectorGrantRow(connector_id=connector_id, course_id=pk(course_id))
            self.session.add(row)
        row.refresh_token_encrypted, row.access_token_encrypted = (refresh_encrypted,
                                                                   access_encrypted)
        row.access_expires_at, row.lms_user_id = expires_at, lms_user_id
        row.status, row.updated_at = "active", utcnow()
        self.session.flush()
        return grant_record(row)

    def update_access(self, grant_id: int, access_encrypted: str,
                      expires_at: datetime | None) -> None:
        row = self.session.get(ConnectorGrantRow, grant_id)
        if row is not None:
            row.access_token_encrypted, row.access_expires_at = access_encrypted, expires_at
            row.updated_at = utcnow()
            self.session.flush()

    def revoke_grant(self, grant_id: int) -> None:
        row = self.session.get(ConnectorGrantRow, grant_id)
        if row is not None:
            row.status, row.access_token_encrypted, row.updated_at = "revoked", "", utcnow()
            self.session.flush()

    def lms_user_ids(self, connector_id: int, person_ids: Iterable[int]) -> dict[int, str]:
        """Known REST ids of these people: person id → LMS user id."""
        wanted = list(person_ids)
        found: dict[int, str] = {}
        for start in range(0, len(wanted), 500):
            rows = self.session.execute(select(
                ConnectorPersonRow.person_id, ConnectorPersonRow.lms_user_id).where(
                ConnectorPersonRow.connector_id == connector_id,
                ConnectorPersonRow.person_id.in_(wanted[start:start + 500])))
            found.update({person_id: lms_id for person_id, lms_id in rows})
        return found

    def link_person(self, connector_id: int, person_id: int, lms_user_id: str) -> None:
        insert_if_absent(self.session, ConnectorPersonRow, {
            "connector_id": connector_id, "person_id": person_id, "lms_user_id": lms_user_id})

    def _grant_row(self, connector_id: int, course_id: int) -> ConnectorGrantRow | None:
        return self.session.scalars(select(ConnectorGrantRow).where(
            ConnectorGrantRow.connector_id == connector_id,
            ConnectorGrantRow.course_id == pk(course_id))).one_or_none()
