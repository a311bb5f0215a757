"""Moodle's own framework files: its fixture (2015 column names), a current export, and a
header in another language read by position as Moodle's importer reads it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from lti_tool.interop.moodle_csv import (
    MOODLE_COLUMNS,
    is_moodle_header,
    moodle_columns,
    read_frameworks,
)
from lti_tool.interop.problems import ImportRejected

MOODLE = Path(__file__).resolve().parents[2] / "fixtures" / "csv" / "moodle"


def text_of(name: str) -> str:
    return (MOODLE / name).read_text(encoding="utf-8")


def test_moodles_own_fixture_reads_as_moodle_imports_it() -> None:
    (framework,) = read_frameworks(text_of("example.csv"))
    assert (framework.identifier, framework.name) == ("OECD-CORE", "OECD")
    assert len(framework.competencies) == 64  # what Moodle's import_test.php asserts
    assert [(lv.label, lv.proficient) for lv in framework.scale.levels] == [
        ("Not yet competent", False), ("Competent", True)]
    by_code = {c.code: c for c in framework.competencies}
    assert by_code["levels"].parent_key is None and by_code["competencies"].parent_key is None
    assert by_code["level-3"].parent_key == "levels"
    assert by_code["DR-AT1"].parent_key == "analytical-thinking"
    assert by_code["analytical-thinking"].parent_key == "delivery"
    assert by_code["delivery"].name == "Delivery-related"
    assert by_code["analytical-thinking"].description.startswith(
        "Analytical Thinking is the ability to identify patterns across situations")
    assert "<" not in by_code["strategic-thinking"].description


def test_fixture_header_is_found_by_name_despite_old_spelling() -> None:
    header = next(csv.reader(io.StringIO(text_of("example.csv"))))
    assert header[:3] == ["Parent id number", "Id number", "Shortname"]
    columns = moodle_columns(header)
    assert columns == {column: n for n, column in enumerate(MOODLE_COLUMNS)}


def test_current_export_with_child_before_parent() -> None:
    (framework,) = read_frameworks(text_of("current_export.csv"))
    assert framework.name == "Data analyst"
    assert [lv.proficient for lv in framework.scale.levels] == [False, True, True]
    by_code = {c.code: c for c in framework.competencies}
    assert set(by_code) == {"DA-SQL", "DA-SQL-JOIN", "DA-VIS,CHARTS", "DA-VIS-DASH"}
    assert by_code["DA-SQL-JOIN"].parent_key == "DA-SQL"
    assert by_code["DA-VIS-DASH"].parent_key == "DA-VIS,CHARTS"
    codes = [c.code for c in framework.competencies]
    assert codes.index("DA-SQL") < codes.index("DA-SQL-JOIN")


def test_header_in_another_language_is_read_by_position() -> None:
    (framework,) = read_frameworks(text_of("french_header.csv"))
    assert (framework.identifier, framework.name) == ("DATA-2026", "Analyste de données")
    assert {c.code: c.parent_key for c in framework.competencies} == {
        "DA-SQL": None, "DA-SQL-JOIN": "DA-SQL"}
    assert [lv.label for lv in framework.scale.levels] == ["Pas encore compétent", "Compétent"]


@pytest.mark.parametrize("header", [
    ["  PARENT ID NUMBER", "id-number", "Short   name", "Is Framework"],
    ["Is framework", "Id number", "Shortname", "Parent id number", "Description"],
])
def test_names_match_in_any_case_spacing_and_order(header: list[str]) -> None:
    columns = moodle_columns(header)
    assert columns is not None
    assert header[columns["ID number"]].lower().replace("-", " ").strip() == "id number"
    assert header[columns["Is framework"]].lower() == "is framework"


def test_columns_moved_by_name_are_read_from_where_they_are() -> None:
    text = ("Is framework,Shortname,Id number,Parent id number\n"
            "1,Framework,FW,\n,Child,B,A\n,Root,A,\n")
    (framework,) = read_frameworks(text)
    assert {c.code: (c.name, c.parent_key) for c in framework.competencies} == {
        "A": ("Root", None), "B": ("Child", "A")}


@pytest.mark.parametrize("header", [
    [f"Spalte {n}" for n in range(13)],                  # not Moodle's 14 columns
    ["x"] * 13 + [""],                                   # an empty name
    ["Description", *(f"Spalte {n}" for n in range(13))],  # a known name out of place
    ["role", "competency_code", "required_level"],
])
def test_other_headers_are_not_moodles(header: list[str]) -> None:
    assert not is_moodle_header(header)
    with pytest.raises(ImportRejected):
        read_frameworks(",".join(header) + "\n" + ",".join("1" for _ in header) + "\n")


def test_a_foreign_header_still_needs_a_framework_row() -> None:
    header = [f"Spalte {n}" for n in range(14)]
    rows = [",".join(header), ",A,Name" + "," * 11]
    with pytest.raises(ImportRejected) as caught:
        read_frameworks("\n".join(rows) + "\n")
    assert caught.value.problems[0].column == "Is framework"


def test_cross_references_become_related_associations_once_per_pair() -> None:
    text = ("Parent ID number,ID number,Short name,Cross-referenced competency ID numbers,"
            "Is framework\n"
            ",FW,Framework,,1\n"
            ",A,Alpha,\"B,C%2CD,NOPE\",\n"
            ",B,Beta,A,\n"
            ",\"C,D\",Gamma,,\n")
    (framework,) = read_frameworks(text)
    assert [(a.association_type, a.origin, a.destination, a.row)
            for a in framework.associations] == [
        ("isRelatedTo", "A", "B", 3), ("isRelatedTo", "A", "C,D", 3)]


def test_moodles_fixture_cross_references() -> None:
    (framework,) = read_frameworks(text_of("example.csv"))
    related = {(a.origin, a.destination) for a in framework.associations}
    assert len(related) == 39 and ("level-1", "DR-AT1") in related
    assert {a.association_type for a in framework.associations} == {"isRelatedTo"}
