"""Interchange test data: fixture files and row counts."""

from __future__ import annotations

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
COUNTED = (FrameworkRow, CompetencyRow, ScaleRow, ScaleLevelRow, RoleRow, RoleRequirementRow,
           RoleTransitionRow)


def row_counts(database: Database) -> dict[str, int]:
    """How many rows each table an import writes holds."""
    with database.session() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                or 0 for model in COUNTED}


def case_package() -> dict[str, Any]:
    return json.loads(CASE_FILE.read_text())
