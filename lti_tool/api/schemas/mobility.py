"""HRIS events in, mobility metrics out."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from ...domain.metrics import ChangeKind
from ...usecases.hris import HrisBatch, OpeningInput, RoleChangeInput
from .common import MAX_ID, StrictSchema, object_id, text

MAX_BATCH = 1000


class RoleChangeIn(StrictSchema):
    person_id = object_id(load_default=None, allow_none=True)
    sub = text(255, load_default=None, allow_none=True)
    from_role_id = object_id(load_default=None, allow_none=True)
    to_role_id = object_id(load_default=None, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ChangeKind]))
    effective_date = fields.Date(required=True)

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> RoleChangeInput:
        return RoleChangeInput(**data)


class HireIn(StrictSchema):
    person_id = object_id(load_default=None, allow_none=True)
    sub = text(255, load_default=None, allow_none=True)
    role_id = object_id(required=True)
    effective_date = fields.Date(required=True)

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> RoleChangeInput:
        return RoleChangeInput(kind=ChangeKind.HIRE.value, effective_date=data["effective_date"],
                               person_id=data["person_id"], sub=data["sub"],
                               to_role_id=data["role_id"])


class OpeningIn(StrictSchema):
    opening_id = text(255, load_default=None, allow_none=True)
    role_id = object_id(required=True)
    opened_on = fields.Date(required=True)
    filled_on = fields.Date(load_default=None, allow_none=True)
    filled_internally = fields.Boolean(load_default=None, allow_none=True)

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> OpeningInput:
        return OpeningInput(**data)


class HrisEventsIn(StrictSchema):
    role_changes = fields.List(fields.Nested(RoleChangeIn), load_default=list,
                               validate=validate.Length(max=MAX_BATCH))
    openings = fields.List(fields.Nested(OpeningIn), load_default=list,
                           validate=validate.Length(max=MAX_BATCH))
    hires = fields.List(fields.Nested(HireIn), load_default=list,
                        validate=validate.Length(max=MAX_BATCH))

    @ma.post_load
    def build(self, data: dict[str, Any], **_: Any) -> HrisBatch:
        return HrisBatch(tuple(data["role_changes"]), tuple(data["openings"]),
                         tuple(data["hires"]))


class HrisReceiptOut(ma.Schema):
    role_changes_recorded = fields.Integer(required=True)
    role_changes_known = fields.Integer(required=True)
    openings_created = fields.Integer(required=True)
    openings_updated = fields.Integer(required=True)
    people_created = fields.Integer(required=True)
    current_roles_updated = fields.Integer(required=True)
    person_ids = fields.List(fields.Integer(), required=True)


class MobilityArgs(StrictSchema):
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")
    role_id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID))


class FillRateOut(ma.Schema):
    internal = fields.Integer(required=True)
    total = fields.Integer(required=True)
    rate = fields.Float(required=True, allow_none=True)


class DurationOut(ma.Schema):
    count = fields.Integer(required=True)
    days = fields.Float(required=True, allow_none=True)


class GapClosureOut(ma.Schema):
    competency_id = fields.Integer(required=True)
    learners = fields.Integer(required=True)
    before = fields.Float(required=True, allow_none=True)
    after = fields.Float(required=True, allow_none=True)
    change = fields.Float(required=True, allow_none=True)


class ReadinessSpreadOut(ma.Schema):
    role_id = fields.Integer(required=True)
    total = fields.Integer(required=True)
    ready = fields.Integer(required=True)
    mean = fields.Float(required=True, allow_none=True)
    median = fields.Float(required=True, allow_none=True)
    bins = fields.List(fields.Integer(), required=True)


class MobilityPointOut(ma.Schema):
    month = fields.Date(required=True)
    internal_fill_rate = fields.Nested(FillRateOut, required=True)
    time_to_promotion = fields.Nested(DurationOut, required=True)
    mobility_velocity = fields.Nested(DurationOut, required=True)


class MobilityOut(ma.Schema):
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")
    role_id = fields.Integer(required=True, allow_none=True)
    internal_fill_rate = fields.Nested(FillRateOut, required=True)
    time_to_promotion = fields.Nested(DurationOut, required=True, metadata={
        "description": "median days from role start to promotion"})
    mobility_velocity = fields.Nested(DurationOut, required=True, metadata={
        "description": "mean days in a role before a promotion or lateral move"})
    skills_gap_closure = fields.List(fields.Nested(GapClosureOut), required=True)
    readiness = fields.List(fields.Nested(ReadinessSpreadOut), required=True)
    series = fields.List(fields.Nested(MobilityPointOut), required=True)
