"""Evidence: the competency index holds only the rows that name a competency.

Revision ID: 0015_evidence_competency_index
Revises: 0014_mentor_links
Create Date: 2026-12-07

`ix_evidence_competency_id` becomes a partial index (`WHERE competency_id IS NOT NULL`)
on SQLite and PostgreSQL. Evidence names either a competency or an LMS item
(`ck_evidence_one_target`); a course sync writes LMS evidence only, two rows per graded
result, and each of them was also put into this index under NULL, which no read asks for:
lookups by competency (`= x`, `IN (…)`, the foreign key's check when a competency is
deleted) imply `IS NOT NULL` and use the partial index as before (issue 21).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_evidence_competency_index"
down_revision: str | None = "0014_mentor_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_evidence_competency_id"
NAMES_A_COMPETENCY = sa.text("competency_id IS NOT NULL")


def upgrade() -> None:
    """The competency index, partial."""
    op.drop_index(NAME, table_name="evidence")
    op.create_index(NAME, "evidence", ["competency_id"], unique=False,
                    sqlite_where=NAMES_A_COMPETENCY, postgresql_where=NAMES_A_COMPETENCY)


def downgrade() -> None:
    """The competency index over every row again."""
    op.drop_index(NAME, table_name="evidence")
    op.create_index(NAME, "evidence", ["competency_id"], unique=False)
