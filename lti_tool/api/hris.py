"""/api/v1/hris/events: role changes, hires and openings from the HRIS (scope: write)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from ..bootstrap import services
from ..usecases.hris import HrisBatch, record_hris_events
from .callers import WRITE, caller, requires
from .request_cycle import install
from .schemas.mobility import HrisEventsIn, HrisReceiptOut

bp = Blueprint("hris", __name__, description="HRIS role changes, hires and openings")


@bp.route("/hris/events", methods=["POST"])
@bp.arguments(HrisEventsIn)
@bp.response(200, HrisReceiptOut)
@requires(WRITE)
def post_hris_events(batch: HrisBatch) -> Any:
    """Record a batch (all or nothing; repeating it changes nothing) (scope: write)."""
    receipt = record_hris_events(services(current_app).database, caller().tenant_id, batch)
    return asdict(receipt)


install(bp)
