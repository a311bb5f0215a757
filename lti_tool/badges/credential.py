"""OpenBadgeCredential documents (Open Badges 3.0 over the W3C VC Data Model 2.0).

Pure builders: dataclasses in, JSON-ready dicts out; no I/O, no signing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREDENTIAL_TYPES = ("VerifiableCredential", "OpenBadgeCredential")


def iso(moment: datetime) -> str:
    """An XSD dateTime in UTC with a `Z`, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def case_item_url(source_uri: str, identifier: str) -> str:
    """The URI of a CASE CFItem: the framework's source URI joined with the identifier."""
    return source_uri + identifier if source_uri.endswith("/") else f"{source_uri}/{identifier}"


@dataclass(frozen=True)
class IssuerProfile:
    """The issuing organisation (a tenant) as an OB 3.0 `Profile`."""

    id: str
    name: str
    url: str = ""

    def as_json(self) -> dict[str, Any]:
        profile: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name}
        if self.url:
            profile["url"] = self.url
        return profile


@dataclass(frozen=True)
class AlignmentTarget:
    """A competency the achievement aligns to: a CASE CFItem or a competency of the tool."""

    name: str
    url: str
    code: str
    framework: str
    target_type: str = "ceasn:Competency"

    def as_json(self) -> dict[str, Any]:
        return {"type": ["Alignment"], "targetName": self.name, "targetUrl": self.url,
                "targetCode": self.code, "targetFramework": self.framework,
                "targetType": self.target_type}


@dataclass(frozen=True)
class ResultDescription:
    """How a result of the achievement is expressed: a rubric level, a percentage, ..."""

    id: str
    name: str
    result_type: str
    allowed_values: tuple[str, ...] = ()
    required_value: str | None = None

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"id": self.id, "type": ["ResultDescription"],
                                 "name": self.name, "resultType": self.result_type}
        if self.allowed_values:
            found["allowedValue"] = list(self.allowed_values)
        if self.required_value is not None:
            found["requiredValue"] = self.required_value
        return found


@dataclass(frozen=True)
class AchievementSpec:
    """What the badge recognises, with its criteria, alignments and result descriptions."""

    id: str
    name: str
    description: str
    criteria: str
    achievement_type: str
    alignments: tuple[AlignmentTarget, ...] = ()
    result_descriptions: tuple[ResultDescription, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": ["Achievement"], "achievementType": self.achievement_type,
            "name": self.name, "description": self.description,
            "criteria": {"narrative": self.criteria},
            "alignment": [target.as_json() for target in self.alignments],
            "resultDescription": [rd.as_json() for rd in self.result_descriptions],
        }


@dataclass(frozen=True)
class EvidenceItem:
    """A piece of evidence behind the badge, named and narrated (never the raw record)."""

    id: str
    name: str
    narrative: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": ["Evidence"], "name": self.name,
                "narrative": self.narrative}


@dataclass(frozen=True)
class BadgeSpec:
    """Everything one OpenBadgeCredential states."""

    id: str
    issuer: IssuerProfile
    subject_id: str
    achievement: AchievementSpec
    results: tuple[tuple[str, str], ...]
    valid_from: datetime
    credential_status: dict[str, Any]
    evidence: tuple[EvidenceItem, ...] = ()
    valid_until: datetime | None = None
    name: str = ""


def open_badge_credential(spec: BadgeSpec) -> dict[str, Any]:
    """The OpenBadgeCredential document for `spec`."""
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": spec.id,
        "type": list(CREDENTIAL_TYPES),
        "issuer": spec.issuer.as_json(),
        "validFrom": iso(spec.valid_from),
        "name": spec.name or spec.achievement.name,
        "credentialSubject": {
            "id": spec.subject_id,
            "type": ["AchievementSubject"],
            "achievement": spec.achievement.as_json(),
            "result": [{"type": ["Result"], "resultDescription": description_id,
                        "value": value} for description_id, value in spec.results],
        },
        "evidence": [item.as_json() for item in spec.evidence],
        "credentialStatus": spec.credential_status,
    }
    if spec.valid_until is not None:
        credential["validUntil"] = iso(spec.valid_until)
    return credential
