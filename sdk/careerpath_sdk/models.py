"""Typed models of the API's resources, built from its JSON."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, ClassVar, TypeVar

M = TypeVar("M", bound="Model")


@dataclass(frozen=True)
class Model:
    """Base of every model: `from_json` ignores unknown keys, so new API fields are safe."""

    nested: ClassVar[dict[str, type[Model]]] = {}

    @classmethod
    def from_json(cls: type[M], data: dict[str, Any]) -> M:
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            kind = cls.nested.get(f.name)
            if kind is not None and isinstance(value, list):
                value = tuple(kind.from_json(v) for v in value)
            elif kind is not None and isinstance(value, dict):
                value = kind.from_json(value)
            elif f.name.endswith("_at") and isinstance(value, str):
                value = datetime.fromisoformat(value)
            elif isinstance(value, list):
                value = tuple(value)
            values[f.name] = value
        return cls(**values)


@dataclass(frozen=True)
class ScaleLevel(Model):
    value: int
    label: str
    proficient: bool = False


@dataclass(frozen=True)
class Scale(Model):
    key: str
    name: str
    levels: tuple[ScaleLevel, ...] = ()
    nested: ClassVar[dict[str, type[Model]]] = {"levels": ScaleLevel}


@dataclass(frozen=True)
class Anchor(Model):
    level: int
    text: str


@dataclass(frozen=True)
class Competency(Model):
    id: int
    code: str
    name: str
    description: str = ""
    parent_id: int | None = None
    badge_level: int | None = None
    anchors: tuple[Anchor, ...] = ()
    nested: ClassVar[dict[str, type[Model]]] = {"anchors": Anchor}


@dataclass(frozen=True)
class Framework(Model):
    id: int
    name: str
    description: str = ""
    calculation_method: str = "highest"
    scale: Scale | None = None
    competencies: tuple[Competency, ...] = ()
    nested: ClassVar[dict[str, type[Model]]] = {"scale": Scale, "competencies": Competency}

    def competency(self, code: str) -> Competency:
        """The competency with this code."""
        return next(c for c in self.competencies if c.code == code)


@dataclass(frozen=True)
class Requirement(Model):
    competency_id: int
    required_level: float
    weight: float = 1.0
    minimum_level: float | None = None


@dataclass(frozen=True)
class Transition(Model):
    to_role_id: int
    kind: str = "upward"


@dataclass(frozen=True)
class Role(Model):
    id: int
    name: str
    family: str = ""
    description: str = ""
    threshold: float = 0.8
    requirements: tuple[Requirement, ...] = ()
    transitions: tuple[Transition, ...] = ()
    nested: ClassVar[dict[str, type[Model]]] = {"requirements": Requirement,
                                                "transitions": Transition}


@dataclass(frozen=True)
class Person(Model):
    id: int
    sub: str
    name: str = ""
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    locale: str = ""
    current_role_id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Evidence(Model):
    id: int
    person_id: int
    kind: str
    value: float | None = None
    competency_id: int | None = None
    lms_item_id: int | None = None
    observed_at: datetime | None = None
    source_ref: str = ""
    verifier: str = ""


@dataclass(frozen=True)
class Goals(Model):
    person_id: int
    role_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class FailingGate(Model):
    kind: str
    required: float
    actual: float
    competency_id: int | None = None


@dataclass(frozen=True)
class Gap(Model):
    competency_id: int
    required: float
    current: float | None = None
    competency_name: str = ""
    weight: float = 1.0
    shortfall: float = 0.0
    impact: float = 0.0
    readiness_gain: float = 0.0


@dataclass(frozen=True)
class ChecklistItem(Model):
    competency_id: int
    required_level: float
    current: float | None = None
    missing_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation(Model):
    competency_id: int
    lms_item_id: int
    title: str = ""
    effort: float = 1.0
    current: float | None = None
    reaches_level: float = 0.0
    closes_gap: bool = False
    readiness_gain: float = 0.0
    priority: float = 0.0
    action: str = "take"


@dataclass(frozen=True)
class Readiness(Model):
    person_id: int
    role_id: int
    score: float
    ready: bool
    role_name: str = ""
    threshold: float = 0.8
    failing_gates: tuple[FailingGate, ...] = ()
    gaps: tuple[Gap, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    nested: ClassVar[dict[str, type[Model]]] = {
        "failing_gates": FailingGate, "gaps": Gap, "checklist": ChecklistItem,
        "recommendations": Recommendation}


@dataclass(frozen=True)
class NextRole(Model):
    role_id: int
    role_name: str
    score: float
    ready: bool
    threshold: float = 0.8
    gaps: int = 0


@dataclass(frozen=True)
class Course(Model):
    id: int
    context_id: str
    title: str = ""
    label: str = ""
    registration_id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Membership(Model):
    id: int
    course_id: int
    person_id: int
    roles: tuple[str, ...] = ()
    status: str = "Active"
    updated_at: datetime | None = None


@dataclass(frozen=True)
class LmsItem(Model):
    id: int
    course_id: int
    lms_id: str
    kind: str = "line_item"
    title: str = ""
    score_maximum: float | None = None
    effort: float = 1.0
    tag: str = ""
    resource_link_id: str = ""


@dataclass(frozen=True)
class EvidenceRule(Model):
    id: int
    lms_item_id: int
    competency_id: int
    level: int
    condition: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CohortReadiness(Model):
    course_id: int
    role_id: int
    total: int
    ready: int
    mean: float | None = None
    median: float | None = None
    bins: tuple[int, ...] = ()


@dataclass(frozen=True)
class WidgetToken(Model):
    token: str
    person_id: int
    expires_at: datetime | None = None


@dataclass(frozen=True)
class PersonalData(Model):
    """Everything stored about a person (the export), as the API sends it."""

    person: dict[str, Any] = field(default_factory=dict)
    memberships: tuple[dict[str, Any], ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()
    levels: tuple[dict[str, Any], ...] = ()
    goals: tuple[dict[str, Any], ...] = ()
    readiness_states: tuple[dict[str, Any], ...] = ()
    badges: tuple[dict[str, Any], ...] = ()
    hris_changes: tuple[dict[str, Any], ...] = ()
    events: tuple[dict[str, Any], ...] = ()
    project_submissions: tuple[dict[str, Any], ...] = ()
    observations: tuple[dict[str, Any], ...] = ()
    self_ratings: tuple[dict[str, Any], ...] = ()
    reporting_lines: tuple[dict[str, Any], ...] = ()
    mentor_links: tuple[dict[str, Any], ...] = ()
    exported_at: datetime | None = None


@dataclass(frozen=True)
class WebhookSubscription(Model):
    id: int
    url: str
    event_types: tuple[str, ...] = ()
    description: str = ""
    active: bool = True
    consecutive_failures: int = 0
    disabled_reason: str = ""
    created_at: datetime | None = None
    secret: str | None = None


@dataclass(frozen=True)
class WebhookAttempt(Model):
    attempt: int
    status_code: int | None = None
    duration_ms: int = 0
    error: str = ""
    attempted_at: datetime | None = None


@dataclass(frozen=True)
class WebhookDelivery(Model):
    id: int
    event_id: str
    event_type: str
    status: str
    attempts: tuple[WebhookAttempt, ...] = ()
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    nested: ClassVar[dict[str, type[Model]]] = {"attempts": WebhookAttempt}


@dataclass(frozen=True)
class HrisReceipt(Model):
    role_changes_recorded: int = 0
    role_changes_known: int = 0
    openings_created: int = 0
    openings_updated: int = 0
    people_created: int = 0
    current_roles_updated: int = 0
    person_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class MobilityMetrics(Model):
    """`internal_fill_rate` {internal, total, rate}; durations {count, days}; `series` monthly."""

    role_id: int | None = None
    internal_fill_rate: dict[str, Any] = field(default_factory=dict)
    time_to_promotion: dict[str, Any] = field(default_factory=dict)
    mobility_velocity: dict[str, Any] = field(default_factory=dict)
    skills_gap_closure: tuple[dict[str, Any], ...] = ()
    readiness: tuple[dict[str, Any], ...] = ()
    series: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Badge(Model):
    """An issued Open Badge 3.0 credential; `url` is its public page with the verification,
    `json_url` / `jwt_url` the credential as JSON-LD and as the signed VC-JWT."""

    id: str
    person_id: int
    kind: str = ""
    achievement_key: str = ""
    name: str = ""
    result: str = ""
    issued_at: datetime | None = None
    valid_until: str | None = None
    revoked: bool = False
    revoked_at: datetime | None = None
    revocation_reason: str = ""
    url: str = ""
    json_url: str = ""
    jwt_url: str = ""


@dataclass(frozen=True)
class ImportSummary(Model):
    """What an import wrote (`frameworks` names with their `framework_ids`, counts of
    competencies, roles and transitions) and what it read but `not_stored`; when a newer
    version of a CASE document updated its framework, `updated` with the codes `added`,
    `changed` and `retired`; `summary` is one line for people."""

    tenant: str
    frameworks: tuple[str, ...] = ()
    framework_ids: tuple[int, ...] = ()
    competencies: int = 0
    roles: int = 0
    transitions: int = 0
    not_stored: tuple[str, ...] = ()
    updated: bool = False
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True)
class SyncStarted(Model):
    course_id: int
    job_id: str
    status: str = "queued"
    trigger: str = "api"


@dataclass(frozen=True)
class SyncRun(Model):
    id: int
    course_id: int
    status: str
    trigger: str = ""
    counts: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_seconds: float | None = None


@dataclass(frozen=True)
class ApiKey(Model):
    """An API key; `token` (the full key) only in the reply that created it."""

    id: int
    prefix: str
    name: str = ""
    scopes: tuple[str, ...] = ()
    created_at: datetime | None = None
    revoked_at: datetime | None = None
    token: str | None = None


@dataclass(frozen=True)
class CompetencyRemoved(Model):
    id: int
    outcome: str  # deleted | archived
