"""Course sync: the LMS service endpoints of each course and a record per sync run.

Revision ID: 0003_course_sync
Revises: 0002_api_keys
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_course_sync"
down_revision: str | None = "0002_api_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create course_services and sync_runs."""
    op.create_table(
        "course_services",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("memberships_url", sa.String(length=1024), nullable=False),
        sa.Column("lineitems_url", sa.String(length=1024), nullable=False),
        sa.Column("ags_scopes", sa.Text(), nullable=False),
        sa.Column("differences_url", sa.String(length=1024), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"],
                                name=op.f("fk_course_services_course_id_courses"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("course_id", name=op.f("pk_course_services")),
    )
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')",
                           name=op.f("ck_sync_runs_status")),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"],
                                name=op.f("fk_sync_runs_course_id_courses"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    op.create_index("ix_sync_runs_course_started", "sync_runs", ["course_id", "id"])


def downgrade() -> None:
    """Drop the sync tables."""
    op.drop_index("ix_sync_runs_course_started", table_name="sync_runs")
    op.drop_table("sync_runs")
    op.drop_table("course_services")
