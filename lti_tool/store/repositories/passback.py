"""Passback marks: what each readiness column last accepted or refused, per learner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import PassbackMarkRow
from .statements import pk


@dataclass(frozen=True)
class PassbackMark:
    """One learner's last accepted and last refused score on one column."""

    person_id: int
    line_item: str
    score: float | None
    posted_at: datetime | None
    refused_score: float | None = None
    refused_status: int | None = None
    refused_reason: str = ""
    refused_at: datetime | None = None


def _mark(row: PassbackMarkRow) -> PassbackMark:
    return PassbackMark(row.person_id, row.line_item, row.score, row.posted_at,
                        row.refused_score, row.refused_status, row.refused_reason,
                        row.refused_at)


class PassbackMarks:
    """Reads and writes the passback marks of courses."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def of_course(self, course_id: int) -> dict[tuple[int, str], PassbackMark]:
        """Every mark of the course by (person id, line item URL)."""
        rows = self.session.scalars(select(PassbackMarkRow).where(
            PassbackMarkRow.course_id == pk(course_id)))
        return {(row.person_id, row.line_item): _mark(row) for row in rows}

    def refusals(self, course_id: int) -> list[PassbackMark]:
        """The marks whose last attempt the LMS refused, by person."""
        rows = self.session.scalars(select(PassbackMarkRow).where(
            PassbackMarkRow.course_id == pk(course_id),
            PassbackMarkRow.refused_status.is_not(None)).order_by(
            PassbackMarkRow.person_id, PassbackMarkRow.line_item))
        return [_mark(row) for row in rows]

    def accepted(self, course_id: int, person_id: int, line_item: str, score: float,
                 posted_at: datetime) -> None:
        """The LMS accepted `score` stamped `posted_at`; any earlier refusal is over."""
        row = self._row(course_id, person_id, line_item)
        row.score, row.posted_at = score, posted_at
        row.refused_score, row.refused_status, row.refused_reason = None, None, ""
        row.refused_at = None
        self.session.flush()

    def refused(self, course_id: int, person_id: int, line_item: str, score: float,
                status: int | None, reason: str, when: datetime) -> None:
        """The LMS refused `score`: remember it so the same score is not sent again."""
        row = self._row(course_id, person_id, line_item)
        row.refused_score, row.refused_status = score, status
        row.refused_reason, row.refused_at = reason[:2000], when
        self.session.flush()

    def _row(self, course_id: int, person_id: int, line_item: str) -> PassbackMarkRow:
        row = self.session.scalar(select(PassbackMarkRow).where(
            PassbackMarkRow.course_id == pk(course_id),
            PassbackMarkRow.person_id == pk(person_id),
            PassbackMarkRow.line_item == line_item))
        if row is None:
            row = PassbackMarkRow(course_id=pk(course_id), person_id=pk(person_id),
                                  line_item=line_item, refused_reason="")
            self.session.add(row)
        return row
