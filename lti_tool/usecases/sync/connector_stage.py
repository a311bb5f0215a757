"""The connector stage of a course sync: native activities through the LMS's own API.

Items first (one transaction), then outcome pages, each committed with the run's cursor
(`{"stage": "connector", "step": ..., ...}`) so a failed run resumes at its page. Evidence
is compared with what is stored, never skipped by time: a second run writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ...domain.evidence import EvidenceKind
from ...lms.canvas_rest import CanvasRest
from ...lms.errors import LmsNotFound
from ...lms.moodle_ws import MoodleLearnerRefused, MoodleWebServices
from ...lms.native import NativeItem, NativeOutcome, is_native
from ...store.repositories.connectors import Connector, ConnectorRepository
from ...store.repositories.courses import CourseRepository
from ...store.repositories.sync import ResultEvidence, SyncRepository
from ..connectors import canvas_token_source, secret_of
from ..events import EVIDENCE_ADDED, publish
from ..score_passback import LEARNER_ROLE
from ..sync.stages import Progress, SyncContext

PEOPLE_PAGE = 50
Existing = dict[tuple[int, str, str], tuple[int, float | None]]


@dataclass
class _Page:
    """One page of outcomes, the REST ids it learnt, and the cursor after it."""

    outcomes: list[NativeOutcome]
    cursor: dict[str, Any]
    links: list[tuple[int, str]] = field(default_factory=list)


def native_stage(secret_key: str | None) -> Callable[[SyncContext, dict[str, Any], Progress],
                                                     None]:
    """The stage runner (`course_sync.STAGES`): nothing when no connector is set up."""
    def run(ctx: SyncContext, resume: dict[str, Any], progress: Progress) -> None:
        if secret_key is not None:
            sync_native(ctx, secret_key, resume, progress)
    return run


def sync_native(ctx: SyncContext, secret_key: str, resume: dict[str, Any],
                progress: Progress) -> None:
    """Items, then outcome pages of the course's connector (from `resume` on)."""
    with ctx.database.session() as session:
        connector = ConnectorRepository(session).of_course(ctx.course_id)
        context_id = CourseRepository(session).course(ctx.course_id).context_id
        learners = SyncRepository(session).active_learners(ctx.course_id, LEARNER_ROLE)
    if connector is None:
        return
    if connector.auth == "oauth2" and not _authorized(ctx, connector):
        ctx.add("native_not_authorized")  # the mapping page asks an instructor to authorize
        return
    reader = _reader(ctx, secret_key, connector, context_id)
    step = resume.get("step", "items")
    if step == "items":
        _store_items(ctx, reader.items(), reader.first_cursor)
        progress("connector", ctx.counts.get("native_items", 0))
        resume = reader.first_cursor
    items, existing = _native_items(ctx)
    people = {sub: person for person, sub in learners}
    for page in reader.pages(learners, resume):
        _store_page(ctx, connector, page, items, existing, people)
        progress("connector", len(page.outcomes))


class _Reader(Protocol):
    """A platform's items and outcome pages (Canvas REST or Moodle web services)."""

    first_cursor: dict[str, Any]

    def items(self) -> list[NativeItem]: ...

    def pages(self, learners: Sequence[tuple[int, str]], resume: dict[str, Any]
              ) -> Iterator[_Page]: ...


class _CanvasReader:
    """People (Canvas ids by LTI id), then submissions pages, then each learner's modules."""

    first_cursor = {"stage": "connector", "step": "people"}

    def __init__(self, ctx: SyncContext, api: CanvasRest, connector: Connector,
                 context_id: str) -> None:
        self.ctx, self.api, self.connector, self.context_id = ctx, api, connector, context_id

    def items(self) -> list[NativeItem]:
        return self.api.assignments(self.context_id) + self.api.module_items(self.context_id)

    def pages(self, learners: Sequence[tuple[int, str]], resume: dict[str, Any]
              ) -> Iterator[_Page]:
        step = resume.get("step", "people")
        if step == "people":
            yield from self._people(learners)
            resume = {"step": "submissions"}
            step = "submissions"
        if step == "submissions":
            url: str | None = resume.get("url")
            first = True
            while first or url:
                outcomes, url = self.api.submissions_page(self.context_id, url)
                first = False
                cursor = ({"stage": "connector", "step": "submissions", "url": url} if url
                          else {"stage": "connector", "step": "modules", "after": 0})
                yield _Page(outcomes, cursor)
            resume = {"step": "modules", "after": 0}
        after = int(resume.get("after", 0))
        ids = self._ids([p for p, _ in learners])
        for person_id, _sub in learners:
            if person_id <= after or person_id not in ids:
                continue
            try:
                outcomes = self.api.student_modules(self.context_id, ids[person_id])
            except LmsNotFound:  # no longer a student of the course in Canvas
                self.ctx.add("native_learners_refused")
                outcomes = []
            yield _Page(outcomes, {"stage": "connector", "step": "modules", "after": person_id})

    def _people(self, learners: Sequence[tuple[int, str]]) -> Iterator[_Page]:
        known = self._ids([p for p, _ in learners])
        todo = [(p, sub) for p, sub in learners if p not in known]
        for start in range(0, len(todo), PEOPLE_PAGE):
            links = []
            for person_id, sub in todo[start:start + PEOPLE_PAGE]:
                found = self.api.user_id_for_sub(sub)
                if found is None:
                    self.ctx.add("native_unknown_user")
                else:
                    links.append((person_id, found))
            following = start + PEOPLE_PAGE < len(todo)
            yield _Page([], {"stage": "connector", "step": "people" if following
                             else "submissions"}, links)

    def _ids(self, person_ids: list[int]) -> dict[int, str]:
        with self.ctx.database.session() as session:
            return ConnectorRepository(session).lms_user_ids(self.connector.id, person_ids)


class _MoodleReader:
    """Per learner (the `sub` is the Moodle user id): completion, then grades."""

    first_cursor = {"stage": "connector", "step": "learners", "after": 0}

    def __init__(self, ctx: SyncContext, api: MoodleWebServices, context_id: str) -> None:
        self.ctx, self.api, self.course = ctx, api, context_id

    def items(self) -> list[NativeItem]:
        return self.api.activities(self.course)

    def pages(self, learners: Sequence[tuple[int, str]], resume: dict[str, Any]
              ) -> Iterator[_Page]:
        after = int(resume.get("after", 0))
        for person_id, sub in learners:
            if person_id <= after:
                continue
            try:
                outcomes = (self.api.completion(self.course, sub)
                            + self.api.grades(self.course, sub))
            except MoodleLearnerRefused:
                self.ctx.add("native_learners_refused")  # not visible to the token's user
                outcomes = []
            yield _Page(outcomes, {"stage": "connector", "step": "learners",
                                   "after": person_id})


def _reader(ctx: SyncContext, secret_key: str, connector: Connector,
            context_id: str) -> _Reader:
    if connector.platform == "moodle":
        return _MoodleReader(ctx, MoodleWebServices(ctx.http, connector.base_url,
                                               secret_of(connector, secret_key)), context_id)
    with ctx.database.session() as session:
        grant = ConnectorRepository(session).grant(connector.id, ctx.course_id)
    token = canvas_token_source(ctx.database, ctx.http, secret_key, connector, grant,
                                ctx.clock)
    return _CanvasReader(ctx, CanvasRest(ctx.http, connector.base_url, token), connector,
                         context_id)


def _authorized(ctx: SyncContext, connector: Connector) -> bool:
    with ctx.database.session() as session:
        grant = ConnectorRepository(session).grant(connector.id, ctx.course_id)
    return grant is not None and grant.status == "active"


def _store_items(ctx: SyncContext, items: list[NativeItem], cursor: dict[str, Any]) -> None:
    with ctx.database.session() as session:
        courses = CourseRepository(session)
        for item in items:
            courses.upsert_lms_item(ctx.course_id, "line_item", item.lms_id, title=item.title,
                                    score_maximum=item.score_maximum, tag=item.activity)
        ctx.add("native_items", len(items))
        ctx.commit_page(SyncRepository(session), cursor)


def _native_items(ctx: SyncContext) -> tuple[dict[str, tuple[int, float | None]], Existing]:
    """Native items by key (pk, maximum), and the evidence already stored on them."""
    existing: Existing = {}
    with ctx.database.session() as session:
        rows = [row for row in CourseRepository(session).lms_items(ctx.course_id)
                if is_native(row.lms_id)]
        repo = SyncRepository(session)
        for row in rows:
            existing.update(repo.result_evidence_of_item(ctx.tenant_id, row.id))
    return {row.lms_id.split(":", 1)[1]: (row.id, row.score_maximum) for row in rows}, existing


def _store_page(ctx: SyncContext, connector: Connector, page: _Page,
                items: dict[str, tuple[int, float | None]], existing: Existing,
                people: dict[str, int]) -> None:
    """One page's REST ids, evidence and the run's cursor, in one transaction."""
    with ctx.database.session() as session:
        links = ConnectorRepository(session)
        for person_id, lms_user_id in page.links:
            if connector.platform == "canvas":
                links.link_person(connector.id, person_id, lms_user_id)
        by_lms_id = ({lms: person for person, lms in links.lms_user_ids(
            connector.id, people.values()).items()} if connector.platform == "canvas"
            else people)
        batch = _evidence(ctx, page.outcomes, items, by_lms_id)
        created, updated = SyncRepository(session).write_result_evidence(
            ctx.tenant_id, batch, existing)
        ctx.add("native_outcomes", len(page.outcomes))
        ctx.add("evidence_created", created)
        ctx.add("evidence_updated", updated)
        if created:
            publish(session, ctx.tenant_id, EVIDENCE_ADDED, {
                "source": "connector", "course_id": ctx.course_id, "run_id": ctx.run_id,
                "created": created, "updated": updated})
        ctx.commit_page(SyncRepository(session), page.cursor)


def _evidence(ctx: SyncContext, outcomes: Sequence[NativeOutcome],
              items: dict[str, tuple[int, float | None]], people: dict[str, int]
              ) -> list[ResultEvidence]:
    """Completion for every completed outcome, a score over the maximum when graded; one
    of each per (person, item) even when several outcomes say it."""
    found: dict[tuple[int, str, str], ResultEvidence] = {}
    for outcome in outcomes:
        item, person_id = items.get(outcome.item_key), people.get(outcome.lms_user_id)
        if item is None or person_id is None:
            ctx.add("native_outcomes_unmatched")
            continue
        item_pk, maximum = item
        ref = f"native:{item_pk}:{person_id}"
        observed = _observed_at(outcome.observed_at, ctx.clock)
        kind = str(EvidenceKind.LMS_COMPLETION)
        found.setdefault((person_id, kind, ref), ResultEvidence(
            person_id, item_pk, kind, 1.0, observed, f"{ref}:completion"))
        top = outcome.maximum or maximum
        if outcome.score is not None and top:
            kind = str(EvidenceKind.LMS_SCORE)
            value = round(min(max(outcome.score / top, 0.0), 1.0), 6)
            found[(person_id, kind, ref)] = ResultEvidence(person_id, item_pk, kind, value,
                                                           observed, f"{ref}:score")
    return list(found.values())


def _observed_at(value: str | None, clock: Callable[[], datetime]) -> datetime:
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is not None:
                return parsed
        except ValueError:
            pass
    return clock()
