"""The REST API under /api/v1 (flask-smorest), OpenAPI at /api/openapi.json, docs at /api/docs.

Views only translate: request → use case → response. Authentication, scopes, rate limits,
idempotency, ETags and the error body live in `request_cycle`, `callers`, `idempotency`
and `errors`, each in one place.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from . import (
    badges,
    cors,
    courses,
    docs,
    frameworks,
    hris,
    imports,
    metrics,
    people,
    people_evidence,
    readiness,
    request_cycle,
    roles,
    sync_jobs,
    webhooks,
)
from .errors import handle_app_http_error, handle_error
from .schemas.common import MAX_ID, ErrorSchema

RESOURCES = (frameworks, roles, people, readiness, badges, courses, sync_jobs, webhooks, hris,
             metrics, imports, people_evidence)


class IdConverter(IntegerConverter):
    """`<id:...>`: a positive 32-bit id; anything else is an unknown URL (404)."""

    def __init__(self, url_map: Any) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


class CareerPathApi(Api):
    """flask-smorest's Api with the product's error body, JSON only under /api."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        self._app.register_error_handler(HTTPException, handle_app_http_error)

    def handle_http_exception(self, error: HTTPException) -> Any:
        return handle_error(error)


def init_app(app: Flask) -> CareerPathApi:
    """Register the API's blueprints, the OpenAPI document and the docs page."""
    app.config.update(API_TITLE="CareerPath LTI", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
                      OPENAPI_URL_PREFIX="/api", OPENAPI_JSON_PATH="openapi.json")
    api = CareerPathApi(app, spec_kwargs={"security": [{"bearerAuth": []}]})
    api.spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "an API key `cp_<prefix>_<secret>` or a widget token `cpw.…`"})
    app.url_map.converters["id"] = IdConverter
    api.register_converter(IdConverter, lambda _c: {"type": "integer", "minimum": 1,
                                                    "maximum": MAX_ID})
    for module in RESOURCES:
        api.register_blueprint(module.bp, url_prefix="/api/v1")
    request_cycle.init_app(app)
    cors.init_app(app)
    docs.init_app(app, api)
    app.extensions["careerpath_api"] = api
    return api
