"""Platform service hosts: hosts an admin allowed for a platform's AGS/NRPS URLs.

Revision ID: 0010_outbound_hosts
Revises: 0009_connectors
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_outbound_hosts"
down_revision: str | None = "0009_connectors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create platform_service_hosts."""
    op.create_table(
        "platform_service_hosts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["platform_registrations.id"],
            name=op.f("fk_platform_service_hosts_registration_id_platform_registrations"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_service_hosts")),
        sa.UniqueConstraint("registration_id", "host",
                            name=op.f("uq_platform_service_hosts_registration_id_host")),
    )
    op.create_index(op.f("ix_platform_service_hosts_registration_id"),
                    "platform_service_hosts", ["registration_id"], unique=False)


def downgrade() -> None:
    """Drop platform_service_hosts."""
    op.drop_index(op.f("ix_platform_service_hosts_registration_id"),
                  table_name="platform_service_hosts")
    op.drop_table("platform_service_hosts")
