"""Registration by invitation: one-time registration links, pending registrations.

Revision ID: 0007_invitations
Revises: 0006_cache_entries
Create Date: 2026-12-07

Adds `registration_invitations` (only the SHA-256 of a link's token is stored) and two
columns to `platform_registrations`: `status` (pending until an admin approves a Dynamic
Registration) and `deployment_policy` (listed: only recorded deployments; announced: a new
deployment id in a launch is recorded). The columns are added with a plain
`ADD COLUMN ... CONSTRAINT ... CHECK`, which SQLite and PostgreSQL both accept: a batch
rebuild of the table on SQLite would drop it with foreign keys on, and with it, by cascade,
its deployments.

Existing registrations stay `active`: they were made before approval existed and launches
from them must keep working. Existing Dynamic Registrations keep recording the deployments
their launches announce (`announced`); manual ones accept only their listed deployments.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_invitations"
down_revision: str | None = "0006_cache_entries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the two registration columns and the invitations table."""
    op.execute("ALTER TABLE platform_registrations ADD COLUMN status VARCHAR(16) "
               "DEFAULT 'active' NOT NULL CONSTRAINT ck_platform_registrations_status "
               "CHECK (status IN ('pending', 'active'))")
    op.execute("ALTER TABLE platform_registrations ADD COLUMN deployment_policy VARCHAR(16) "
               "DEFAULT 'listed' NOT NULL CONSTRAINT ck_platform_registrations_deployment_policy "
               "CHECK (deployment_policy IN ('listed', 'announced'))")
    op.execute("UPDATE platform_registrations SET deployment_policy = 'announced' "
               "WHERE registered_via = 'dynamic'")
    op.create_table(
        "registration_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=True),
        sa.Column("deployment_ids", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"],
            name=op.f("fk_registration_invitations_tenant_id_tenants"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["platform_registrations.id"],
            name=op.f("fk_registration_invitations_registration_id_platform_registrations"),
            ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_registration_invitations_token_hash")),
    )
    op.create_index(op.f("ix_registration_invitations_tenant_id"), "registration_invitations",
                    ["tenant_id"], unique=False)


def downgrade() -> None:
    """Drop the invitations table and the two registration columns."""
    op.drop_index(op.f("ix_registration_invitations_tenant_id"),
                  table_name="registration_invitations")
    op.drop_table("registration_invitations")
    op.drop_column("platform_registrations", "deployment_policy")
    op.drop_column("platform_registrations", "status")
