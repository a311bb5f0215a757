"""LTI roles → views, including the refinements DESIGN.md lists."""

from __future__ import annotations

import pytest

from lti_tool.lti.roles import View, view_for

V = "http://purl.imsglobal.org/vocab/lis/v2/"


@pytest.mark.parametrize(("roles", "view"), [
    ([V + "membership#Learner"], View.LEARNER),
    ([V + "institution/person#Student"], View.LEARNER),
    (["Learner"], View.LEARNER),
    ([V + "membership#Instructor"], View.INSTRUCTOR),
    ([V + "membership/Instructor#TeachingAssistant"], View.INSTRUCTOR),
    ([V + "membership#ContentDeveloper"], View.INSTRUCTOR),
    (["Instructor"], View.INSTRUCTOR),
    (["TeachingAssistant"], View.INSTRUCTOR),
    ([V + "membership#Administrator", V + "membership#Instructor"], View.INSTRUCTOR),
    ([V + "system/person#Administrator"], View.ADMIN),
    ([V + "institution/person#Administrator", V + "membership#Learner"], View.ADMIN),
    ([V + "system/person#None", V + "membership#Learner"], View.LEARNER),
    (["http://example.com/roles#Wizard"], View.LEARNER),
    ([], View.LEARNER),
    ([None, 42], View.LEARNER),
    ([V + "membership#Mentor"], View.LEARNER),  # Canvas's observer: never instructor powers
    ([V + "membership/Mentor#Advisor"], View.LEARNER),
    ([V + "membership#Mentor", V + "membership#Instructor"], View.INSTRUCTOR),
])
def test_view_for(roles: list[str], view: View) -> None:
    assert view_for(roles) == view


def test_order_does_not_matter() -> None:
    roles = [V + "membership#Learner", V + "membership#Instructor"]
    assert view_for(roles) == view_for(list(reversed(roles))) == View.INSTRUCTOR
