"""Frameworks (scale, calculation, competencies, anchors) and roles (requirements, lattice)."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue

from ..domain.calculation import METHODS
from ..domain.roles import Requirement, TransitionKind
from ..domain.scales import SHIPPED_SCALES
from ..usecases import catalogue as use
from ..usecases.tenant_admin import (
    add_badged_competency,
    badge_levels,
    remove_requirement,
    set_anchor,
    set_requirement,
)
from ..web.translations import gettext
from .access import admin_url, render_admin, svc, tenant_id
from .blueprint import bp
from .forms import NO_ERRORS, FormErrors, decimal, number, submit, text, whole

LISTING = 500


@bp.get("/frameworks")
def frameworks(errors: FormErrors = NO_ERRORS, status: int = 200) -> ResponseReturnValue:
    """The tenant's frameworks and the form to create one."""
    listing = use.list_frameworks(svc().database, tenant_id(), 0, LISTING)
    return render_admin(
        "admin/frameworks.html", gettext("Frameworks"), status, frameworks=listing.items,
        scales=SHIPPED_SCALES, methods=METHODS, errors=errors,
        form=request.form)


@bp.post("/frameworks")
def create_framework() -> ResponseReturnValue:
    def action() -> str:
        method = text("calculation_method")
        parameter = text("calculation_parameter", required=False, limit=12)
        made = use.create_framework(svc().database, tenant_id(), use.FrameworkInput(
            name=text("name"), scale_key=text("scale_key"),
            calculation_method=f"{method}({parameter})" if parameter else method,
            description=text("description", required=False, limit=4000)))
        return admin_url("admin.framework", framework_id=int(made.framework.id),
                         done="framework-created")
    return submit("create-framework", action, lambda e, s: frameworks(e, s))


@bp.get("/frameworks/<int:framework_id>")
def framework(framework_id: int, errors: FormErrors = NO_ERRORS,
              status: int = 200) -> ResponseReturnValue:
    """One framework: its competency tree, anchors per level, and the forms to extend it."""
    detail = use.get_framework(svc().database, tenant_id(), framework_id)
    return render_admin("admin/framework.html", detail.framework.name, status, detail=detail,
                        badges=badge_levels(svc().database, tenant_id(), framework_id),
                        errors=errors, form=request.form)


@bp.post("/frameworks/<int:framework_id>/competencies")
def add_competency(framework_id: int) -> ResponseReturnValue:
    def action() -> str:
        add_badged_competency(
            svc().database, tenant_id(), framework_id,
            use.CompetencyInput(code=text("code", limit=128), name=text("name"),
                                description=text("description", required=False, limit=4000)),
            whole("parent_id", required=False), whole("badge_level", required=False))
        return admin_url("admin.framework", framework_id=framework_id, done="competency-added")
    return submit("add-competency", action, lambda e, s: framework(framework_id, e, s))


@bp.post("/frameworks/<int:framework_id>/anchors")
def save_anchor(framework_id: int) -> ResponseReturnValue:
    def action() -> str:
        set_anchor(svc().database, tenant_id(), framework_id, whole("competency_id") or 0,
                   whole("level") or 0, text("text", limit=2000))
        return admin_url("admin.framework", framework_id=framework_id, done="anchor-saved")
    return submit("anchor", action, lambda e, s: framework(framework_id, e, s))


@bp.get("/roles")
def roles(errors: FormErrors = NO_ERRORS, status: int = 200) -> ResponseReturnValue:
    """The tenant's roles and the form to create one."""
    listing = use.list_roles(svc().database, tenant_id(), 0, LISTING)
    return render_admin(
        "admin/roles.html", gettext("Roles"), status, roles=listing.items,
        errors=errors, form=request.form)


@bp.post("/roles")
def create_role() -> ResponseReturnValue:
    def action() -> str:
        made = use.create_role(svc().database, tenant_id(), use.RoleInput(
            name=text("name"), threshold=_threshold(), family=text("family", required=False),
            description=text("description", required=False, limit=4000)))
        return admin_url("admin.role", role_id=int(made.role.id), done="role-created")
    return submit("create-role", action, lambda e, s: roles(e, s))


@bp.get("/roles/<int:role_id>")
def role(role_id: int, errors: FormErrors = NO_ERRORS, status: int = 200) -> ResponseReturnValue:
    """One role: requirements with weights and gates, transitions, and the forms to edit them."""
    detail = use.get_role(svc().database, tenant_id(), role_id)
    catalogue = use.list_frameworks(svc().database, tenant_id(), 0, LISTING).items
    others = [r.role for r in use.list_roles(svc().database, tenant_id(), 0, LISTING).items]
    competencies = {c.id: (f.framework, c) for f in catalogue for c in f.framework.competencies}
    return render_admin("admin/role.html", detail.role.name, status, detail=detail,
                        competencies=competencies, roles={r.id: r for r in others},
                        kinds=list(TransitionKind), errors=errors, form=request.form)


@bp.post("/roles/<int:role_id>/requirements")
def save_requirement(role_id: int) -> ResponseReturnValue:
    def action() -> str:
        requirement = Requirement(
            competency_id=str(whole("competency_id")), required_level=number("required_level"),
            weight=decimal("weight") or 0.0, minimum_level=decimal("minimum_level", False))
        set_requirement(svc().database, tenant_id(), role_id, requirement)
        return admin_url("admin.role", role_id=role_id, done="requirement-saved")
    return submit("requirement", action, lambda e, s: role(role_id, e, s))


@bp.post("/roles/<int:role_id>/requirements/<int:competency_id>/remove")
def drop_requirement(role_id: int, competency_id: int) -> ResponseReturnValue:
    def action() -> str:
        remove_requirement(svc().database, tenant_id(), role_id, str(competency_id))
        return admin_url("admin.role", role_id=role_id, done="requirement-removed")
    return submit("requirements", action, lambda e, s: role(role_id, e, s))


@bp.post("/roles/<int:role_id>/transitions")
def add_transition(role_id: int) -> ResponseReturnValue:
    def action() -> str:
        kind = text("kind")
        if kind not in {k.value for k in TransitionKind}:
            raise _invalid("kind", gettext("upward or lateral"))
        use.add_transition(svc().database, tenant_id(), role_id, whole("to_role_id") or 0, kind)
        return admin_url("admin.role", role_id=role_id, done="transition-added")
    return submit("transition", action, lambda e, s: role(role_id, e, s))


def _threshold() -> float:
    """The readiness threshold, typed as a percentage (80) or a fraction (0.8)."""
    value = decimal("threshold") or 0.0
    fraction = value / 100 if value > 1 else value
    if not 0 < fraction <= 1:
        raise _invalid("threshold", gettext("between 1 and 100 %"))
    return fraction


def _invalid(name: str, hint: str) -> Exception:
    from ..domain.errors import InvalidInput

    return InvalidInput(f"{name.replace('_', ' ')}: {hint}", {name: [hint]})
