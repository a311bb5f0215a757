"""The Mentor's page: the people an LMS Mentor (a manager) may observe, and their observations.

A launch whose only course role is Mentor (Canvas's observer, a manager in a workplace LMS)
lands here. Whom it shows comes from the launch session (the platform's signed
role_scope_mentor claim) and the HRIS data, never from a form; where the tenant has not
turned managers' observations on, the page says so and shows no one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue

from lti_tool.bootstrap import services
from lti_tool.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from lti_tool.domain.people_evidence import anchors_of
from lti_tool.domain.scales import ProficiencyLevel
from lti_tool.domain.taxonomy import BehaviouralAnchor
from lti_tool.lti.roles import observer_only
from lti_tool.usecases.badges.issuing import issue_badges_for
from lti_tool.usecases.launch import LaunchSession
from lti_tool.usecases.mentoring import Mentee, MentorPeople, mentor_people
from lti_tool.usecases.observations import record_observation, withdraw_observation
from lti_tool.web.launch_binding import current_launch_session
from lti_tool.web.translations import N_, use_locale

from .frame import bp, check_form, now, render_widget
from .people_evidence import NOTICES

TITLE = N_("People I mentor")


@dataclass(frozen=True)
class MentorForm:
    """The competency a Mentor picked to observe a mentee on, with its scale and anchors."""

    mentee: Mentee
    competency_id: str
    name: str
    levels: tuple[ProficiencyLevel, ...]
    anchors: list[BehaviouralAnchor]


def mentor_launch() -> LaunchSession:
    """The launch named by the request, in its language."""
    launch = current_launch_session(request.values.get("launch", ""))
    use_locale(launch.locale)
    return launch


def refusal(launch: LaunchSession) -> Response:
    """403: this is not a Mentor's launch, or the Mentor may not do that."""
    response = render_widget("widgets/mentor_refused.html", launch, N_("Not available"),
                             view_label=N_("Mentor"))
    response.status_code = 403
    return response


def _people(launch: LaunchSession) -> MentorPeople:
    return mentor_people(services(current_app).database, launch.tenant_id, launch.person_id,
                         launch.mentees)


def page(launch: LaunchSession) -> Response:
    """The Mentor's people, one observation form each; for any other launch a 403."""
    if not observer_only(launch.roles):
        return refusal(launch)
    people = _people(launch)
    if not people.enabled:
        return render_widget("widgets/mentor_disabled.html", launch, TITLE,
                             view_label=N_("Mentor"))
    competencies = {c.id: (c, f) for f in people.frameworks for c in f.competencies}
    return render_widget(
        "widgets/mentor.html", launch, TITLE, view_label=N_("Mentor"), people=people,
        observable=sorted(((c.id, c.name, f.name) for c, f in competencies.values()),
                          key=lambda c: (c[2].casefold(), c[1].casefold())),
        competency_names={cid: pair[0].name for cid, pair in competencies.items()},
        picked=_picked(people, competencies), notice=NOTICES.get(request.args.get("notice", "")))


def _picked(people: MentorPeople, competencies: dict[str, Any]) -> MentorForm | None:
    """The mentee and competency the first step chose, if both are the Mentor's to observe."""
    mentee = next((m for m in people.mentees
                   if str(m.person_id) == request.args.get("observe", "")), None)
    pair = competencies.get(request.args.get("competency", ""))
    if mentee is None or pair is None:
        return None
    competency, framework = pair
    return MentorForm(mentee, competency.id, competency.name, framework.scale.levels,
                      anchors_of(framework, competency.id))


def _back(launch: LaunchSession, key: str) -> ResponseReturnValue:
    return redirect(url_for("widgets.show_mentor", launch=launch.launch_id, notice=key,
                            _anchor="cp-notice"), code=303)


def _mentor_form() -> tuple[LaunchSession, MentorPeople | None]:
    """The Mentor launch of a POST (CSRF checked) and its people; None: refuse with 403."""
    launch = mentor_launch()
    if not observer_only(launch.roles):
        return launch, None
    check_form(launch)
    people = _people(launch)
    return launch, people if people.enabled else None


@bp.get("/mentor")
def show_mentor() -> Response:
    """The Mentor's page again (after a form)."""
    return page(mentor_launch())


@bp.post("/mentor/observations")
def mentor_observe_form() -> ResponseReturnValue:
    """Record an observation of one of the Mentor's own people."""
    launch, people = _mentor_form()
    form = request.form
    try:
        learner = int(form.get("learner", ""))
    except ValueError:
        learner = 0
    if people is None or learner not in people.ids:
        return refusal(launch)
    svc = services(current_app)
    try:
        record_observation(svc.database, launch.tenant_id, launch.person_id, learner,
                           form.get("competency", ""), form.get("level"),
                           form.get("anchor_level"), form.get("note", ""), now(),
                           launch.course_id, mentees=people.ids)
    except NotAllowed:
        return refusal(launch)
    except InvalidInput as error:
        return _back(launch, "anchor_needed" if "anchor_level" in error.errors else "invalid")
    except (NotFound, Conflict):
        return _back(launch, "invalid")
    issue_badges_for(svc.database, svc.settings, launch.tenant_id, [learner], now())
    return _back(launch, "observed")


@bp.post("/mentor/observations/<int:observation_id>/withdraw")
def mentor_withdraw_form(observation_id: int) -> ResponseReturnValue:
    """Withdraw one of the Mentor's own observations (anyone else's: 403)."""
    launch, people = _mentor_form()
    if people is None:
        return refusal(launch)
    try:
        withdraw_observation(services(current_app).database, launch.tenant_id,
                             launch.person_id, observation_id, now())
    except NotAllowed:
        return refusal(launch)
    except NotFound:
        return _back(launch, "gone")
    return _back(launch, "withdrawn")
