"""Native course activities read through an LMS's own API: what the connectors return.

A native item is stored as an LMS item of kind `line_item` whose `lms_id` is
`native:<platform>:<type>:<id>` (AGS line item ids are URLs, so the two never collide).
"""

from __future__ import annotations

from dataclasses import dataclass

NATIVE_PREFIX = "native:"
SOURCES = {
    "canvas:assignment": "Canvas assignment (REST API)",
    "canvas:quiz": "Canvas quiz (REST API)",
    "canvas:module_item": "Canvas module item (REST API)",
    "moodle:cm": "Moodle activity (web services)",
}


@dataclass(frozen=True)
class NativeItem:
    """An activity of the course: `key` is `<platform>:<type>:<id>`."""

    key: str
    title: str
    score_maximum: float | None = None
    activity: str = ""  # the LMS's own word: assignment, quiz, Page, assign...

    @property
    def lms_id(self) -> str:
        return NATIVE_PREFIX + self.key


@dataclass(frozen=True)
class NativeOutcome:
    """What one learner did on one native item: completed, and the score if graded."""

    item_key: str
    lms_user_id: str
    completed: bool
    score: float | None = None
    maximum: float | None = None
    observed_at: str | None = None  # ISO 8601 as the LMS gave it


def is_native(lms_id: str) -> bool:
    return lms_id.startswith(NATIVE_PREFIX)


def source_label(lms_id: str) -> str:
    """Where an item comes from, for the mapping page."""
    if not is_native(lms_id):
        return "LTI gradebook (AGS line item)"
    parts = lms_id[len(NATIVE_PREFIX):].split(":")
    return SOURCES.get(":".join(parts[:2]), "native activity (LMS API)")
