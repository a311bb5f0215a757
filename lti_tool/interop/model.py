"""The neutral interchange model: drafts of frameworks and roles, whatever the file format.

Readers (CASE, Moodle CSV, roles CSV) turn a file into drafts and problems; the import use
case checks the drafts against the tenant and writes them; the CASE writer turns a draft
built from the database back into a package.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from ..domain.scales import FOUR_POINT_RUBRIC, ProficiencyScale
from .problems import ImportProblem

CODE_LIMIT = 128
NAME_LIMIT = 255
T = TypeVar("T")


@dataclass(frozen=True)
class CompetencyDraft:
    """A competency to import; `key` is its id within the source, `parent_key` its parent's."""

    key: str
    code: str
    name: str
    description: str = ""
    parent_key: str | None = None
    source_identifier: str | None = None
    item_type: str = ""
    row: int = 0


@dataclass(frozen=True)
class AssociationDraft:
    """A CASE association other than isChildOf (isRelatedTo, precedes, exactMatchOf, ...):
    stored with the framework and exported again; origin and destination are identifiers."""

    identifier: str
    association_type: str
    origin: str
    destination: str
    row: int = 0
    origin_uri: str = ""
    destination_uri: str = ""


@dataclass(frozen=True)
class FrameworkDraft:
    """A framework to import or export: competencies are ordered parents first.

    From a CASE package, `identifier`, `uri` and `last_changed` are the CFDocument's
    identifier, uri and lastChangeDateTime and `source_format` is "case"; a newer version
    of the same document updates the framework it was imported as.
    """

    name: str
    scale: ProficiencyScale = FOUR_POINT_RUBRIC
    competencies: tuple[CompetencyDraft, ...] = ()
    description: str = ""
    source_uri: str | None = None
    identifier: str = ""
    creator: str = ""
    associations: tuple[AssociationDraft, ...] = ()
    row: int = 0
    name_column: str = "name"
    uri: str = ""
    last_changed: datetime | None = None
    source_format: str = ""


@dataclass(frozen=True)
class RequirementDraft:
    """A competency a role needs, named by code (and framework when codes repeat)."""

    code: str
    required_level: float
    weight: float = 1.0
    minimum_level: float | None = None
    framework: str = ""
    row: int = 0


@dataclass(frozen=True)
class TransitionDraft:
    """A move from one role to another, by role name."""

    from_role: str
    to_role: str
    kind: str = "upward"
    row: int = 0


@dataclass(frozen=True)
class RoleDraft:
    """A role blueprint to import, with its requirements by competency code."""

    name: str
    family: str = ""
    threshold: float = 0.8
    requirements: tuple[RequirementDraft, ...] = ()
    row: int = 0


@dataclass(frozen=True)
class LatticeDraft:
    """Roles and the transitions between them, as read from a roles file."""

    roles: tuple[RoleDraft, ...] = ()
    transitions: tuple[TransitionDraft, ...] = field(default_factory=tuple)


def parent_first(competencies: Sequence[CompetencyDraft]
                 ) -> tuple[list[CompetencyDraft], list[CompetencyDraft]]:
    """The competencies ordered parents before children (file order kept among equals),
    and those never reached from a root: they are in, or hang from, a cycle."""
    placed: set[str] = set()
    ordered: list[CompetencyDraft] = []
    pending = list(competencies)
    while pending:
        ready = [c for c in pending if c.parent_key is None or c.parent_key in placed]
        if not ready:
            break
        ordered.extend(ready)
        placed.update(c.key for c in ready)
        pending = [c for c in pending if c.key not in placed]
    return ordered, pending


def cycle_problems(stuck: Iterable[CompetencyDraft], column: str) -> list[ImportProblem]:
    """One problem per competency that a cycle of parents keeps from the tree."""
    return [ImportProblem(c.row, column, f"{c.key!r} is in a cycle of parents "
                          "(or below one)") for c in stuck]


def duplicate_problems(items: Iterable[T], value: Callable[[T], str], row: Callable[[T], int],
                       column: str, what: str) -> list[ImportProblem]:
    """A problem for every repeat of a value after its first use."""
    seen: Counter[str] = Counter()
    problems = []
    for item in items:
        key = value(item)
        if key and seen[key]:
            problems.append(ImportProblem(row(item), column, f"duplicate {what} {key!r}"))
        seen[key] += 1
    return problems


def long_code_problems(competencies: Iterable[CompetencyDraft], column: str
                       ) -> list[ImportProblem]:
    """Codes must fit the store."""
    return [ImportProblem(c.row, column, f"longer than {CODE_LIMIT} characters")
            for c in competencies if len(c.code) > CODE_LIMIT]


def shortened(text: str, limit: int = NAME_LIMIT) -> str:
    """`text` cut to `limit` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
