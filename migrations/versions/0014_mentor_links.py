"""The LMS's mentor links: whom a Mentor mentors in a course, kept beyond the launch.

Revision ID: 0014_mentor_links
Revises: 0013_people_evidence
Create Date: 2026-12-07

Adds `mentor_links` (tenant, course, mentor, mentee's `sub` and person once known, when the
link was last written; one row per course, mentor and mentee). A Mentor launch carrying the
`role_scope_mentor` claim replaces its mentor's links in its course, so that the REST API
limits a Mentor to the people the LMS named, as the Mentor's page does.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_mentor_links"
down_revision: str | None = "0013_people_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `mentor_links`."""
    op.create_table("mentor_links",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("tenant_id", sa.Integer(), nullable=False),
    sa.Column("course_id", sa.Integer(), nullable=False),
    sa.Column("mentor_id", sa.Integer(), nullable=False),
    sa.Column("mentee_id", sa.Integer(), nullable=True),
    sa.Column("mentee_sub", sa.String(length=255), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["course_id"], ["courses.id"], name=op.f("fk_mentor_links_course_id_courses"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["mentee_id"], ["people.id"], name=op.f("fk_mentor_links_mentee_id_people"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["mentor_id"], ["people.id"], name=op.f("fk_mentor_links_mentor_id_people"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_mentor_links_tenant_id_tenants"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_links")),
    sa.UniqueConstraint("course_id", "mentor_id", "mentee_sub", name=op.f("uq_mentor_links_course_id_mentor_id_mentee_sub"))
    )
    with op.batch_alter_table("mentor_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentor_links_mentee_id"), ["mentee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentor_links_mentor_id"), ["mentor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentor_links_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    """Drop `mentor_links`."""
    with op.batch_alter_table("mentor_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_links_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_mentor_links_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_mentor_links_mentee_id"))

    op.drop_table("mentor_links")
