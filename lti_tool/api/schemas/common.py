"""Schemas every resource shares: the error body, paging arguments, safe text and ids."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

MAX_ID = 2**31 - 1


class Text(fields.String):
    """A string without NUL characters (PostgreSQL cannot store them)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ma.ValidationError("must not contain NUL characters")
        return text


def text(max_length: int = 255, **options: Any) -> Text:
    """A text field of at most `max_length` characters."""
    return Text(validate=validate.Length(max=max_length), **options)


def required_text(max_length: int = 255) -> Text:
    return Text(required=True, validate=validate.Length(min=1, max=max_length))


def object_id(**options: Any) -> fields.Integer:
    """An id: a positive 32-bit integer."""
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **options)


def number(low: float, high: float, *, low_inclusive: bool = True,
           **options: Any) -> fields.Float:
    return fields.Float(validate=validate.Range(low, high, min_inclusive=low_inclusive),
                        **options)


class StrictSchema(ma.Schema):
    """Unknown fields are refused (422), never silently dropped."""

    class Meta:
        unknown = ma.RAISE


class ErrorSchema(ma.Schema):
    """The one error body of the API."""

    code = fields.String(required=True, metadata={"description": "machine-readable code"})
    status = fields.Integer(required=True, metadata={"description": "the HTTP status"})
    message = fields.String(required=True, metadata={"description": "what went wrong"})
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True,
                         metadata={"description": "field name → list of messages"})


class PageArgs(StrictSchema):
    """`?page=&per_page=` (per_page at most 100)."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))
