"""Open Badges 3.0: the stable subject id of each recipient and every issued credential."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_at_column


class BadgeSubjectRow(Base):
    """The `urn:uuid:` a person is known by in every credential issued to them."""

    __tablename__ = "badge_subjects"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    subject_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = created_at_column()


class BadgeRow(Base):
    """One issued OpenBadgeCredential: its JSON, its VC-JWT and its revocation bit.

    At most one per (person, achievement); the status index is unique in the tenant's
    status list.
    """

    __tablename__ = "badges"
    __table_args__ = (
        UniqueConstraint("person_id", "achievement_key"),
        UniqueConstraint("tenant_id", "status_index"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    achievement_key: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255))
    status_index: Mapped[int] = mapped_column()
    credential_json: Mapped[str] = mapped_column(Text)
    compact_jwt: Mapped[str] = mapped_column(Text)
    kid: Mapped[str] = mapped_column(String(128))
    valid_from: Mapped[datetime] = mapped_column()
    valid_until: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    revocation_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at_column()
