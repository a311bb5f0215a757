"""Webhook subscriptions and their delivery log."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from ...usecases.events import EVENT_TYPES
from .common import StrictSchema, Text, required_text, text


class SubscriptionIn(StrictSchema):
    url = required_text(2048)
    event_types = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)),
                              required=True, validate=validate.Length(min=1, max=10))
    description = text(255, load_default="")


class SubscriptionPatch(StrictSchema):
    url = Text(validate=validate.Length(min=1, max=2048))
    event_types = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)),
                              validate=validate.Length(min=1, max=10))
    description = text(255)
    active = fields.Boolean()


class SubscriptionOut(ma.Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    event_types = fields.List(fields.String(), required=True)
    description = fields.String(required=True)
    active = fields.Boolean(required=True)
    consecutive_failures = fields.Integer(required=True)
    disabled_reason = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class SubscriptionCreatedOut(SubscriptionOut):
    secret = fields.String(required=True, metadata={
        "description": "the signing secret; shown only in this response"})


class AttemptOut(ma.Schema):
    attempt = fields.Integer(required=True)
    status_code = fields.Integer(required=True, allow_none=True)
    duration_ms = fields.Integer(required=True)
    error = fields.String(required=True)
    attempted_at = fields.DateTime(required=True)


class DeliveryOut(ma.Schema):
    id = fields.Integer(required=True)
    event_id = fields.String(required=True)
    event_type = fields.String(required=True)
    status = fields.String(required=True)
    next_attempt_at = fields.DateTime(required=True)
    delivered_at = fields.DateTime(required=True, allow_none=True)
    attempts = fields.List(fields.Nested(AttemptOut), required=True)
