"""Class view (instructors): heat-map and table of levels, readiness for a role, CSV, sync."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue

from lti_tool.bootstrap import services
from lti_tool.domain.errors import Conflict, NotFound
from lti_tool.lti.errors import LaunchError
from lti_tool.lti.views import frame_ancestors
from lti_tool.usecases.class_view import (
    ClassRoster,
    RoleReadiness,
    csv_rows,
    load_class,
    most_aimed_role,
    role_readiness,
    scale_legend,
    sorted_learners,
)
from lti_tool.usecases.launch import LaunchSession
from lti_tool.usecases.sync.runs import latest_runs, start_sync
from lti_tool.web.translations import N_

from .frame import bp, check_form, now
from .heat_map_drawing import draw_heat_map, draw_histogram, level_css
from .locale_format import LocaleFormat
from .people_evidence import class_evidence
from .staff_access import course_of, not_found, refused, render_staff, staff_launch
from .sync_history import sync_sentences

WIDGET = "class_view"
PAGE_SIZE = 100  # learners per page of the heat-map and table; aggregates cover all
UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")
NOTICES = {"started": N_("Sync started: it runs in the background. Reload this page to see "
                         "its progress."),
           "unavailable": N_("This course cannot be synced yet: the LMS has not announced its "
                             "roster and gradebook services. Launch CareerPath from the course "
                             "once, then try again.")}
# a sync run's status and what started it, in words (anything else is shown as stored)
RUN_WORDS = {"queued": N_("queued"), "running": N_("running"), "succeeded": N_("succeeded"),
             "failed": N_("failed"), "launch": N_("a launch"), "instructor": N_("an instructor"),
             "api": N_("the API"), "cli": N_("the command line"), "demo": N_("the demo")}


def page(launch: LaunchSession) -> Response:
    """The class of the launch's course; 403 for a learner."""
    refusal = refused(launch, WIDGET)
    if refusal is not None:
        return refusal
    svc, course_id = services(current_app), course_of(launch)
    database = svc.database
    try:
        roster = load_class(database, launch.tenant_id, course_id, svc.local,
                            svc.data_version())
        runs, syncable = latest_runs(database, launch.tenant_id, course_id)
    except NotFound:
        raise not_found(N_("course")) from None
    fmt = LocaleFormat.for_locale(launch.locale)
    sort, descending = request.args.get("sort", "name"), request.args.get("order") == "desc"
    learners = sorted_learners(roster, sort, descending)
    found = role_readiness(roster, chosen_role(roster, launch))
    paging = learner_page(len(learners), request.args.get("page", ""))
    learners = learners[paging.first - 1:paging.last]
    return render_staff(
        "widgets/class_view.html", launch, N_("Class view"), WIDGET, roster=roster,
        learners=learners, heat=draw_heat_map(learners, roster.columns, fmt),
        paging=paging, page_link=_page_link(launch, found, sort, descending),
        legend=scale_legend(roster.columns), level_css=level_css, sort=sort,
        descending=descending, sort_link=_sort_link(launch, found, sort, descending),
        found=found, bars=None if found is None else draw_histogram(found.distribution),
        readiness_of={} if found is None else {lr.person_id: r for lr, r in found.results},
        runs=runs, run_words=RUN_WORDS, syncable=syncable,
        notice=NOTICES.get(request.args.get("sync", "")),
        sync_sentences=sync_sentences, **class_evidence(launch, roster))


@dataclass(frozen=True)
class LearnerPage:
    """Which learners (1-based, inclusive) a page of the class shows, of how many pages."""

    number: int
    pages: int
    first: int
    last: int
    total: int


def learner_page(total: int, asked: str, size: int | None = None) -> LearnerPage:
    """The asked page of `total` learners (the first for anything not a page number)."""
    size = size or PAGE_SIZE
    pages = max(1, -(-total // size))
    number = int(asked) if asked.isdigit() and 1 <= int(asked) <= pages else 1
    return LearnerPage(number, pages, min((number - 1) * size + 1, total),
                       min(number * size, total), total)


def _page_link(launch: LaunchSession, found: RoleReadiness | None, sort: str,
               descending: bool) -> Any:
    """A function giving the URL of page `number` in the same order and role."""
    role = None if found is None else found.role.id

    def link(number: int) -> str:
        return url_for("widgets.show_class_view", launch=launch.launch_id, role=role,
                       sort=sort, order="desc" if descending else "asc", page=number,
                       _anchor="class-table")
    return link


def chosen_role(roster: ClassRoster, launch: LaunchSession) -> str:
    """The asked role, else the placed target role, else the role most learners aim for,
    else the first measurable role."""
    ids = [role.id for role in roster.roles]
    for wanted in (request.args.get("role", ""), str(launch.custom.get("target_role", "")),
                   most_aimed_role(roster) or ""):
        if wanted in ids:
            return wanted
    return ids[0] if ids else ""


def _sort_link(launch: LaunchSession, found: RoleReadiness | None, sort: str,
               descending: bool) -> Any:
    """A function giving the URL that sorts by `key` (again: the other way round)."""
    role = None if found is None else found.role.id

    def link(key: str) -> str:
        order = ("asc" if descending else "desc") if key == sort else (
            "asc" if key == "name" else "desc")
        return url_for("widgets.show_class_view", launch=launch.launch_id, role=role,
                       sort=key, order=order, _anchor="class-table")

    return link


@bp.get("/class_view")
def show_class_view() -> Response:
    """The class view for a class-view or mapping launch."""
    return page(staff_launch())


@bp.get("/class_view.csv")
def class_csv() -> ResponseReturnValue:
    """The class as CSV: learner, email, levels, readiness for the role, ready."""
    launch = staff_launch()
    refusal = refused(launch, WIDGET)
    if refusal is not None:
        return refusal
    try:
        svc = services(current_app)
        roster = load_class(svc.database, launch.tenant_id, course_of(launch), svc.local,
                            svc.data_version())
    except NotFound:
        raise not_found(N_("course")) from None
    found = role_readiness(roster, chosen_role(roster, launch))
    if found is None:
        raise LaunchError("There is no role to measure readiness against.",
                          "Define roles with required competencies first.", status=404)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(roster, found))
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    name = csv_filename(roster, found)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Content-Security-Policy"] = frame_ancestors(launch.platform_origins)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def csv_filename(roster: ClassRoster, found: RoleReadiness) -> str:
    """`class-DAF101-senior-data-analyst-2026-03-05.csv`: ASCII letters, digits, . _ - only."""
    course = roster.course.label or roster.course.title or str(roster.course.id)
    stem = f"class-{course}-{found.role.name}-{now().date().isoformat()}"
    return UNSAFE_FILENAME.sub("-", stem.lower()).strip("-.")[:120] + ".csv"


@bp.post("/class_view/sync")
def sync_now() -> ResponseReturnValue:
    """Queue a background sync of the launch's course, then show the class view (PRG)."""
    launch = staff_launch()
    refusal = refused(launch, WIDGET)
    if refusal is not None:
        return refusal
    check_form(launch)
    svc, course_id = services(current_app), course_of(launch)
    try:
        start_sync(svc.database, svc.jobs, launch.tenant_id, course_id, "instructor")
        syncable = True
    except Conflict:
        syncable = False
    return redirect(url_for("widgets.show_class_view", launch=launch.launch_id,
                            role=request.form.get("role") or None,
                            sync="started" if syncable else "unavailable",
                            _anchor="sync-h"), code=303)
