"""A sample OpenBadgeCredential and an RSA key for the badge unit tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from lti_tool.badges import (
    AchievementSpec,
    AlignmentTarget,
    BadgeSpec,
    BadgeUrls,
    EvidenceItem,
    IssuerProfile,
    ResultDescription,
    open_badge_credential,
    status_entry,
)

URLS = BadgeUrls("https://tool.example")
T0 = datetime(2026, 3, 2, 9, 30, 15, 123000, tzinfo=UTC)
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KID = "test-kid"


def jwks() -> dict[str, Any]:
    jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))
    return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}


def spec(alignment: AlignmentTarget, valid_until: datetime | None = None) -> BadgeSpec:
    achievement_id = URLS.achievement("acme", "competency-7")
    rubric = ResultDescription(f"{achievement_id}#level", "Analytics level",
                               "RubricCriterionLevel", ("Developing", "Proficient", "Advanced"),
                               "Proficient")
    return BadgeSpec(
        id=URLS.credential("b-1"),
        issuer=IssuerProfile(URLS.issuer("acme"), "Acme Corp", "https://acme.example"),
        subject_id="urn:uuid:5f0c6a1e-0000-4000-8000-000000000001",
        achievement=AchievementSpec(achievement_id, "Analytics: Proficient", "Analytics.",
                                    "Reach Proficient.", "Competency", (alignment,), (rubric,)),
        results=((rubric.id, "Proficient"),), valid_from=T0, valid_until=valid_until,
        credential_status=status_entry(URLS.status_list("acme"), 42),
        evidence=(EvidenceItem(URLS.credential("b-1") + "#evidence-1", "LMS completion: SQL",
                               "LMS completion: SQL, observed 2026-03-01."),))


def credential(alignment: AlignmentTarget | None = None, **kwargs: Any) -> dict[str, Any]:
    target = alignment or AlignmentTarget("Analytics", URLS.competency("acme", "7"), "AN-1",
                                          "Product skills")
    return open_badge_credential(spec(target, **kwargs))
