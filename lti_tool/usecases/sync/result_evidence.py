"""AGS results → the completion and score evidence a sync stores (one page at a time)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NamedTuple

from ...domain.evidence import EvidenceKind
from ...lms.ags import Result
from ...store.repositories.sync import ResultEvidence

FindPeople = Callable[[list[str]], dict[str, int]]


class PageEvidence(NamedTuple):
    """What one page of results gives: its evidence, and how many results named a
    learner the tool does not know (not in the roster, or erased)."""

    evidence: list[ResultEvidence]
    unknown: int


def page_evidence(people: dict[str, int], find_people: FindPeople,
                  clock: Callable[[], datetime], item_pk: int, maximum: float | None,
                  results: Sequence[Result]) -> PageEvidence:
    """The evidence of every result on the page whose learner is known: a graded result
    is a completion, and its score over the maximum the assessment value. `people` (sub →
    person id) is extended with `find_people` for the subs it lacks.

    Never skipped by its timestamp (issue 17): grades are entered late or backdated, line
    items become visible later, learners enrol later, and a roster-only sync moves
    last_synced_at without reading a result. write_result_evidence compares with what is
    stored and writes only what differs. This loop runs once per result (200,000 in the
    benchmark's course): it builds tuples and nothing else.
    """
    missing = [r.user_id for r in results if r.user_id not in people]
    if missing:
        people.update(find_people(missing))
    observed = ObservedAt(clock)
    found: list[ResultEvidence] = []
    add, unknown, prefix = found.append, 0, f"ags:{item_pk}:"
    for result in results:
        person_id = people.get(result.user_id)
        if person_id is None:
            unknown += 1
            continue
        given = result.result_score
        if given is None:
            continue
        when = observed(result.timestamp)
        ref = prefix + result.user_id
        add(ResultEvidence(person_id, item_pk, _COMPLETION, 1.0, when, ref + ":completion"))
        top = result.result_maximum or maximum
        if top:
            add(ResultEvidence(person_id, item_pk, _SCORE,
                               round(min(max(given / top, 0.0), 1.0), 6), when, ref + ":score"))
    return PageEvidence(found, unknown)


_COMPLETION, _SCORE = str(EvidenceKind.LMS_COMPLETION), str(EvidenceKind.LMS_SCORE)


class ObservedAt:
    """When a page's results were observed: a result's own aware ISO timestamp, else the
    time the page was read (one clock reading per page); each distinct text parsed once."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._now: datetime | None = None
        self._parsed: dict[str, datetime | None] = {}

    def __call__(self, stamp: str | None) -> datetime:
        if stamp:
            try:
                parsed = self._parsed[stamp]
            except KeyError:
                parsed = self._parsed[stamp] = _aware(stamp)
            if parsed is not None:
                return parsed
        if self._now is None:
            self._now = self._clock()
        return self._now


def _aware(stamp: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
