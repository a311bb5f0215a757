"""One measured figure against its target, as every benchmark reports it."""

from __future__ import annotations

from typing import Any


def figure(benchmark: str, name: str, measured: float, target: float, unit: str,
           lower_is_better: bool = True) -> dict[str, Any]:
    """A row of the report: the ratio is measured ÷ target (≤ 1 passes when lower is better)."""
    ratio = measured / target if target else float("inf")
    ok = ratio <= 1 if lower_is_better else ratio >= 1
    return {"benchmark": benchmark, "figure": name, "measured": measured, "target": target,
            "unit": unit, "ratio": ratio, "lower_is_better": lower_is_better, "ok": ok}


def context(benchmark: str, name: str, measured: float, unit: str) -> dict[str, Any]:
    """A row that puts the figures in proportion (no target: it never fails the run)."""
    return {"benchmark": benchmark, "figure": name, "measured": measured, "target": None,
            "unit": unit, "ratio": None, "lower_is_better": None, "ok": True}
