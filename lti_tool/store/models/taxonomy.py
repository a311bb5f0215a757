"""Scales, frameworks, competencies and behavioural anchors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_at_column


class ScaleRow(Base):
    """A proficiency scale; shipped scales have no tenant and are shared by all."""

    __tablename__ = "scales"
    __table_args__ = (
        UniqueConstraint("tenant_id", "key"),
        Index("uq_scales_shipped_key", "key", unique=True,
              sqlite_where=text("tenant_id IS NULL"),
              postgresql_where=text("tenant_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))


class ScaleLevelRow(Base):
    __tablename__ = "scale_levels"

    scale_id: Mapped[int] = mapped_column(
        ForeignKey("scales.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(String(255))
    proficient: Mapped[bool] = mapped_column(default=False)


class FrameworkRow(Base):
    """A competency framework; names are unique within a tenant."""

    __tablename__ = "frameworks"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    scale_id: Mapped[int] = mapped_column(ForeignKey("scales.id"), index=True)
    calculation_method: Mapped[str] = mapped_column(String(64), default="highest")
    source_uri: Mapped[str | None] = mapped_column(String(1024))
    source_identifier: Mapped[str | None] = mapped_column(String(255), index=True)
    source_changed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


class CompetencyRow(Base):
    """A node of a framework tree; codes are unique within a framework."""

    __tablename__ = "competencies"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("competencies.id", ondelete="CASCADE"), index=True)
    source_identifier: Mapped[str | None] = mapped_column(String(255), index=True)
    badge_level: Mapped[int | None] = mapped_column()
    retired_at: Mapped[datetime | None] = mapped_column()
    # set when deleted with force while rules or evidence use it: hidden, evidence kept
    archived_at: Mapped[datetime | None] = mapped_column()


class FrameworkAssociationRow(Base):
    """A CASE association other than isChildOf (isRelatedTo, precedes, exactMatchOf, ...),
    kept as imported so the export carries it; origin and destination are identifiers."""

    __tablename__ = "framework_associations"
    __table_args__ = (UniqueConstraint("framework_id", "identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    identifier: Mapped[str] = mapped_column(String(255))
    association_type: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(255))
    destination: Mapped[str] = mapped_column(String(255))
    origin_uri: Mapped[str] = mapped_column(String(1024), default="")
    destination_uri: Mapped[str] = mapped_column(String(1024), default="")


class BehaviouralAnchorRow(Base):
    __tablename__ = "behavioural_anchors"
    __table_args__ = (UniqueConstraint("competency_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
