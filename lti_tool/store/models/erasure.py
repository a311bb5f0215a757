"""Tombstones of erased people: a digest of their `sub`, never the `sub` itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_at_column


class ErasedSubjectRow(Base):
    """A person erased from a tenant; syncs and launches do not re-create them."""

    __tablename__ = "erased_subjects"
    __table_args__ = (UniqueConstraint("tenant_id", "subject_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    subject_digest: Mapped[str] = mapped_column(String(64))
    erased_at: Mapped[datetime] = created_at_column()
