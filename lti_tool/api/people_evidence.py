"""/api/v1: applied projects, observations, self-ratings, current role, reporting lines.

The same rules as in the LMS: the reviewer or author named in the body must teach the
learner (or manage them, where the tenant allows managers); a widget token acts only for
its own person; another tenant's objects are 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from ..bootstrap import services
from ..domain.people_evidence import Observation, ProjectSubmission
from ..usecases import current_role as roles
from ..usecases import observations, projects, self_ratings
from ..usecases import tenant_evidence_settings as settings
from ..usecases.badges.issuing import issue_badges_for
from .callers import ADMIN, READ, WRITE, caller, requires
from .request_cycle import install
from .schemas.people_evidence import (
    CurrentRoleIn,
    CurrentRoleOut,
    EvidenceSettingsIn,
    EvidenceSettingsOut,
    ObservationIn,
    ObservationOut,
    ProjectAcceptIn,
    ProjectIn,
    ProjectOut,
    ProjectReturnIn,
    SelfRatingIn,
    SelfRatingOut,
    WithdrawIn,
)

bp = Blueprint("people_evidence", __name__,
               description="Applied projects, observations, self-ratings and current roles")


def _db() -> Any:
    return services(current_app).database


def _now() -> datetime:
    return datetime.now(UTC)


def project_json(s: ProjectSubmission) -> dict[str, Any]:
    return {"id": int(s.id), "person_id": int(s.learner_id),
            "competency_id": int(s.competency_id), "title": s.title, "url": s.url,
            "state": str(s.state), "submitted_at": s.submitted_at,
            "reviewer_id": None if s.reviewer_id is None else int(s.reviewer_id),
            "reviewed_at": s.reviewed_at, "level": s.level, "comment": s.comment}


def observation_json(o: Observation) -> dict[str, Any]:
    return {"id": int(o.id), "person_id": int(o.learner_id),
            "competency_id": int(o.competency_id),
            "author_id": int(o.author_id) if o.author_id else None,
            "as_manager": o.as_manager, "level": o.level, "anchor": o.anchor,
            "note": o.note, "observed_at": o.observed_at}


@bp.route("/people/<id:person_id>/projects", methods=["GET"])
@bp.response(200, ProjectOut(many=True))
@requires(READ, widget=True)
def list_projects(person_id: int) -> Any:
    """A person's project submissions, newest first (scope: read, or their widget token)."""
    return [project_json(s) for s in projects.submissions(_db(), caller().tenant_id, person_id)]


@bp.route("/people/<id:person_id>/projects", methods=["POST"])
@bp.arguments(ProjectIn)
@bp.response(201, ProjectOut)
@requires(WRITE, widget=True)
def submit_project(data: dict[str, Any], person_id: int) -> Any:
    """Submit an artifact link (https) for a competency (scope: write, or their widget token)."""
    return project_json(projects.submit_project(
        _db(), caller().tenant_id, person_id, data["competency_id"], data["url"],
        data["title"], _now()))


@bp.route("/courses/<id:course_id>/project-queue", methods=["GET"])
@bp.response(200, ProjectOut(many=True))
@requires(READ)
def project_queue(course_id: int) -> Any:
    """Submissions of the course's learners waiting for review, oldest first (scope: read)."""
    return [project_json(q.submission)
            for q in projects.review_queue(_db(), caller().tenant_id, course_id)]


@bp.route("/projects/<id:submission_id>/accept", methods=["POST"])
@bp.arguments(ProjectAcceptIn)
@bp.response(200, ProjectOut)
@requires(WRITE)
def accept_project(data: dict[str, Any], submission_id: int) -> Any:
    """Accept a waiting submission at a level of the framework's scale (scope: write)."""
    svc, tenant = services(current_app), caller().tenant_id
    done = projects.accept_project(svc.database, tenant, data["reviewer_id"], submission_id,
                                   data["level"], _now(), data["course_id"])
    issue_badges_for(svc.database, svc.settings, tenant, [int(done.learner_id)], _now())
    return project_json(done)


@bp.route("/projects/<id:submission_id>/return", methods=["POST"])
@bp.arguments(ProjectReturnIn)
@bp.response(200, ProjectOut)
@requires(WRITE)
def return_project(data: dict[str, Any], submission_id: int) -> Any:
    """Return a waiting submission with a comment (scope: write)."""
    return project_json(projects.return_project(
        _db(), caller().tenant_id, data["reviewer_id"], submission_id, data["comment"],
        _now(), data["course_id"]))


@bp.route("/people/<id:person_id>/observations", methods=["GET"])
@bp.response(200, ObservationOut(many=True))
@requires(READ)
def list_observations(person_id: int) -> Any:
    """A person's standing observations, newest first (scope: read)."""
    return [observation_json(o) for o in observations.observations_of(
        _db(), caller().tenant_id, person_id)]


@bp.route("/people/<id:person_id>/observations", methods=["POST"])
@bp.arguments(ObservationIn)
@bp.response(201, ObservationOut)
@requires(WRITE)
def record_observation(data: dict[str, Any], person_id: int) -> Any:
    """Record an observation: level, behavioural anchor, note, by its author (scope: write)."""
    return observation_json(observations.record_observation(
        _db(), caller().tenant_id, data["author_id"], person_id, data["competency_id"],
        data["level"], data["anchor_level"], data["note"], _now(), data["course_id"]))


@bp.route("/observations/<id:observation_id>/withdraw", methods=["POST"])
@bp.arguments(WithdrawIn)
@bp.response(204)
@requires(WRITE)
def withdraw_observation(data: dict[str, Any], observation_id: int) -> None:
    """Withdraw an observation: only its author may (scope: write)."""
    observations.withdraw_observation(_db(), caller().tenant_id, data["author_id"],
                                      observation_id, _now())


@bp.route("/people/<id:person_id>/self-ratings", methods=["GET"])
@bp.response(200, SelfRatingOut(many=True))
@requires(READ, widget=True)
def list_self_ratings(person_id: int) -> Any:
    """Self-ratings beside the evidence-based level (scope: read, or their widget token)."""
    return [{"competency_id": int(c.rating.competency_id), "level": c.rating.level,
             "anchor": c.rating.anchor, "rated_at": c.rating.rated_at,
             "evidence_level": c.evidence_level, "gap": c.gap}
            for c in self_ratings.calibration(_db(), caller().tenant_id, person_id)]


@bp.route("/people/<id:person_id>/self-ratings/<id:competency_id>", methods=["PUT"])
@bp.arguments(SelfRatingIn)
@bp.response(200, SelfRatingOut)
@requires(WRITE, widget=True)
def rate_self(data: dict[str, Any], person_id: int, competency_id: int) -> Any:
    """Rate oneself on a competency (scope: write, or their widget token)."""
    db, tenant = _db(), caller().tenant_id
    self_ratings.rate_self(db, tenant, person_id, competency_id, data["level"], _now())
    found = next(c for c in self_ratings.calibration(db, tenant, person_id)
                 if c.rating.competency_id == str(competency_id))
    return {"competency_id": competency_id, "level": found.rating.level,
            "anchor": found.rating.anchor, "rated_at": found.rating.rated_at,
            "evidence_level": found.evidence_level, "gap": found.gap}


@bp.route("/people/<id:person_id>/current-role", methods=["GET"])
@bp.response(200, CurrentRoleOut)
@requires(READ, widget=True)
def get_current_role(person_id: int) -> Any:
    """The person's current role and who sets it (scope: read, or their widget token)."""
    found = roles.current_role(_db(), caller().tenant_id, person_id)
    return {"person_id": found.person_id, "role_id": found.role_id, "source": found.source}


@bp.route("/people/<id:person_id>/current-role", methods=["PUT"])
@bp.arguments(CurrentRoleIn)
@bp.response(200, CurrentRoleOut)
@requires(WRITE, widget=True)
def choose_current_role(data: dict[str, Any], person_id: int) -> Any:
    """Choose the current role from the lattice; 409 when the HRIS sets it (scope: write,
    or their widget token)."""
    found = roles.choose_current_role(_db(), caller().tenant_id, person_id, data["role_id"])
    return {"person_id": found.person_id, "role_id": found.role_id, "source": found.source}


@bp.route("/people/<id:person_id>/managers/<id:manager_id>", methods=["PUT"])
@bp.response(204)
@requires(WRITE)
def add_manager(person_id: int, manager_id: int) -> None:
    """Record from the HRIS that `manager_id` manages the person (scope: write)."""
    settings.set_manager(_db(), caller().tenant_id, person_id, manager_id, True)


@bp.route("/people/<id:person_id>/managers/<id:manager_id>", methods=["DELETE"])
@bp.response(204)
@requires(WRITE)
def remove_manager(person_id: int, manager_id: int) -> None:
    """End a reporting line (scope: write)."""
    settings.set_manager(_db(), caller().tenant_id, person_id, manager_id, False)


@bp.route("/settings/evidence", methods=["GET"])
@bp.response(200, EvidenceSettingsOut)
@requires(READ)
def get_evidence_settings() -> Any:
    """Whether managers may observe and whether self-ratings count (scope: read)."""
    return settings.evidence_settings(_db(), caller().tenant_id)


@bp.route("/settings/evidence", methods=["PATCH"])
@bp.arguments(EvidenceSettingsIn)
@bp.response(200, EvidenceSettingsOut)
@requires(ADMIN)
def change_evidence_settings(data: dict[str, Any]) -> Any:
    """Turn managers' observations or counting self-ratings on or off (scope: admin)."""
    return settings.change_evidence_settings(_db(), caller().tenant_id, **data)


install(bp)
