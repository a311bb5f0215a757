"""People's evidence: project submissions, observations, self-ratings, reporting lines.

Revision ID: 0013_people_evidence
Revises: 0012_passback_marks
Create Date: 2026-12-07

Adds `project_submissions` (artifact links and their review), `observations` (levels an
instructor or manager saw, withdrawn ones kept and marked), `self_ratings` (one per person
and competency), `reporting_lines` (manager → person, from the HRIS) and `tenant_settings`
(managers may observe; self-ratings count as evidence; both off by default).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_people_evidence"
down_revision: str | None = "0012_passback_marks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the five tables."""
    op.create_table("tenant_settings",
    sa.Column("tenant_id", sa.Integer(), nullable=False),
    sa.Column("managers_may_observe", sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column("self_ratings_count", sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_tenant_settings_tenant_id_tenants"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_tenant_settings"))
    )
    op.create_table("reporting_lines",
    sa.Column("manager_id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("tenant_id", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["manager_id"], ["people.id"], name=op.f("fk_reporting_lines_manager_id_people"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_reporting_lines_person_id_people"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_reporting_lines_tenant_id_tenants"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("manager_id", "person_id", name=op.f("pk_reporting_lines"))
    )
    with op.batch_alter_table("reporting_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reporting_lines_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reporting_lines_tenant_id"), ["tenant_id"], unique=False)

    op.create_table("self_ratings",
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("competency_id", sa.Integer(), nullable=False),
    sa.Column("tenant_id", sa.Integer(), nullable=False),
    sa.Column("level", sa.Integer(), nullable=False),
    sa.Column("anchor", sa.Text(), nullable=False),
    sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["competency_id"], ["competencies.id"], name=op.f("fk_self_ratings_competency_id_competencies"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_self_ratings_person_id_people"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_self_ratings_tenant_id_tenants"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("person_id", "competency_id", name=op.f("pk_self_ratings"))
    )
    with op.batch_alter_table("self_ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_ratings_competency_id"), ["competency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_self_ratings_tenant_id"), ["tenant_id"], unique=False)

    op.create_table("observations",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("tenant_id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("competency_id", sa.Integer(), nullable=False),
    sa.Column("author_id", sa.Integer(), nullable=True),
    sa.Column("as_manager", sa.Boolean(), nullable=False),
    sa.Column("level", sa.Integer(), nullable=False),
    sa.Column("anchor", sa.Text(), nullable=False),
    sa.Column("note", sa.Text(), nullable=False),
    sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("evidence_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["author_id"], ["people.id"], name=op.f("fk_observations_author_id_people"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["competency_id"], ["competencies.id"], name=op.f("fk_observations_competency_id_competencies"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name=op.f("fk_observations_evidence_id_evidence"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_observations_person_id_people"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_observations_tenant_id_tenants"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_observations"))
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observations_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observations_competency_id"), ["competency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observations_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observations_tenant_id"), ["tenant_id"], unique=False)

    op.create_table("project_submissions",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("tenant_id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("competency_id", sa.Integer(), nullable=False),
    sa.Column("title", sa.String(length=200), nullable=False),
    sa.Column("url", sa.String(length=2048), nullable=False),
    sa.Column("state", sa.String(length=16), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reviewer_id", sa.Integer(), nullable=True),
    sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("level", sa.Integer(), nullable=True),
    sa.Column("comment", sa.Text(), nullable=False),
    sa.Column("evidence_id", sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('submitted', 'accepted', 'returned')", name=op.f("ck_project_submissions_state")),
    sa.ForeignKeyConstraint(["competency_id"], ["competencies.id"], name=op.f("fk_project_submissions_competency_id_competencies"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name=op.f("fk_project_submissions_evidence_id_evidence"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_project_submissions_person_id_people"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["reviewer_id"], ["people.id"], name=op.f("fk_project_submissions_reviewer_id_people"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_project_submissions_tenant_id_tenants"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_project_submissions"))
    )
    with op.batch_alter_table("project_submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_submissions_competency_id"), ["competency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_submissions_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_submissions_tenant_id"), ["tenant_id"], unique=False)



def downgrade() -> None:
    """Drop the five tables."""
    with op.batch_alter_table("project_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_submissions_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_project_submissions_person_id"))
        batch_op.drop_index(batch_op.f("ix_project_submissions_competency_id"))

    op.drop_table("project_submissions")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observations_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_observations_person_id"))
        batch_op.drop_index(batch_op.f("ix_observations_competency_id"))
        batch_op.drop_index(batch_op.f("ix_observations_author_id"))

    op.drop_table("observations")
    with op.batch_alter_table("self_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_ratings_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_self_ratings_competency_id"))

    op.drop_table("self_ratings")
    with op.batch_alter_table("reporting_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_lines_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_reporting_lines_person_id"))

    op.drop_table("reporting_lines")
    op.drop_table("tenant_settings")
