"""Evidence: what proves a level, from the LMS or from people and systems around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .errors import InvalidInput


class EvidenceKind(StrEnum):
    LMS_COMPLETION = "lms_completion"
    LMS_SCORE = "lms_score"
    PROJECT_ACCEPTED = "project_accepted"
    MANAGER_ENDORSEMENT = "manager_endorsement"
    INSTRUCTOR_OBSERVATION = "instructor_observation"
    PEER_REVIEW = "peer_review"
    CERTIFICATION = "certification"
    SELF_ASSESSMENT = "self_assessment"
    EXTERNAL = "external"


LMS_KINDS = frozenset({EvidenceKind.LMS_COMPLETION, EvidenceKind.LMS_SCORE,
                       EvidenceKind.PROJECT_ACCEPTED})


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence about a learner.

    LMS evidence names an `lms_item_id` (its value: 1.0 for a completion or an accepted
    project, the score as a fraction 0-1 for an assessment). Direct evidence (endorsement,
    review, certification, ...) names a `competency_id` and carries a level as its value.
    """

    kind: EvidenceKind
    learner_id: str
    observed_at: datetime
    value: float | None = None
    competency_id: str | None = None
    lms_item_id: str | None = None
    source_ref: str = ""
    verifier: str = ""
    id: str = ""

    def __post_init__(self) -> None:
        if (self.competency_id is None) == (self.lms_item_id is None):
            raise InvalidInput("evidence names exactly one of a competency or an LMS item")
        if self.kind == EvidenceKind.LMS_SCORE and (
            self.value is None or not 0 <= self.value <= 1
        ):
            raise InvalidInput("an lms_score value is a fraction between 0 and 1")
        if self.value is not None and self.value < 0:
            raise InvalidInput("evidence value cannot be negative")
