"""Imports into a migrated database (SQLite and PostgreSQL): all or nothing, round trip."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from lti_tool.config import OUTBOUND_LOOPBACK
from lti_tool.domain.errors import NotFound
from lti_tool.interop.problems import ImportProblem, ImportRejected
from lti_tool.lms.http import HttpClient, new_session
from lti_tool.outbound import AllowList
from lti_tool.store import Database
from lti_tool.store.models import CompetencyRow, FrameworkRow
from lti_tool.store.repositories.roles import RoleRepository
from lti_tool.store.repositories.taxonomy import TaxonomyRepository
from lti_tool.store.repositories.tenants import TenantRepository
from lti_tool.usecases.exports import export_case
from lti_tool.usecases.imports import import_case, import_csv, read_case_source
from tests.integration.interop.interchange_support import (
    MOODLE_FILE,
    ROLES_FILE,
    case_package,
    row_counts,
)
from tests.support.servers import LiveServer

BASE = "https://careerpath.test"


def tree(database: Database, framework_id: str) -> set[tuple[str, str, str, str | None]]:
    """(identifier, code, statement, parent identifier) of every competency."""
    with database.session() as session:
        rows = {r.id: r for r in session.scalars(select(CompetencyRow).where(
            CompetencyRow.framework_id == int(framework_id)))}
    return {(r.source_identifier or "", r.code, r.description or r.name,
             None if r.parent_id is None else rows[r.parent_id].source_identifier)
            for r in rows.values()}


def rejected(call: Any, *args: Any) -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as caught:
        call(*args)
    return caught.value.problems


def test_case_import_builds_the_tree(migrated_db: Database, tenant: str) -> None:
    ticks: list[tuple[int, int]] = []
    summary = import_case(migrated_db, tenant, case_package(), None,
                          lambda done, total: ticks.append((done, total)))
    assert ticks == [(n, 19) for n in range(1, 20)]
    assert summary.competencies == 19 and summary.frameworks == (
        "Product Management Career Framework",)
    assert "association" not in summary.line()  # they are stored now
    assert summary.not_stored == ("the CFItemType of 19 items",)
    with migrated_db.session() as session:
        framework = TaxonomyRepository(session).framework(summary.framework_ids[0])
        tenant_id = TenantRepository(session).by_slug(tenant).id  # type: ignore[union-attr]
        assert TaxonomyRepository(session).framework_id(tenant_id, framework.name)
    by_code = {c.code: c for c in framework.competencies}
    assert by_code["PM.1.a"].parent_id == by_code["PM.1"].id
    assert by_code["PM.1"].parent_id == by_code["PM"].id and by_code["PM"].parent_id is None
    assert framework.scale.key == "four_point_rubric"


def test_round_trip_keeps_items_and_parents(migrated_db: Database, tenant: str) -> None:
    first = import_case(migrated_db, tenant, case_package()).framework_ids[0]
    package = export_case(migrated_db, first, BASE)
    assert package["CFDocument"]["creator"] == "Acme Corp"
    second = import_case(migrated_db, "globex", json.loads(json.dumps(package)))
    original = {(i["identifier"], i["humanCodingScheme"], i["fullStatement"])
                for i in case_package()["CFItems"]}
    assert {t[:3] for t in tree(migrated_db, second.framework_ids[0])} == original
    assert tree(migrated_db, second.framework_ids[0]) == tree(migrated_db, first)
    again = export_case(migrated_db, second.framework_ids[0], BASE)
    assert len(again["CFAssociations"]) == len(package["CFAssociations"]) == 23  # 19 isChildOf
    assert {a["identifier"] for a in again["CFAssociations"]} == {
        a["identifier"] for a in package["CFAssociations"]}
    assert again["CFDocument"]["identifier"] == case_package()["CFDocument"]["identifier"]


def test_export_is_stable(migrated_db: Database, tenant: str) -> None:
    framework_id = import_csv(migrated_db, tenant, MOODLE_FILE.read_text()).framework_ids[0]
    one, two = (export_case(migrated_db, framework_id, BASE) for _ in range(2))
    assert one["CFDocument"]["identifier"] == two["CFDocument"]["identifier"]
    assert [i["identifier"] for i in one["CFItems"]] == [i["identifier"] for i in two["CFItems"]]
    sql = next(i for i in one["CFItems"] if i["humanCodingScheme"] == "DA-SQL")
    assert sql["abbreviatedStatement"] == "SQL"
    assert sql["fullStatement"] == "Writes correct and efficient SQL."


def test_one_bad_item_changes_nothing(migrated_db: Database, tenant: str) -> None:
    package = case_package()
    package["CFItems"][6]["fullStatement"] = ""
    before = row_counts(migrated_db)
    problems = rejected(import_case, migrated_db, tenant, package)
    assert ImportProblem(7, "CFItems.fullStatement", "the item has no fullStatement") in problems
    assert row_counts(migrated_db) == before


def test_moodle_csv_frameworks(migrated_db: Database, tenant: str) -> None:
    summary = import_csv(migrated_db, tenant, MOODLE_FILE.read_text())
    assert summary.frameworks == ("Data Analytics", "Customer Success")
    assert summary.competencies == 12
    with migrated_db.session() as session:
        analytics = TaxonomyRepository(session).framework(summary.framework_ids[0])
    assert [lv.label for lv in analytics.scale.levels] == ["Developing", "Proficient",
                                                          "Advanced"]
    assert analytics.scale.mastery_value == 2
    by_code = {c.code: c for c in analytics.competencies}
    assert by_code["DA-SQL-JOIN"].parent_id == by_code["DA-SQL"].id


def test_same_framework_twice_is_refused(migrated_db: Database, tenant: str) -> None:
    import_csv(migrated_db, tenant, MOODLE_FILE.read_text())
    before = row_counts(migrated_db)
    problems = rejected(import_csv, migrated_db, tenant, MOODLE_FILE.read_text())
    assert [(p.row, p.column) for p in problems] == [(2, "Short name"), (10, "Short name")]
    assert row_counts(migrated_db) == before


def test_moodle_row_with_unknown_parent_changes_nothing(migrated_db: Database,
                                                         tenant: str) -> None:
    lines = MOODLE_FILE.read_text().splitlines()
    lines[4] = lines[4].replace("DA-SQL,DA-SQL-WIN", "DA-NOPE,DA-SQL-WIN")
    before = row_counts(migrated_db)
    problems = rejected(import_csv, migrated_db, tenant, "\n".join(lines) + "\n")
    assert problems == [ImportProblem(5, "Parent ID number", "unknown parent 'DA-NOPE'")]
    assert row_counts(migrated_db) == before


def test_roles_csv_builds_the_lattice(migrated_db: Database, tenant: str) -> None:
    import_csv(migrated_db, tenant, MOODLE_FILE.read_text())
    ticks: list[int] = []
    summary = import_csv(migrated_db, tenant, ROLES_FILE.read_text(), None,
                         lambda done, total: ticks.append(total))
    assert (summary.roles, summary.transitions) == (4, 3) and ticks == [7] * 7
    with migrated_db.session() as session:
        tenant_id = TenantRepository(session).by_slug(tenant).id  # type: ignore[union-attr]
        lattice = RoleRepository(session).lattice(tenant_id)
    analyst = next(r for r in lattice.roles if r.name == "Data Analyst")
    senior = next(r for r in lattice.roles if r.name == "Senior Analyst")
    assert (analyst.threshold, analyst.family, len(analyst.requirements)) == (
        0.75, "Analytics", 3)
    assert [t.to_role_id for t in lattice.next_roles(analyst.id)] == [senior.id]


def test_roles_with_one_unknown_code_change_nothing(migrated_db: Database,
                                                    tenant: str) -> None:
    import_csv(migrated_db, tenant, MOODLE_FILE.read_text())
    text = ROLES_FILE.read_text().replace("DA-SQL-WIN", "DA-PYTHON")
    before = row_counts(migrated_db)
    problems = rejected(import_csv, migrated_db, tenant, text, "roles")
    assert problems == [ImportProblem(6, "competency_code",
                                      "no competency 'DA-PYTHON' in this tenant")]
    assert row_counts(migrated_db) == before


def test_unknown_tenant(migrated_db: Database) -> None:
    with pytest.raises(NotFound):
        import_csv(migrated_db, "nobody", MOODLE_FILE.read_text())


@pytest.fixture
def package_server() -> Iterator[str]:
    body = json.dumps(case_package()).encode()

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ["PATH_INFO"] != "/frameworks/pm.json":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such package"]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    server = LiveServer("127.0.0.1").start(app)
    yield server.url()
    server.stop()


def test_import_from_a_url(migrated_db: Database, tenant: str, package_server: str) -> None:
    url = f"{package_server}/frameworks/pm.json"
    loopback = HttpClient(new_session(AllowList.parse(OUTBOUND_LOOPBACK)))
    package, source = read_case_source(url, loopback.fetch_json)
    del package["CFDocument"]["uri"]
    summary = import_case(migrated_db, tenant, package, source)
    assert summary.competencies == 19
    with migrated_db.session() as session:
        row = session.get(FrameworkRow, int(summary.framework_ids[0]))
        assert row is not None and row.source_uri == url
