"""Connectors to an LMS's own API: per-registration credentials, per-course OAuth2 grants,
people's REST ids.

Native activities are stored as `lms_items` of kind `line_item` whose `lms_id` starts with
`native:` (see lti_tool.lms.native): the `kind` CHECK stays as it is, because changing it
on SQLite rebuilds `lms_items`, and with foreign keys on, that cascades to evidence rules.

Revision ID: 0009_connectors
Revises: 0008_badge_keys
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_connectors"
down_revision: str | None = "0008_badge_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create lms_connectors, connector_grants and connector_people."""
    op.create_table(
        "lms_connectors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("base_url", sa.String(length=1024), nullable=False),
        sa.Column("auth", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("secret_encrypted", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("platform IN ('canvas', 'moodle')",
                           name=op.f("ck_lms_connectors_platform")),
        sa.CheckConstraint("auth IN ('token', 'oauth2')", name=op.f("ck_lms_connectors_auth")),
        sa.ForeignKeyConstraint(["registration_id"], ["platform_registrations.id"],
                                name=op.f("fk_lms_connectors_registration_id_platform_"
                                          "registrations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lms_connectors")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_lms_connectors_registration_id")),
    )
    op.create_table(
        "connector_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("refresh_token_encrypted", sa.Text(), nullable=False),
        sa.Column("access_token_encrypted", sa.Text(), nullable=False),
        sa.Column("access_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lms_user_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('active', 'revoked')",
                           name=op.f("ck_connector_grants_status")),
        sa.ForeignKeyConstraint(["connector_id"], ["lms_connectors.id"],
                                name=op.f("fk_connector_grants_connector_id_lms_connectors"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"],
                                name=op.f("fk_connector_grants_course_id_courses"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connector_grants")),
        sa.UniqueConstraint("connector_id", "course_id",
                            name=op.f("uq_connector_grants_connector_id_course_id")),
    )
    op.create_index(op.f("ix_connector_grants_course_id"), "connector_grants", ["course_id"])
    op.create_table(
        "connector_people",
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("lms_user_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["connector_id"], ["lms_connectors.id"],
                                name=op.f("fk_connector_people_connector_id_lms_connectors"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_connector_people_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("connector_id", "person_id", name=op.f("pk_connector_people")),
    )


def downgrade() -> None:
    """Drop the connector tables."""
    op.drop_table("connector_people")
    op.drop_index(op.f("ix_connector_grants_course_id"), table_name="connector_grants")
    op.drop_table("connector_grants")
    op.drop_table("lms_connectors")
