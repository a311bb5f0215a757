"""Projects, observations, self-ratings, current role, reporting lines, evidence settings."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from .common import StrictSchema, Text, object_id, text

LEVEL: dict[str, Any] = {"strict": True, "validate": validate.Range(0, 100)}


class ProjectIn(StrictSchema):
    competency_id = object_id(required=True)
    url = Text(required=True, validate=validate.Length(min=1, max=2048),
               metadata={"description": "an https link to the artifact"})
    title = text(200, load_default="")


class ProjectAcceptIn(StrictSchema):
    reviewer_id = object_id(required=True, metadata={
        "description": "the instructor accepting: must teach the learner"})
    level = fields.Integer(required=True, **LEVEL)
    course_id = object_id(load_default=None, allow_none=True)


class ProjectReturnIn(StrictSchema):
    reviewer_id = object_id(required=True)
    comment = Text(required=True, validate=validate.Length(min=1, max=2000))
    course_id = object_id(load_default=None, allow_none=True)


class ProjectOut(ma.Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    competency_id = fields.Integer(required=True)
    title = fields.String(required=True)
    url = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(
        ["submitted", "accepted", "returned"]))
    submitted_at = fields.DateTime(required=True)
    reviewer_id = fields.Integer(required=True, allow_none=True)
    reviewed_at = fields.DateTime(required=True, allow_none=True)
    level = fields.Integer(required=True, allow_none=True)
    comment = fields.String(required=True)


class ObservationIn(StrictSchema):
    author_id = object_id(required=True, metadata={
        "description": "who observed: an instructor of the learner, or a manager where the "
                       "tenant allows managers"})
    competency_id = object_id(required=True)
    level = fields.Integer(required=True, **LEVEL)
    anchor_level = fields.Integer(load_default=None, allow_none=True, **LEVEL)
    note = text(2000, load_default="")
    course_id = object_id(load_default=None, allow_none=True)


class WithdrawIn(StrictSchema):
    author_id = object_id(required=True)


class ObservationOut(ma.Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    competency_id = fields.Integer(required=True)
    author_id = fields.Integer(required=True, allow_none=True)
    as_manager = fields.Boolean(required=True)
    level = fields.Integer(required=True)
    anchor = fields.String(required=True)
    note = fields.String(required=True)
    observed_at = fields.DateTime(required=True)


class SelfRatingIn(StrictSchema):
    level = fields.Integer(required=True, **LEVEL)


class SelfRatingOut(ma.Schema):
    competency_id = fields.Integer(required=True)
    level = fields.Integer(required=True)
    anchor = fields.String(required=True)
    rated_at = fields.DateTime(required=True)
    evidence_level = fields.Float(required=True, allow_none=True)
    gap = fields.Float(required=True, allow_none=True)


class CurrentRoleIn(StrictSchema):
    role_id = object_id(required=True, allow_none=True)


class CurrentRoleOut(ma.Schema):
    person_id = fields.Integer(required=True)
    role_id = fields.Integer(required=True, allow_none=True)
    source = fields.String(required=True, validate=validate.OneOf(["learner", "hris"]))


class EvidenceSettingsIn(StrictSchema):
    managers_may_observe = fields.Boolean(load_default=None, allow_none=True)
    self_ratings_count = fields.Boolean(load_default=None, allow_none=True)


class EvidenceSettingsOut(ma.Schema):
    managers_may_observe = fields.Boolean(required=True)
    self_ratings_count = fields.Boolean(required=True)
