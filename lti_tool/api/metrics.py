"""/api/v1/metrics/mobility: internal fill rate, time to promotion, velocity, skills."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from ..bootstrap import services
from ..domain.metrics import Duration, FillRate, MobilityPoint
from ..usecases.mobility import MobilityReport, mobility_metrics
from .callers import READ, caller, requires
from .request_cycle import install
from .schemas.mobility import MobilityArgs, MobilityOut

bp = Blueprint("metrics", __name__, description="Mobility metrics, with monthly series")


@bp.route("/metrics/mobility", methods=["GET"])
@bp.arguments(MobilityArgs, location="query")
@bp.response(200, MobilityOut)
@requires(READ)
def get_mobility(args: dict[str, Any]) -> Any:
    """Metrics of `?from=&to=` (dates, inclusive), optionally for one `role_id` (read)."""
    svc = services(current_app)
    report = mobility_metrics(svc.database, caller().tenant_id, args["start"], args["end"],
                              args["role_id"], svc.local, svc.data_version())
    return mobility_json(report)


def mobility_json(report: MobilityReport) -> dict[str, Any]:
    return {"start": report.start, "end": report.end, "role_id": report.role_id,
            "internal_fill_rate": _rate(report.fill_rate),
            "time_to_promotion": _duration(report.time_to_promotion),
            "mobility_velocity": _duration(report.velocity),
            "skills_gap_closure": [
                {"competency_id": int(g.competency_id), "learners": g.learners,
                 "before": g.before, "after": g.after, "change": g.change}
                for g in report.gap_closure],
            "readiness": [{"role_id": int(r.role_id), "total": r.total, "ready": r.ready,
                           "mean": r.mean, "median": r.median, "bins": list(r.bins)}
                          for r in report.readiness],
            "series": [_point(p) for p in report.series]}


def _point(point: MobilityPoint) -> dict[str, Any]:
    return {"month": point.month, "internal_fill_rate": _rate(point.fill_rate),
            "time_to_promotion": _duration(point.time_to_promotion),
            "mobility_velocity": _duration(point.velocity)}


def _rate(found: FillRate) -> dict[str, Any]:
    return {"internal": found.internal, "total": found.total, "rate": found.rate}


def _duration(found: Duration) -> dict[str, Any]:
    return {"count": found.count, "days": found.days}


install(bp)
