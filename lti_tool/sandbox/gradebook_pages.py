"""The LMS gradebook page: every column of a course (tools' and native activities'), and
the grader's form that enters or changes a learner's grade."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from .platform import current_platform
from .state import SandboxError

bp = Blueprint("sandbox_gradebook", __name__)
LEARNERS_SHOWN = 60


@bp.get("/courses/<course_id>/gradebook")
def gradebook(course_id: str) -> str:
    """The course's gradebook: columns, who made each, and which tool AGS shows it to."""
    state = current_platform().state
    with state.lock:
        course = state.course(course_id)
        learners = [state.users[m.user_id] for m in course.members.values()
                    if m.kind == "learner" and m.status == "Active"][:LEARNERS_SHOWN]
        return render_template("gradebook.html", course=course, learners=learners,
                               items=list(course.line_items.values()),
                               saved=request.args.get("saved"))


@bp.post("/courses/<course_id>/gradebook/<item_id>")
def grade(course_id: str, item_id: str) -> ResponseReturnValue:
    """A grader enters a grade (score, optional comment, optional graded-on date)."""
    platform, form = current_platform(), request.form
    try:
        score = float(form["score"])
    except (KeyError, ValueError):
        raise SandboxError("score must be a number") from None
    stamp = None
    if form.get("graded_on"):
        try:
            day = datetime.fromisoformat(form["graded_on"]).replace(tzinfo=UTC)
        except ValueError:
            raise SandboxError("graded_on must be a date (YYYY-MM-DD)") from None
        stamp = day.isoformat()
    with platform.state.lock:
        course = platform.state.course(course_id)
        item = platform.gradebook.line_item(course_id, item_id)
        user_id = form.get("user_id", "")
        if course.member(user_id) is None:
            raise SandboxError(f"{user_id!r} is not a member of this course")
        if not 0 <= score <= item.score_maximum:
            raise SandboxError(f"score must be between 0 and {item.score_maximum:g}")
        platform.gradebook.set_result(item, user_id, score, form.get("comment") or None, stamp)
    return redirect(url_for("sandbox_gradebook.gradebook", course_id=course_id,
                            saved=item.id), code=303)
