"""Module mapping is an instructor page: learners are refused, staff see a placeholder for now."""

from __future__ import annotations

from flask import Response

from lti_tool.lti.roles import View
from lti_tool.usecases.launch import LaunchSession

from .frame import render_widget


def page(launch: LaunchSession) -> Response:
    """403 for a learner; for an instructor or admin, a note that the mapping pages are coming."""
    if launch.role_view < View.INSTRUCTOR:
        response = render_widget("widgets/forbidden.html", launch, "Not available")
        response.status_code = 403
        return response
    return render_widget("widgets/mapping.html", launch, "Module mapping")
