"""HRIS facts: role changes (promotion, lateral, hire, exit) and role openings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_at_column


class RoleChangeRow(Base):
    """From `effective_date` the person holds `to_role_id` (None after an exit)."""

    __tablename__ = "role_changes"
    __table_args__ = (
        UniqueConstraint("person_id", "effective_date", "kind"),
        CheckConstraint("kind IN ('promotion', 'lateral', 'hire', 'exit')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    from_role_id: Mapped[int | None] = mapped_column(
        ForeignKey("roles.id", ondelete="SET NULL"))
    to_role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    effective_date: Mapped[date] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


class RoleOpeningRow(Base):
    """A vacancy, known by the HRIS's requisition id within a tenant."""

    __tablename__ = "role_openings"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    role_id: Mapped[int] = mapped_column(
        ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(255))
    opened_on: Mapped[date] = mapped_column()
    filled_on: Mapped[date | None] = mapped_column()
    filled_internally: Mapped[bool | None] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()
