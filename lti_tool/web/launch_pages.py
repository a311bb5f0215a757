"""What a successful launch shows: the deep-linking picker or the launched widget."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from ..lti import claims as c
from ..lti.deep_linking_views import WIDGETS, picker
from ..lti.roles import LaunchView, observer_only
from ..usecases.launch import LaunchSession
from .translations import use_locale


def page_for(launch: LaunchSession) -> ResponseReturnValue:
    """The page for this launch's message type, view and `widget` custom parameter."""
    use_locale(launch.locale)  # in the launch's language, refusals included
    if launch.message_type == c.DEEP_LINKING_REQUEST:
        return picker(launch)
    if observer_only(launch.roles):  # a Mentor: the people they mentor, where enabled
        from widgets.mentor import page as mentor_page

        return mentor_page(launch)
    if launch.widget == "admin" or (not launch.widget and launch.role_view is LaunchView.ADMIN):
        from ..admin import admin_home

        return admin_home(launch)
    from widgets import widget_page

    page = widget_page(launch)
    if page is not None:
        return page
    return render_template("lti/launched.html", launch=launch,
                           widget_title=WIDGETS.get(launch.widget, ""))
