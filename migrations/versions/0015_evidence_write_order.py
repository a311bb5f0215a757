"""Evidence: keys in the order a course sync writes, one foreign key for tenant and person,
and no LMS row in the competency index.

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
- The two foreign keys `tenant_id → tenants` and `person_id → people` become one,
  `(tenant_id, person_id) → people (tenant_id, id)` (ON DELETE CASCADE), over a new unique
  index `uq_people_tenant_id_id`. It says more than the two did (evidence belongs to its
  person's tenant, not merely to some tenant) with one check per row instead of two: on
  PostgreSQL each check is a trigger running a query, the larger part of a sync's server
  time. Deleting a tenant still deletes its evidence, through its people.
- `ix_evidence_competency_id` becomes partial (`WHERE competency_id IS NOT NULL`): LMS
  evidence names an item, not a competency (`ck_evidence_one_target`), and was put in
  this index under NULL, which no read asks for. Lookups by competency (`= x`, `IN (…)`,
  the foreign key's check when a competency is deleted) imply `IS NOT NULL` and use it.

Evidence whose tenant is not its person's stops the upgrade (it would break the new key).
SQLite cannot change a table's constraints in place: the table is rebuilt from its own
stored definition with only those clauses changed, its indexes re-made from theirs.
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
PEOPLE_KEY = "uq_people_tenant_id_id"
COMPETENCY_INDEX = "ix_evidence_competency_id"
NAMES_A_COMPETENCY = sa.text("competency_id IS NOT NULL")
LINKED = ("observations", "project_submissions")  # their evidence_id: ON DELETE SET NULL
FK_PERSON, FK_TENANT, FK_BOTH = ("fk_evidence_person_id_people",
                                 "fk_evidence_tenant_id_tenants", "fk_evidence_tenant_id_people")
# the clauses as SQLAlchemy wrote them into SQLite's stored CREATE TABLE (0001_initial)
PERSON_CLAUSE = (f"CONSTRAINT {FK_PERSON} FOREIGN KEY(person_id) REFERENCES people (id) "
                 "ON DELETE CASCADE")
TENANT_CLAUSE = (f"CONSTRAINT {FK_TENANT} FOREIGN KEY(tenant_id) REFERENCES tenants (id) "
                 "ON DELETE CASCADE")
BOTH_CLAUSE = (f"CONSTRAINT {FK_BOTH} FOREIGN KEY(tenant_id, person_id) REFERENCES people "
               "(tenant_id, id) ON DELETE CASCADE")


def _unique(columns: Sequence[str]) -> str:
    return "uq_evidence_" + "_".join(columns)


def _unique_clause(columns: Sequence[str]) -> str:
    return f"CONSTRAINT {_unique(columns)} UNIQUE ({', '.join(columns)})"


def upgrade() -> None:
    """Unique key in write order, one foreign key to the person, partial competency index."""
    op.create_index(PEOPLE_KEY, "people", ["tenant_id", "id"], unique=True)
    _refuse_evidence_of_another_tenant()
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_table([
            (re.escape(_unique_clause(PERSON_FIRST)), _unique_clause(ITEM_FIRST)),
            (re.escape(PERSON_CLAUSE), BOTH_CLAUSE),
            (r",\s*" + re.escape(TENANT_CLAUSE), "")])
    else:
        op.drop_constraint(_unique(PERSON_FIRST), "evidence", type_="unique")
        op.create_unique_constraint(_unique(ITEM_FIRST), "evidence", list(ITEM_FIRST))
        op.drop_constraint(FK_TENANT, "evidence", type_="foreignkey")
        op.drop_constraint(FK_PERSON, "evidence", type_="foreignkey")
        op.create_foreign_key(FK_BOTH, "evidence", "people", ["tenant_id", "person_id"],
                              ["tenant_id", "id"], ondelete="CASCADE")
    op.drop_index(COMPETENCY_INDEX, table_name="evidence")
    op.create_index(COMPETENCY_INDEX, "evidence", ["competency_id"], unique=False,
                    sqlite_where=NAMES_A_COMPETENCY, postgresql_where=NAMES_A_COMPETENCY)


def downgrade() -> None:
    """The competency index over every row, two foreign keys, the unique key person first."""
    op.drop_index(COMPETENCY_INDEX, table_name="evidence")
    op.create_index(COMPETENCY_INDEX, "evidence", ["competency_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_table([
            (re.escape(_unique_clause(ITEM_FIRST)), _unique_clause(PERSON_FIRST)),
            (re.escape(BOTH_CLAUSE), f"{PERSON_CLAUSE}, \n\t{TENANT_CLAUSE}")])
    else:
        op.drop_constraint(FK_BOTH, "evidence", type_="foreignkey")
        op.create_foreign_key(FK_PERSON, "evidence", "people", ["person_id"], ["id"],
                              ondelete="CASCADE")
        op.create_foreign_key(FK_TENANT, "evidence", "tenants", ["tenant_id"], ["id"],
                              ondelete="CASCADE")
        op.drop_constraint(_unique(ITEM_FIRST), "evidence", type_="unique")
        op.create_unique_constraint(_unique(PERSON_FIRST), "evidence", list(PERSON_FIRST))
    op.drop_index(PEOPLE_KEY, table_name="people")


def _refuse_evidence_of_another_tenant() -> None:
    mismatched = op.get_bind().exec_driver_sql(
        "SELECT count(*) FROM evidence JOIN people ON people.id = evidence.person_id "
        "WHERE people.tenant_id <> evidence.tenant_id").scalar_one()
    if mismatched:
        raise RuntimeError(f"{mismatched} evidence rows name a tenant other than their "
                           "person's: correct them before this migration")


def _rebuild_sqlite_table(changes: Sequence[tuple[str, str]]) -> None:
    """The SQLite way to change constraints: a new table from the stored definition with
    each (pattern, replacement) applied once, the rows, indexes and links kept."""
    bind = op.get_bind()
    table_sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'evidence'").scalar_one()
    # stored as written: `evidence`, or `"evidence"` once a rename has rewritten it
    rebuilt = table_sql
    for pattern, replacement in [(r'^CREATE TABLE ("?)evidence\1', "CREATE TABLE "
                                  "_evidence_rebuilt"), *changes]:
        rebuilt, found = re.subn(pattern, lambda _m, r=replacement: r, rebuilt)
        if found != 1:
            raise RuntimeError(f"evidence's definition lacks {pattern!r}: {table_sql}")
    indexes = list(bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'evidence' "
        "AND sql IS NOT NULL").scalars())
    links = {table: bind.exec_driver_sql(
        f"SELECT id, evidence_id FROM {table} WHERE evidence_id IS NOT NULL").all()  # noqa: S608
        for table in LINKED}
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
