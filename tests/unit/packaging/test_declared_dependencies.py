"""Every third-party package the tool imports is declared in pyproject.toml."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ("lti_tool", "widgets", "migrations")
OWN = {"lti_tool", "widgets", "careerpath_migrations", "careerpath_static", "__future__"}


def _imported_top_level_names() -> dict[str, str]:
    """Top-level module name -> one file importing it, over the code the wheel ships."""
    found: dict[str, str] = {}
    for folder in SHIPPED:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return {name: where for name, where in found.items()
            if name not in sys.stdlib_module_names and name not in OWN}


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra, listed in project["optional-dependencies"].items():
        if extra != "test":  # the tool may import an optional service client, never a test tool
            requirements += listed
    return {_normal(re.split(r"[\[<>=!~; ]", item, maxsplit=1)[0]) for item in requirements}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_package_is_declared() -> None:
    distributions = packages_distributions()
    declared = _declared()
    missing = {}
    for module, where in _imported_top_level_names().items():
        providers = {_normal(d) for d in distributions.get(module, [module])}
        if not providers & declared:
            missing[module] = (sorted(providers), where)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_the_check_sees_the_imports_it_must() -> None:
    imported = _imported_top_level_names()
    assert {"flask", "click", "sqlalchemy", "jwt", "pylti1p3"} <= set(imported)
    assert "click" in {_normal(d) for d in packages_distributions()["click"]} & _declared()
