"""Module mapping (instructors): the course's items, their evidence rules, add, delete, preview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from lti_tool.bootstrap import services
from lti_tool.domain.errors import InvalidInput, NotFound
from lti_tool.domain.rules import EvidenceRule, condition_from_dict
from lti_tool.lms.errors import LmsServiceError
from lti_tool.lms.native import is_native, source_label
from lti_tool.lti.deep_linking import ASSESSED_ACTIVITIES
from lti_tool.usecases import course_mapping
from lti_tool.usecases.connectors import course_connector
from lti_tool.usecases.gradebook_columns import create_column
from lti_tool.usecases.launch import LaunchSession
from lti_tool.usecases.mapping_preview import (
    CONDITION_TYPES,
    MAX_CONDITIONS,
    CourseMapping,
    load_mapping,
    preview_rule,
    rule_from_form,
    rule_words,
)
from lti_tool.usecases.sync.jobs import sync_ports
from lti_tool.web.error_messages import translated, translated_fields
from lti_tool.web.translations import N_, gettext

from . import (
    class_view,  # noqa: F401 - registers the class view's routes on the blueprint
    connector_auth,  # noqa: F401 - registers the Canvas authorization routes
)
from .frame import bp, check_form
from .locale_format import NBSP, LocaleFormat
from .staff_access import course_of, not_found, refused, render_staff, staff_launch

WIDGET = "mapping"
NOTICES = {"saved": N_("The rule was added."), "deleted": N_("The rule was deleted."),
           "column": N_("The gradebook column was created in the LMS. Grade it there; the next "
                        "sync reads the grades back.")}

# lti_tool.lms.native.source_label's words, marked for the catalogues (a unit test checks
# that this list covers them); the page translates the label it gets
SOURCE_WORDS = (N_("LTI gradebook (AGS line item)"), N_("native activity (LMS API)"),
                N_("Canvas assignment (REST API)"), N_("Canvas quiz (REST API)"),
                N_("Canvas module item (REST API)"), N_("Moodle activity (web services)"))


def rule_vocabulary() -> dict[str, str]:
    """The words a rule is spelled out with, in the page's language."""
    return {"and": gettext("AND"), "or": gettext("OR"),
            "score": gettext("score ≥ {percent}"), "completed": gettext("completed"),
            "accepted": gettext("accepted"),
            "unknown": gettext("competency {competency}: level {level}")}


def percent_words(fmt: LocaleFormat) -> Callable[[float], str]:
    """A 0–100 threshold as "80 %" in the launch's locale."""
    return lambda value: f"{fmt.number(value, 1)}{NBSP}%"


def page(launch: LaunchSession, status: int = 200, **extra: Any) -> Response:
    """The items with their rules and previews; 403 for a learner."""
    refusal = refused(launch, WIDGET)
    if refusal is not None:
        return refusal
    svc = services(current_app)
    mapping = extra.pop("mapping", None) or load_mapping(
        svc.database, launch.tenant_id, course_of(launch), svc.local, svc.data_version())
    fmt = LocaleFormat.for_locale(launch.locale)
    percent = percent_words(fmt)
    context: dict[str, Any] = {
        "mapping": mapping,
        "words": lambda rule: rule_words(rule, mapping, percent, rule_vocabulary()),
        "groups": _groups(mapping), "condition_types": CONDITION_TYPES,
        "other_items": other_item_options(mapping), "unselected": UnselectedOptions.of(mapping),
        "condition_rows": range(1, MAX_CONDITIONS + 1), "values": {}, "errors": {},
        "proposal": None, "notice": NOTICES.get(request.args.get("done", "")),
        "source_of": source_label, "connector": course_connector(
            services(current_app).database, course_of(launch)),
        "activities": ASSESSED_ACTIVITIES, "column_error": ""}
    context.update(extra)
    response = render_staff("widgets/mapping.html", launch, N_("Module mapping"), WIDGET,
                            **context)
    response.status_code = status
    return response


@dataclass(frozen=True)
class UnselectedOptions:
    """The competency and level `<optgroup>`s of an add-rule form with nothing chosen, built
    and escaped once per page (every item has such a form)."""

    competencies: Markup
    levels: Markup

    @classmethod
    def of(cls, mapping: CourseMapping) -> UnselectedOptions:
        competencies, levels = [], []
        for framework in mapping.frameworks:
            competencies.append(Markup('<optgroup label="{}">{}</optgroup>').format(
                framework.name, Markup("").join(Markup(
                    '<option value="{}" data-framework="{}">{}</option>').format(
                    c.id, framework.id, c.name) for c in framework.competencies)))
            levels.append(Markup('<optgroup label="{} ({})" data-framework="{}">{}</optgroup>')
                          .format(framework.name, framework.scale.name, framework.id,
                                  Markup("").join(Markup('<option value="{}:{}">{} ({})</option>')
                                                  .format(framework.id, lv.value, lv.label,
                                                          lv.value)
                                                  for lv in framework.scale.levels)))
        return cls(Markup("").join(competencies), Markup("").join(levels))


def other_item_options(mapping: CourseMapping) -> dict[int, Markup]:
    """Per item, the escaped `<option>`s of the course's other items, built once per page:
    every item's form lists them, so the page would otherwise render items² options."""
    options = [(item.id, Markup('<option value="{}">{}</option>').format(
        item.id, item.title or item.lms_id)) for item in mapping.items]
    return {item.id: Markup("").join(option for other, option in options if other != item.id)
            for item in mapping.items}


def _groups(mapping: CourseMapping) -> list[tuple[str, str, list[Any]]]:
    """(heading, id, items): gradable items (AGS), native activities (the LMS's own API,
    through a connector), resource links, then anything else."""
    native = [i for i in mapping.items if is_native(i.lms_id)]
    rest = [i for i in mapping.items if not is_native(i.lms_id)]
    kinds = ((N_("Gradable items"), "line_item"), (N_("Resource links"), "resource_link"))
    found = [(heading, kind, [i for i in rest if i.kind == kind]) for heading, kind in kinds]
    found.insert(1, (N_("Native course activities"), "native", native))
    others = [i for i in rest if i.kind not in {kind for _h, kind in kinds}]
    return [group for group in [*found, (N_("Other items"), "other", others)] if group[2]]


@bp.get("/mapping")
def show_mapping() -> Response:
    """The mapping page for a mapping or class-view launch."""
    return page(staff_launch())


@bp.post("/mapping/rules")
def add_rule() -> ResponseReturnValue:
    """Preview or save the rule of the form; errors re-render the form (422), success is PRG."""
    launch = staff_launch()
    refusal = refused(launch, WIDGET)
    if refusal is not None:
        return refusal
    check_form(launch)
    svc, course_id = services(current_app), course_of(launch)
    database = svc.database
    mapping = load_mapping(database, launch.tenant_id, course_id, svc.local, svc.data_version())
    values = request.form.to_dict()
    try:
        data = rule_from_form(values, mapping)
    except InvalidInput as exc:
        return page(launch, 422, mapping=mapping, values=values,
                    errors=translated_fields(exc.errors))
    if request.form.get("intent") == "preview":
        rule = EvidenceRule("preview", str(data.lms_item_id), str(data.competency_id),
                            data.level, condition_from_dict(data.condition))
        proposal = preview_rule(database, launch.tenant_id, course_id, rule)
        return page(launch, mapping=mapping, values=values, proposal=proposal)
    try:
        course_mapping.create_rule(database, launch.tenant_id, course_id, data,
                                   services(current_app).settings)
    except NotFound:
        raise not_found(N_("item or competency")) from None
    return _back(launch, "saved", data.lms_item_id)


@bp.post("/mapping/rules/<int:rule_id>/delete")
def delete_rule(rule_id: int) -> ResponseReturnValue:
    """Delete one of the course's rules, then show the page again (PRG)."""
    launch = staff_launch()
    refusal = refused(launch, WIDGET)
    if refusal is not None:
        return refusal
    check_form(launch)
    try:
        course_mapping.delete_rule(services(current_app).database, launch.tenant_id,
                                   course_of(launch), rule_id)
    except NotFound:
        raise not_found(N_("rule")) from None
    return _back(launch, "deleted", request.form.get("item", ""))


@bp.post("/mapping/columns")
def add_column() -> ResponseReturnValue:
    """Create a gradebook column (an AGS line item with resourceId and tag) in the course."""
    launch = staff_launch()
    refusal = refused(launch, WIDGET)
    if refusal is not None:
        return refusal
    check_form(launch)
    try:
        item = create_column(sync_ports(services(current_app)), course_of(launch),
                             request.form.get("label", ""), request.form.get("activity", ""))
    except LmsServiceError as exc:
        return page(launch, 422, column_error=translated(str(exc)))
    return _back(launch, "column", item.id)


def _back(launch: LaunchSession, done: str, item: object) -> ResponseReturnValue:
    anchor = f"item-{item}" if str(item).isdigit() else None
    return redirect(url_for("widgets.show_mapping", launch=launch.launch_id, done=done,
                            _anchor=anchor), code=303)
