"""What the PostgreSQL server spends per evidence row, by foreign key and index.

`python -m bench.evidence_copy_cost [VARIANT ...]` migrates a temporary database beside
`CAREERPATH_BENCH_POSTGRES_URL` (default the local server) for each variant, seeds one
tenant, 5,000 people, one course and 40 line items, then COPYs the sync benchmark's
328,000 evidence rows (40 items × 4,100 graded learners × completion and score, source
refs of the sync's `ags:<item>:<result id>` form) in pages of 2,000 rows, one transaction
per page with `synchronous_commit` off, as the sync writes them. It prints the backend's
CPU (from `/proc`, so the server must run on this machine) and the wall time per variant.

A diagnostic for bench/SYNC_PROFILE.md (round 4), not part of `make bench`; the variants
drop constraints only in their own temporary database.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator

from bench.processes import temporary_postgres

_PERSON_FK = "alter table evidence drop constraint fk_evidence_tenant_id_people"
_ITEM_FK = "alter table evidence drop constraint fk_evidence_lms_item_id_lms_items"
_COMPETENCY_FK = "alter table evidence drop constraint fk_evidence_competency_id_competencies"
VARIANTS: dict[str, list[str]] = {
    "as-shipped": [],
    "no-person-fk": [_PERSON_FK],
    "no-item-fk": [_ITEM_FK],
    "no-competency-fk": [_COMPETENCY_FK],
    "no-fks": [_PERSON_FK, _ITEM_FK, _COMPETENCY_FK],
    "no-fks-no-person-item-indexes": [_PERSON_FK, _ITEM_FK, _COMPETENCY_FK,
                                      "drop index ix_evidence_lms_item_id",
                                      "drop index ix_evidence_person_id"],
}
COLUMNS = ("tenant_id, person_id, kind, lms_item_id, value, observed_at, source_ref, verifier, "
           "created_at")
ITEMS, GRADED, PAGE_ROWS = 40, 4_100, 2_000


def pages() -> Iterator[str]:
    """The rows as COPY text, page by page, in the order a sync writes them."""
    page: list[str] = []
    for item in range(1, ITEMS + 1):
        for person in range(1, GRADED + 1):
            for kind in ("completion", "score"):
                page.append(f"1\t{person}\t{kind}\t{item}\t0.8\t2026-12-01 10:00:00+00\t"
                            f"ags:{item}:http://lms/items/{item}/results/{person}\tlms\t"
                            "2026-12-07 10:00:00+00\n")
                if len(page) == PAGE_ROWS:
                    yield "".join(page)
                    page = []
    if page:
        yield "".join(page)


def backend_cpu(connection: object) -> float:
    pid = connection.info.backend_pid  # type: ignore[attr-defined]
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(variant: str) -> tuple[int, float, float]:
    """Rows stored, backend CPU seconds and wall seconds for one variant."""
    import psycopg

    from lti_tool.store import upgrade

    with temporary_postgres() as url:
        upgrade(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with psycopg.connect(url) as connection:
            _seed(connection)
            for statement in VARIANTS[variant]:
                connection.execute(statement)
            connection.commit()
            cpu, wall, rows = backend_cpu(connection), time.perf_counter(), 0
            for page in pages():
                with connection.cursor() as cursor:
                    cursor.execute("set local synchronous_commit = off")
                    with cursor.copy(f"COPY evidence ({COLUMNS}) FROM STDIN") as copy:
                        copy.write(page)
                connection.commit()
                rows += page.count("\n")
            return rows, backend_cpu(connection) - cpu, time.perf_counter() - wall


def _seed(connection: object) -> None:
    run = connection.execute  # type: ignore[attr-defined]  # psycopg's
    run("insert into tenants (id, slug, name, url, created_at) values (1, 't', 'T', '', now())")
    run("insert into people (id, tenant_id, sub, name, given_name, family_name, email, locale, "
        "created_at) select g, 1, 's' || g, 'n', 'g', 'f', 'e', 'en', now() "
        "from generate_series(1, 5000) g")
    run("insert into courses (id, tenant_id, context_id, title, label, created_at) "
        "values (1, 1, 'c', 'c', 'c', now())")
    run("insert into lms_items (id, course_id, kind, lms_id, title, effort, tag, "
        "resource_link_id) select g, 1, 'line_item', 'http://lms/items/' || g, 't', 1, '', '' "
        "from generate_series(1, %s) g", (ITEMS,))
    connection.commit()  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    unknown = [name for name in argv if name not in VARIANTS]
    if unknown:
        print(f"unknown variant(s) {unknown}; choose among {list(VARIANTS)}", file=sys.stderr)
        return 2
    for variant in argv or list(VARIANTS):
        rows, cpu, wall = measure(variant)
        print(f"{variant:32s} rows {rows:,}  backend CPU {cpu:.2f} s  wall {wall:.2f} s",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
