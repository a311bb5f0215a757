"""Connectors to an LMS's own API (Canvas REST, Moodle web services) for native activities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_at_column


class LmsConnectorRow(Base):
    """How the tool reaches one registration's LMS API; secrets encrypted at rest.

    `auth` "token": `secret_encrypted` is an admin-issued token (Canvas access token or
    Moodle web-service token). "oauth2" (Canvas): `client_id` is the Canvas API developer
    key's id, `secret_encrypted` its client secret; each course then needs a grant.
    """

    __tablename__ = "lms_connectors"
    __table_args__ = (
        UniqueConstraint("registration_id"),
        CheckConstraint("platform IN ('canvas', 'moodle')", name="platform"),
        CheckConstraint("auth IN ('token', 'oauth2')", name="auth"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("platform_registrations.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    base_url: Mapped[str] = mapped_column(String(1024))
    auth: Mapped[str] = mapped_column(String(16), default="token")
    client_id: Mapped[str] = mapped_column(String(255), default="")
    secret_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class ConnectorGrantRow(Base):
    """A course's OAuth2 grant (Canvas): refresh and current access token, encrypted."""

    __tablename__ = "connector_grants"
    __table_args__ = (
        UniqueConstraint("connector_id", "course_id"),
        CheckConstraint("status IN ('active', 'revoked')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    connector_id: Mapped[int] = mapped_column(
        ForeignKey("lms_connectors.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    refresh_token_encrypted: Mapped[str] = mapped_column(Text)
    access_token_encrypted: Mapped[str] = mapped_column(Text, default="")
    access_expires_at: Mapped[datetime | None] = mapped_column()
    lms_user_id: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class ConnectorPersonRow(Base):
    """A person's id in the LMS's REST API (Canvas user id resolved from the LTI `sub`)."""

    __tablename__ = "connector_people"

    connector_id: Mapped[int] = mapped_column(
        ForeignKey("lms_connectors.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    lms_user_id: Mapped[str] = mapped_column(String(64))
