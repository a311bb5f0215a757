"""Courses, people, memberships, LMS items, evidence rules, evidence and goals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ...clock import utcnow
from .base import Base, created_at_column


class CourseRow(Base):
    """An LMS context; a course without a registration is unique by (tenant, context)."""

    __tablename__ = "courses"
    __table_args__ = (
        UniqueConstraint("tenant_id", "registration_id", "context_id"),
        Index("uq_courses_unregistered_context", "tenant_id", "context_id", unique=True,
              sqlite_where=text("registration_id IS NULL"),
              postgresql_where=text("registration_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("platform_registrations.id", ondelete="SET NULL"), index=True)
    context_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(512), default="")
    label: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = created_at_column()


class PersonRow(Base):
    """A learner or staff member, known by the platform's `sub` within a tenant."""

    __tablename__ = "people"
    __table_args__ = (
        UniqueConstraint("tenant_id", "sub"),
        # what evidence's foreign key (tenant, person) refers to (migration 0015)
        Index("uq_people_tenant_id_id", "tenant_id", "id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    sub: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    given_name: Mapped[str] = mapped_column(String(255), default="")
    family_name: Mapped[str] = mapped_column(String(255), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    locale: Mapped[str] = mapped_column(String(35), default="")
    current_role_id: Mapped[int | None] = mapped_column(
        ForeignKey("roles.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = created_at_column()


class MembershipRow(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("course_id", "person_id"),
        CheckConstraint("status IN ('Active', 'Inactive', 'Deleted')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    roles: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="Active")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LmsItemRow(Base):
    """A gradable line item or a resource link of a course."""

    __tablename__ = "lms_items"
    __table_args__ = (
        UniqueConstraint("course_id", "kind", "lms_id"),
        CheckConstraint("kind IN ('line_item', 'resource_link')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    lms_id: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(String(512), default="")
    score_maximum: Mapped[float | None] = mapped_column()
    effort: Mapped[float] = mapped_column(default=1.0)
    tag: Mapped[str] = mapped_column(String(255), default="")
    resource_link_id: Mapped[str] = mapped_column(String(255), default="")


class EvidenceRuleRow(Base):
    """`condition` is the JSON of `lti_tool.domain.rules.condition_to_dict`."""

    __tablename__ = "evidence_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    lms_item_id: Mapped[int] = mapped_column(
        ForeignKey("lms_items.id", ondelete="CASCADE"), index=True)
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competencies.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column()
    condition: Mapped[str] = mapped_column(Text)


class EvidenceRow(Base):
    """One piece of evidence; (tenant, person, kind, source_ref) makes recording idempotent.

    It belongs to its person's tenant: one foreign key (tenant, person) → people, which
    also deletes it with the person or the tenant (migration 0015). Evidence outlives
    the LMS items and competencies it names: deleting one that still has evidence is
    refused (no ON DELETE), so history is never lost silently.
    """

    __tablename__ = "evidence"
    __table_args__ = (
        # in the order a sync writes: a page of one LMS item's rows (source_ref
        # `ags:<item>:…`) lands side by side (migration 0015); reads by person use
        # ix_evidence_person_id
        UniqueConstraint("tenant_id", "source_ref", "kind", "person_id"),
        CheckConstraint("(competency_id IS NULL) <> (lms_item_id IS NULL)", name="one_target"),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"],
                             ondelete="CASCADE"),
        # only the rows that name a competency: LMS evidence (most rows, a sync's 1,600 a
        # page) then skips this B-tree; `competency_id = x` and `IN (…)` still use it
        Index("ix_evidence_competency_id", "competency_id",
              sqlite_where=text("competency_id IS NOT NULL"),
              postgresql_where=text("competency_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column()
    person_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(32))
    competency_id: Mapped[int | None] = mapped_column(ForeignKey("competencies.id"))
    lms_item_id: Mapped[int | None] = mapped_column(ForeignKey("lms_items.id"), index=True)
    value: Mapped[float | None] = mapped_column()
    observed_at: Mapped[datetime] = mapped_column()
    source_ref: Mapped[str] = mapped_column(String(512))
    verifier: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = created_at_column()
    # the API key that recorded it (None: a sync, a launch or an import); only it may delete
    author_key_id: Mapped[int | None] = mapped_column()


class GoalRow(Base):
    """A role a person declared as a career goal."""

    __tablename__ = "goals"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    role_id: Mapped[int] = mapped_column(
        ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = created_at_column()
