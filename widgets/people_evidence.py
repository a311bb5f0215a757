"""People's evidence in the LMS frame: a learner's projects, self-ratings and current role;
an instructor's review queue and observations on the class view.

Each form posts here, the use case decides, and the page is shown again (PRG) with a notice
named by a fixed key: no user text travels in the URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from lti_tool.bootstrap import services
from lti_tool.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from lti_tool.domain.people_evidence import (
    ProjectSubmission,
    SelfRating,
    anchors_of,
    calibration_gap,
)
from lti_tool.domain.roles import RoleBlueprint
from lti_tool.domain.scales import ProficiencyLevel
from lti_tool.domain.taxonomy import BehaviouralAnchor, Competency, Framework
from lti_tool.usecases.badges.issuing import issue_badges_for
from lti_tool.usecases.class_view import ClassRoster
from lti_tool.usecases.current_role import choose_current_role
from lti_tool.usecases.launch import LaunchSession
from lti_tool.usecases.observations import (
    author_names,
    course_observations,
    record_observation,
    withdraw_observation,
)
from lti_tool.usecases.projects import (
    accept_project,
    return_project,
    review_queue,
    submit_project,
)
from lti_tool.usecases.readiness import LearnerLevels
from lti_tool.usecases.self_ratings import rate_self
from lti_tool.web.translations import N_

from .frame import bp, check_form, current_launch, now
from .staff_access import course_of, refused, staff_launch

# what each notice key says (marked for the catalogues; the page translates it when shown)
NOTICES = {
    "project_sent": ("good", N_("Your project was sent for review.")),
    "project_link": ("bad", N_("The link must start with https:// and name a host.")),
    "project_waiting": ("bad", N_("A project for this competency is already waiting for review.")),
    "rated": ("good", N_("Your self-rating was saved.")),
    "role_saved": ("good", N_("Your current role was saved.")),
    "role_hris": ("bad", N_("Your organisation's HR system sets your current role.")),
    "accepted": ("good", N_("The project was accepted.")),
    "returned": ("good", N_("The project was returned to the learner.")),
    "comment_needed": ("bad", N_("Write a comment so the learner knows what to change.")),
    "observed": ("good", N_("Your observation was recorded.")),
    "withdrawn": ("good", N_("Your observation was withdrawn.")),
    "anchor_needed": ("bad", N_("Pick the behavioural anchor you observed, at or below the "
                                "level.")),
    "invalid": ("bad", N_("That did not work: check the form and try again.")),
    "not_allowed": ("bad", N_("You may not do that for this learner.")),
    "gone": ("bad", N_("That was already reviewed or withdrawn.")),
}


@dataclass(frozen=True)
class CompetencyEvidence:
    """One competency of the target role as the learner sees it: level, self-rating, projects."""

    competency_id: str
    name: str
    level: float | None
    levels: tuple[ProficiencyLevel, ...]
    anchors: list[BehaviouralAnchor]
    rating: SelfRating | None
    gap: float | None
    submissions: list[ProjectSubmission]

    def anchor_text(self, level: int) -> str:
        return next((a.text for a in self.anchors if a.level == level), "")

    @property
    def level_choices(self) -> Markup:
        """The rating form's radio buttons, one per level of the scale with its behavioural
        anchor, the learner's own rating checked: built here, once per competency, rather
        than by ~6 template calls and escapes per level (the page's largest loop)."""
        rated = self.rating.level if self.rating else None
        anchors = {a.level: a.text for a in reversed(self.anchors)}  # the first per level
        parts = []
        for level in self.levels:
            anchor = anchors.get(level.value, "")
            text = f"{level.value}: {level.label}" + (f" — {anchor}" if anchor else "")
            checked = " checked" if rated is not None and rated == level.value else ""
            parts.append(f'\n        <label class="cp-check"><input type="radio" name="level" '
                         f'value="{escape(level.value)}"{checked} required> {escape(text)}'
                         f'</label>\n        ')
        return Markup("".join(parts))  # noqa: S704 - every value above is escaped

    @property
    def waiting(self) -> bool:
        return any(s.state == "submitted" for s in self.submissions)


def notice() -> tuple[str, str] | None:
    return NOTICES.get(request.args.get("notice", ""))


def learner_evidence(learner: LearnerLevels, role: RoleBlueprint,
                     ratings: dict[str, SelfRating],
                     found: list[ProjectSubmission]) -> list[CompetencyEvidence]:
    """The role's competencies with the learner's level, self-rating and submissions."""
    rows = []
    for requirement in role.requirements:
        try:
            competency, framework = learner.competency(requirement.competency_id)
        except NotFound:
            continue
        level = learner.levels.get(competency.id)
        rating = ratings.get(competency.id)
        rows.append(CompetencyEvidence(
            competency.id, competency.name, level, framework.scale.levels,
            anchors_of(framework, competency.id), rating,
            calibration_gap(None if rating is None else rating.level, level),
            [s for s in found if s.competency_id == competency.id]))
    return rows


def _back(widget: str, launch: LaunchSession, key: str, **args: Any) -> ResponseReturnValue:
    endpoint = "widgets.show_class_view" if widget == "class_view" else "widgets.show"
    extra: dict[str, Any] = {} if widget == "class_view" else {"widget": widget}
    return redirect(url_for(endpoint, launch=launch.launch_id, notice=key, **extra, **args,
                            _anchor="cp-notice"), code=303)


def _key_for(error: Exception, invalid: str = "invalid") -> str:
    if isinstance(error, NotAllowed):
        return "not_allowed"
    if isinstance(error, NotFound | Conflict):
        return "gone"
    return invalid


@bp.post("/readiness/projects")
def submit_project_form() -> ResponseReturnValue:
    """The launching learner submits an artifact link for one competency."""
    launch = current_launch("readiness")
    check_form(launch)
    svc, role = services(current_app), request.form.get("role") or None
    try:
        submit_project(svc.database, launch.tenant_id, launch.person_id,
                       request.form.get("competency", ""), request.form.get("url", ""),
                       request.form.get("title", ""), now())
    except InvalidInput as error:
        return _back("readiness", launch, "project_link" if "url" in error.errors
                     else "invalid", role=role)
    except Conflict:
        return _back("readiness", launch, "project_waiting", role=role)
    except NotFound:
        return _back("readiness", launch, "invalid", role=role)
    return _back("readiness", launch, "project_sent", role=role)


@bp.post("/readiness/self_rating")
def rate_self_form() -> ResponseReturnValue:
    """The launching learner rates themselves on one competency."""
    launch = current_launch("readiness")
    check_form(launch)
    role = request.form.get("role") or None
    try:
        rate_self(services(current_app).database, launch.tenant_id, launch.person_id,
                  request.form.get("competency", ""), request.form.get("level"), now())
    except (InvalidInput, NotFound) as error:
        return _back("readiness", launch, _key_for(error), role=role)
    return _back("readiness", launch, "rated", role=role)


@bp.post("/career_path/current_role")
def choose_role_form() -> ResponseReturnValue:
    """The launching learner says which role they hold now."""
    launch = current_launch("career_path")
    check_form(launch)
    try:
        choose_current_role(services(current_app).database, launch.tenant_id,
                            launch.person_id, request.form.get("current_role") or None)
    except Conflict:
        return _back("career_path", launch, "role_hris")
    except NotFound:
        return _back("career_path", launch, "invalid")
    return _back("career_path", launch, "role_saved")


def _staff_form() -> tuple[LaunchSession, ResponseReturnValue | None]:
    launch = staff_launch()
    refusal = refused(launch, "class_view")
    if refusal is None:
        check_form(launch)
        course_of(launch)  # a staff form works on the launch's own course only
    return launch, refusal


@bp.post("/class_view/projects/<int:submission_id>")
def review_project_form(submission_id: int) -> ResponseReturnValue:
    """Accept (at a level) or return (with a comment) a project of the course's learner."""
    launch, refusal = _staff_form()
    if refusal is not None:
        return refusal
    svc, course_id, role = services(current_app), course_of(launch), request.form.get("role")
    try:
        if request.form.get("decision") == "accept":
            done = accept_project(svc.database, launch.tenant_id, launch.person_id,
                                  submission_id, request.form.get("level"), now(), course_id)
            issue_badges_for(svc.database, svc.settings, launch.tenant_id,
                             [int(done.learner_id)], now())
            key = "accepted"
        else:
            return_project(svc.database, launch.tenant_id, launch.person_id, submission_id,
                           request.form.get("comment", ""), now(), course_id)
            key = "returned"
    except (InvalidInput, NotAllowed, NotFound, Conflict) as error:
        key = _key_for(error, "comment_needed" if request.form.get("decision") != "accept"
                       else "invalid")
    return _back("class_view", launch, key, role=role or None)


@bp.post("/class_view/observations")
def observe_form() -> ResponseReturnValue:
    """Record an observation of one of the course's learners."""
    launch, refusal = _staff_form()
    if refusal is not None:
        return refusal
    svc, form = services(current_app), request.form
    try:
        learner = int(form.get("learner", ""))
        record_observation(svc.database, launch.tenant_id, launch.person_id, learner,
                           form.get("competency", ""), form.get("level"),
                           form.get("anchor_level"), form.get("note", ""), now(),
                           course_of(launch))
        issue_badges_for(svc.database, svc.settings, launch.tenant_id, [learner], now())
        key = "observed"
    except ValueError:
        key = "invalid"
    except InvalidInput as error:
        key = "anchor_needed" if "anchor_level" in error.errors else "invalid"
    except (NotAllowed, NotFound, Conflict) as error:
        key = _key_for(error)
    return _back("class_view", launch, key, role=form.get("role") or None)


@bp.post("/class_view/observations/<int:observation_id>/withdraw")
def withdraw_form(observation_id: int) -> ResponseReturnValue:
    """Withdraw one's own observation."""
    launch, refusal = _staff_form()
    if refusal is not None:
        return refusal
    try:
        withdraw_observation(services(current_app).database, launch.tenant_id,
                             launch.person_id, observation_id, now())
        key = "withdrawn"
    except (NotAllowed, NotFound) as error:
        key = _key_for(error)
    return _back("class_view", launch, key, role=request.form.get("role") or None)


def readiness_evidence(learner: LearnerLevels, role: RoleBlueprint,
                       ratings: dict[str, SelfRating],
                       submitted: list[ProjectSubmission]) -> dict[str, object]:
    """What the readiness page shows of the learner's own projects and self-ratings (read
    with the learner's levels, in readiness_reads' unit of work)."""
    return {"evidence_rows": learner_evidence(learner, role, ratings, submitted),
            "notice": notice()}


@dataclass(frozen=True)
class ObservationChoice:
    """The competency picked for a new observation, with its scale and anchors."""

    learner_id: int
    learner_name: str
    competency_id: str
    name: str
    levels: tuple[ProficiencyLevel, ...]
    anchors: list[BehaviouralAnchor]


def class_evidence(launch: LaunchSession, roster: ClassRoster) -> dict[str, object]:
    """The class view's review queue, observations and the observation form's choices."""
    database, course_id = services(current_app).database, course_of(launch)
    names = {learner.person_id: learner.name for learner in roster.learners}
    catalogue = (roster.learners[0].context.competencies if roster.learners else {})
    seen = [o for o in course_observations(database, launch.tenant_id, course_id)
            if int(o.learner_id) in names]
    return {
        "queue": review_queue(database, launch.tenant_id, course_id),
        "observations": seen, "authors": author_names(database, launch.tenant_id, seen),
        "learner_names": names, "competency_names": {
            cid: pair[0].name for cid, pair in catalogue.items()},
        "observable": sorted(((cid, pair[0].name, pair[1].name)
                              for cid, pair in catalogue.items()),
                             key=lambda c: (c[2].casefold(), c[1].casefold())),
        "picked": _picked(names, catalogue), "evidence_notice": notice(),
    }


def _picked(names: dict[int, str], catalogue: Mapping[str, tuple[Competency, Framework]]
            ) -> ObservationChoice | None:
    """The learner and competency the observation form's first step chose, if both valid."""
    try:
        learner = int(request.args.get("observe", ""))
    except ValueError:
        return None
    pair = catalogue.get(request.args.get("competency", ""))
    if learner not in names or pair is None:
        return None
    competency, framework = pair
    return ObservationChoice(learner, names[learner], competency.id, competency.name,
                             framework.scale.levels, anchors_of(framework, competency.id))
