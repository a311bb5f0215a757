"""The three stages of a course sync, each streaming pages and committing page by page."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from ...lms.ags import AssignmentsGradesService, LineItem, Result
from ...lms.http import HttpClient
from ...lms.nrps import Member, MembersPage, NamesRolesService
from ...lms.read_ahead import read_ahead
from ...records import CourseServices
from ...store.database import Database
from ...store.repositories.courses import CourseRepository
from ...store.repositories.sync import SyncRepository
from ..events import EVIDENCE_ADDED, publish
from ..score_passback import readiness_columns
from .result_evidence import PageEvidence, Stored, page_evidence
from .write_behind import Turn, WriteBehind

ROSTER_PAGE = 500
RESULTS_PAGE = 1000
# pages stored at once by the results stage, by database: SQLite takes one writer at a
# time; a PostgreSQL server inserts each connection's rows on a core of its own
PAGE_WRITERS = {"sqlite": 1, "postgresql": 3}


@dataclass
class SyncContext:
    """The state one sync run carries from page to page."""

    database: Database
    course_id: int
    tenant_id: int
    run_id: int
    services: CourseServices
    clock: Callable[[], datetime]
    counts: dict[str, int]
    nrps: NamesRolesService
    ags: AssignmentsGradesService
    request_baseline: int
    http: HttpClient
    resumed: bool = False
    cursor: dict[str, Any] = field(default_factory=dict)
    differences_url: str | None = None
    people: dict[str, int] = field(default_factory=dict)
    readiness_columns: list[tuple[LineItem, str]] | None = None
    current_items: set[str] | None = None

    def add(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount

    def commit_page(self, repo: SyncRepository, cursor: dict[str, Any]) -> None:
        """Record where the run stands, in the same transaction as the page's data."""
        self.cursor = cursor
        self.add("pages")
        repo.save_progress(self.run_id, cursor, self.counts)


Progress = Callable[[str, int], None]


def sync_roster(ctx: SyncContext, resume: dict[str, Any], progress: Progress) -> None:
    """NRPS pages → people and memberships; the differences link kept for next time (the
    next page is fetched while the last one is stored: lms.read_ahead)."""
    incremental = bool(ctx.services.differences_url and ctx.services.last_synced_at)
    url: str | None = resume.get("url") or (
        ctx.services.differences_url if incremental else ctx.services.memberships_url)
    first = not resume.get("url") and not incremental
    for page in read_ahead(_roster_pages(ctx, url, ROSTER_PAGE if first else None)):
        with ctx.database.session() as session:
            repo = SyncRepository(session)
            repo.commit_without_flush_wait()
            _write_members(ctx, repo, page.members)
            cursor = ({"stage": "roster", "url": page.next_url} if page.next_url
                      else {"stage": "line_items"})
            ctx.commit_page(repo, cursor)
        ctx.differences_url = page.differences_url or ctx.differences_url
        ctx.add("members", len(page.members))
        progress("roster", len(page.members))


def _roster_pages(ctx: SyncContext, url: str | None, limit: int | None
                  ) -> Iterator[MembersPage]:
    """Every roster page from `url` on (`limit` asked of the first only)."""
    while url:
        page = ctx.nrps.page(url, limit=limit)
        yield page
        url, limit = page.next_url, None


def _write_members(ctx: SyncContext, repo: SyncRepository, members: Sequence[Member]) -> None:
    erased = repo.erased_subs(ctx.tenant_id, [m.user_id for m in members])
    if erased:  # erased people stay erased: no person, membership or evidence again
        ctx.add("members_erased", len(erased))
        members = [m for m in members if m.user_id not in erased]
    subs = [m.user_id for m in members]
    known = repo.people_facts(ctx.tenant_id, subs)
    fresh = [_person_facts(m) for m in members if m.user_id not in known]
    repo.add_people(ctx.tenant_id, fresh)
    ctx.add("people_created", len(fresh))
    for member in members:
        if member.user_id in known and _changed_facts(member, known[member.user_id]):
            repo.update_person(known[member.user_id][0], _person_facts(member, with_sub=False))
            ctx.add("people_updated")
    ids = {sub: facts[0] for sub, facts in repo.people_facts(ctx.tenant_id, subs).items()}
    ctx.people.update(ids)
    _write_memberships(ctx, repo, members, ids)


def _write_memberships(ctx: SyncContext, repo: SyncRepository, members: Sequence[Member],
                       ids: dict[str, int]) -> None:
    existing = repo.memberships_of(ctx.course_id, [ids[m.user_id] for m in members])
    fresh = []
    for member in members:
        person_id, roles = ids[member.user_id], " ".join(member.roles)
        row = existing.get(person_id)
        if row is None:
            fresh.append({"person_id": person_id, "roles": roles, "status": member.status})
        elif (row[1], row[2]) != (roles, member.status):
            repo.update_membership(row[0], roles, member.status)
            ctx.add("memberships_updated")
    repo.add_memberships(ctx.course_id, fresh)
    ctx.add("memberships_created", len(fresh))


def _person_facts(member: Member, with_sub: bool = True) -> dict[str, str]:
    facts = {"name": member.name, "given_name": member.given_name,
             "family_name": member.family_name, "email": member.email}
    return {"sub": member.user_id, **facts} if with_sub else facts


def _changed_facts(member: Member, known: tuple[Any, ...]) -> bool:
    return tuple(known[1:]) != (member.name, member.given_name, member.family_name,
                                member.email)


def sync_line_items(ctx: SyncContext, _resume: dict[str, Any], progress: Progress) -> None:
    """AGS line items → LMS items of the course (title, maximum, tag, resource link)."""
    if not ctx.services.lineitems_url:
        return
    with ctx.database.session() as session:
        courses = CourseRepository(session)
        items = []
        for item in ctx.ags.line_items():
            items.append(item)
            courses.upsert_lms_item(ctx.course_id, "line_item", item.id, title=item.label,
                                    score_maximum=item.score_maximum, tag=item.tag or "",
                                    resource_link_id=item.resource_link_id or "")
            ctx.add("line_items")
        ctx.commit_page(SyncRepository(session), {"stage": "results", "item_index": 0})
    ctx.readiness_columns = readiness_columns(items)
    ctx.current_items = {item.id for item in items}
    progress("line_items", ctx.counts.get("line_items", 0))


def sync_results(ctx: SyncContext, resume: dict[str, Any], progress: Progress) -> None:
    """AGS results of every line item → completion and score evidence, page by page.

    Three things overlap: the next page is fetched (lms.read_ahead) while this one is
    mapped to evidence, and the last ones are stored (WriteBehind) meanwhile; pages are
    committed in order, each with its cursor (on PostgreSQL up to PAGE_WRITERS pages' rows
    are inserted at once, each page on a connection of its own).
    """
    if not ctx.services.lineitems_url:
        return
    if ctx.current_items is None:  # resumed straight into this stage: ask the LMS again
        ctx.current_items = {item.id for item in ctx.ags.line_items()}
    with ctx.database.read_session() as session:
        items = sorted((row.id, row.lms_id, row.score_maximum) for row in
                       SyncRepository(session).items_by_lms_id(ctx.course_id).values()
                       if row.lms_id in ctx.current_items)
    pages = _result_pages(ctx, items, int(resume.get("item_index", 0)), resume.get("url"))
    stored: Stored = {}
    with WriteBehind(PAGE_WRITERS.get(ctx.database.dialect, 1)) as writer:
        for page in read_ahead(pages):
            item_pk, _url, maximum = items[page.index]
            if page.first:
                stored = _stored_on(ctx, item_pk)
            mapped = page_evidence(ctx.people, partial(_find_people, ctx), ctx.clock,
                                   item_pk, maximum, page.results, stored)
            _report(progress, writer.submit(_store_results, ctx, item_pk, page, mapped))
        _report(progress, writer.drain())


def _stored_on(ctx: SyncContext, item_pk: int) -> Stored:
    """What is stored on the item now; the run keeps it current as it maps pages (the
    writer stores them in that order)."""
    with ctx.database.read_session() as session:
        return SyncRepository(session).result_evidence_of_item(ctx.tenant_id, item_pk)


def _report(progress: Progress, stored_pages: list[_ResultsPage]) -> None:
    for stored_page in stored_pages:
        if stored_page.following is None:
            progress("results", 1)  # the last page of a line item is stored


def _find_people(ctx: SyncContext, subs: list[str]) -> dict[str, int]:
    """Person ids of these subs, read beside the writer (a read-only unit of work)."""
    with ctx.database.read_session() as session:
        return SyncRepository(session).people_by_sub(ctx.tenant_id, subs)


@dataclass(frozen=True)
class _ResultsPage:
    """One page of a line item's results, as fetched."""

    index: int  # of the line item in the run's sorted items
    first: bool  # the first page this run reads of that item
    results: list[Result]
    following: str | None


def _result_pages(ctx: SyncContext, items: Sequence[tuple[int, str, float | None]],
                  start: int, resume_url: str | None) -> Iterator[_ResultsPage]:
    """Every results page of items[start:], in order (the first from `resume_url`)."""
    for index in range(start, len(items)):
        url = resume_url if index == start else None
        first = True
        while first or url:
            results, following = ctx.ags.results_page(
                items[index][1], url, limit=RESULTS_PAGE if first and url is None else None)
            yield _ResultsPage(index, first, results, following)
            first, url = False, following


def _store_results(ctx: SyncContext, item_pk: int, page: _ResultsPage,
                   mapped: PageEvidence, *, turn: Turn) -> _ResultsPage:
    """One page's evidence and the run's cursor, in one transaction (the writers' work:
    only they change `ctx.counts` and `ctx.cursor` while the results stage runs, each
    after its turn, so one at a time and in page order).

    Before its turn a page inserts only its new evidence, rows no other page of the run
    writes (`page_evidence` hands each key out once); updates of stored values, which a
    later page may repeat for the same row, wait for the turn (see WriteBehind)."""
    with ctx.database.session() as session:
        repo = SyncRepository(session)
        repo.commit_without_flush_wait()
        repo.add_item_evidence(ctx.tenant_id, item_pk, mapped.fresh)
        turn()
        repo.update_evidence_values(mapped.changed)
        created, updated = len(mapped.fresh), len(mapped.changed)
        ctx.add("evidence_created", created)
        ctx.add("evidence_updated", updated)
        if mapped.unknown:
            ctx.add("results_unknown_user", mapped.unknown)
        if created:
            publish(session, ctx.tenant_id, EVIDENCE_ADDED, {
                "source": "sync", "course_id": ctx.course_id, "run_id": ctx.run_id,
                "lms_item_id": item_pk, "created": created, "updated": updated})
        cursor = ({"stage": "results", "item_index": page.index, "url": page.following}
                  if page.following else {"stage": "results", "item_index": page.index + 1})
        ctx.commit_page(repo, cursor)
    ctx.add("results", len(page.results))
    return page
