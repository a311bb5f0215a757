"""Learner widgets shown inside the LMS frame: career path, readiness, badges (and mapping)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response

from lti_tool.lti.errors import LaunchError
from lti_tool.usecases.launch import LaunchSession

from . import (  # noqa: F401
    badges,
    career_path,
    class_view,
    mapping,
    mentor,
    my_data,
    people_evidence,
    readiness,
)
from .frame import bp, current_launch

WIDGET_PAGES: dict[str, Callable[[LaunchSession], Response]] = {
    "career_path": career_path.page,
    "readiness": readiness.page,
    "badges": badges.page,
    "mapping": mapping.page,
    "class_view": class_view.page,
}


def widget_page(launch: LaunchSession) -> Response | None:
    """The page of the launch's widget, or None when the launch names no known widget."""
    page = WIDGET_PAGES.get(launch.widget)
    return None if page is None else page(launch)


@bp.get("/<widget>")
def show(widget: str) -> Response:
    """A widget page again inside the frame (after a form, or to switch the target role)."""
    if widget not in WIDGET_PAGES:
        raise LaunchError(f"There is no CareerPath widget called {widget!r:.60}.",
                          "Place the widget again from the course.", status=404)
    return WIDGET_PAGES[widget](current_launch(widget))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
