"""Open Badges 3.0: recipients' subject ids and issued credentials.

Revision ID: 0004_badges
Revises: 0003_course_sync
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_badges"
down_revision: str | None = "0003_course_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create badge_subjects and badges."""
    op.create_table(
        "badge_subjects",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("subject_uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_badge_subjects_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_badge_subjects")),
        sa.UniqueConstraint("subject_uuid", name=op.f("uq_badge_subjects_subject_uuid")),
    )
    op.create_table(
        "badges",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("achievement_key", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("credential_json", sa.Text(), nullable=False),
        sa.Column("compact_jwt", sa.Text(), nullable=False),
        sa.Column("kid", sa.String(length=128), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_badges_person_id_people"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_badges_tenant_id_tenants"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_badges")),
        sa.UniqueConstraint("person_id", "achievement_key",
                            name=op.f("uq_badges_person_id_achievement_key")),
        sa.UniqueConstraint("tenant_id", "status_index",
                            name=op.f("uq_badges_tenant_id_status_index")),
    )
    op.create_index(op.f("ix_badges_person_id"), "badges", ["person_id"], unique=False)


def downgrade() -> None:
    """Drop the badge tables."""
    op.drop_index(op.f("ix_badges_person_id"), table_name="badges")
    op.drop_table("badges")
    op.drop_table("badge_subjects")
