"""The badges widget: locked badges and what each still needs (issuing comes in a later issue)."""

from __future__ import annotations

from flask import Response, current_app

from lti_tool.bootstrap import services
from lti_tool.usecases.badge_progress import locked_badges
from lti_tool.usecases.launch import LaunchSession

from .frame import learner_levels, now, render_widget
from .progress import level_words, still_needed


def page(launch: LaunchSession) -> Response:
    """Next-role readiness badges for the learner's goals and competency badges, all locked."""
    learner = learner_levels(launch)
    badges = locked_badges(services(current_app).database, learner, now())
    return render_widget("widgets/badges.html", launch, "My badges", badges=badges,
                         learner=learner, still_needed=still_needed, level_words=level_words)
