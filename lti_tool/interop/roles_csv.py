"""Role blueprints and the career lattice from a CSV file: one row per role requirement.

Columns (header names, any order; only `role` is required):

| column          | meaning                                                         | default |
|-----------------|-----------------------------------------------------------------|---------|
| role            | the role's name (rows with the same name make one role)         | -       |
| family          | the role family, e.g. "Product"                                 | empty   |
| threshold       | overall readiness threshold, a number in (0, 1], e.g. 0.8       | 0.8     |
| competency_code | code (ID number) of a competency in the tenant's frameworks     | none    |
| framework       | framework name, needed only when a code is in two frameworks    | empty   |
| required_level  | the level the role needs, on that framework's scale             | -       |
| weight          | the requirement's weight in the readiness score (> 0)           | 1       |
| minimum_level   | a gate: no readiness below this level (0 < minimum <= required) | none    |
| next_role       | a role this one leads to (in the file or already in the tenant) | none    |
| transition_kind | `upward` or `lateral`                                           | upward  |

A role's family and threshold may be given on any of its rows, but must agree when repeated.
A row may carry only a transition (no competency_code). Roles that already exist in the
tenant are refused. Rows are counted as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .model import LatticeDraft, RequirementDraft, RoleDraft, TransitionDraft
from .problems import ImportProblem, reject_if_any

ROLE, FAMILY, THRESHOLD, CODE, FRAMEWORK = (
    "role", "family", "threshold", "competency_code", "framework")
REQUIRED, WEIGHT, MINIMUM, NEXT, KIND = (
    "required_level", "weight", "minimum_level", "next_role", "transition_kind")
ROLE_COLUMNS = (ROLE, FAMILY, THRESHOLD, CODE, FRAMEWORK, REQUIRED, WEIGHT, MINIMUM, NEXT, KIND)
KINDS = ("upward", "lateral")
DEFAULT_THRESHOLD = 0.8


def is_roles_header(header: Sequence[str]) -> bool:
    """Whether a CSV header is the roles format."""
    names = {name.strip().lower() for name in header}
    return ROLE in names and bool(names & {CODE, NEXT})


@dataclass
class _Role:
    """A role being read: the first row naming it and what its rows said."""

    row: int
    family: tuple[str, int] | None = None
    threshold: tuple[float, int] | None = None
    requirements: list[RequirementDraft] = field(default_factory=list)


def read_roles(text: str) -> LatticeDraft:
    """Roles and transitions from a roles CSV; ImportRejected lists every problem."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    reject_if_any([ImportProblem(1, ROLE, "missing column")] if ROLE not in header else [])
    roles: dict[str, _Role] = {}
    transitions: list[TransitionDraft] = []
    problems: list[ImportProblem] = []
    for row, raw in enumerate(reader, start=2):
        record = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()
                  if isinstance(v, str)}
        if not any(record.values()):
            continue
        name = record.get(ROLE, "")
        if not name:
            problems.append(ImportProblem(row, ROLE, "missing role name"))
            continue
        role = roles.setdefault(name, _Role(row))
        problems += _role_fields(row, record, role)
        problems += _requirement(row, record, role)
        problems += _transition(row, record, name, transitions)
    reject_if_any(problems)
    return LatticeDraft(roles=tuple(_draft(name, role) for name, role in roles.items()),
                        transitions=tuple(transitions))


def _draft(name: str, role: _Role) -> RoleDraft:
    return RoleDraft(name=name, family=role.family[0] if role.family else "",
                     threshold=role.threshold[0] if role.threshold else DEFAULT_THRESHOLD,
                     requirements=tuple(role.requirements), row=role.row)


def _role_fields(row: int, record: Mapping[str, str], role: _Role) -> list[ImportProblem]:
    """Family and threshold: given once, or the same on every row that gives them."""
    problems = []
    family = record.get(FAMILY, "")
    if family and role.family and role.family[0] != family:
        problems.append(ImportProblem(row, FAMILY, f"differs from {role.family[0]!r} on row "
                                      f"{role.family[1]}"))
    elif family and not role.family:
        role.family = (family, row)
    threshold, found = _number(row, record, THRESHOLD)
    problems += found
    if threshold is not None and not 0 < threshold <= 1:
        problems.append(ImportProblem(row, THRESHOLD, "must be above 0 and at most 1 "
                                      "(0.8 means 80%)"))
    elif threshold is not None and role.threshold and role.threshold[0] != threshold:
        problems.append(ImportProblem(row, THRESHOLD, f"differs from {role.threshold[0]} on "
                                      f"row {role.threshold[1]}"))
    elif threshold is not None and not role.threshold:
        role.threshold = (threshold, row)
    return problems


def _requirement(row: int, record: Mapping[str, str], role: _Role) -> list[ImportProblem]:
    """The row's requirement, if it names a competency."""
    code = record.get(CODE, "")
    if not code:
        given = [c for c in (REQUIRED, WEIGHT, MINIMUM) if record.get(c)]
        return [ImportProblem(row, CODE, f"{given[0]} is given without a competency_code")
                ] if given else []
    required, problems = _number(row, record, REQUIRED, needed=True)
    weight, found = _number(row, record, WEIGHT)
    minimum, more = _number(row, record, MINIMUM)
    problems += found + more
    if required is not None and required <= 0:
        problems.append(ImportProblem(row, REQUIRED, "must be above 0"))
    if weight is not None and weight <= 0:
        problems.append(ImportProblem(row, WEIGHT, "must be above 0"))
    if minimum is not None and required is not None and not 0 < minimum <= required:
        problems.append(ImportProblem(row, MINIMUM, "must be above 0 and at most "
                                      "required_level"))
    framework = record.get(FRAMEWORK, "")
    if any(r.code == code and r.framework == framework for r in role.requirements):
        problems.append(ImportProblem(row, CODE, f"the role already requires {code!r}"))
    if not problems and required is not None:
        role.requirements.append(RequirementDraft(
            code=code, required_level=required, weight=1.0 if weight is None else weight,
            minimum_level=minimum, framework=framework, row=row))
    return problems


def _transition(row: int, record: Mapping[str, str], role: str,
                transitions: list[TransitionDraft]) -> list[ImportProblem]:
    """The row's transition to `next_role`, if any."""
    target, kind = record.get(NEXT, ""), record.get(KIND, "").lower()
    if not target:
        return [ImportProblem(row, KIND, "given without a next_role")] if kind else []
    if kind and kind not in KINDS:
        return [ImportProblem(row, KIND, f"must be one of {', '.join(KINDS)}")]
    if target == role:
        return [ImportProblem(row, NEXT, "a role cannot lead to itself")]
    if any(t.from_role == role and t.to_role == target for t in transitions):
        return [ImportProblem(row, NEXT, f"{role!r} already leads to {target!r}")]
    transitions.append(TransitionDraft(role, target, kind or KINDS[0], row))
    return []


def _number(row: int, record: Mapping[str, str], column: str, needed: bool = False
            ) -> tuple[float | None, list[ImportProblem]]:
    """A decimal number from a cell (None when empty)."""
    text = record.get(column, "")
    if not text:
        return None, [ImportProblem(row, column, "missing")] if needed else []
    try:
        return float(text.replace(",", ".")), []
    except ValueError:
        return None, [ImportProblem(row, column, f"{text!r} is not a number")]


@dataclass(frozen=True)
class CompetencyChoice:
    """A competency a code can name: its framework, id and the top of its scale."""

    framework: str
    competency_id: str
    top_level: int


def resolve_requirements(lattice: LatticeDraft,
                         catalogue: Mapping[str, Sequence[CompetencyChoice]]
                         ) -> tuple[dict[int, str], list[ImportProblem]]:
    """The competency id of each requirement (by row), and the codes that do not resolve."""
    chosen: dict[int, str] = {}
    problems: list[ImportProblem] = []
    for requirement in (r for role in lattice.roles for r in role.requirements):
        choices = [c for c in catalogue.get(requirement.code, ())
                   if not requirement.framework or c.framework == requirement.framework]
        where = f" in framework {requirement.framework!r}" if requirement.framework else ""
        if not choices:
            problems.append(ImportProblem(requirement.row, CODE, f"no competency "
                                          f"{requirement.code!r}{where} in this tenant"))
        elif len(choices) > 1:
            names = ", ".join(sorted(c.framework for c in choices))
            problems.append(ImportProblem(requirement.row, FRAMEWORK, f"{requirement.code!r} "
                                          f"is in several frameworks ({names}): name one"))
        elif requirement.required_level > choices[0].top_level:
            problems.append(ImportProblem(requirement.row, REQUIRED, "above the top level "
                                          f"({choices[0].top_level}) of the scale of "
                                          f"{choices[0].framework!r}"))
        else:
            chosen[requirement.row] = choices[0].competency_id
    return chosen, problems


def lattice_problems(lattice: LatticeDraft, existing_roles: set[str]) -> list[ImportProblem]:
    """Roles that already exist, and transitions to roles that nowhere exist."""
    named = {role.name for role in lattice.roles}
    problems = [ImportProblem(role.row, ROLE, f"role {role.name!r} already exists in this "
                              "tenant") for role in lattice.roles if role.name in existing_roles]
    problems += [ImportProblem(t.row, NEXT, f"unknown role {t.to_role!r}")
                 for t in lattice.transitions if t.to_role not in named | existing_roles]
    return problems
