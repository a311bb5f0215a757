"""Roles, their weighted requirements and the transitions of the career lattice."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class RoleRow(Base):
    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    family: Mapped[str] = mapped_column(String(255), default="")
    threshold: Mapped[float] = mapped_column(default=0.8)
    description: Mapped[str] = mapped_column(Text, default="")


class RoleRequirementRow(Base):
    __tablename__ = "role_requirements"
    __table_args__ = (UniqueConstraint("role_id", "competency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competencies.id", ondelete="CASCADE"), index=True)
    required_level: Mapped[float] = mapped_column()
    weight: Mapped[float] = mapped_column(default=1.0)
    minimum_level: Mapped[float | None] = mapped_column()


class RoleTransitionRow(Base):
    __tablename__ = "role_transitions"
    __table_args__ = (
        UniqueConstraint("from_role_id", "to_role_id"),
        CheckConstraint("kind IN ('upward', 'lateral')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"))
    to_role_id: Mapped[int] = mapped_column(
        ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="upward")
