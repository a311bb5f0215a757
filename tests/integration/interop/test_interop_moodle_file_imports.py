"""Moodle's own framework files imported into a migrated database, by header detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from lti_tool.store import Database
from lti_tool.store.repositories.taxonomy import TaxonomyRepository
from lti_tool.usecases.exports import export_case
from lti_tool.usecases.imports import detect_csv_kind, import_csv

MOODLE = Path(__file__).resolve().parents[2] / "fixtures" / "csv" / "moodle"


@pytest.mark.parametrize(("name", "count", "root"), [
    ("example.csv", 64, "levels"),
    ("current_export.csv", 4, "DA-SQL"),
    ("french_header.csv", 2, "DA-SQL"),
])
def test_moodle_files_import(migrated_db: Database, tenant: str, name: str, count: int,
                             root: str) -> None:
    text = (MOODLE / name).read_text(encoding="utf-8")
    assert detect_csv_kind(text) == "frameworks"
    summary = import_csv(migrated_db, tenant, text)
    assert summary.competencies == count
    with migrated_db.session() as session:
        framework = TaxonomyRepository(session).framework(summary.framework_ids[0])
    by_code = {c.code: c for c in framework.competencies}
    assert len(by_code) == count
    assert by_code[root].parent_id is None
    children = [c for c in framework.competencies if c.parent_id == by_code[root].id]
    assert children, "the tree was built from Parent ID number"


def test_moodle_fixture_tree_depth(migrated_db: Database, tenant: str) -> None:
    summary = import_csv(migrated_db, tenant, (MOODLE / "example.csv").read_text("utf-8"))
    with migrated_db.session() as session:
        framework = TaxonomyRepository(session).framework(summary.framework_ids[0])
    by_id = {c.id: c for c in framework.competencies}
    by_code = {c.code: c for c in framework.competencies}
    path, node = [], by_code["S-ST-1"]
    while node is not None:
        path.append(node.code)
        node = by_id.get(node.parent_id) if node.parent_id else None
    assert path == ["S-ST-1", "strategic-thinking", "strategic", "competencies"]


def test_moodle_cross_references_go_out_as_case_associations(migrated_db: Database,
                                                             tenant: str) -> None:
    text = (MOODLE / "current_export.csv").read_text("utf-8")
    framework_id = import_csv(migrated_db, tenant, text).framework_ids[0]
    package = export_case(migrated_db, framework_id, "https://careerpath.test")
    codes = {i["identifier"]: i["humanCodingScheme"] for i in package["CFItems"]}
    related = {(codes[a["originNodeURI"]["identifier"]],
                codes[a["destinationNodeURI"]["identifier"]])
               for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo"}
    assert related == {("DA-SQL-JOIN", "DA-VIS,CHARTS"), ("DA-VIS,CHARTS", "DA-SQL")}
    again = export_case(migrated_db, framework_id, "https://careerpath.test")
    assert [a["identifier"] for a in again["CFAssociations"]] == [
        a["identifier"] for a in package["CFAssociations"]]
