"""People, evidence, goals, readiness, widget tokens, API keys and personal-data export."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from ...domain.evidence import EvidenceKind
from ...usecases.api_keys import SCOPES
from ...usecases.people_directory import EvidenceInput, PersonInput
from .common import StrictSchema, Text, number, object_id, required_text, text


class PersonIn(StrictSchema):
    sub = required_text(255)
    name = text(255, load_default=None, allow_none=True)
    given_name = text(255, load_default=None, allow_none=True)
    family_name = text(255, load_default=None, allow_none=True)
    email = text(320, load_default=None, allow_none=True)
    locale = text(35, load_default=None, allow_none=True)
    current_role_id = object_id(load_default=None, allow_none=True)

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> PersonInput:
        return PersonInput(**data)


class PersonOut(ma.Schema):
    id = fields.Integer(required=True)
    sub = fields.String(required=True)
    name = fields.String(required=True)
    given_name = fields.String(required=True)
    family_name = fields.String(required=True)
    email = fields.String(required=True)
    locale = fields.String(required=True)
    current_role_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


class EvidenceIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in EvidenceKind]))
    value = number(0, 1_000_000, load_default=None, allow_none=True)
    competency_id = object_id(load_default=None, allow_none=True)
    lms_item_id = object_id(load_default=None, allow_none=True)
    observed_at = fields.AwareDateTime(load_default=None, allow_none=True)
    source_ref = Text(load_default="", validate=validate.Length(max=400))
    verifier = text(255, load_default="")

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> EvidenceInput:
        return EvidenceInput(**data)


class EvidenceOut(ma.Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    value = fields.Float(required=True, allow_none=True)
    competency_id = fields.Integer(required=True, allow_none=True)
    lms_item_id = fields.Integer(required=True, allow_none=True)
    observed_at = fields.DateTime(required=True)
    source_ref = fields.String(required=True)
    verifier = fields.String(required=True)


class GoalsOut(ma.Schema):
    person_id = fields.Integer(required=True)
    role_ids = fields.List(fields.Integer(), required=True)


class FailingGateOut(ma.Schema):
    kind = fields.String(required=True)
    required = fields.Float(required=True)
    actual = fields.Float(required=True)
    competency_id = fields.Integer(required=True, allow_none=True)


class GapOut(ma.Schema):
    competency_id = fields.Integer(required=True)
    competency_name = fields.String(required=True)
    current = fields.Float(required=True, allow_none=True)
    required = fields.Float(required=True)
    weight = fields.Float(required=True)
    shortfall = fields.Float(required=True)
    impact = fields.Float(required=True)
    readiness_gain = fields.Float(required=True)


class ChecklistOut(ma.Schema):
    competency_id = fields.Integer(required=True)
    required_level = fields.Float(required=True)
    current = fields.Float(required=True, allow_none=True)
    missing_steps = fields.List(fields.String(), required=True)


class ShortfallOut(ma.Schema):
    needs = fields.String(required=True, metadata={
        "description": "completion, score or acceptance"})
    lms_item_id = fields.Integer(required=True)
    required = fields.Float(required=True, allow_none=True,
                            metadata={"description": "a score's needed percentage"})
    actual = fields.Float(required=True, allow_none=True,
                          metadata={"description": "the learner's best score, in %"})


class RecommendationOut(ma.Schema):
    competency_id = fields.Integer(required=True)
    lms_item_id = fields.Integer(required=True)
    title = fields.String(required=True)
    effort = fields.Float(required=True)
    current = fields.Float(required=True, allow_none=True)
    reaches_level = fields.Float(required=True)
    closes_gap = fields.Boolean(required=True)
    readiness_gain = fields.Float(required=True)
    priority = fields.Float(required=True)
    action = fields.String(required=True, metadata={
        "description": "take (not tried yet) or improve (tried, the rule not met yet)"})
    missing = fields.List(fields.Nested(ShortfallOut), required=True)


class ReadinessOut(ma.Schema):
    person_id = fields.Integer(required=True)
    role_id = fields.Integer(required=True)
    role_name = fields.String(required=True)
    score = fields.Float(required=True)
    ready = fields.Boolean(required=True)
    threshold = fields.Float(required=True)
    failing_gates = fields.List(fields.Nested(FailingGateOut), required=True)
    gaps = fields.List(fields.Nested(GapOut), required=True)
    checklist = fields.List(fields.Nested(ChecklistOut), required=True)
    recommendations = fields.List(fields.Nested(RecommendationOut), required=True)


class NextRoleOut(ma.Schema):
    role_id = fields.Integer(required=True)
    role_name = fields.String(required=True)
    score = fields.Float(required=True)
    ready = fields.Boolean(required=True)
    threshold = fields.Float(required=True)
    gaps = fields.Integer(required=True)


class WidgetTokenIn(StrictSchema):
    person_id = object_id(required=True)
    ttl_seconds = fields.Integer(load_default=900, strict=True,
                                 validate=validate.Range(1, 900))


class WidgetTokenOut(ma.Schema):
    token = fields.String(required=True)
    person_id = fields.Integer(required=True)
    expires_at = fields.DateTime(required=True)


class ApiKeyIn(StrictSchema):
    name = text(255, load_default="")
    scopes = fields.List(fields.String(validate=validate.OneOf(SCOPES)), required=True,
                         validate=validate.Length(1, 3))


class ApiKeyOut(ma.Schema):
    id = fields.Integer(required=True)
    prefix = fields.String(required=True)
    name = fields.String(required=True)
    scopes = fields.List(fields.String(), required=True)
    created_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(required=True, allow_none=True)
    token = fields.String(metadata={"description": "the full key, shown only when created"})


class ExportOut(ma.Schema):
    """The personal-data export; docs/person-export.schema.json describes every section."""

    schema_id = fields.String(required=True, attribute="$schema", data_key="$schema")
    exported_at = fields.String(required=True)
    person = fields.Dict(required=True)
    memberships = fields.List(fields.Dict(), required=True)
    evidence = fields.List(fields.Dict(), required=True)
    levels = fields.List(fields.Dict(), required=True)
    goals = fields.List(fields.Dict(), required=True)
    readiness_states = fields.List(fields.Dict(), required=True)
    badges = fields.List(fields.Dict(), required=True)
    hris_changes = fields.List(fields.Dict(), required=True)
    events = fields.List(fields.Dict(), required=True)
    project_submissions = fields.List(fields.Dict(), required=True)
    observations = fields.List(fields.Dict(), required=True)
    self_ratings = fields.List(fields.Dict(), required=True)
    reporting_lines = fields.List(fields.Dict(), required=True)
    mentor_links = fields.List(fields.Dict(), required=True)
