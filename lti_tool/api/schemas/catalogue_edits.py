"""Competency updates, delete arguments and new scales."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from ...usecases.catalogue_edits import CompetencyChange, ScaleInput, changed_fields
from .catalogue import AnchorIn
from .common import StrictSchema, Text, object_id, required_text


class CompetencyPatchIn(StrictSchema):
    """Only the fields given change; `anchors` replaces every anchor; null clears
    `parent_id` (a root) or `badge_level` (no badge)."""

    name = Text(validate=validate.Length(1, 255))
    description = Text(validate=validate.Length(max=5000))
    parent_id = object_id(allow_none=True)
    anchors = fields.List(fields.Nested(AnchorIn), validate=validate.Length(max=20))
    badge_level = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, 1000),
                                 metadata={"description": "the scale level that earns the "
                                           "competency's badge; null: no badge"})

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> CompetencyChange:
        return changed_fields(data)


class DeleteArgs(StrictSchema):
    force = fields.Boolean(load_default=False, metadata={"description": (
        "archive a competency that rules or evidence use (hidden from catalogue and "
        "readiness; its rules and role requirements dropped; its evidence kept)")})


class ScaleLevelIn(StrictSchema):
    value = fields.Integer(required=True, strict=True, validate=validate.Range(0, 1000))
    label = required_text(255)
    mastery = fields.Boolean(load_default=False, metadata={
        "description": "the mastery point: exactly one level; it and those above are "
                       "proficient"})


class ScaleIn(StrictSchema):
    key = Text(required=True, validate=[validate.Length(1, 64),
                                        validate.Regexp(r"^[a-z0-9][a-z0-9_-]*$")])
    name = required_text(255)
    levels = fields.List(fields.Nested(ScaleLevelIn), required=True,
                         validate=validate.Length(2, 20))

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> ScaleInput:
        return ScaleInput(data["key"], data["name"], [
            (lv["value"], lv["label"], lv["mastery"]) for lv in data["levels"]])


class CompetencyRemovedOut(ma.Schema):
    id = fields.Integer(required=True)
    outcome = fields.String(required=True, metadata={"description": "deleted or archived"})
