"""The roles CSV: roles, requirements and transitions, and the problems found."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from lti_tool.interop.problems import ImportProblem, ImportRejected
from lti_tool.interop.roles_csv import (
    ROLE_COLUMNS,
    CompetencyChoice,
    lattice_problems,
    read_roles,
    resolve_requirements,
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "csv" / "roles.csv"


def roles_csv(*rows: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ROLE_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def problems_of(text: str) -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as caught:
        read_roles(text)
    return caught.value.problems


def test_fixture_roles_and_transitions() -> None:
    lattice = read_roles(FIXTURE.read_text())
    names = [r.name for r in lattice.roles]
    assert names == ["Data Analyst", "Senior Analyst", "Support Representative",
                     "Customer Success Manager"]
    analyst = lattice.roles[0]
    assert (analyst.family, analyst.threshold) == ("Analytics", 0.75)
    assert [(r.code, r.required_level, r.weight, r.minimum_level)
            for r in analyst.requirements][0] == ("DA-SQL", 2.0, 0.4, 1.0)
    assert [(t.from_role, t.to_role, t.kind) for t in lattice.transitions] == [
        ("Data Analyst", "Senior Analyst", "upward"),
        ("Support Representative", "Customer Success Manager", "lateral"),
        ("Customer Success Manager", "Data Analyst", "lateral")]


def test_defaults() -> None:
    lattice = read_roles(roles_csv({"role": "R", "competency_code": "A",
                                    "required_level": "2"}))
    role = lattice.roles[0]
    assert (role.threshold, role.family, role.requirements[0].weight) == (0.8, "", 1.0)


@pytest.mark.parametrize("row, column, message", [
    ({"role": "", "competency_code": "A"}, "role", "missing role name"),
    ({"role": "R", "threshold": "80"}, "threshold", "at most 1"),
    ({"role": "R", "threshold": "x"}, "threshold", "not a number"),
    ({"role": "R", "competency_code": "A"}, "required_level", "missing"),
    ({"role": "R", "competency_code": "A", "required_level": "2", "weight": "0"}, "weight",
     "above 0"),
    ({"role": "R", "competency_code": "A", "required_level": "2", "minimum_level": "3"},
     "minimum_level", "at most required_level"),
    ({"role": "R", "required_level": "2"}, "competency_code", "without a competency_code"),
    ({"role": "R", "next_role": "S", "transition_kind": "down"}, "transition_kind", "one of"),
    ({"role": "R", "transition_kind": "lateral"}, "transition_kind", "without a next_role"),
    ({"role": "R", "next_role": "R"}, "next_role", "itself"),
])
def test_row_problems(row: dict[str, str], column: str, message: str) -> None:
    (problem,) = problems_of(roles_csv(row))
    assert (problem.row, problem.column) == (2, column) and message in problem.message


def test_conflicting_role_fields_and_repeats() -> None:
    found = problems_of(roles_csv(
        {"role": "R", "family": "A", "threshold": "0.7", "competency_code": "X",
         "required_level": "1"},
        {"role": "R", "family": "B", "threshold": "0.9", "competency_code": "X",
         "required_level": "2"}))
    assert {(p.row, p.column) for p in found} == {(3, "family"), (3, "threshold"),
                                                  (3, "competency_code")}


def test_resolution_against_the_tenant() -> None:
    lattice = read_roles(roles_csv(
        {"role": "R", "competency_code": "A", "required_level": "2"},
        {"role": "R", "competency_code": "B", "required_level": "2"},
        {"role": "R", "competency_code": "C", "required_level": "5"},
        {"role": "R", "competency_code": "D", "required_level": "1"},
        {"role": "R", "competency_code": "B", "framework": "F2", "required_level": "1",
         "next_role": "Nowhere"}))
    catalogue = {
        "A": [CompetencyChoice("F1", "1", 4)],
        "B": [CompetencyChoice("F1", "2", 4), CompetencyChoice("F2", "3", 3)],
        "C": [CompetencyChoice("F1", "4", 4)]}
    chosen, problems = resolve_requirements(lattice, catalogue)
    assert chosen == {2: "1", 6: "3"}
    assert {(p.row, p.column) for p in problems} == {
        (3, "framework"), (4, "required_level"), (5, "competency_code")}
    assert {(p.row, p.column) for p in lattice_problems(lattice, {"R"})} == {
        (2, "role"), (6, "next_role")}
