"""Issued Open Badges and their revocation."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from .common import StrictSchema, required_text


class BadgeOut(ma.Schema):
    id = fields.String(required=True, metadata={"description": "the badge's UUID"})
    person_id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "competency or role"})
    achievement_key = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "the achievement's name"})
    result = fields.String(required=True, metadata={
        "description": "the level reached, or the readiness for a role badge"})
    issued_at = fields.DateTime(required=True)
    valid_until = fields.DateTime(required=True, allow_none=True)
    revoked = fields.Boolean(required=True)
    revoked_at = fields.DateTime(required=True, allow_none=True)
    revocation_reason = fields.String(required=True)
    url = fields.String(required=True, metadata={
        "description": "the public badge page, with its verification"})
    json_url = fields.String(required=True, metadata={"description": "the credential JSON-LD"})
    jwt_url = fields.String(required=True, metadata={"description": "the signed VC-JWT"})


class RevokeIn(StrictSchema):
    reason = required_text(500)
