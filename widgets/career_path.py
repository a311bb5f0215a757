"""The career-path widget: the lattice with current and goal roles, progress bars, the goal form."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue

from lti_tool.bootstrap import services
from lti_tool.domain.errors import InvalidInput
from lti_tool.domain.readiness import readiness_for
from lti_tool.domain.roles import RoleBlueprint
from lti_tool.usecases.badges.issuing import issue_badges_for
from lti_tool.usecases.current_role import current_role
from lti_tool.usecases.goals import declare_goals
from lti_tool.usecases.launch import LaunchSession
from lti_tool.usecases.readiness import LearnerLevels, next_role_ids
from lti_tool.web.translations import N_

from .frame import bp, check_form, current_launch, learner_levels, now, render_widget
from .lattice_drawing import draw_lattice
from .people_evidence import notice
from .progress import CompetencyBar, bars_for

WIDGET = "career_path"
NEXT_ROLES_SHOWN = 2


@dataclass(frozen=True)
class RoleProgress:
    """A goal (or suggested next) role with the learner's readiness and per-competency bars."""

    role: RoleBlueprint
    score: float | None
    bars: list[CompetencyBar]


def page(launch: LaunchSession) -> Response:
    """The learner's lattice, progress towards goals (or next roles) and the goal form."""
    learner = learner_levels(launch)
    context = learner.context
    current = None if context.person.current_role_id is None else str(
        context.person.current_role_id)
    goals = [role_id for role_id in context.goals
             if role_id in {r.id for r in context.lattice.roles}]
    lattice = context.lattice
    return render_widget(
        "widgets/career_path.html", launch, N_("My career path"),
        drawing=draw_lattice(lattice, current, set(goals)), lattice=lattice,
        names={role.id: role.name for role in lattice.roles},
        current_role=None if current is None else lattice.role(current),
        goal_roles=[lattice.role(g) for g in goals], goal_ids=set(goals),
        progress=_progress(learner, goals), showing_goals=bool(goals),
        choices=[role for role in lattice.roles if role.id != current],
        saved=request.args.get("saved") == "1", all_roles=lattice.roles,
        role_editable=current_role(services(current_app).database, launch.tenant_id,
                                   launch.person_id).editable, notice=notice())


def _progress(learner: LearnerLevels, goals: list[str]) -> list[RoleProgress]:
    """Progress towards each goal, or towards the best next roles when there is no goal."""
    lattice = learner.context.lattice
    role_ids = goals or next_role_ids(learner)[:NEXT_ROLES_SHOWN]
    found = []
    for role_id in role_ids:
        role = lattice.role(role_id)
        try:
            score: float | None = readiness_for(role, learner.levels, learner.evidence_kinds).score
        except InvalidInput:
            score = None
        found.append(RoleProgress(role, score, bars_for(learner, role)))
    return found


@bp.post("/career_path/goals")
def save_goals() -> ResponseReturnValue:
    """Save the launching learner's chosen target roles, then show the page again (PRG)."""
    launch = current_launch(WIDGET)
    check_form(launch)
    svc = services(current_app)
    declare_goals(svc.database, launch.tenant_id, launch.person_id, request.form.getlist("goal"))
    issue_badges_for(svc.database, svc.settings, launch.tenant_id, [launch.person_id], now())
    return redirect(url_for("widgets.show", widget=WIDGET, launch=launch.launch_id,
                            saved="1"), code=303)
