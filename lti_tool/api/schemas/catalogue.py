"""Frameworks, competencies, scales, roles and transitions."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from ...domain.roles import Requirement
from ...usecases.catalogue import AnchorInput, CompetencyInput, FrameworkInput, RoleInput
from .common import StrictSchema, Text, number, object_id, required_text, text


class AnchorIn(StrictSchema):
    level = fields.Integer(required=True, strict=True, validate=validate.Range(0, 1000))
    text = required_text(5000)

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> AnchorInput:
        return AnchorInput(**data)


class CompetencyIn(StrictSchema):
    code = required_text(128)
    name = required_text(255)
    description = text(5000, load_default="")
    parent_code = Text(load_default=None, allow_none=True, validate=validate.Length(1, 128))
    anchors = fields.List(fields.Nested(AnchorIn), load_default=list,
                          validate=validate.Length(max=20))

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> CompetencyInput:
        return CompetencyInput(**data)


class CompetencyAddIn(CompetencyIn):
    """One competency added to a framework, under an existing parent (`parent_id`)."""

    class Meta(StrictSchema.Meta):
        exclude = ("parent_code",)

    parent_id = object_id(load_default=None, allow_none=True)

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:  # type: ignore[override]
        parent_id = data.pop("parent_id")
        data.pop("parent_code", None)
        return {"competency": CompetencyInput(**data), "parent_id": parent_id}


class FrameworkIn(StrictSchema):
    name = required_text(255)
    description = text(5000, load_default="")
    scale_key = required_text(64)
    calculation_method = Text(load_default="highest", validate=validate.Length(1, 64))
    competencies = fields.List(fields.Nested(CompetencyIn), load_default=list,
                               validate=validate.Length(max=500))

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> FrameworkInput:
        return FrameworkInput(**data)


class ScaleLevelOut(ma.Schema):
    value = fields.Integer(required=True)
    label = fields.String(required=True)
    proficient = fields.Boolean(required=True)


class ScaleOut(ma.Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    levels = fields.List(fields.Nested(ScaleLevelOut), required=True)


class AnchorOut(ma.Schema):
    level = fields.Integer(required=True)
    text = fields.String(required=True)


class CompetencyOut(ma.Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    parent_id = fields.Integer(required=True, allow_none=True)
    badge_level = fields.Integer(required=True, allow_none=True)
    anchors = fields.List(fields.Nested(AnchorOut), required=True)


class FrameworkOut(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    calculation_method = fields.String(required=True)
    scale = fields.Nested(ScaleOut, required=True)
    competencies = fields.List(fields.Nested(CompetencyOut), required=True)


class RequirementIn(StrictSchema):
    competency_id = object_id(required=True)
    required_level = number(0, 1000, low_inclusive=False, required=True)
    weight = number(0, 1_000_000, low_inclusive=False, load_default=1.0)
    minimum_level = number(0, 1000, low_inclusive=False, load_default=None, allow_none=True)

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> Requirement:
        return Requirement(str(data["competency_id"]), data["required_level"], data["weight"],
                           data["minimum_level"])


class RoleIn(StrictSchema):
    name = required_text(255)
    family = text(255, load_default="")
    description = text(5000, load_default="")
    threshold = number(0, 1, low_inclusive=False, load_default=0.8)
    requirements = fields.List(fields.Nested(RequirementIn), load_default=list,
                               validate=validate.Length(max=200))

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> RoleInput:
        return RoleInput(**data)


class RequirementOut(ma.Schema):
    competency_id = fields.Integer(required=True)
    required_level = fields.Float(required=True)
    weight = fields.Float(required=True)
    minimum_level = fields.Float(required=True, allow_none=True)


class TransitionIn(StrictSchema):
    to_role_id = object_id(required=True)
    kind = fields.String(load_default="upward", validate=validate.OneOf(["upward", "lateral"]))


class TransitionOut(ma.Schema):
    to_role_id = fields.Integer(required=True)
    kind = fields.String(required=True)


class RoleOut(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    family = fields.String(required=True)
    description = fields.String(required=True)
    threshold = fields.Float(required=True)
    requirements = fields.List(fields.Nested(RequirementOut), required=True)
    transitions = fields.List(fields.Nested(TransitionOut), required=True)
