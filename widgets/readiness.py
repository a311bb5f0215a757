"""The readiness widget: a gauge for one target role, gates, ranked gaps, modules, checklist."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, request
from markupsafe import Markup

from lti_tool.bootstrap import services
from lti_tool.domain.readiness import EvidenceStep
from lti_tool.domain.roles import RoleBlueprint
from lti_tool.domain.rules import Shortfall
from lti_tool.usecases.launch import LaunchSession
from lti_tool.usecases.readiness import LearnerLevels, next_role_ids, readiness_report
from lti_tool.usecases.readiness_reads import readiness_reads
from lti_tool.web.translations import N_, gettext, use_locale

from .frame import framed, now, widget_html
from .locale_format import LocaleFormat
from .page_cache import kept_page
from .people_evidence import readiness_evidence
from .progress import competency_name, gate_text, level_words

STEP_NAMES = {EvidenceStep.LEARNING: N_("Learning (course or assessment)"),
              EvidenceStep.APPLIED_PROJECT: N_("Applied project accepted"),
              EvidenceStep.MANAGER_ENDORSEMENT: N_("Manager endorsement")}
CX, CY, RADIUS = 60.0, 60.0, 50.0


@dataclass(frozen=True)
class Gauge:
    """A half-circle gauge: the filled share (0–100) and the threshold tick's end points."""

    filled: float
    tick: tuple[float, float, float, float]


def gauge(score: float, threshold: float) -> Gauge:
    """Geometry for `score` with a tick at `threshold` (both 0–1), on a 120×70 view box."""
    angle = math.pi * min(max(threshold, 0.0), 1.0)
    inner, outer = RADIUS - 9, RADIUS + 9
    tick = (round(CX - inner * math.cos(angle), 2), round(CY - inner * math.sin(angle), 2),
            round(CX - outer * math.cos(angle), 2), round(CY - outer * math.sin(angle), 2))
    return Gauge(round(100 * min(max(score, 0.0), 1.0), 2), tick)


def shortfall_text(learner: LearnerLevels, shortfall: Shortfall, own_item: str,
                   fmt: LocaleFormat) -> str:
    """What one unmet part of a rule lacks, in words ("your score 50 %, this level needs
    80 %"); another module than the recommended one is named."""
    where = "" if shortfall.item_id == own_item else next(
        (gettext(" on %(module)s", module=m.title) for m in learner.context.modules
         if m.item_id == shortfall.item_id),
        "")
    if shortfall.needs == "score":
        needed = fmt.percent((shortfall.required or 0) / 100)
        if shortfall.actual is None:
            return gettext("no score yet%(where)s, this level needs %(needed)s", where=where,
                           needed=needed)
        return gettext("your score%(where)s %(score)s, this level needs %(needed)s", where=where,
                       score=fmt.percent(shortfall.actual / 100), needed=needed)
    if shortfall.needs == "acceptance":
        return gettext("an applied project%(where)s still needs to be accepted", where=where)
    return gettext("not completed yet%(where)s", where=where)


def choices(learner: LearnerLevels, launch: LaunchSession) -> list[RoleBlueprint]:
    """The roles to choose among: the placed target, goals, then next roles (no duplicates)."""
    lattice = learner.context.lattice
    measurable = {role.id for role in lattice.roles if role.requirements}
    ordered = [launch.custom.get("target_role", ""), *learner.context.goals,
               *next_role_ids(learner)]
    return [lattice.role(role_id) for role_id in dict.fromkeys(ordered) if role_id in measurable]


def step_labels(launch: LaunchSession) -> list[tuple[EvidenceStep, Markup]]:
    """The evidence steps and their names in the launch's language, translated once per page
    rather than once per checklist row (as the template's `_()` gives them: not escaped)."""
    use_locale(launch.locale)
    return [(step, Markup(gettext(STEP_NAMES[step]))) for step in EvidenceStep]  # noqa: S704


def page(launch: LaunchSession) -> Response:
    """Readiness for the asked role, else the placed target, first goal or best next role
    (kept for five minutes while nothing it shows changes: widgets.page_cache)."""
    asked = request.args.get("role", "")
    html = kept_page(launch, "readiness", lambda shown: readiness_html(shown, asked))
    return framed(html, launch)


def readiness_html(launch: LaunchSession, asked: str) -> str:
    """The readiness page's HTML for `launch`, showing the role `asked` for when it has one."""
    # the learner's data and the role's peers: one read-only unit of work
    svc = services(current_app)

    def choose(learner: LearnerLevels) -> tuple[list[RoleBlueprint], RoleBlueprint | None]:
        options = choices(learner, launch)
        lattice = learner.context.lattice
        if asked and asked in {r.id for r in lattice.roles if r.requirements} and asked not in {
                r.id for r in options}:
            options.insert(0, lattice.role(asked))
        return options, next((r for r in options if r.id == asked),
                             options[0] if options else None)

    reads = readiness_reads(svc.database, svc.catalogue, svc.local, launch.tenant_id,
                            launch.person_id, choose)
    learner, options, target, peers = reads.learner, reads.options, reads.target, reads.peers
    context: dict[str, Any] = {"options": options, "target": target, "report": None}
    if target is not None:
        report = readiness_report(learner, target.id, now())
        context.update(
            report=report, gauge=gauge(report.readiness.score, report.readiness.threshold),
            peers=peers, goal_ids=set(learner.context.goals), step_labels=step_labels(launch),
            learner=learner, name_of=competency_name,
            level_words=level_words, gate_text=gate_text, shortfall_text=shortfall_text,
            **readiness_evidence(learner, target, reads.ratings, reads.submissions))
    return widget_html("widgets/readiness.html", launch, N_("Next-role readiness"), **context)
