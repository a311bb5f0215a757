"""Evidence from people: project submissions, observations, self-ratings, tenant settings,
reporting lines and the LMS's mentor links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from ...clock import utcnow
from .base import Base, created_at_column


class ProjectSubmissionRow(Base):
    """An artifact link submitted for a competency; `evidence_id` once it was accepted."""

    __tablename__ = "project_submissions"
    __table_args__ = (
        CheckConstraint("state IN ('submitted', 'accepted', 'returned')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competencies.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2048))
    state: Mapped[str] = mapped_column(String(16), default="submitted")
    submitted_at: Mapped[datetime] = mapped_column()
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column()
    level: Mapped[int | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL"))


class ObservationRow(Base):
    """A level an author saw a learner show; withdrawn ones keep their row, lose evidence."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competencies.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True)
    as_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    level: Mapped[int] = mapped_column()
    anchor: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    observed_at: Mapped[datetime] = mapped_column()
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL"))


class SelfRatingRow(Base):
    """A learner's own rating of one competency (the latest replaces the one before)."""

    __tablename__ = "self_ratings"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competencies.id", ondelete="CASCADE"), primary_key=True, index=True)
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column()
    anchor: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime] = mapped_column()


class ReportingLineRow(Base):
    """From the HRIS: `manager_id` manages `person_id`."""

    __tablename__ = "reporting_lines"

    manager_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True)
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = created_at_column()


class MentorLinkRow(Base):
    """From an LMS Mentor launch: `mentor_id` mentors the person the platform calls
    `mentee_sub` in `course_id` (its signed role_scope_mentor claim named them).

    `mentee_id` is that person once CareerPath knows them (set when the link is written);
    the next Mentor launch in the course replaces the mentor's links there.
    """

    __tablename__ = "mentor_links"
    __table_args__ = (UniqueConstraint("course_id", "mentor_id", "mentee_sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    mentee_sub: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TenantSettingsRow(Base):
    """What a tenant turned on: managers' observations, self-ratings that count as evidence."""

    __tablename__ = "tenant_settings"

    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    managers_may_observe: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false())
    self_ratings_count: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
