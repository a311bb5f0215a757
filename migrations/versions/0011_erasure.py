"""Erasure that holds: tombstones of erased people, archived competencies, evidence authors.

Revision ID: 0011_erasure
Revises: 0010_outbound_hosts
Create Date: 2026-12-07

Adds `erased_subjects` (tenant, SHA-256 digest of the erased person's `sub`; the `sub`
itself is never kept) so syncs and launches do not re-create an erased person, and two
nullable columns: `competencies.archived_at` (a competency deleted with `?force=true` while
rules or evidence use it: hidden from catalogue and readiness views, its evidence kept) and
`evidence.author_key_id` (the API key that recorded a piece of evidence; only that key may
delete it). Plain `ADD COLUMN` of nullable columns: no table rebuild on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_erasure"
down_revision: str | None = "0010_outbound_hosts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the tombstone table and add the two columns."""
    op.create_table(
        "erased_subjects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("subject_digest", sa.String(length=64), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_erased_subjects_tenant_id_tenants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erased_subjects")),
        sa.UniqueConstraint("tenant_id", "subject_digest",
                            name=op.f("uq_erased_subjects_tenant_id_subject_digest")),
    )
    op.add_column("competencies", sa.Column("archived_at", sa.DateTime(timezone=True),
                                            nullable=True))
    op.add_column("evidence", sa.Column("author_key_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop the two columns and the tombstones."""
    op.drop_column("evidence", "author_key_id")
    op.drop_column("competencies", "archived_at")
    op.drop_table("erased_subjects")
