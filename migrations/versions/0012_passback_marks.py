"""Passback marks: the last readiness score each LMS column accepted or refused per learner.

Revision ID: 0012_passback_marks
Revises: 0011_erasure
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_passback_marks"
down_revision: str | None = "0011_erasure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create passback_marks."""
    op.create_table(
        "passback_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("line_item", sa.String(length=1024), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refused_score", sa.Float(), nullable=True),
        sa.Column("refused_status", sa.Integer(), nullable=True),
        sa.Column("refused_reason", sa.Text(), nullable=False),
        sa.Column("refused_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"],
                                name=op.f("fk_passback_marks_course_id_courses"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_passback_marks_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passback_marks")),
        sa.UniqueConstraint("course_id", "person_id", "line_item",
                            name=op.f("uq_passback_marks_course_id_person_id_line_item")),
    )


def downgrade() -> None:
    """Drop passback_marks."""
    op.drop_table("passback_marks")
