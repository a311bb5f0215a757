"""A page of AGS results → completion and score evidence, compared with what is stored."""

from __future__ import annotations

from datetime import UTC, datetime

from lti_tool.lms.ags import Result
from lti_tool.usecases.sync.result_evidence import Stored, page_evidence

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 1, 10, tzinfo=UTC)


def result(sub: str, score: float | None, maximum: float | None = None,
           stamp: str | None = None) -> Result:
    return Result(f"r-{sub}", sub, score, maximum, stamp, None)


def test_graded_results_give_a_completion_and_a_score_each() -> None:
    clock_reads: list[datetime] = []

    def clock() -> datetime:
        clock_reads.append(NOW)
        return NOW

    stored: Stored = {}
    page = page_evidence({"a": 1, "b": 2, "c": 3}, lambda subs: {}, clock, 7, 50.0, [
        result("a", 40.0), result("b", None), result("c", 30.0, 20.0, "2026-11-01T10:00:00Z")],
        stored)
    assert page.fresh == [
        (1, "lms_completion", 1.0, NOW, "ags:7:a:completion"),
        (1, "lms_score", 0.8, NOW, "ags:7:a:score"),
        (3, "lms_completion", 1.0, NOVEMBER, "ags:7:c:completion"),
        (3, "lms_score", 1.0, NOVEMBER, "ags:7:c:score")]
    assert page.changed == [] and page.unknown == 0
    assert len(clock_reads) == 1  # once per page, not per result
    assert stored[(1, "lms_score", "ags:7:a:score")] == (0, 0.8)  # kept current


def test_only_what_differs_from_what_is_stored_is_written() -> None:
    stored: Stored = {(1, "lms_completion", "ags:7:a:completion"): (11, 1.0),
                      (1, "lms_score", "ags:7:a:score"): (12, 0.8)}
    page = page_evidence({"a": 1}, lambda subs: {}, lambda: NOW, 7, 50.0,
                         [result("a", 45.0)], stored)
    assert page.fresh == []
    assert page.changed == [(12, 0.9, NOW)]
    assert stored[(1, "lms_score", "ags:7:a:score")] == (12, 0.9)
    again = page_evidence({"a": 1}, lambda subs: {}, lambda: NOW, 7, 50.0,
                          [result("a", 45.0)], stored)
    assert again.fresh == [] and again.changed == []


def test_unknown_learners_are_looked_up_once_and_counted() -> None:
    asked: list[list[str]] = []

    def find(subs: list[str]) -> dict[str, int]:
        asked.append(subs)
        return {"late": 9}

    people = {"a": 1}
    page = page_evidence(people, find, lambda: NOW, 7, None, [
        result("a", 1.0, 1.0), result("late", 0.5, 2.0), result("gone", 1.0, 1.0)], {})
    assert asked == [["late", "gone"]]
    assert people == {"a": 1, "late": 9}
    assert page.unknown == 1
    assert [(e[0], e[1], e[2]) for e in page.fresh] == [
        (1, "lms_completion", 1.0), (1, "lms_score", 1.0),
        (9, "lms_completion", 1.0), (9, "lms_score", 0.25)]


def test_a_result_without_any_maximum_is_a_completion_only() -> None:
    page = page_evidence({"a": 1}, lambda subs: {}, lambda: NOW, 7, None, [result("a", 3.0)],
                         {})
    assert [e[1] for e in page.fresh] == ["lms_completion"]
