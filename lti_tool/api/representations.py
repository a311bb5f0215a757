"""Domain objects turned into the plain shapes the response schemas dump."""

from __future__ import annotations

from typing import Any

from ..domain.evidence import Evidence
from ..domain.readiness import Readiness
from ..domain.rules import EvidenceRule, condition_to_dict
from ..domain.scales import ProficiencyScale
from ..records import ApiKeyRecord
from ..usecases.catalogue import FrameworkDetail, RoleDetail
from ..usecases.readiness import ReadinessReport


def scale_json(scale: ProficiencyScale) -> dict[str, Any]:
    return {"key": scale.key, "name": scale.name, "levels": [
        {"value": lv.value, "label": lv.label, "proficient": lv.proficient}
        for lv in scale.levels]}


def framework_json(detail: FrameworkDetail) -> dict[str, Any]:
    f = detail.framework
    return {"id": int(f.id), "name": f.name, "description": detail.description,
            "calculation_method": str(f.calculation), "scale": scale_json(f.scale),
            "competencies": [{
                "id": int(c.id), "code": c.code, "name": c.name, "description": c.description,
                "parent_id": None if c.parent_id is None else int(c.parent_id),
                "badge_level": c.badge_level,
                "anchors": [{"level": a.level, "text": a.text} for a in f.anchors
                            if a.competency_id == c.id]} for c in f.competencies]}


def role_json(detail: RoleDetail) -> dict[str, Any]:
    r = detail.role
    return {"id": int(r.id), "name": r.name, "family": r.family, "threshold": r.threshold,
            "description": detail.description,
            "requirements": [{"competency_id": int(q.competency_id),
                              "required_level": q.required_level, "weight": q.weight,
                              "minimum_level": q.minimum_level} for q in r.requirements],
            "transitions": [{"to_role_id": int(t.to_role_id), "kind": str(t.kind)}
                            for t in detail.transitions]}


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {"id": int(evidence.id), "person_id": int(evidence.learner_id),
            "kind": str(evidence.kind), "value": evidence.value,
            "competency_id": _number(evidence.competency_id),
            "lms_item_id": _number(evidence.lms_item_id), "observed_at": evidence.observed_at,
            "source_ref": evidence.source_ref, "verifier": evidence.verifier}


def rule_json(rule: EvidenceRule) -> dict[str, Any]:
    return {"id": int(rule.id), "lms_item_id": int(rule.lms_item_id),
            "competency_id": int(rule.competency_id), "level": rule.level,
            "condition": condition_to_dict(rule.condition)}


def readiness_json(person_id: int, report: ReadinessReport) -> dict[str, Any]:
    """Score, gates, gaps (with competency names), checklist and recommended modules."""
    r, names = report.readiness, _competency_names(report)
    return {
        "person_id": person_id, "role_id": int(r.role_id), "role_name": report.role.name,
        "score": r.score, "ready": r.ready, "threshold": r.threshold,
        "failing_gates": [{"kind": gate.kind, "required": gate.required, "actual": gate.actual,
                           "competency_id": _number(gate.competency_id)}
                          for gate in r.failing_gates],
        "gaps": [{**_gap(gap), "competency_name": names.get(gap.competency_id, "")}
                 for gap in r.gaps],
        "checklist": [{"competency_id": int(c.competency_id), "required_level": c.required_level,
                       "current": c.current, "missing_steps": [str(s) for s in c.missing_steps]}
                      for c in r.checklist],
        "recommendations": [
            {"competency_id": int(rec.competency_id), "lms_item_id": int(rec.module.item_id),
             "title": rec.module.title, "effort": rec.module.effort, "current": rec.current,
             "reaches_level": rec.reaches_level, "closes_gap": rec.closes_gap,
             "readiness_gain": rec.readiness_gain, "priority": rec.priority,
             "action": str(rec.action),
             "missing": [{"needs": m.needs, "lms_item_id": int(m.item_id),
                          "required": m.required, "actual": m.actual} for m in rec.missing]}
            for plan in report.plans for rec in plan.recommendations],
    }


def next_role_json(readiness: Readiness, names: dict[str, str]) -> dict[str, Any]:
    return {"role_id": int(readiness.role_id), "role_name": names.get(readiness.role_id, ""),
            "score": readiness.score, "ready": readiness.ready,
            "threshold": readiness.threshold, "gaps": len(readiness.gaps)}


def api_key_json(key: ApiKeyRecord, token: str | None = None) -> dict[str, Any]:
    shown = {"id": key.id, "prefix": f"cp_{key.prefix}", "name": key.name,
             "scopes": list(key.scopes), "created_at": key.created_at,
             "revoked_at": key.revoked_at}
    return {**shown, "token": token} if token else shown


def _gap(gap: Any) -> dict[str, Any]:
    return {"competency_id": int(gap.competency_id), "current": gap.current,
            "required": gap.required, "weight": gap.weight, "shortfall": gap.shortfall,
            "impact": gap.impact, "readiness_gain": gap.readiness_gain}


def _competency_names(report: ReadinessReport) -> dict[str, str]:
    return {c.id: c.name for f in report.learner.context.frameworks for c in f.competencies}


def _number(value: str | None) -> int | None:
    return None if value is None else int(value)
