"""`careerpath import case|csv` and `careerpath export case`, on a throwaway click group."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from lti_tool.cli import interchange
from lti_tool.domain.errors import InvalidInput
from lti_tool.store import Database
from lti_tool.store.models import FrameworkRow
from tests.integration.interop.interchange_support import (
    CASE_FILE,
    MOODLE_FILE,
    ROLES_FILE,
    row_counts,
)
from tests.support.servers import LiveServer

Invoke = Callable[..., Result]


@pytest.fixture
def run(migrated_db: Database, tenant: str, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Invoke a command of a group that has only the interchange commands."""
    monkeypatch.setenv("CAREERPATH_DATABASE_URL",
                       migrated_db.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CAREERPATH_BASE_URL", "https://careerpath.test")
    monkeypatch.setenv("CAREERPATH_OUTBOUND_ALLOW", "127.0.0.1")  # the package server

    @click.group()
    def cli() -> None:
        """A throwaway group."""

    interchange.register(cli)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args))
    return invoke


def test_import_case_file(run: Invoke, migrated_db: Database) -> None:
    result = run("import", "case", str(CASE_FILE), "--tenant", "acme")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith(
        "imported 1 framework (Product Management Career Framework) with 19 competencies "
        "into tenant acme; not stored: the CFItemType of 19 items")
    assert row_counts(migrated_db)["competencies"] == 19


def test_import_csv_by_header_then_roles(run: Invoke, migrated_db: Database) -> None:
    frameworks = run("import", "csv", str(MOODLE_FILE), "--tenant", "acme")
    assert frameworks.exit_code == 0, frameworks.output
    assert "2 frameworks (Data Analytics, Customer Success) with 12 competencies" in \
        frameworks.stdout
    roles = run("import", "csv", str(ROLES_FILE), "--tenant", "acme", "--kind", "roles")
    assert roles.exit_code == 0, roles.output
    assert roles.stdout.strip() == "imported 4 roles and 3 transitions into tenant acme"


def test_problems_exit_2_and_change_nothing(run: Invoke, migrated_db: Database,
                                            tmp_path: Path) -> None:
    package = json.loads(CASE_FILE.read_text())
    package["CFItems"][3]["fullStatement"] = ""
    package["CFAssociations"][0]["originNodeURI"]["identifier"] = "missing-item"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(package))
    before = row_counts(migrated_db)
    result = run("import", "case", str(bad), "--tenant", "acme")
    assert result.exit_code == 2
    assert "row 1, column CFAssociations.originNodeURI: unknown item 'missing-item'" in \
        result.stderr
    assert "row 4, column CFItems.fullStatement: the item has no fullStatement" in result.stderr
    assert row_counts(migrated_db) == before


def test_roles_with_unknown_code_exit_2(run: Invoke, tmp_path: Path) -> None:
    bad = tmp_path / "roles.csv"
    bad.write_text(ROLES_FILE.read_text())
    result = run("import", "csv", str(bad), "--tenant", "acme")
    assert result.exit_code == 2
    assert "row 2, column competency_code: no competency 'DA-SQL' in this tenant" in \
        result.stderr


def test_unrecognised_csv_header(run: Invoke, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("name,level\nx,1\n")
    result = run("import", "csv", str(odd), "--tenant", "acme")
    assert result.exit_code == 2 and "row 1, column header:" in result.stderr


def test_export_case_to_file_and_stdout(run: Invoke, migrated_db: Database,
                                        tmp_path: Path) -> None:
    imported = run("import", "csv", str(MOODLE_FILE), "--tenant", "acme")
    assert imported.exit_code == 0
    with migrated_db.session() as session:
        framework_id = str(min(session.scalars(select(FrameworkRow.id))))
    out = tmp_path / "analytics.json"
    result = run("export", "case", framework_id, "-o", str(out))
    assert result.exit_code == 0, result.output
    # 7 isChildOf and the isRelatedTo of DA-ETL's cross-reference to DA-VIS
    assert f"exported framework {framework_id} (7 items, 8 associations)" in result.stderr
    package = json.loads(out.read_text())
    assert package["CFDocument"]["title"] == "Data Analytics"
    assert package["CFDocument"]["uri"].startswith("https://careerpath.test/ims/case/v1p0/")
    printed = run("export", "case", framework_id)
    assert json.loads(printed.stdout)["CFItems"] == package["CFItems"]


def test_import_case_from_a_url(run: Invoke) -> None:
    body = CASE_FILE.read_bytes()

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        found = environ["PATH_INFO"] == "/pm.json"
        start_response("200 OK" if found else "404 Not Found",
                       [("Content-Type", "application/json")])
        return [body if found else b"{}"]

    server = LiveServer("127.0.0.1").start(app)
    try:
        result = run("import", "case", f"{server.url()}/pm.json", "--tenant", "globex")
        missing = run("import", "case", f"{server.url()}/gone.json", "--tenant", "globex")
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    assert "with 19 competencies into tenant globex" in result.stdout
    assert isinstance(missing.exception, InvalidInput)
    assert "404" in str(missing.exception)
