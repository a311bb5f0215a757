"""`GET /healthz`: liveness plus the database's reachability and schema revision."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

from ..bootstrap import services
from ..usecases.health import check_health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 with the database status when healthy, 503 when the database is not usable."""
    report = check_health(services(current_app).database)
    return jsonify(report.as_dict()), 200 if report.ok else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
