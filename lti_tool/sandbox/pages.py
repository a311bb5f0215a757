"""The LMS pages: courses, a course, the course frame around a launch, the login document."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for

from .launch import LaunchIntent, plan_launch, target_link_uri
from .platform import current_platform
from .state import SandboxError

bp = Blueprint("sandbox_pages", __name__)
PEOPLE_SHOWN = 60


@bp.get("/")
def index() -> str:
    """List the courses."""
    state = current_platform().state
    with state.lock:
        return render_template("index.html", courses=list(state.courses.values()))


@bp.get("/courses/<course_id>")
def course(course_id: str) -> str:
    """Show a course: its placed links (with launch-as links) and its people."""
    state = current_platform().state
    with state.lock:
        found = state.course(course_id)
        members = list(found.members.values())
        people = [_person(state, m) for m in members[:PEOPLE_SHOWN]]
        instructors = [p for p in people if p["kind"] == "instructor"]
        return render_template(
            "course.html",
            course=found,
            people=people,
            instructors=instructors,
            more_people=max(0, len(members) - PEOPLE_SHOWN),
            registrations=list(state.registrations.values()),
        )


def _person(state: Any, membership: Any) -> dict[str, Any]:
    return {
        "user": state.users[membership.user_id],
        "kind": membership.kind,
        "status": membership.status,
    }


@bp.get("/courses/<course_id>/links/<link_id>/launch")
def launch(course_id: str, link_id: str) -> str:
    """The course frame with an iframe that starts the tool's OIDC login."""
    return _frame(course_id, link_id)


@bp.get("/courses/<course_id>/deep_linking/launch")
def deep_link_launch(course_id: str) -> str:
    """The course frame for a deep linking request (instructors adding content)."""
    return _frame(course_id, None)


def _frame(course_id: str, link_id: str | None) -> str:
    platform = current_platform()
    user_id = _required_arg("user")
    intent = plan_launch(platform, course_id, link_id, user_id, request.args.get("client_id"))
    storage = request.args.get("storage") == "1"
    login_src = url_for(
        "sandbox_pages.login_document", hint=intent.hint(platform), storage="1" if storage else None
    )
    with platform.state.lock:
        found = platform.state.course(course_id)
        heading = found.links[link_id].title if link_id else "Add CareerPath content"
        return render_template(
            "frame.html",
            course=found,
            heading=heading,
            user=platform.state.user(user_id),
            message_type=intent.message_type,
            client_id=intent.client_id,
            storage=storage,
            login_src=login_src,
        )


@bp.get("/launch/login")
def login_document() -> str:
    """The iframe document that auto-submits the third-party-initiated login to the tool."""
    platform = current_platform()
    hint = _required_arg("hint")
    intent = LaunchIntent.from_hint(platform, hint)
    registration = platform.state.registration(intent.client_id)
    link = platform.state.link(intent.course_id, intent.link_id) if intent.link_id else None
    fields = {
        "iss": platform.settings.issuer,
        "login_hint": intent.user_id,
        "target_link_uri": target_link_uri(registration, link),
        "lti_message_hint": hint,
        "client_id": registration.client_id,
        "lti_deployment_id": intent.deployment_id,
    }
    if request.args.get("storage") == "1":
        fields["lti_storage_target"] = "_parent"
    return render_template(
        "autopost.html", action=registration.login_url, fields=fields, title="Opening the tool…"
    )


def _required_arg(name: str) -> str:
    value = request.args.get(name)
    if not value:
        raise SandboxError(f"The query parameter {name!r} is required")
    return value
