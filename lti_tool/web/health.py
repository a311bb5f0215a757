"""`GET /healthz`: liveness plus the database's reachability and schema revision, and
Redis's reachability and version when one is configured."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

from ..bootstrap import services
from ..usecases.health import check_health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 with the database's (and Redis's) status when healthy, 503 when either is not
    usable."""
    svc = services(current_app)
    report = check_health(svc.database, svc.cache)
    return jsonify(report.as_dict()), 200 if report.ok else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
