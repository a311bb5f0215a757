"""/api/v1/imports: frameworks (CASE 1.0, Moodle CSV) and roles (CSV) into the key's tenant,
and /api/v1/frameworks/{id}/case: a framework out as CASE.

The views call the same use cases as `careerpath import|export`: everything is checked
before anything is written, and a refused import is a 422 whose `errors` map
`row R, column C` to messages (nothing written).
"""

from __future__ import annotations

import json
from typing import Any

import marshmallow as ma
from flask import current_app, request
from flask_smorest import Blueprint
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from ..bootstrap import services
from ..domain.errors import InvalidInput
from ..interop.problems import ImportProblem, ImportRejected
from ..usecases import catalogue
from ..usecases.exports import export_case
from ..usecases.imports import ImportSummary, import_case, import_csv, read_case_source
from ..usecases.tenant_admin import tenant
from .callers import READ, WRITE, caller, requires
from .request_cycle import install
from .schemas.imports import (
    CASE_PACKAGE_DOC,
    CASE_PACKAGE_OUT_DOC,
    CSV_BODY_DOC,
    CaseUrlIn,
    CsvImportArgs,
    ImportSummaryOut,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
CSV_TYPES = ("text/csv", "text/plain", "application/csv")

bp = Blueprint("imports", __name__,
               description="Frameworks and roles from files (CASE 1.0, CSV); CASE export")


@bp.before_request
def limit_body() -> None:
    """Bodies over MAX_IMPORT_BYTES are refused with 413: at once when Content-Length says
    so, else when reading passes the limit (never buffered whole)."""
    request.max_content_length = MAX_IMPORT_BYTES
    if (request.content_length or 0) > MAX_IMPORT_BYTES:
        raise RequestEntityTooLarge(f"the body is over the import limit of "
                                    f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB")


def _db() -> Any:
    return services(current_app).database


def _tenant_slug() -> str:
    return tenant(_db(), caller().tenant_id).slug


def summary_json(summary: ImportSummary) -> dict[str, Any]:
    return {"tenant": summary.tenant, "frameworks": list(summary.frameworks),
            "framework_ids": [int(i) for i in summary.framework_ids],
            "competencies": summary.competencies, "roles": summary.roles,
            "transitions": summary.transitions, "not_stored": list(summary.not_stored),
            "updated": summary.updated, "added": list(summary.added),
            "changed": list(summary.changed), "retired": list(summary.retired),
            "summary": summary.line()}


@bp.route("/imports/case", methods=["POST"])
@bp.doc(requestBody={"required": True,
                     "content": {"application/json": {"schema": CASE_PACKAGE_DOC}}})
@bp.response(201, ImportSummaryOut)
@requires(WRITE)
def import_case_package() -> Any:
    """Import a CASE 1.0 CFPackage as one framework (scope: write).

    The body is the CFPackage itself, or `{"url": "https://..."}` for the tool to fetch it.
    A refused package is a 422 whose `errors` map `row R, column C` (row 0: the CFDocument,
    else the position in CFItems or CFAssociations) to messages; nothing is written.
    """
    if not request.is_json:
        raise UnsupportedMediaType("send the CFPackage as application/json")
    package = _json_body()
    url = None
    if isinstance(package, dict) and "url" in package and "CFDocument" not in package:
        package, url = read_case_source(_case_url(package), _fetch_public_json)
    _refuse_nul(json.dumps(package, ensure_ascii=False), "CFPackage")
    return summary_json(import_case(_db(), _tenant_slug(), package, url))


@bp.route("/imports/csv", methods=["POST"])
@bp.arguments(CsvImportArgs, location="query")
@bp.doc(requestBody=CSV_BODY_DOC)
@bp.response(201, ImportSummaryOut)
@requires(WRITE)
def import_csv_file(args: dict[str, Any]) -> Any:
    """Import frameworks (Moodle's CSV columns) or roles (the roles CSV) (scope: write).

    The body is the CSV (`text/csv`), or a multipart form with the CSV as `file`. `kind`
    (frameworks|roles) defaults to what the header row says. A refused file is a 422 whose
    `errors` map `row R, column C` (the header is row 1) to messages; nothing is written.
    """
    text = _csv_text()
    _refuse_nul(text, "file")
    return summary_json(import_csv(_db(), _tenant_slug(), text, args["kind"]))


@bp.route("/frameworks/<id:framework_id>/case", methods=["GET"])
@bp.response(200, description="the framework as a CASE 1.0 CFPackage")
@bp.doc(responses={"200": {"description": "the framework as a CASE 1.0 CFPackage",
                           "content": {"application/json": {"schema": CASE_PACKAGE_OUT_DOC}}}})
@requires(READ)
def export_case_package(framework_id: int) -> Any:
    """A framework as a CASE 1.0 CFPackage (scope: read).

    Imported items keep their CASE identifiers, so an export imported elsewhere keeps its
    tree; other items get identifiers that stay the same for this installation.
    """
    catalogue.get_framework(_db(), caller().tenant_id, framework_id)  # 404 unless the tenant's
    return export_case(_db(), framework_id, services(current_app).settings.base_url)


def _json_body() -> Any:
    body = request.get_json(silent=True)
    if body is None:
        raise ImportRejected([ImportProblem(0, "CFPackage", "the body is not JSON")])
    return body


def _case_url(body: dict[str, Any]) -> str:
    try:
        return CaseUrlIn().load(body)["url"]
    except ma.ValidationError as exc:
        raise InvalidInput("the request's input is not valid", exc.normalized_messages()
                           ) from None


def _csv_text() -> str:
    """The CSV from a multipart `file` or from the body itself, decoded as UTF-8."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise InvalidInput("send the CSV as the multipart field `file`",
                               {"file": ["Missing data for required field."]})
        data = upload.read()
    elif request.mimetype in CSV_TYPES:
        data = request.get_data()
    else:
        raise UnsupportedMediaType("send the CSV as text/csv or as multipart/form-data `file`")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([ImportProblem(0, "file", f"not UTF-8 text: {exc.reason} at "
                                                       f"byte {exc.start}")]) from None


def _refuse_nul(text: str, column: str) -> None:
    if "\x00" in text or "\\u0000" in text:
        raise ImportRejected([ImportProblem(0, column, "contains NUL characters")])


def _fetch_public_json(url: str) -> Any:
    """GET a CASE package through the outbound client: global https addresses (or the
    operator's CAREERPATH_OUTBOUND_ALLOW), redirects re-checked, at most 5 MB."""
    return services(current_app).http.fetch_json(url, headers={"Accept": "application/json"})


install(bp)
