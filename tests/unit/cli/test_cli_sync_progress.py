"""`careerpath sync`'s progress bar runs against the known total of line items."""

from __future__ import annotations

from lti_tool.cli.sync import SyncProgress


class RecordingBar:
    """What click's progress bar is told: length, position and label."""

    def __init__(self) -> None:
        self.length: int | None = 1
        self.pos = 0
        self.label = ""

    def update(self, steps: int) -> None:
        self.pos += steps


def test_bar_counts_line_items_not_pages() -> None:
    bar = RecordingBar()
    progress = SyncProgress(bar, 7)
    progress("roster", 50)
    progress("roster", 50)
    assert (bar.length, bar.pos) == (1, 0)  # the roster's size is not known ahead
    progress("line_items", 4)
    assert (bar.length, bar.pos, bar.label) == (4, 0, "course 7: line_items 0/4 line items")
    for _ in range(3):
        progress("results", 1)
    assert (bar.length, bar.pos) == (4, 3)
    assert bar.label == "course 7: results 3/4 line items"
    progress("results", 1)
    progress("results", 1)  # never past the total
    assert (bar.length, bar.pos) == (4, 4)
    progress.finish()
    assert bar.pos == 4


def test_a_course_without_line_items_finishes_at_one() -> None:
    bar = RecordingBar()
    progress = SyncProgress(bar, 1)
    progress("line_items", 0)
    progress.finish()
    assert (bar.length, bar.pos) == (1, 1)
