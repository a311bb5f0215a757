"""LTI roles → views, including the refinements DESIGN.md lists."""

from __future__ import annotations

import pytest

from lti_tool.lti.roles import LaunchView, view_for

V = "http://purl.imsglobal.org/vocab/lis/v2/"


@pytest.mark.parametrize(("roles", "view"), [
    ([V + "membership#Learner"], LaunchView.LEARNER),
    ([V + "institution/person#Student"], LaunchView.LEARNER),
    (["Learner"], LaunchView.LEARNER),
    ([V + "membership#Instructor"], LaunchView.INSTRUCTOR),
    ([V + "membership/Instructor#TeachingAssistant"], LaunchView.INSTRUCTOR),
    ([V + "membership#ContentDeveloper"], LaunchView.INSTRUCTOR),
    (["Instructor"], LaunchView.INSTRUCTOR),
    (["TeachingAssistant"], LaunchView.INSTRUCTOR),
    ([V + "membership#Administrator", V + "membership#Instructor"], LaunchView.INSTRUCTOR),
    ([V + "system/person#Administrator"], LaunchView.ADMIN),
    ([V + "institution/person#Administrator", V + "membership#Learner"], LaunchView.ADMIN),
    ([V + "system/person#None", V + "membership#Learner"], LaunchView.LEARNER),
    (["http://example.com/roles#Wizard"], LaunchView.LEARNER),
    ([], LaunchView.LEARNER),
    ([None, 42], LaunchView.LEARNER),
    ([V + "membership#Mentor"], LaunchView.LEARNER),  # Canvas's observer: never instructor powers
    ([V + "membership/Mentor#Advisor"], LaunchView.LEARNER),
    ([V + "membership#Mentor", V + "membership#Instructor"], LaunchView.INSTRUCTOR),
])
def test_view_for(roles: list[str], view: LaunchView) -> None:
    assert view_for(roles) == view


def test_order_does_not_matter() -> None:
    roles = [V + "membership#Learner", V + "membership#Instructor"]
    assert view_for(roles) == view_for(list(reversed(roles))) == LaunchView.INSTRUCTOR
