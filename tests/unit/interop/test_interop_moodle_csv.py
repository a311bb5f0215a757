"""Moodle's competency framework CSV: frameworks, scales, trees and the problems found."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from lti_tool.domain.scales import FOUR_POINT_RUBRIC
from lti_tool.interop.moodle_csv import MOODLE_COLUMNS, plain_text, read_frameworks, read_scale
from lti_tool.interop.problems import ImportProblem, ImportRejected

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "csv" / "moodle_frameworks.csv"
CONFIG = '[{"id":2,"scaledefault":1,"proficient":1},{"id":1,"scaledefault":0,"proficient":0}]'


def moodle_csv(*rows: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MOODLE_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def framework_row(**extra: str) -> dict[str, str]:
    return {"ID number": "FW", "Short name": "Framework", "Is framework": "1", **extra}


def competency(code: str, parent: str = "", **extra: str) -> dict[str, str]:
    return {"ID number": code, "Parent ID number": parent, "Short name": f"Name {code}",
            **extra}


def problems_of(text: str) -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as caught:
        read_frameworks(text)
    return caught.value.problems


def test_fixture_has_two_frameworks_with_their_scales() -> None:
    analytics, success = read_frameworks(FIXTURE.read_text())
    assert analytics.name == "Data Analytics" and success.name == "Customer Success"
    assert [lv.label for lv in analytics.scale.levels] == ["Developing", "Proficient",
                                                          "Advanced"]
    assert [lv.proficient for lv in analytics.scale.levels] == [False, True, True]
    assert analytics.description == "Competencies of the data analyst job family."
    by_code = {c.code: c for c in analytics.competencies}
    assert by_code["DA-SQL-JOIN"].parent_key == "DA-SQL"  # a parent named by a later row
    assert by_code["DA-SQL-JOIN"].description == "Combines tables with joins & aggregates " \
        "results."
    assert by_code["DA-SQL-WIN"].description.startswith("Uses window")
    assert len(analytics.competencies) == 7 and len(success.competencies) == 5
    assert [lv.proficient for lv in success.scale.levels] == [False, False, True, True]


def test_without_a_scale_the_four_point_rubric() -> None:
    (framework,) = read_frameworks(moodle_csv(framework_row(), competency("A")))
    assert framework.scale == FOUR_POINT_RUBRIC


def test_scale_configuration_from_the_brief() -> None:
    scale, problems = read_scale(2, "Not yet,Competent", CONFIG)
    assert not problems and scale is not None
    assert [(lv.value, lv.label, lv.proficient) for lv in scale.levels] == [
        (1, "Not yet", False), (2, "Competent", True)]


@pytest.mark.parametrize("values, configuration, message", [
    ("A,B", "{not json", "not valid JSON"),
    ("A,B", '{"id": 1}', "expected a JSON list of objects"),
    ("A,B", '[{"id": 3, "proficient": 1}]', "not a position"),
    ("A,B", '[{"id": 1, "proficient": 0}]', "no scale value is marked proficient"),
    ("A,B", "", "missing"),
    ("A,,B", CONFIG, "no empty label"),
])
def test_malformed_scale_configuration(values: str, configuration: str, message: str) -> None:
    text = moodle_csv(framework_row(**{"Scale values": values,
                                       "Scale configuration": configuration}))
    (problem,) = problems_of(text)
    assert problem.row == 2 and problem.column in ("Scale configuration", "Scale values")
    assert message in problem.message


def test_tree_problems_name_row_and_column() -> None:
    text = moodle_csv(framework_row(), competency("A"), competency("", "A"),
                      competency("A"), competency("B", "ZZ"), competency("C", "D"),
                      competency("D", "C"))
    found = problems_of(text)
    assert ImportProblem(4, "ID number", "missing ID number") in found
    assert ImportProblem(5, "ID number", "duplicate ID number 'A'") in found
    assert ImportProblem(6, "Parent ID number", "unknown parent 'ZZ'") in found
    assert {p.row for p in found if "cycle" in p.message} == {7, 8}


def test_competency_before_any_framework() -> None:
    (problem,) = problems_of(moodle_csv(competency("A"), framework_row()))
    assert (problem.row, problem.column) == (2, "Is framework")


def test_missing_columns() -> None:
    found = problems_of("ID number,Short name\nA,B\n")
    assert {p.column for p in found} == {"Parent ID number", "Is framework"}
    assert {p.row for p in found} == {1}


def test_plain_text_strips_html() -> None:
    assert plain_text("<p>Joins&nbsp;&amp; <b>unions</b></p><p>Next</p>") == \
        "Joins & unions Next"
