"""Courses, memberships, LMS items, evidence rules and cohort readiness."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from ...usecases.course_mapping import LmsItemInput, RuleInput
from .common import StrictSchema, Text, number, object_id, required_text, text

MEMBERSHIP_STATUSES = ["Active", "Inactive", "Deleted"]


class CourseIn(StrictSchema):
    context_id = required_text(255)
    title = text(512, load_default="")
    label = text(255, load_default="")


class CourseOut(ma.Schema):
    id = fields.Integer(required=True)
    context_id = fields.String(required=True)
    title = fields.String(required=True)
    label = fields.String(required=True)
    registration_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


class MemberIn(StrictSchema):
    roles = fields.List(Text(validate=validate.Length(1, 255)), load_default=list,
                        validate=validate.Length(max=20))
    status = fields.String(load_default="Active", validate=validate.OneOf(MEMBERSHIP_STATUSES))


class MemberOut(ma.Schema):
    id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    roles = fields.List(fields.String(), required=True)
    status = fields.String(required=True)
    updated_at = fields.DateTime(required=True)


class LmsItemIn(StrictSchema):
    lms_id = required_text(2048)
    kind = fields.String(load_default="line_item",
                         validate=validate.OneOf(["line_item", "resource_link"]))
    title = text(512, load_default="")
    score_maximum = number(0, 1_000_000, load_default=None, allow_none=True)
    effort = number(0, 1000, low_inclusive=False, load_default=None, allow_none=True)
    tag = text(255, load_default="")
    resource_link_id = text(255, load_default="")

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> LmsItemInput:
        return LmsItemInput(**data)


class LmsItemOut(ma.Schema):
    id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    lms_id = fields.String(required=True)
    title = fields.String(required=True)
    score_maximum = fields.Float(required=True, allow_none=True)
    effort = fields.Float(required=True)
    tag = fields.String(required=True)
    resource_link_id = fields.String(required=True)


class RuleIn(StrictSchema):
    lms_item_id = object_id(required=True)
    competency_id = object_id(required=True)
    level = fields.Integer(required=True, strict=True, validate=validate.Range(1, 1000))
    condition = fields.Dict(required=True, metadata={"description": (
        'e.g. {"all": [{"type": "completed"}, {"type": "score_at_least", "percent": 80}]}; '
        "types: completed, accepted, score_at_least (percent); optional item_id")})

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> RuleInput:
        return RuleInput(**data)


class RuleOut(ma.Schema):
    id = fields.Integer(required=True)
    lms_item_id = fields.Integer(required=True)
    competency_id = fields.Integer(required=True)
    level = fields.Integer(required=True)
    condition = fields.Dict(required=True)


class CohortOut(ma.Schema):
    course_id = fields.Integer(required=True)
    role_id = fields.Integer(required=True)
    total = fields.Integer(required=True)
    ready = fields.Integer(required=True)
    mean = fields.Float(required=True, allow_none=True)
    median = fields.Float(required=True, allow_none=True)
    bins = fields.List(fields.Integer(), required=True,
                       metadata={"description": "learners per tenth of readiness"})
