"""Mobility dashboard: the period's headline figures and server-rendered SVG charts.

The period is picked by month (`from`, `to` as YYYY-MM, inclusive; the last 12 months by
default) and optionally one role. Charts are plain SVG geometry computed here (no script,
no inline style, so the CSP holds); each has a data table for people who cannot see it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from flask import request
from flask.typing import ResponseReturnValue

from ..clock import utcnow
from ..domain.cohorts import ReadinessDistribution
from ..domain.errors import InvalidInput
from ..domain.metrics import MobilityPoint
from ..usecases.catalogue import list_roles
from ..usecases.mobility import MobilityReport, mobility_metrics
from ..web.error_messages import translated, translated_fields
from ..web.translations import current_language, gettext, ngettext
from .access import render_admin, svc, tenant_id
from .blueprint import bp
from .forms import NO_ERRORS, FormErrors

FORM = "period"
FIELD_WORDS = {"from": lambda: gettext("From month"), "to": lambda: gettext("To month"),
               "role_id": lambda: gettext("Role")}  # the period form's labels, in its errors
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
ROLE_LISTING = 500

# The charts' drawing box (viewBox units); the SVG itself is as wide as its container.
WIDTH, HEIGHT = 560, 280
LEFT, RIGHT, TOP, BOTTOM = 76, 16, 16, 56
BINS = tuple(f"{10 * i}–{10 * i + 9} %" if i < 9 else "90–100 %" for i in range(10))


@dataclass(frozen=True)
class Tick:
    """An axis mark: where it sits (along its axis) and what it says."""

    at: float
    label: str


@dataclass(frozen=True)
class Bar:
    """One bar, its series (a CSS class suffix) and what a pointer shows over it."""

    x: float
    y: float
    width: float
    height: float
    series: str
    title: str


@dataclass(frozen=True)
class Mark:
    """One category of a chart (a month, a readiness band): its bars or its point."""

    label: str
    bars: tuple[Bar, ...] = ()
    point: tuple[float, float] | None = None
    title: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart's geometry in the drawing box: marks, ticks on both axes, a line if any."""

    marks: tuple[Mark, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    line: str = ""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


@bp.get("/mobility")
def mobility() -> ResponseReturnValue:
    """The tenant's mobility metrics over a period, with charts over time."""
    tenant = tenant_id()
    roles = {r.role.id: r.role.name
             for r in list_roles(svc().database, tenant, 0, ROLE_LISTING).items}
    first, last = default_period(utcnow().date())
    form = {"from": request.args.get("from", first.strftime("%Y-%m")).strip(),
            "to": request.args.get("to", last.strftime("%Y-%m")).strip(),
            "role_id": request.args.get("role_id", "").strip()}
    report, errors, status = None, NO_ERRORS, 200
    try:
        start, end, role_id = read_period(form)
        report = mobility_metrics(svc().database, tenant, start, end, role_id, svc().local,
                                  svc().data_version())
    except InvalidInput as exc:
        errors, status = FormErrors(FORM, translated(exc.message),
                                    translated_fields(exc.errors)), 422
    return render_admin(
        "admin/mobility.html", gettext("Mobility"), status, report=report, roles=roles,
        form=form, errors=errors, charts=charts(report, roles) if report else {},
        fill_percent=fill_percent, days=days, month_label=month_label,
        BINS=BINS)


def default_period(today: date) -> tuple[date, date]:
    """The last 12 months: the month eleven months ago through this month."""
    return shift_month(today.replace(day=1), -11), today.replace(day=1)


def read_period(form: dict[str, str]) -> tuple[date, date, int | None]:
    """The first day of `from`, the last day of `to`, and the role, or InvalidInput."""
    problems: dict[str, list[str]] = {}
    start = _month(form["from"], "from", problems)
    end = _month(form["to"], "to", problems)
    role_id = None
    if form["role_id"]:
        if form["role_id"].isdigit() and len(form["role_id"]) <= 12:
            role_id = int(form["role_id"])
        else:
            problems["role_id"] = [gettext("pick a role from the list")]
    if problems:
        raise InvalidInput(gettext("the period is not valid: %(problems)s", problems="; ".join(
            f"{FIELD_WORDS[name]()}: {', '.join(found)}" for name, found in problems.items())),
            problems)
    assert start is not None and end is not None
    return start, date.fromordinal(shift_month(end, 1).toordinal() - 1), role_id


def shift_month(first: date, months: int) -> date:
    """The first day of the month `months` after (or before) `first`'s month."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month(raw: str, name: str, problems: dict[str, list[str]]) -> date | None:
    found = MONTH.match(raw)
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        problems[name] = [gettext("a month as YYYY-MM, e.g. 2025-01")]
        return None
    return date(int(found.group(1)), int(found.group(2)), 1)


def charts(report: MobilityReport, roles: dict[str, str]) -> dict[str, object]:
    """Every chart of the page: fill rate (line), moves (bars), readiness per role (bars)."""
    return {"fill": fill_chart(report.series), "moves": moves_chart(report.series),
            "readiness": [(r, roles.get(r.role_id, gettext("role %(id)s", id=r.role_id)),
                           readiness_chart(r))
                          for r in report.readiness if r.total]}


def fill_chart(series: tuple[MobilityPoint, ...] | list[MobilityPoint]) -> Chart:
    """Internal fill rate per month, 0–100 %; a month without fills has no point (a gap)."""
    band = _band(len(series))
    marks, path, drawing = [], [], False
    for index, point in enumerate(series):
        rate = point.fill_rate.rate
        centre = LEFT + band * (index + .5)
        label = month_label(point.month)
        if rate is None:
            marks.append(Mark(label, title=gettext("%(month)s: no opening filled", month=label)))
            drawing = False
            continue
        y = _y(rate, 1.0)
        marks.append(Mark(label, point=(round(centre, 2), y), title=gettext(
            "%(month)s: %(rate)s (%(internal)s of %(total)s internal)", month=label,
            rate=fill_percent(rate), internal=point.fill_rate.internal,
            total=point.fill_rate.total)))
        path.append(f"{'L' if drawing else 'M'}{centre:.2f},{y}")
        drawing = True
    ticks = tuple(Tick(_y(v / 100, 1.0), f"{v} %") for v in (0, 25, 50, 75, 100))
    return Chart(tuple(marks), _x_ticks([m.label for m in marks], band), ticks, " ".join(path))


def moves_chart(series: tuple[MobilityPoint, ...] | list[MobilityPoint]) -> Chart:
    """Promotions and all internal moves (promotions and lateral moves) per month."""
    band = _band(len(series))
    top, ticks = _count_scale(max([p.velocity.count for p in series]
                                  + [p.time_to_promotion.count for p in series] + [0]))
    width = band * .8 / 2
    marks = []
    for index, point in enumerate(series):
        label = month_label(point.month)
        start = LEFT + band * (index + .1)
        promotions, moves = point.time_to_promotion.count, point.velocity.count
        values = (("promotions", promotions, ngettext(
                      "%(month)s: %(num)s promotion", "%(month)s: %(num)s promotions",
                      promotions, month=label)),
                  ("moves", moves, ngettext(
                      "%(month)s: %(num)s internal move", "%(month)s: %(num)s internal moves",
                      moves, month=label)))
        marks.append(Mark(label, bars=tuple(
            _bar(start + width * i, width, count, top, series_name, title)
            for i, (series_name, count, title) in enumerate(values))))
    return Chart(tuple(marks), _x_ticks([m.label for m in marks], band), ticks)


def readiness_chart(found: ReadinessDistribution) -> Chart:
    """People aiming at one role, per tenth of readiness."""
    band = _band(len(found.bins))
    top, ticks = _count_scale(max(found.bins, default=0))
    marks = tuple(Mark(BINS[i], bars=(_bar(
        LEFT + band * (i + .15), band * .7, count, top, "people",
        ngettext("%(band)s ready: %(num)s person", "%(band)s ready: %(num)s people", count,
                 band=BINS[i])),))
        for i, count in enumerate(found.bins))
    return Chart(marks, tuple(Tick(round(LEFT + band * (i + .5), 2), str(10 * i))
                              for i in range(len(BINS))), ticks)


def fill_percent(rate: float | None) -> str:
    return gettext("no data") if rate is None else f"{rate * 100:.0f} %"


def days(value: float | None) -> str:
    return gettext("no data") if value is None else ngettext(
        "%(num)s day", "%(num)s days", round(value))


def month_label(month: date) -> str:
    """`Jan 2025`, `Jan. 2025`, `ene 2025`: the month in the request's language."""
    return format_date(month, "MMM y", locale=current_language())


def _band(count: int) -> float:
    return (WIDTH - LEFT - RIGHT) / max(count, 1)


def _y(value: float, top: float) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return round(HEIGHT - BOTTOM - plot * (value / top if top else 0), 2)


def _bar(x: float, width: float, count: int, top: int, series: str, title: str) -> Bar:
    y = _y(count, top)
    return Bar(round(x, 2), y, round(width, 2), round(HEIGHT - BOTTOM - y, 2), series, title)


def _count_scale(highest: int) -> tuple[int, tuple[Tick, ...]]:
    """A whole-number axis from 0 to at least `highest`, with at most 5 steps."""
    step = max(1, math.ceil(max(highest, 1) / 5))
    top = step * max(1, math.ceil(max(highest, 1) / step))
    return top, tuple(Tick(_y(v, top), str(v)) for v in range(0, top + 1, step))


def _x_ticks(labels: list[str], band: float) -> tuple[Tick, ...]:
    """Month labels under the axis; at most about 8, so they never overlap."""
    every = max(1, math.ceil(len(labels) / 8))
    return tuple(Tick(round(LEFT + band * (i + .5), 2), label)
                 for i, label in enumerate(labels) if i % every == 0)
