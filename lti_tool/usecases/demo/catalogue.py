"""The demo organisation's content: two frameworks, anchors per level, roles and moves.

The data is `lti_tool/demo_data/catalogue.json` (shipped in the wheel, read through
importlib.resources); this module reads and checks it, and `demo.seed` stores it. Anchors
are listed from the scale's lowest level up.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from ...domain.errors import ConfigurationError


@dataclass(frozen=True)
class CompetencySpec:
    code: str
    name: str
    description: str
    anchors: tuple[str, ...] = ()
    badge_level: int | None = None


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str
    description: str
    children: tuple[CompetencySpec, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    name: str
    description: str
    scale_key: str
    calculation: str
    groups: tuple[GroupSpec, ...]


@dataclass(frozen=True)
class RoleSpec:
    """Requirements are (competency code, required level, weight %, minimum level or None)."""

    name: str
    family: str
    threshold: float
    description: str
    requirements: tuple[tuple[str, float, float, float | None], ...]


@dataclass(frozen=True)
class DemoCatalogue:
    frameworks: tuple[FrameworkSpec, ...]
    roles: tuple[RoleSpec, ...]
    transitions: tuple[tuple[str, str, str], ...]  # from role, to role, "upward" | "lateral"


DATA_PACKAGE, DATA_FILE = "lti_tool", "demo_data/catalogue.json"
TRANSITION_KINDS = ("upward", "lateral")
T = TypeVar("T")


class BadDemoData(ConfigurationError):
    """The demo catalogue file is not what the loader expects (the message says where)."""


@lru_cache(maxsize=1)
def demo_catalogue() -> DemoCatalogue:
    """The demo catalogue from the installed data file, checked."""
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_demo_catalogue(text, DATA_FILE)


def parse_demo_catalogue(text: str, source: str = "demo catalogue") -> DemoCatalogue:
    """Read the demo catalogue from JSON text; BadDemoData names the first wrong field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadDemoData(f"{source} is not valid JSON: {exc}") from None
    top = _Fields(data, source, {"$comment", "frameworks", "roles", "transitions"})
    frameworks = tuple(top.items("frameworks", _framework))
    codes = {g.code for f in frameworks for g in f.groups} | {
        c.code for f in frameworks for g in f.groups for c in g.children}
    roles = tuple(top.items("roles", lambda value, where: _role(value, where, codes)))
    names = {r.name for r in roles}
    transitions = tuple(top.items("transitions",
                                  lambda value, where: _transition(value, where, names)))
    return DemoCatalogue(frameworks, roles, transitions)


class _Fields:
    """One JSON object of the file, read field by field with its place for errors."""

    def __init__(self, value: object, where: str, allowed: set[str]) -> None:
        if not isinstance(value, dict):
            raise BadDemoData(f"{where}: expected an object")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise BadDemoData(f"{where}: unknown field {unknown[0]!r}")
        self.value: dict[str, Any] = value
        self.where = where

    def _get(self, name: str, kind: type[T] | tuple[type, ...], label: str,
             optional: bool = False) -> Any:
        if name not in self.value:
            if optional:
                return None
            raise BadDemoData(f"{self.where}.{name}: missing")
        found = self.value[name]
        if not isinstance(found, kind) or isinstance(found, bool):
            raise BadDemoData(f"{self.where}.{name}: expected {label}")
        return found

    def text(self, name: str) -> str:
        found: str = self._get(name, str, "text")
        if not found.strip():
            raise BadDemoData(f"{self.where}.{name}: empty")
        return found

    def number(self, name: str) -> float:
        return float(self._get(name, (int, float), "a number"))

    def level(self, name: str) -> int | None:
        found: int | None = self._get(name, int, "a whole number", optional=True)
        return found

    def items(self, name: str, read: Callable[[object, str], T]) -> list[T]:
        found: list[object] = self._get(name, list, "a list")
        return [read(item, f"{self.where}.{name}[{i}]") for i, item in enumerate(found)]


def _framework(value: object, where: str) -> FrameworkSpec:
    f = _Fields(value, where, {"name", "description", "scale_key", "calculation", "groups"})
    return FrameworkSpec(f.text("name"), f.text("description"), f.text("scale_key"),
                         f.text("calculation"), tuple(f.items("groups", _group)))


def _group(value: object, where: str) -> GroupSpec:
    f = _Fields(value, where, {"code", "name", "description", "competencies"})
    return GroupSpec(f.text("code"), f.text("name"), f.text("description"),
                     tuple(f.items("competencies", _competency)))


def _competency(value: object, where: str) -> CompetencySpec:
    f = _Fields(value, where, {"code", "name", "description", "anchors", "badge_level"})
    anchors = f.items("anchors", _text)
    return CompetencySpec(f.text("code"), f.text("name"), f.text("description"),
                          tuple(anchors), f.level("badge_level"))


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadDemoData(f"{where}: expected text")
    return value


def _role(value: object, where: str, codes: set[str]) -> RoleSpec:
    f = _Fields(value, where, {"name", "family", "threshold", "description", "requirements"})
    requirements = f.items("requirements", lambda item, at: _requirement(item, at, codes))
    return RoleSpec(f.text("name"), f.text("family"), f.number("threshold"),
                    f.text("description"), tuple(requirements))


def _requirement(value: object, where: str,
                 codes: set[str]) -> tuple[str, float, float, float | None]:
    if not (isinstance(value, list) and len(value) == 4 and isinstance(value[0], str)
            and all(_is_number(v) for v in value[1:3])
            and (value[3] is None or _is_number(value[3]))):
        raise BadDemoData(f"{where}: expected [competency code, required level, weight %, "
                          "minimum level or null]")
    if value[0] not in codes:
        raise BadDemoData(f"{where}: no competency has the code {value[0]!r}")
    minimum = None if value[3] is None else float(value[3])
    return value[0], float(value[1]), float(value[2]), minimum


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _transition(value: object, where: str, names: set[str]) -> tuple[str, str, str]:
    f = _Fields(value, where, {"from", "to", "kind"})
    source, target, kind = f.text("from"), f.text("to"), f.text("kind")
    for name, role in (("from", source), ("to", target)):
        if role not in names:
            raise BadDemoData(f"{where}.{name}: no role is named {role!r}")
    if kind not in TRANSITION_KINDS:
        raise BadDemoData(f"{where}.kind: expected one of {', '.join(TRANSITION_KINDS)}")
    return source, target, kind
