"""What a successful launch shows: the deep-linking picker or the launched widget."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import g, render_template
from flask.typing import ResponseReturnValue

from ..lti import claims as c
from ..lti.deep_linking_views import WIDGETS, picker
from ..lti.roles import LaunchView, observer_only
from ..usecases.launch import LaunchSession
from .translations import use_locale

# flask.g: what the launch read from the shared cache for its page (`page_reads`), by key
READ_ALONG = "careerpath_read_along"


def page_for(launch: LaunchSession, read: Mapping[str, Any] | None = None
             ) -> ResponseReturnValue:
    """The page for this launch's message type, view and `widget` custom parameter (`read`:
    what the launch read for it with its session's write, see `page_reads`)."""
    use_locale(launch.locale)  # in the launch's language, refusals included
    setattr(g, READ_ALONG, read or {})
    shown = shown_page(launch)
    if shown == "picker":
        return picker(launch)
    if shown == "mentor":  # a Mentor: the people they mentor, where enabled
        from widgets.mentor import page as mentor_page

        return mentor_page(launch)
    if shown == "admin":
        from ..admin import admin_home

        return admin_home(launch)
    from widgets import widget_page

    page = widget_page(launch)
    if page is not None:
        return page
    return render_template("lti/launched.html", launch=launch,
                           widget_title=WIDGETS.get(launch.widget, ""))


def shown_page(launch: LaunchSession) -> str:
    """Which page `page_for` shows: "picker", "mentor", "admin" or "widget"."""
    if launch.message_type == c.DEEP_LINKING_REQUEST:
        return "picker"
    if observer_only(launch.roles):
        return "mentor"
    if launch.widget == "admin" or (not launch.widget and launch.role_view is LaunchView.ADMIN):
        return "admin"
    return "widget"


def page_reads(launch: LaunchSession) -> tuple[str, ...]:
    """What the launch's page will read from the shared cache, for the launch to read with
    its session's write (the readiness widget's kept page: widgets.page_cache)."""
    if shown_page(launch) != "widget" or launch.widget != "readiness":
        return ()
    from widgets.page_cache import page_reads as kept_page_reads

    return kept_page_reads(launch, "readiness")
