"""Import problems: where (row, column) and what, gathered before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..domain.errors import InvalidInput


@dataclass(frozen=True, order=True)
class ImportProblem:
    """One thing wrong with an import: a row (1-based, 0 for the whole file), a column, why."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class ImportRejected(InvalidInput):
    """The import was refused and nothing was written; `problems` says where and why.

    A subclass of InvalidInput (a CareerPathError), so the API reports it as invalid input
    with one entry per problem in `errors`.
    """

    code = "import_rejected"

    def __init__(self, problems: Iterable[ImportProblem]) -> None:
        self.problems: list[ImportProblem] = sorted(set(problems))
        count = len(self.problems)
        errors: dict[str, list[str]] = {}
        for problem in self.problems:
            errors.setdefault(f"row {problem.row}, column {problem.column}", []).append(
                problem.message)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found; nothing was "
                         "imported", errors)


def reject_if_any(problems: Iterable[ImportProblem]) -> None:
    """Raise ImportRejected when `problems` is not empty."""
    found = list(problems)
    if found:
        raise ImportRejected(found)
