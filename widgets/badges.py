"""The badges widget: the learner's earned badges, then the locked ones and what each needs."""

from __future__ import annotations

from flask import Response, current_app

from lti_tool.bootstrap import services
from lti_tool.usecases.badges.issued import badge_result, badges_of
from lti_tool.usecases.badges.progress import locked_badges
from lti_tool.usecases.launch import LaunchSession
from lti_tool.web.translations import N_

from .frame import learner_levels, now, render_widget
from .progress import level_words, still_needed


def page(launch: LaunchSession) -> Response:
    """Earned (unrevoked) badges with verify and download links; then the locked
    next-role readiness badges for the learner's goals and the competency badges."""
    database = services(current_app).database
    learner = learner_levels(launch)
    earned = [b for b in badges_of(database, launch.person_id) if not b.revoked]
    held = {b.achievement_key for b in earned}
    badges = locked_badges(database, learner, now())
    role_badges = [r for r in badges.role_badges if f"role-{r.role.id}" not in held]
    competency_badges = [b for b in badges.competency_badges
                         if f"competency-{b.competency.id}" not in held]
    return render_widget("widgets/badges.html", launch, N_("My badges"), earned=earned,
                         role_badges=role_badges, competency_badges=competency_badges,
                         any_competency_badge=bool(badges.competency_badges),
                         badge_result=badge_result, learner=learner,
                         still_needed=still_needed, level_words=level_words)
