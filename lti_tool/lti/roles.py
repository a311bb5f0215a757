"""LTI roles → what the user sees: learner, instructor or admin views."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

VOCAB = "http://purl.imsglobal.org/vocab/lis/v2/"
SYSTEM_ADMIN = VOCAB + "system/person#Administrator"
INSTITUTION_ADMIN = VOCAB + "institution/person#Administrator"

# `Mentor` is not here: Canvas sends its observers (parents, advisers) as `membership#Mentor`;
# they may never see a class roster, export it, edit rules or start syncs
_INSTRUCTOR_CONTEXT_ROLES = {"Instructor", "TeachingAssistant", "ContentDeveloper",
                             "Administrator"}
_LEARNER_CONTEXT_ROLES = {"Learner", "Member"}


class LaunchView(IntEnum):
    """What a launch may open; a higher value includes the lower ones' rights."""

    LEARNER = 1
    INSTRUCTOR = 2
    ADMIN = 3


def view_for(roles: Iterable[str]) -> LaunchView:
    """The highest view the roles allow; unknown or no roles get the learner view.

    Only system or institution Administrator opens admin pages: a *context*
    Administrator (Open edX gives it to every course instructor) is a course role.
    """
    best = LaunchView.LEARNER
    for role in roles:
        if not isinstance(role, str):
            continue
        if role in (SYSTEM_ADMIN, INSTITUTION_ADMIN):
            return LaunchView.ADMIN
        if _context_role(role) in _INSTRUCTOR_CONTEXT_ROLES:
            best = LaunchView.INSTRUCTOR
    return best


def _context_role(role: str) -> str:
    """The principal context role: `Instructor` for `membership#Instructor`, for the sub-role
    `membership/Instructor#TeachingAssistant` and for the short name `Instructor`."""
    prefix = VOCAB + "membership"
    if role.startswith(prefix + "/"):
        return role[len(prefix) + 1:].split("#", 1)[0]
    if role.startswith(prefix + "#"):
        return role[len(prefix) + 1:]
    if role.startswith(("http://", "https://")):
        return ""
    return role.strip()


def observer_only(roles: Iterable[str]) -> bool:
    """A Mentor (Canvas's observer) with no learner, instructor or admin role of its own.

    Such a launch opens the Mentor's page (the people its role_scope_mentor claim names),
    whichever link it came from: a mentor's own (empty) learner pages would only mislead.
    """
    context = {_context_role(r) for r in roles if isinstance(r, str)}
    return ("Mentor" in context and view_for(roles) is LaunchView.LEARNER
            and not context & _LEARNER_CONTEXT_ROLES)
