"""Interchange test data: fixture files and row counts."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from lti_tool.store import Database
from lti_tool.store.models import (
    CompetencyRow,
    FrameworkRow,
    RoleRequirementRow,
    RoleRow,
    RoleTransitionRow,
    ScaleLevelRow,
    ScaleRow,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASE_FILE = FIXTURES / "case" / "product_management.json"
MOODLE_FILE = FIXTURES / "csv" / "moodle_frameworks.csv"
ROLES_FILE = FIXTURES / "csv" / "roles.csv"
NEWER = "2025-09-01T10:00:00Z"
COUNTED = (FrameworkRow, CompetencyRow, ScaleRow, ScaleLevelRow, RoleRow, RoleRequirementRow,
           RoleTransitionRow)


def row_counts(database: Database) -> dict[str, int]:
    """How many rows each table an import writes holds."""
    with database.session() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                or 0 for model in COUNTED}


def case_package() -> dict[str, Any]:
    return json.loads(CASE_FILE.read_text())


def case_item(package: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in package["CFItems"] if i["humanCodingScheme"] == code)


def _link(item: dict[str, Any]) -> dict[str, str]:
    return {"title": item["fullStatement"][:40], "identifier": item["identifier"],
            "uri": item["uri"]}


def _parent_link(package: dict[str, Any], code: str) -> dict[str, Any]:
    child = case_item(package, code)["identifier"]
    return next(a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"
                and a["originNodeURI"]["identifier"] == child)


def newer_version(package: dict[str, Any]) -> dict[str, Any]:
    """One item added (under PM.1), one reworded, one moved, one dropped; the title and an
    association changed."""
    new = copy.deepcopy(package)
    new["CFDocument"]["lastChangeDateTime"] = NEWER
    new["CFDocument"]["title"] = "Product Management Career Framework 2025"
    identifier = "a1b2c3d4-0000-4000-8000-0000000000c1"
    added = {**copy.deepcopy(case_item(new, "PM.1.b")), "identifier": identifier,
             "humanCodingScheme": "PM.1.c", "fullStatement": "Retires roadmap items nobody needs.",
             "uri": f"https://frameworks.example.org/ims/case/v1p0/CFItems/{identifier}"}
    added.pop("abbreviatedStatement", None)
    new["CFItems"].append(added)
    new["CFAssociations"].append({
        **copy.deepcopy(_parent_link(new, "PM.1.b")),
        "identifier": "a1b2c3d4-0000-4000-8000-0000000000a1", "originNodeURI": _link(added)})
    case_item(new, "AN.2")["fullStatement"] = "Presents data so that decisions follow from it."
    _parent_link(new, "SM.3")["destinationNodeURI"] = _link(case_item(new, "PM"))
    dropped = case_item(new, "DL.2")["identifier"]
    new["CFItems"] = [i for i in new["CFItems"] if i["identifier"] != dropped]
    new["CFAssociations"] = [a for a in new["CFAssociations"]
                             if dropped not in (a["originNodeURI"]["identifier"],
                                                a["destinationNodeURI"]["identifier"])]
    related = next(a for a in new["CFAssociations"] if a["associationType"] == "isRelatedTo")
    related["associationType"] = "precedes"
    return new
