"""Badge keys of their own; CASE documents and associations kept for export and re-import.

- badge_keys: the badge key set, apart from the LTI keys. The LTI keys that signed badges
  before this revision are carried over (public part only) as retired badge keys, so those
  badges keep verifying whatever LTI key rotation does.
- badges.kid is indexed: the badge key set asks which badges each key signed.
- frameworks.source_identifier / source_changed_at: the CFDocument identifier and
  lastChangeDateTime of an imported framework; competencies.retired_at: an item a newer
  version of its document no longer holds; framework_associations: CASE associations other
  than isChildOf.

Revision ID: 0008_badge_keys
Revises: 0007_invitations
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from lti_tool.store.types import UTCDateTime

revision: str = "0008_badge_keys"
down_revision: str | None = "0007_invitations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create badge_keys (with the LTI keys that signed badges) and the CASE columns."""
    op.create_table(
        "badge_keys",
        sa.Column("kid", sa.String(length=128), nullable=False),
        sa.Column("private_key_encrypted", sa.Text(), nullable=True),
        sa.Column("public_jwk", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('active', 'retired')", name=op.f("ck_badge_keys_status")),
        sa.CheckConstraint("origin IN ('badge', 'lti')", name=op.f("ck_badge_keys_origin")),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_badge_keys")),
    )
    op.create_index(op.f("ix_badge_keys_status"), "badge_keys", ["status"])
    op.create_index(op.f("ix_badges_kid"), "badges", ["kid"])
    _carry_over_lti_keys()
    _case_upgrade()


def _carry_over_lti_keys() -> None:
    """Every LTI key that signed a badge becomes a retired, verification-only badge key."""
    bind = op.get_bind()
    tool_keys = sa.table("tool_keys", sa.column("kid", sa.String()),
                         sa.column("public_jwk", sa.Text()),
                         sa.column("created_at", UTCDateTime()))
    badges = sa.table("badges", sa.column("kid", sa.String()))
    badge_keys = sa.table(
        "badge_keys", sa.column("kid", sa.String()), sa.column("public_jwk", sa.Text()),
        sa.column("origin", sa.String()), sa.column("status", sa.String()),
        sa.column("created_at", UTCDateTime()), sa.column("retired_at", UTCDateTime()))
    now = datetime.now(UTC)
    signed = sa.select(badges.c.kid).distinct()
    rows = bind.execute(sa.select(tool_keys.c.kid, tool_keys.c.public_jwk,
                                  tool_keys.c.created_at)
                        .where(tool_keys.c.kid.in_(signed))).all()
    if rows:
        bind.execute(sa.insert(badge_keys), [
            {"kid": kid, "public_jwk": jwk, "origin": "lti", "status": "retired",
             "created_at": created, "retired_at": now} for kid, jwk, created in rows])


def _case_upgrade() -> None:
    op.add_column("frameworks", sa.Column("source_identifier", sa.String(length=255),
                                          nullable=True))
    op.add_column("frameworks", sa.Column("source_changed_at", sa.DateTime(timezone=True),
                                          nullable=True))
    op.create_index(op.f("ix_frameworks_source_identifier"), "frameworks",
                    ["source_identifier"])
    op.add_column("competencies", sa.Column("retired_at", sa.DateTime(timezone=True),
                                            nullable=True))
    op.create_table(
        "framework_associations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column("association_type", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=255), nullable=False),
        sa.Column("destination", sa.String(length=255), nullable=False),
        sa.Column("origin_uri", sa.String(length=1024), nullable=False),
        sa.Column("destination_uri", sa.String(length=1024), nullable=False),
        sa.ForeignKeyConstraint(["framework_id"], ["frameworks.id"],
                                name=op.f("fk_framework_associations_framework_id_frameworks"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_associations")),
        sa.UniqueConstraint("framework_id", "identifier",
                            name=op.f("uq_framework_associations_framework_id_identifier")),
    )


def downgrade() -> None:
    """Drop what upgrade made (retired badge keys and CASE associations are lost)."""
    op.drop_table("framework_associations")
    op.drop_index(op.f("ix_frameworks_source_identifier"), table_name="frameworks")
    # plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of
    # competencies would trip the foreign keys that point at it
    for table, column in (("competencies", "retired_at"), ("frameworks", "source_changed_at"),
                          ("frameworks", "source_identifier")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_index(op.f("ix_badges_kid"), table_name="badges")
    op.drop_index(op.f("ix_badge_keys_status"), table_name="badge_keys")
    op.drop_table("badge_keys")
