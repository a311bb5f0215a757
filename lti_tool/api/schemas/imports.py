"""Imports (CASE, CSV) and the CASE export: request arguments and the import summary."""

from __future__ import annotations

from marshmallow import fields, validate

from ...usecases.imports import CSV_KINDS
from .common import StrictSchema


class CsvImportArgs(StrictSchema):
    """`?kind=frameworks|roles`; omitted: told by the header row."""

    kind = fields.String(load_default=None, validate=validate.OneOf(CSV_KINDS))


class CaseUrlIn(StrictSchema):
    """`{"url": "https://..."}`: the tool fetches the CFPackage itself."""

    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                     validate=validate.Length(max=2048))


class ImportSummaryOut(StrictSchema):
    """What an import wrote, and what it read but could not store."""

    tenant = fields.String(required=True)
    frameworks = fields.List(fields.String(), required=True,
                             metadata={"description": "names of the frameworks written"})
    framework_ids = fields.List(fields.Integer(), required=True)
    competencies = fields.Integer(required=True)
    roles = fields.Integer(required=True)
    transitions = fields.Integer(required=True)
    not_stored = fields.List(fields.String(), required=True,
                             metadata={"description": "what was read but is not stored, e.g. "
                                                      "CASE association types"})
    updated = fields.Boolean(required=True, metadata={
        "description": "true when a newer version of a CASE document imported before "
                       "updated its framework in place"})
    added = fields.List(fields.String(), required=True,
                        metadata={"description": "codes of the items an update added"})
    changed = fields.List(fields.String(), required=True,
                          metadata={"description": "codes of the items an update changed"})
    retired = fields.List(fields.String(), required=True, metadata={
        "description": "codes of the items an update retired (kept, left out of exports)"})
    summary = fields.String(required=True, metadata={"description": "one line for people"})


CASE_PACKAGE_DOC = {
    "type": "object",
    "description": "a CASE 1.0 CFPackage (CFDocument, CFItems, CFAssociations), or "
                   "`{\"url\": \"https://...\"}` to have the tool fetch one",
    "properties": {"CFDocument": {"type": "object"},
                   "CFItems": {"type": "array", "items": {"type": "object"}},
                   "CFAssociations": {"type": "array", "items": {"type": "object"}},
                   "url": {"type": "string", "format": "uri"}},
}
CSV_BODY_DOC = {
    "required": True,
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}}}},
    },
}
CASE_PACKAGE_OUT_DOC = {"type": "object",
                        "description": "a CASE 1.0 CFPackage: CFDocument, CFItems, "
                                       "CFAssociations"}
