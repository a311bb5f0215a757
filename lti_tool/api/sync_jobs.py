"""/api/v1/courses/<id>/syncs: start a background course sync, list runs, read one run."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, url_for
from flask_smorest import Blueprint
from marshmallow import fields

from ..bootstrap import services
from ..records import SyncRun
from ..usecases.sync import runs as sync_runs
from .callers import READ, WRITE, caller, requires
from .pagination import paged, window
from .request_cycle import install
from .schemas.common import PageArgs

bp = Blueprint("sync_jobs", __name__, description="Course syncs from the LMS (NRPS + AGS)")
API_TRIGGER = "api"


class SyncRunOut(ma.Schema):
    id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={
        "description": "queued, running, succeeded or failed"})
    trigger = fields.String(required=True, metadata={
        "description": "who started it: cli, launch, instructor, api"})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    error = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    started_at = fields.DateTime(required=True, allow_none=True)
    finished_at = fields.DateTime(required=True, allow_none=True)
    duration_seconds = fields.Float(required=True, allow_none=True)


class SyncStartedOut(ma.Schema):
    course_id = fields.Integer(required=True)
    job_id = fields.String(required=True, metadata={
        "description": "the background job; its run appears in the course's syncs"})
    status = fields.String(required=True)
    trigger = fields.String(required=True)


def run_json(run: SyncRun) -> dict[str, Any]:
    """A run with its duration (None until it has started and finished)."""
    duration = None if run.started_at is None or run.finished_at is None else round(
        (run.finished_at - run.started_at).total_seconds(), 3)
    return {"id": run.id, "course_id": run.course_id, "status": run.status,
            "trigger": run.trigger, "counts": run.counts, "error": run.error,
            "created_at": run.created_at, "started_at": run.started_at,
            "finished_at": run.finished_at, "duration_seconds": duration}


@bp.route("/courses/<id:course_id>/syncs", methods=["POST"])
@bp.response(202, SyncStartedOut)
@requires(WRITE)
def start_sync(course_id: int) -> Any:
    """Start a background sync of the course; 409 before the LMS announced its services
    (scope: write)."""
    svc = services(current_app)
    job_id = sync_runs.start_sync(svc.database, svc.jobs, caller().tenant_id, course_id,
                                  API_TRIGGER)
    location = url_for("sync_jobs.list_syncs", course_id=course_id)
    return ({"course_id": course_id, "job_id": job_id, "status": "queued",
             "trigger": API_TRIGGER}, {"Location": location})


@bp.route("/courses/<id:course_id>/syncs", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, SyncRunOut(many=True))
@requires(READ)
def list_syncs(args: dict[str, int], course_id: int) -> Any:
    """The course's sync runs, newest first (scope: read)."""
    offset, limit = window(args)
    page = sync_runs.list_runs(services(current_app).database, caller().tenant_id, course_id,
                               offset, limit)
    return paged(page, args, [run_json(run) for run in page.items])


@bp.route("/courses/<id:course_id>/syncs/<id:run_id>", methods=["GET"])
@bp.response(200, SyncRunOut)
@requires(READ)
def get_sync(course_id: int, run_id: int) -> Any:
    """One sync run: status, trigger, counts, timings, error (scope: read)."""
    return run_json(sync_runs.get_run(services(current_app).database, caller().tenant_id,
                                      course_id, run_id))


install(bp)
