"""Course syncs: where a course's LMS services live, and one record per sync run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_at_column


class CourseServicesRow(Base):
    """The AGS and NRPS endpoints a launch announced for a course, and sync bookkeeping."""

    __tablename__ = "course_services"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    memberships_url: Mapped[str] = mapped_column(String(1024), default="")
    lineitems_url: Mapped[str] = mapped_column(String(1024), default="")
    ags_scopes: Mapped[str] = mapped_column(Text, default="")
    differences_url: Mapped[str] = mapped_column(String(1024), default="")
    last_synced_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = created_at_column()


class SyncRunRow(Base):
    """One sync of one course: status, counts, timings, error, and where it stopped."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')",
                        name="status"),
        Index("ix_sync_runs_course_started", "course_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    trigger: Mapped[str] = mapped_column(String(16), default="cli")
    counts: Mapped[str] = mapped_column(Text, default="{}")
    cursor: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at_column()
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
