"""Competency frameworks in the CSV column set of Moodle's tool_lpimportcsv.

Columns: Parent ID number, ID number, Short name, Description, Description format, Scale
values, Scale configuration, Rule type (optional), Rule outcome (optional), Rule config
(optional), Cross-referenced competency ID numbers, Exported ID (optional), Is framework,
Taxonomy. Unlike Moodle, one file may hold several frameworks.

Columns are found the way Moodle's importer (admin/tool/lpimportcsv) finds them, which reads
them by position (its default mapping is the order above, and its confirmation form lets a
person pick a column for each field): here by name in any order when the header names them,
ignoring case, spacing and punctuation and so accepting the names of older Moodle versions
and of Moodle's own fixtures (`Id number`, `Shortname`, `Cross referenced competency id numbers`,
`Exported id (optional)`, ...); else, for a header of Moodle's 14 columns in another language,
by Moodle's default positions.

- A row with "Is framework" = 1 starts a framework: Short name -> name, Description ->
  description, "Scale values" (comma-separated labels, lowest first) and "Scale
  configuration" (JSON: [{"scaleid": ..}, {"id": 1, "scaledefault": 1, "proficient": 1}, ..]
  where `id` is the 1-based position in Scale values) -> a tenant scale with those labels
  and proficient flags. With neither, the framework uses the 4-point rubric.
- Other rows are competencies of the framework above them: ID number -> code, Parent ID
  number -> parent (may name a later row; empty for a root), Short name -> name,
  Description -> description (HTML stripped when Description format is 1).
- "Cross-referenced competency ID numbers" (comma-separated, a comma inside an ID number
  written %2C) -> `isRelatedTo` associations, once per pair, as Moodle's related
  competencies are symmetric; an ID number the framework does not hold is skipped, as
  Moodle skips it.
- Rules, exported ids and taxonomies are read by Moodle only: ignored.

Rows are counted as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from html import unescape
from html.parser import HTMLParser
from typing import Any

from ..domain.scales import FOUR_POINT_RUBRIC, ProficiencyLevel, ProficiencyScale
from .model import (
    AssociationDraft,
    CompetencyDraft,
    FrameworkDraft,
    cycle_problems,
    duplicate_problems,
    long_code_problems,
    parent_first,
    shortened,
)
from .problems import ImportProblem, reject_if_any

PARENT, ID, NAME, DESCRIPTION, FORMAT = (
    "Parent ID number", "ID number", "Short name", "Description", "Description format")
SCALE_VALUES, SCALE_CONFIG, IS_FRAMEWORK = "Scale values", "Scale configuration", "Is framework"
RELATED = "Cross-referenced competency ID numbers"
MOODLE_COLUMNS = (
    PARENT, ID, NAME, DESCRIPTION, FORMAT, SCALE_VALUES, SCALE_CONFIG, "Rule type (optional)",
    "Rule outcome (optional)", "Rule config (optional)", RELATED, "Exported ID (optional)",
    IS_FRAMEWORK, "Taxonomy")
REQUIRED_COLUMNS = (PARENT, ID, NAME, IS_FRAMEWORK)
FORMAT_HTML = "1"
TRUE_WORDS = frozenset({"1", "true", "yes", "y"})


def _folded(name: str) -> str:
    """A column name as compared: lower case, letters and digits only."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


# Folding absorbs every spelling Moodle has written: the 2015 strings its fixture still
# carries ("Parent id number", "Id number", "Shortname", "Cross referenced competency id
# numbers", "Exported id (optional)") fold to the same letters as today's.
_BY_FOLDED = {_folded(column): column for column in MOODLE_COLUMNS}


def _named(header: Sequence[str]) -> dict[str, int]:
    """The Moodle columns `header` names, by the position of their first mention."""
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        column = _BY_FOLDED.get(_folded(name or ""))
        if column is not None and column not in found:
            found[column] = position
    return found


def moodle_columns(header: Sequence[str]) -> dict[str, int] | None:
    """Where each of Moodle's columns is in `header`, or None when it is not Moodle's.

    By name when the header names ID number and Is framework (in any spelling Moodle
    wrote); else by Moodle's default positions when the header has exactly Moodle's
    14 columns and whatever it names is where Moodle puts it (a header in another
    language, where only a word like "Description" may read the same).
    """
    found = _named(header)
    if {ID, IS_FRAMEWORK} <= set(found):
        return found
    default = {column: position for position, column in enumerate(MOODLE_COLUMNS)}
    if len(header) == len(MOODLE_COLUMNS) and all((name or "").strip() for name in header) \
            and all(default[column] == position for column, position in found.items()):
        return default
    return None


def is_moodle_header(header: Sequence[str]) -> bool:
    """Whether a CSV header is Moodle's competency framework column set."""
    return moodle_columns(header) is not None


@dataclass
class _Open:
    """A framework being read: its row and the competency rows below it."""

    draft: FrameworkDraft
    competencies: list[CompetencyDraft] = field(default_factory=list)
    related: list[tuple[int, str, str]] = field(default_factory=list)


def read_frameworks(text: str) -> list[FrameworkDraft]:
    """Every framework of a Moodle-format CSV; ImportRejected lists every problem."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, [])
    columns = moodle_columns(header) or _named(header)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    reject_if_any(ImportProblem(1, name, "missing column") for name in missing)
    opened: list[_Open] = []
    problems: list[ImportProblem] = []
    for row, record in enumerate(_records(reader, columns), start=2):
        if not any(record.values()):
            continue
        if record.get(IS_FRAMEWORK, "").lower() in TRUE_WORDS:
            draft, found = _framework(row, record)
            opened.append(_Open(draft))
            problems += found
        elif not opened:
            problems.append(ImportProblem(row, IS_FRAMEWORK, "a competency comes before any "
                                          "framework row (Is framework = 1)"))
        else:
            competency, found = _competency(row, record)
            problems += found
            if competency is not None:
                opened[-1].competencies.append(competency)
                opened[-1].related += [(row, competency.key, other)
                                       for other in _related(record.get(RELATED, ""))]
    frameworks = [_closed(entry, problems) for entry in opened]
    if not opened and not problems:
        problems.append(ImportProblem(2, IS_FRAMEWORK, "no framework row (Is framework = 1)"))
    reject_if_any(problems)
    return frameworks


def _records(reader: Iterator[list[str]], columns: Mapping[str, int]
             ) -> Iterator[dict[str, str]]:
    """Each data row as {Moodle column: stripped value}; a short row reads as empty cells."""
    for cells in reader:
        yield {column: cells[at].strip() if at < len(cells) else ""
               for column, at in columns.items()}


def _framework(row: int, record: Mapping[str, str]) -> tuple[FrameworkDraft, list[ImportProblem]]:
    """A framework row: its draft (competencies come later) and its problems."""
    problems = []
    if not record.get(ID):
        problems.append(ImportProblem(row, ID, "missing ID number"))
    if not record.get(NAME):
        problems.append(ImportProblem(row, NAME, "missing Short name"))
    scale, found = read_scale(row, record.get(SCALE_VALUES, ""), record.get(SCALE_CONFIG, ""))
    problems += found
    return FrameworkDraft(
        name=shortened(record.get(NAME, "")), scale=scale or FOUR_POINT_RUBRIC,
        description=_description(record), identifier=record.get(ID, ""), row=row,
        name_column=NAME), problems


def _competency(row: int, record: Mapping[str, str]
                ) -> tuple[CompetencyDraft | None, list[ImportProblem]]:
    """A competency row as a draft (None when it has no ID number)."""
    problems = []
    code = record.get(ID, "")
    if not code:
        problems.append(ImportProblem(row, ID, "missing ID number"))
    if not record.get(NAME):
        problems.append(ImportProblem(row, NAME, "missing Short name"))
    if not code:
        return None, problems
    return CompetencyDraft(key=code, code=code, name=shortened(record.get(NAME, "")),
                           description=_description(record),
                           parent_key=record.get(PARENT) or None, source_identifier=code,
                           row=row), problems


def _closed(entry: _Open, problems: list[ImportProblem]) -> FrameworkDraft:
    """The framework with its tree checked: duplicates, unknown parents, cycles."""
    drafts = entry.competencies
    problems += duplicate_problems(drafts, lambda c: c.key, lambda c: c.row, ID, "ID number")
    problems += long_code_problems(drafts, ID)
    keys = {c.key for c in drafts}
    rooted = []
    for c in drafts:
        if c.parent_key == entry.draft.identifier and c.parent_key not in keys:
            c = replace(c, parent_key=None)
        elif c.parent_key is not None and c.parent_key not in keys:
            problems.append(ImportProblem(c.row, PARENT, f"unknown parent {c.parent_key!r}"))
            c = replace(c, parent_key=None)
        rooted.append(c)
    unique = list({c.key: c for c in reversed(rooted)}.values())[::-1]
    ordered, stuck = parent_first(unique)
    problems += cycle_problems(stuck, PARENT)
    return replace(entry.draft, competencies=tuple(ordered),
                   associations=tuple(_related_pairs(entry.related, keys)))


def _related(cell: str) -> list[str]:
    """The ID numbers of a Cross-referenced cell, as Moodle's exporter escapes them."""
    return [part.replace("%2C", ",").strip() for part in cell.split(",") if part.strip()]


def _related_pairs(related: list[tuple[int, str, str]], keys: set[str]
                   ) -> list[AssociationDraft]:
    """One isRelatedTo per pair of competencies of the framework, in file order."""
    seen: set[frozenset[str]] = set()
    found = []
    for row, origin, destination in related:
        pair = frozenset((origin, destination))
        if destination in keys and origin != destination and pair not in seen:
            seen.add(pair)
            found.append(AssociationDraft("", "isRelatedTo", origin, destination, row))
    return found


def read_scale(row: int, values: str, configuration: str
               ) -> tuple[ProficiencyScale | None, list[ImportProblem]]:
    """A scale from Moodle's Scale values and Scale configuration (None: the default)."""
    if not values and not configuration:
        return None, []
    labels = [label.strip() for label in values.split(",")]
    if not values or not all(labels):
        return None, [ImportProblem(row, SCALE_VALUES, "give comma-separated labels, lowest "
                                    "first, with no empty label")]
    proficient, problems = _proficient_positions(row, configuration, len(labels))
    if problems:
        return None, problems
    if not proficient:
        return None, [ImportProblem(row, SCALE_CONFIG, "no scale value is marked proficient")]
    levels = tuple(ProficiencyLevel(position, label, position in proficient)
                   for position, label in enumerate(labels, start=1))
    fingerprint = json.dumps([[lv.label, lv.proficient] for lv in levels], ensure_ascii=False)
    key = "moodle-" + hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
    return ProficiencyScale(key=key, name=shortened(", ".join(labels)), levels=levels), []


def _proficient_positions(row: int, configuration: str, count: int
                          ) -> tuple[set[int], list[ImportProblem]]:
    """The 1-based positions marked proficient in a Moodle scale configuration."""
    def bad(message: str) -> tuple[set[int], list[ImportProblem]]:
        return set(), [ImportProblem(row, SCALE_CONFIG, message)]

    if not configuration:
        return bad("missing: say which Scale values are proficient")
    try:
        entries: Any = json.loads(configuration)
    except ValueError:
        return bad("not valid JSON")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return bad("expected a JSON list of objects")
    proficient: set[int] = set()
    seen: set[int] = set()
    for entry in (e for e in entries if "id" in e):
        position = entry["id"]
        if isinstance(position, str) and position.isdigit():
            position = int(position)
        if not isinstance(position, int) or not 1 <= position <= count or position in seen:
            return bad(f"id {entry['id']!r} is not a position of Scale values (1 to {count}) "
                       "used once")
        seen.add(position)
        if str(entry.get("proficient", "0")).lower() in TRUE_WORDS:
            proficient.add(position)
    return proficient, []


class _PlainText(HTMLParser):
    """Collects the text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")


def plain_text(html: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return " ".join(unescape("".join(parser.parts)).split())


def _description(record: Mapping[str, str]) -> str:
    text = record.get(DESCRIPTION, "")
    return plain_text(text) if record.get(FORMAT) == FORMAT_HTML else text
