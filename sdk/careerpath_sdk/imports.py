"""Imports of frameworks (CASE 1.0, Moodle CSV) and roles (CSV) into the key's tenant."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from . import models
from .errors import ValidationError
from .transport import Reply, Transport

PROBLEM_KEY = re.compile(r"^row (\d+), column (.*)$")


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an import: the row (CSV: the header is row 1; CASE: 0 is the
    CFDocument, else the position in CFItems or CFAssociations), the column, and why."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class ImportRejected(ValidationError):
    """422 `import_rejected`: the import was refused and nothing was written; `problems`
    lists each one (also in `errors`, keyed `row R, column C`)."""

    @property
    def problems(self) -> list[ImportProblem]:
        found = []
        for key, messages in self.errors.items():
            match = PROBLEM_KEY.match(key)
            row, column = (int(match[1]), match[2]) if match else (0, key)
            for message in messages if isinstance(messages, list) else [messages]:
                found.append(ImportProblem(row, column, str(message)))
        return sorted(found, key=lambda p: (p.row, p.column, p.message))


class Imports:
    """Imports need the write scope; each checks everything before writing anything."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def case(self, package: dict[str, Any] | None = None, *,
             url: str | None = None) -> models.ImportSummary:
        """POST /api/v1/imports/case: a CASE 1.0 CFPackage (a dict), or `url=` for the tool
        to fetch one over http(s). Raises ImportRejected with the problems."""
        if (package is None) == (url is None):
            raise TypeError("give either a CFPackage or url=, not both")
        body = {"url": url} if package is None else package
        return _summary(lambda: self._t.request("POST", "/imports/case", json=body))

    def csv(self, text_or_path: str | PathLike[str], kind: str | None = None
            ) -> models.ImportSummary:
        """POST /api/v1/imports/csv?kind=frameworks|roles with the CSV as text/csv: CSV text,
        or the path of a CSV file (a str with no newline that names an existing file, or a
        Path). `kind` None: the tool tells it from the header row. Raises ImportRejected."""
        text = _csv_text(text_or_path)
        params = {} if kind is None else {"kind": kind}
        return _summary(lambda: self._t.request(
            "POST", "/imports/csv", params=params, data=text.encode("utf-8"),
            content_type="text/csv; charset=utf-8"))


def _csv_text(text_or_path: str | PathLike[str]) -> str:
    if isinstance(text_or_path, PathLike):
        return Path(text_or_path).read_text(encoding="utf-8-sig")
    if "\n" not in text_or_path and Path(text_or_path).is_file():
        return Path(text_or_path).read_text(encoding="utf-8-sig")
    return text_or_path


def _summary(call: Callable[[], Reply]) -> models.ImportSummary:
    try:
        reply = call()
    except ValidationError as exc:
        if exc.code != "import_rejected":
            raise
        raise ImportRejected(exc.message, status=exc.status, code=exc.code, errors=exc.errors,
                             body=exc.body, headers=exc.headers,
                             request_id=exc.request_id) from None
    return models.ImportSummary.from_json(reply.body)
