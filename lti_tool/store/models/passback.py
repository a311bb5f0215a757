"""Score passback marks: the last score the LMS accepted, or refused, per learner and column."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class PassbackMarkRow(Base):
    """One learner's standing on one readiness column of one course.

    `score`/`posted_at`: the last score the LMS accepted and the timestamp it carried (the
    next one must be later: Moodle answers 409 otherwise). `refused_*`: the last score it
    refused, with the HTTP status and why; that same score is not posted again.
    """

    __tablename__ = "passback_marks"
    __table_args__ = (UniqueConstraint("course_id", "person_id", "line_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    line_item: Mapped[str] = mapped_column(String(1024))
    score: Mapped[float | None] = mapped_column(Float)
    posted_at: Mapped[datetime | None] = mapped_column()
    refused_score: Mapped[float | None] = mapped_column(Float)
    refused_status: Mapped[int | None] = mapped_column(Integer)
    refused_reason: Mapped[str] = mapped_column(Text, default="")
    refused_at: Mapped[datetime | None] = mapped_column()
