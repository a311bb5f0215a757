"""HRIS events in, mobility metrics out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from . import models
from .transport import Transport


class Hris:
    """Role changes, hires and openings from the HRIS (an API key with the write scope)."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def push(self, *, role_changes: Iterable[Mapping[str, Any]] = (),
             openings: Iterable[Mapping[str, Any]] = (),
             hires: Iterable[Mapping[str, Any]] = ()) -> models.HrisReceipt:
        """POST /api/v1/hris/events; dates may be `date` objects or ISO strings.

        role_changes: {person_id | sub, from_role_id?, to_role_id, kind, effective_date};
        openings: {opening_id?, role_id, opened_on, filled_on?, filled_internally?};
        hires: {person_id | sub, role_id, effective_date}. All or nothing.
        """
        body = {"role_changes": [_iso(c) for c in role_changes],
                "openings": [_iso(o) for o in openings], "hires": [_iso(h) for h in hires]}
        return models.HrisReceipt.from_json(self._t.request("POST", "/hris/events",
                                                            json=body).body)


class Metrics:
    """Mobility metrics (an API key with the read scope)."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def mobility(self, start: date, end: date,
                 role_id: int | None = None) -> models.MobilityMetrics:
        """GET /api/v1/metrics/mobility?from=&to=&role_id=."""
        params: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat()}
        if role_id is not None:
            params["role_id"] = role_id
        return models.MobilityMetrics.from_json(
            self._t.request("GET", "/metrics/mobility", params=params).body)


def _iso(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in entry.items()}
