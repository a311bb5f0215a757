"""CASE 1.0 packages: reading into drafts, the problems found, and writing back."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from lti_tool.domain.scales import FOUR_POINT_RUBRIC
from lti_tool.interop.case import read_package, write_package
from lti_tool.interop.problems import ImportProblem, ImportRejected

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "case" / "product_management.json"
WHEN = datetime(2025, 4, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def package() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


def problems_of(package: Any) -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as caught:
        read_package(package)
    return caught.value.problems


def item_index(package: dict[str, Any], code: str) -> int:
    return next(i for i, item in enumerate(package["CFItems"])
                if item["humanCodingScheme"] == code)


def test_document_items_and_tree(package: dict[str, Any]) -> None:
    draft = read_package(package, "https://example.org/pkg.json")
    assert draft.name == "Product Management Career Framework"
    assert draft.source_uri == package["CFDocument"]["uri"]
    assert draft.scale == FOUR_POINT_RUBRIC
    assert len(draft.competencies) == len(package["CFItems"]) == 19
    by_code = {c.code: c for c in draft.competencies}
    assert by_code["PM"].parent_key is None
    assert by_code["PM.1.a"].parent_key == by_code["PM.1"].key
    assert by_code["PM.1"].parent_key == by_code["PM"].key
    assert by_code["PM.1"].name == "Roadmapping"
    assert by_code["PM.1"].description.startswith("Builds and maintains")
    assert by_code["PM.1.a"].name.startswith("Sequences roadmap") and not \
        by_code["PM.1.a"].description
    assert by_code["PM.1.a"].item_type == "Skill"
    assert all(c.source_identifier == c.key for c in draft.competencies)


def test_parents_come_before_children(package: dict[str, Any]) -> None:
    package["CFItems"].reverse()
    seen: set[str] = set()
    for competency in read_package(package).competencies:
        assert competency.parent_key is None or competency.parent_key in seen
        seen.add(competency.key)


def test_other_associations_are_kept_in_the_draft(package: dict[str, Any]) -> None:
    kinds = sorted(a.association_type for a in read_package(package).associations)
    assert kinds == ["exactMatchOf", "isPeerOf", "isRelatedTo", "precedes"]


def test_package_url_when_the_document_has_no_uri(package: dict[str, Any]) -> None:
    del package["CFDocument"]["uri"]
    assert read_package(package, "https://x.test/p.json").source_uri == "https://x.test/p.json"


def test_missing_code_falls_back_to_the_identifier(package: dict[str, Any]) -> None:
    item = package["CFItems"][0]
    del item["humanCodingScheme"]
    draft = read_package(package)
    assert item["identifier"] in {c.code for c in draft.competencies}


def test_long_statement_is_cut_for_the_name_and_kept_whole(package: dict[str, Any]) -> None:
    package["CFItems"][0]["fullStatement"] = "word " * 100
    package["CFItems"][0].pop("abbreviatedStatement", None)
    first = read_package(package).competencies[0]
    assert len(first.name) == 255 and first.name.endswith("…")
    assert first.description == ("word " * 100).strip()


def test_missing_full_statement_and_duplicate_identifier(package: dict[str, Any]) -> None:
    package["CFItems"][2]["fullStatement"] = "  "
    package["CFItems"].append(copy.deepcopy(package["CFItems"][4]))
    found = problems_of(package)
    assert ImportProblem(3, "CFItems.fullStatement", "the item has no fullStatement") in found
    assert any(p.row == 20 and p.column == "CFItems.identifier"
               and "duplicate identifier" in p.message for p in found)


def test_unknown_identifiers_in_associations(package: dict[str, Any]) -> None:
    package["CFAssociations"][0]["originNodeURI"]["identifier"] = "nope"
    package["CFAssociations"][1]["destinationNodeURI"]["identifier"] = "gone"
    found = problems_of(package)
    assert ImportProblem(1, "CFAssociations.originNodeURI", "unknown item 'nope'") in found
    assert ImportProblem(2, "CFAssociations.destinationNodeURI", "unknown item 'gone'") in found


def test_cycle_is_reported_on_the_association_rows(package: dict[str, Any]) -> None:
    pm, pm1 = item_index(package, "PM"), item_index(package, "PM.1")
    links = package["CFAssociations"]
    root_link = next(i for i, a in enumerate(links) if a["associationType"] == "isChildOf"
                     and a["originNodeURI"]["identifier"] == package["CFItems"][pm]["identifier"])
    links[root_link]["destinationNodeURI"] = dict(links[root_link]["originNodeURI"],
                                                  identifier=package["CFItems"][pm1]["identifier"])
    found = problems_of(package)
    assert any(p.row == root_link + 1 and p.column == "CFAssociations.destinationNodeURI"
               and "cycle" in p.message for p in found)


def test_several_parents_are_refused(package: dict[str, Any]) -> None:
    extra = copy.deepcopy(package["CFAssociations"][1])
    extra["destinationNodeURI"] = package["CFAssociations"][2]["originNodeURI"]
    package["CFAssociations"].append(extra)
    found = problems_of(package)
    assert [p.row for p in found] == [len(package["CFAssociations"])]
    assert "several parents" in found[0].message


@pytest.mark.parametrize("broken", [[], {"CFItems": []}, {"CFDocument": {}}])
def test_not_a_package(broken: Any) -> None:
    assert problems_of(broken)[0].row == 0


def test_write_then_read_keeps_items_and_tree(package: dict[str, Any]) -> None:
    draft = read_package(package)
    written = write_package(draft, "https://tool.test/", WHEN)
    again = read_package(json.loads(json.dumps(written)))
    assert [(c.key, c.code, c.name, c.description, c.parent_key)
            for c in again.competencies] == [
        (c.key, c.code, c.name, c.description, c.parent_key) for c in draft.competencies]
    assert {a.identifier for a in again.associations} == {
        a.identifier for a in draft.associations}


def test_written_package_shape(package: dict[str, Any]) -> None:
    written = write_package(read_package(package), "https://tool.test", WHEN)
    document = written["CFDocument"]
    original = package["CFDocument"]
    assert (document["identifier"], document["uri"], document["title"]) == (
        original["identifier"], original["uri"], original["title"])
    assert document["CFPackageURI"]["uri"].endswith(f"/CFPackages/{document['identifier']}")
    assert document["lastChangeDateTime"] == "2025-04-01T12:00:00Z"
    assert document["officialSourceURL"] == package["CFDocument"]["uri"]
    assert {i["CFItemType"] for i in written["CFItems"]} == {"Competency"}
    children = [a for a in written["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert len(children) == 19
    roots = [a for a in children if a["destinationNodeURI"]["identifier"] == document["identifier"]]
    assert [a["sequenceNumber"] for a in roots] == [1, 2, 3, 4]
    assert written["CFDefinitions"]["CFItemTypes"][0]["title"] == "Competency"


def test_a_draft_from_no_document_gets_a_uri_of_the_tool(package: dict[str, Any]) -> None:
    draft = replace(read_package(package), uri="", identifier="minted-id")
    document = write_package(draft, "https://tool.test", WHEN)["CFDocument"]
    assert document["uri"] == "https://tool.test/ims/case/v1p0/CFDocuments/minted-id"


def test_document_identity_and_last_change_are_read(package: dict[str, Any]) -> None:
    draft = read_package(package)
    assert draft.identifier == package["CFDocument"]["identifier"]
    assert draft.uri == package["CFDocument"]["uri"] and draft.source_format == "case"
    assert draft.last_changed == datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    package["CFDocument"]["lastChangeDateTime"] = "2025-05-01T08:00:00"
    assert read_package(package).last_changed == datetime(2025, 5, 1, 8, tzinfo=UTC)
    package["CFDocument"]["lastChangeDateTime"] = "last Tuesday"
    assert problems_of(package) == [ImportProblem(
        0, "CFDocument.lastChangeDateTime", "'last Tuesday' is not a dateTime")]


def test_other_associations_are_written_back(package: dict[str, Any]) -> None:
    written = write_package(read_package(package), "https://tool.test", WHEN)
    others = {a["identifier"]: a for a in written["CFAssociations"]
              if a["associationType"] != "isChildOf"}
    originals = {a["identifier"]: a for a in package["CFAssociations"]
                 if a["associationType"] != "isChildOf"}
    assert set(others) == set(originals) and len(others) == 4
    for identifier, original in originals.items():
        assert others[identifier]["associationType"] == original["associationType"]
        for end in ("originNodeURI", "destinationNodeURI"):
            assert others[identifier][end]["identifier"] == original[end]["identifier"]
