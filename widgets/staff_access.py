"""What the instructor pages share: the staff launch, the 403 for learners, the framed page."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from lti_tool.lti.errors import LaunchError
from lti_tool.lti.roles import LaunchView
from lti_tool.usecases.launch import LaunchSession
from lti_tool.web.launch_binding import current_launch_session
from lti_tool.web.translations import N_, gettext, use_locale

from .frame import render_widget

STAFF_WIDGETS = frozenset({"mapping", "class_view"})


def staff_launch() -> LaunchSession:
    """The launch named by the request, opened on an instructor page (mapping or class view)."""
    launch = current_launch_session(request.values.get("launch", ""))
    use_locale(launch.locale)
    if launch.widget not in STAFF_WIDGETS:
        raise LaunchError(gettext("This link does not open a CareerPath instructor page."),
                          gettext("Use the CareerPath link placed in the course."), status=404)
    return launch


def course_of(launch: LaunchSession) -> int:
    """The launch's own course: never one a request names."""
    if launch.course_id is None:
        raise LaunchError(gettext("This launch did not come from a course."),
                          gettext("Open the instructor pages from a link inside the course."),
                          status=400)
    return launch.course_id


def refused(launch: LaunchSession, page: str) -> Response | None:
    """A 403 page for a learner; None for an instructor or admin."""
    if launch.role_view >= LaunchView.INSTRUCTOR:
        return None
    response = render_widget("widgets/forbidden.html", launch, N_("Not available"), page=page)
    response.status_code = 403
    return response


def not_found(what: str) -> LaunchError:
    return LaunchError(gettext("Not part of this course: %(what)s.", what=gettext(what)),
                       gettext("Reload the page from the course and try again."), status=404)


def render_staff(template: str, launch: LaunchSession, title: str, page: str,
                 **context: Any) -> Response:
    """An instructor page (`page` is marked current in the navigation), framed as widgets are."""
    return render_widget(template, launch, title, current_page=page, **context)
