"""Open Badges 3.0: the stable subject id of each recipient, every issued credential and the
keys badges are signed with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
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
    kid: Mapped[str] = mapped_column(String(128), index=True)
    valid_from: Mapped[datetime] = mapped_column()
    valid_until: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    revocation_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at_column()


class BadgeKeyRow(Base):
    """A key of the badge key set, apart from the LTI keys (`tool_keys`).

    One `active` key signs new badges and status lists; a `retired` key signs nothing and
    stays published for verification while a badge it signed is valid. `origin` is `lti`
    for an LTI key that signed badges before badges had keys of their own (public part only).
    """

    __tablename__ = "badge_keys"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'retired')", name="status"),
        CheckConstraint("origin IN ('badge', 'lti')", name="origin"),
    )

    kid: Mapped[str] = mapped_column(String(128), primary_key=True)
    private_key_encrypted: Mapped[str | None] = mapped_column(Text)
    public_jwk: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default="badge")
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    created_at: Mapped[datetime] = created_at_column()
    activated_at: Mapped[datetime | None] = mapped_column()
    retired_at: Mapped[datetime | None] = mapped_column()
