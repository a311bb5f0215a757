"""Line items, results and scores (the AGS data), with Moodle's score rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .model import Course, LineItem, Result
from .state import SandboxError, SandboxState

ACTIVITY_PROGRESS = {"Initialized", "Started", "InProgress", "Submitted", "Completed"}
GRADING_PROGRESS = {"FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"}


@dataclass(frozen=True)
class LineItemFilter:
    """The AGS line item container filters."""

    tag: str | None = None
    resource_link_id: str | None = None
    resource_id: str | None = None

    def accepts(self, item: LineItem) -> bool:
        """Whether `item` passes every filter that is set."""
        return (
            (self.tag is None or item.tag == self.tag)
            and (self.resource_link_id is None or item.resource_link_id == self.resource_link_id)
            and (self.resource_id is None or item.resource_id == self.resource_id)
        )


class Gradebook:
    """The AGS operations over a `SandboxState`."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def line_item(self, course_id: str, item_id: str) -> LineItem:
        """The line item, or a 404 SandboxError."""
        found = self.state.course(course_id).line_items.get(item_id)
        if found is None:
            raise SandboxError(f"No line item {item_id!r} in {course_id!r}", 404, "not_found")
        return found

    def line_items(self, course_id: str, wanted: LineItemFilter,
                   client_id: str | None = None) -> list[LineItem]:
        """The course's line items that pass the filter, in creation order; with
        `client_id`, only those AGS shows that tool (its own, never a native activity's)."""
        with self.state.lock:
            course = self.state.course(course_id)
            return [item for item in course.line_items.values() if wanted.accepts(item)
                    and (client_id is None or visible_to(item, client_id))]

    def tool_line_item(self, course_id: str, item_id: str, client_id: str) -> LineItem:
        """The line item if AGS shows it to `client_id`, else a 403 SandboxError.

        Canvas: concerns/gradebook_services.rb verify_line_item_client_id_connection
        ("Tool does not have permission to view line_item"); Moodle: results.php
        get_lineitem() false → 403 "Line item does not exist".
        """
        item = self.line_item(course_id, item_id)
        if not visible_to(item, client_id):
            raise SandboxError("Tool does not have permission to view line_item", 403,
                               "forbidden")
        return item

    def create_line_item(self, course_id: str, body: dict[str, Any], client_id: str | None = None,
                         native: str | None = None) -> LineItem:
        """Create a line item from an AGS JSON body (label and scoreMaximum required),
        owned by the tool `client_id` or, with `native`, a native activity's column."""
        label, maximum = body.get("label"), body.get("scoreMaximum")
        if not isinstance(label, str) or not label.strip():
            raise SandboxError("label is required")
        if isinstance(maximum, bool) or not isinstance(maximum, int | float) or maximum <= 0:
            raise SandboxError("scoreMaximum is required and must be a positive number")
        with self.state.lock:
            course = self.state.course(course_id)
            self._check_link(course, body.get("resourceLinkId"))
            item = LineItem(id=self.state.next_id("li"), label=label, score_maximum=float(maximum),
                            client_id=None if native else client_id, native=native)
            self._apply(item, body)
            course.line_items[item.id] = item
            return item

    def update_line_item(self, course_id: str, item_id: str, body: dict[str, Any]) -> LineItem:
        """Update a line item from an AGS JSON body (PUT)."""
        with self.state.lock:
            course = self.state.course(course_id)
            item = self.line_item(course_id, item_id)
            self._check_link(course, body.get("resourceLinkId"))
            if "label" in body:
                if not isinstance(body["label"], str) or not body["label"].strip():
                    raise SandboxError("label must be a non-empty string")
                item.label = body["label"]
            if "scoreMaximum" in body:
                maximum = body["scoreMaximum"]
                if (
                    isinstance(maximum, bool)
                    or not isinstance(maximum, int | float)
                    or maximum <= 0
                ):
                    raise SandboxError("scoreMaximum must be a positive number")
                item.score_maximum = float(maximum)
            self._apply(item, body)
            return item

    def delete_line_item(self, course_id: str, item_id: str) -> None:
        """Delete a line item and its results."""
        with self.state.lock:
            self.line_item(course_id, item_id)
            del self.state.course(course_id).line_items[item_id]

    def results_window(
        self, course_id: str, item_id: str, offset: int, limit: int | None,
        user_id: str | None = None,
    ) -> tuple[list[Result], int]:
        """Results[offset:offset+limit] (all from offset when limit is None) and how many
        there are in all."""
        with self.state.lock:
            item = self.line_item(course_id, item_id)
            if user_id is not None:
                found = item.results.get(user_id)
                return ([found] if found else []), 1 if found else 0
            total = len(item.result_order)
            end = total if limit is None else offset + limit
            return [item.results[uid] for uid in item.result_order[offset:end]], total

    def set_result(
        self, item: LineItem, user_id: str, score: float | None, comment: str | None = None,
        timestamp: str | None = None,
    ) -> Result:
        """Create or replace a user's result on a line item (caller holds the lock);
        `timestamp` is when it was graded (now unless given: a grader may backdate it)."""
        stamp = timestamp or datetime.now(UTC).replace(microsecond=0).isoformat()
        result = item.results.get(user_id)
        if result is None:
            result = Result(user_id, score, item.score_maximum, comment, stamp)
            item.results[user_id] = result
            item.result_order.append(user_id)
        else:
            result.score, result.maximum, result.comment = score, item.score_maximum, comment
            result.timestamp = stamp
        return result

    def set_results(self, course_id: str, rows: Iterable[dict[str, Any]]) -> int:
        """Bulk-set results from rows {line_item_id, user_id, score, comment}; returns how many."""
        count = 0
        with self.state.lock:
            for row in rows:
                item = self.line_item(course_id, str(row["line_item_id"]))
                score = row.get("score")
                self.set_result(
                    item,
                    str(row["user_id"]),
                    None if score is None else float(score),
                    row.get("comment"),
                    row.get("timestamp"),
                )
                count += 1
        return count

    def record_score(self, course_id: str, item_id: str, body: dict[str, Any]) -> Result | None:
        """Apply an AGS score with Moodle's rules; a FullyGraded score becomes the result."""
        user_id = body.get("userId")
        if not isinstance(user_id, str) or not user_id:
            raise SandboxError("userId is required")
        stamp = _timestamp(body.get("timestamp"))
        if body.get("activityProgress") not in ACTIVITY_PROGRESS:
            raise SandboxError(f"activityProgress is required, one of {sorted(ACTIVITY_PROGRESS)}")
        if body.get("gradingProgress") not in GRADING_PROGRESS:
            raise SandboxError(f"gradingProgress is required, one of {sorted(GRADING_PROGRESS)}")
        with self.state.lock:
            course = self.state.course(course_id)
            item = self.line_item(course_id, item_id)
            if course.member(user_id) is None:
                raise SandboxError(f"userId {user_id!r} is not a member of this course")
            last = item.last_score_at.get(user_id)
            if last is not None and stamp <= _timestamp(last):
                raise SandboxError("timestamp must be later than the last score's", 409, "conflict")
            given = _scaled_score(body, item)
            item.last_score_at[user_id] = body["timestamp"]
            if body["gradingProgress"] == "FullyGraded" and given is not None:
                return self.set_result(item, user_id, given, body.get("comment"),
                                       body["timestamp"])
            if user_id not in item.results:
                return self.set_result(item, user_id, None, body.get("comment"))
            return item.results[user_id]

    @staticmethod
    def _check_link(course: Course, link_id: Any) -> None:
        if link_id is not None and link_id not in course.links:
            raise SandboxError(f"resourceLinkId {link_id!r} is not a link in this course")

    @staticmethod
    def _apply(item: LineItem, body: dict[str, Any]) -> None:
        item.resource_link_id = body.get("resourceLinkId", item.resource_link_id)
        item.resource_id = body.get("resourceId", item.resource_id)
        item.tag = body.get("tag", item.tag)
        item.start = body.get("startDateTime", item.start)
        item.end = body.get("endDateTime", item.end)


def visible_to(item: LineItem, client_id: str) -> bool:
    """Whether AGS shows `item` to the tool `client_id`: its own columns, never a native
    activity's (Canvas line_items_controller.rb index: `where(client_id: developer_key
    .global_id)`; Moodle gradebookservices.php get_lineitems: `$typeid == $gbs->typeid`)."""
    return item.native is None and item.client_id == client_id


def _timestamp(value: Any) -> datetime:
    if not isinstance(value, str) or not value:
        raise SandboxError("timestamp is required (ISO 8601)")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SandboxError(f"timestamp {value!r} is not ISO 8601") from None
    if parsed.tzinfo is None:
        raise SandboxError("timestamp must carry a time zone offset")
    return parsed


def _scaled_score(body: dict[str, Any], item: LineItem) -> float | None:
    given, maximum = body.get("scoreGiven"), body.get("scoreMaximum")
    if given is None:
        return None
    if not isinstance(given, int | float) or not isinstance(maximum, int | float) or maximum <= 0:
        raise SandboxError("scoreGiven needs a positive scoreMaximum")
    if given < 0:
        raise SandboxError("scoreGiven must not be negative")
    return round(given / maximum * item.score_maximum, 4)
