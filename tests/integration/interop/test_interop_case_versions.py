"""A newer version of an imported CASE document updates its framework in place; the export
keeps the document's identifier, uri and title and its other associations."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from sqlalchemy import select

from lti_tool.interop.problems import ImportRejected
from lti_tool.store import Database
from lti_tool.store.models import CompetencyRow, FrameworkAssociationRow
from lti_tool.store.repositories.taxonomy import TaxonomyRepository
from lti_tool.usecases.exports import export_case
from lti_tool.usecases.imports import import_case
from tests.integration.interop.interchange_support import (
    NEWER,
    case_item,
    case_package,
    newer_version,
    row_counts,
)

BASE = "https://careerpath.test"


def _rows(database: Database, framework_id: str) -> dict[str, CompetencyRow]:
    with database.session() as session:
        rows = session.scalars(select(CompetencyRow).where(
            CompetencyRow.framework_id == int(framework_id))).all()
        session.expunge_all()
    return {r.code: r for r in rows}


def test_export_keeps_the_document_identity(migrated_db: Database, tenant: str) -> None:
    original = case_package()
    framework_id = import_case(migrated_db, tenant, original).framework_ids[0]
    document = export_case(migrated_db, framework_id, BASE)["CFDocument"]
    for field in ("identifier", "uri", "title", "lastChangeDateTime"):
        expected = original["CFDocument"][field]
        if field == "lastChangeDateTime":
            expected = "2025-03-14T09:30:00Z"
        assert document[field] == expected, field
    exported = export_case(migrated_db, framework_id, BASE)
    kinds = sorted(a["associationType"] for a in exported["CFAssociations"]
                   if a["associationType"] != "isChildOf")
    assert kinds == ["exactMatchOf", "isPeerOf", "isRelatedTo", "precedes"]


def test_a_newer_version_updates_in_place(migrated_db: Database, tenant: str) -> None:
    original = case_package()
    first = import_case(migrated_db, tenant, original)
    before = _rows(migrated_db, first.framework_ids[0])
    summary = import_case(migrated_db, tenant, newer_version(original))
    assert summary.updated and summary.framework_ids == first.framework_ids
    assert (summary.added, summary.retired) == (("PM.1.c",), ("DL.2",))
    assert set(summary.changed) == {"AN.2", "SM.3"}
    assert "1 added (PM.1.c)" in summary.line() and "1 retired (DL.2)" in summary.line()
    after = _rows(migrated_db, first.framework_ids[0])
    assert {code: row.id for code, row in after.items() if code != "PM.1.c"} == {
        code: row.id for code, row in before.items()}, "items keep their rows"
    assert after["DL.2"].retired_at is not None and after["AN.2"].retired_at is None
    assert after["SM.3"].parent_id == after["PM"].id
    assert after["PM.1.c"].parent_id == after["PM.1"].id
    exported = export_case(migrated_db, first.framework_ids[0], BASE)
    assert exported["CFDocument"]["title"] == "Product Management Career Framework 2025"
    assert exported["CFDocument"]["identifier"] == original["CFDocument"]["identifier"]
    assert exported["CFDocument"]["lastChangeDateTime"] == NEWER
    codes = {i["humanCodingScheme"] for i in exported["CFItems"]}
    assert "DL.2" not in codes and "PM.1.c" in codes and len(codes) == 19
    kinds = sorted(a["associationType"] for a in exported["CFAssociations"]
                   if a["associationType"] != "isChildOf")
    assert kinds == ["exactMatchOf", "isPeerOf", "precedes", "precedes"]


@pytest.mark.parametrize("when", ["2025-03-14T09:30:00Z", "2024-12-31T00:00:00Z", None])
def test_the_same_or_an_older_version_is_refused(migrated_db: Database, tenant: str,
                                                 when: str | None) -> None:
    import_case(migrated_db, tenant, case_package())
    again = newer_version(case_package())
    if when is None:
        del again["CFDocument"]["lastChangeDateTime"]
    else:
        again["CFDocument"]["lastChangeDateTime"] = when
    before = row_counts(migrated_db)
    with pytest.raises(ImportRejected) as caught:
        import_case(migrated_db, tenant, again)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (0, "CFDocument.lastChangeDateTime")
    assert "only a newer version updates it" in problem.message
    assert row_counts(migrated_db) == before


def test_a_retired_item_comes_back_on_the_same_row(migrated_db: Database, tenant: str) -> None:
    original = case_package()
    framework_id = import_case(migrated_db, tenant, original).framework_ids[0]
    import_case(migrated_db, tenant, newer_version(original))
    dl2 = _rows(migrated_db, framework_id)["DL.2"].id
    latest = copy.deepcopy(original)
    latest["CFDocument"]["lastChangeDateTime"] = "2026-01-01T00:00:00Z"
    summary = import_case(migrated_db, tenant, latest)
    assert summary.added == ("DL.2",) and summary.retired == ("PM.1.c",)
    rows = _rows(migrated_db, framework_id)
    assert rows["DL.2"].id == dl2 and rows["DL.2"].retired_at is None


def test_two_items_may_swap_codes(migrated_db: Database, tenant: str) -> None:
    original = case_package()
    framework_id = import_case(migrated_db, tenant, original).framework_ids[0]
    swapped = copy.deepcopy(original)
    swapped["CFDocument"]["lastChangeDateTime"] = NEWER
    one, two = case_item(swapped, "SM.1"), case_item(swapped, "SM.2")
    one["humanCodingScheme"], two["humanCodingScheme"] = "SM.2", "SM.1"
    before = _rows(migrated_db, framework_id)
    summary = import_case(migrated_db, tenant, swapped)
    assert set(summary.changed) == {"SM.1", "SM.2"}
    after = _rows(migrated_db, framework_id)
    assert after["SM.1"].id == before["SM.2"].id and after["SM.2"].id == before["SM.1"].id


def test_a_code_held_by_a_hand_made_competency_refuses_the_update(
        migrated_db: Database, tenant: str) -> None:
    original = case_package()
    framework_id = import_case(migrated_db, tenant, original).framework_ids[0]
    with migrated_db.session() as session:
        TaxonomyRepository(session).add_competency(framework_id, "PM.1.c", "Made by hand")
    before = row_counts(migrated_db)
    with pytest.raises(ImportRejected) as caught:
        import_case(migrated_db, tenant, newer_version(original))
    assert [p.column for p in caught.value.problems] == ["CFItems.humanCodingScheme"]
    assert row_counts(migrated_db) == before


def test_associations_are_stored_and_go_with_the_framework(migrated_db: Database,
                                                          tenant: str) -> None:
    package = case_package()
    framework_id = import_case(migrated_db, tenant, package).framework_ids[0]
    with migrated_db.session() as session:
        stored = session.scalars(select(FrameworkAssociationRow).where(
            FrameworkAssociationRow.framework_id == int(framework_id))).all()
        kinds = {(a.association_type, a.origin, a.destination) for a in stored}
    expected = {(a["associationType"], a["originNodeURI"]["identifier"],
                 a["destinationNodeURI"]["identifier"]) for a in package["CFAssociations"]
                if a["associationType"] != "isChildOf"}
    assert kinds == expected and len(expected) == 4
    assert json.dumps(export_case(migrated_db, framework_id, BASE))  # serialisable


def _without_document_identifier(package: dict[str, Any], title: str) -> dict[str, Any]:
    """The package with no CFDocument identifier (links to the document by its uri)."""
    identifier = package["CFDocument"].pop("identifier")
    package["CFDocument"]["title"] = title
    for association in package["CFAssociations"]:
        if association["destinationNodeURI"].get("identifier") == identifier:
            del association["destinationNodeURI"]["identifier"]
    return package


def test_a_document_without_identifier_is_never_taken_for_another(
        migrated_db: Database, tenant: str) -> None:
    one = import_case(migrated_db, tenant, _without_document_identifier(case_package(), "One"))
    two = import_case(migrated_db, tenant,
                      _without_document_identifier(newer_version(case_package()), "Two"))
    assert not two.updated and one.framework_ids != two.framework_ids
    assert two.competencies == 19


def test_an_overlong_document_identifier_is_a_problem(migrated_db: Database,
                                                      tenant: str) -> None:
    original = case_package()
    package = json.loads(json.dumps(original).replace(original["CFDocument"]["identifier"],
                                                      "x" * 300))
    before = row_counts(migrated_db)
    with pytest.raises(ImportRejected) as caught:
        import_case(migrated_db, tenant, package)
    assert [(p.row, p.column) for p in caught.value.problems] == [(0, "CFDocument.identifier")]
    assert row_counts(migrated_db) == before
