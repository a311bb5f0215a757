"""Evidence: keys in the order a course sync writes, and no LMS row in the competency index.

Revision ID: 0015_evidence_write_order
Revises: 0014_mentor_links
Create Date: 2026-12-07

A course sync stores a page of one line item's results at a time: two rows of evidence
(completion, score) per graded result, each page in its own transaction (issue 21).

- The unique key that makes evidence idempotent keeps its four columns, in a new order:
  (tenant, source_ref, kind, person) instead of (tenant, person, kind, source_ref). The
  same rows are unique and the same conflicts are found; but an LMS result's source_ref
  starts with its item (`ags:<item>:<sub>:…`), so a page's rows land side by side in the
  key's B-tree instead of one leaf per learner across the whole table (SQLite wrote every
  such leaf to its WAL at each page's commit). Reads by person use `ix_evidence_person_id`;
  reads by tenant alone still find tenant_id first.
- `ix_evidence_competency_id` becomes partial (`WHERE competency_id IS NOT NULL`): LMS
  evidence names an item, not a competency (`ck_evidence_one_target`), and was put in
  this index under NULL, which no read asks for. Lookups by competency (`= x`, `IN (…)`,
  the foreign key's check when a competency is deleted) imply `IS NOT NULL` and use it.

SQLite cannot change a table's constraint in place: the table is rebuilt from its own
stored definition with only the UNIQUE clause changed, its indexes re-made from theirs.
Dropping the old table sets the `evidence_id` of observations and project submissions to
NULL (their foreign keys say ON DELETE SET NULL, and the migration runs with foreign keys
on), so those links are read before and written back after; the ids do not change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_evidence_write_order"
down_revision: str | None = "0014_mentor_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSON_FIRST = ("tenant_id", "person_id", "kind", "source_ref")
ITEM_FIRST = ("tenant_id", "source_ref", "kind", "person_id")
COMPETENCY_INDEX = "ix_evidence_competency_id"
NAMES_A_COMPETENCY = sa.text("competency_id IS NOT NULL")
LINKED = ("observations", "project_submissions")  # their evidence_id: ON DELETE SET NULL


def upgrade() -> None:
    """The unique key in write order; the competency index partial."""
    _reorder_unique_key(PERSON_FIRST, ITEM_FIRST)
    op.drop_index(COMPETENCY_INDEX, table_name="evidence")
    op.create_index(COMPETENCY_INDEX, "evidence", ["competency_id"], unique=False,
                    sqlite_where=NAMES_A_COMPETENCY, postgresql_where=NAMES_A_COMPETENCY)


def downgrade() -> None:
    """The competency index over every row; the unique key person first again."""
    op.drop_index(COMPETENCY_INDEX, table_name="evidence")
    op.create_index(COMPETENCY_INDEX, "evidence", ["competency_id"], unique=False)
    _reorder_unique_key(ITEM_FIRST, PERSON_FIRST)


def _name(columns: Sequence[str]) -> str:
    return "uq_evidence_" + "_".join(columns)


def _reorder_unique_key(old: Sequence[str], new: Sequence[str]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_table(old, new)
        return
    op.drop_constraint(_name(old), "evidence", type_="unique")
    op.create_unique_constraint(_name(new), "evidence", list(new))


def _clause(columns: Sequence[str]) -> str:
    return f"CONSTRAINT {_name(columns)} UNIQUE ({', '.join(columns)})"


def _rebuild_sqlite_table(old: Sequence[str], new: Sequence[str]) -> None:
    """The SQLite way to change a constraint: a new table from the stored definition."""
    bind = op.get_bind()
    table_sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'evidence'").scalar_one()
    if _clause(old) not in table_sql:
        raise RuntimeError(f"evidence has no {_name(old)} to replace: {table_sql}")
    indexes = list(bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'evidence' "
        "AND sql IS NOT NULL").scalars())
    links = {table: bind.exec_driver_sql(
        f"SELECT id, evidence_id FROM {table} WHERE evidence_id IS NOT NULL").all()  # noqa: S608
        for table in LINKED}
    # stored as written: `evidence`, or `"evidence"` once a rename has rewritten it
    rebuilt, named = re.subn(r'^CREATE TABLE ("?)evidence\1', "CREATE TABLE _evidence_rebuilt",
                             table_sql.replace(_clause(old), _clause(new)))
    if named != 1:
        raise RuntimeError(f"unexpected definition of evidence: {table_sql}")
    op.execute(rebuilt)
    op.execute("INSERT INTO _evidence_rebuilt SELECT * FROM evidence")
    op.execute("DROP TABLE evidence")
    op.execute("ALTER TABLE _evidence_rebuilt RENAME TO evidence")
    for index_sql in indexes:
        op.execute(index_sql)
    for table, rows in links.items():
        for row_id, evidence_id in rows:
            bind.exec_driver_sql(f"UPDATE {table} SET evidence_id = ? WHERE id = ?",  # noqa: S608
                                 (evidence_id, row_id))
