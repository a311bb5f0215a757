"""Evidence from people: applied projects, observations, self-assessment (pure rules)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from .errors import InvalidInput
from .rules import Accepted, AllOf, AnyOf, Condition, EvidenceRule
from .taxonomy import BehaviouralAnchor, Framework

MAX_URL_LENGTH = 2048
MAX_NOTE_LENGTH = 2000
MAX_TITLE_LENGTH = 200
UNSAFE_IN_URL = frozenset('"<>\\^`{|}')  # never valid unencoded in a URL (RFC 3986)


class SubmissionState(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


@dataclass(frozen=True)
class ProjectSubmission:
    """An artifact (a link) a learner submitted as proof of a competency, and its review."""

    id: str
    learner_id: str
    competency_id: str
    title: str
    url: str
    state: SubmissionState
    submitted_at: datetime
    reviewer_id: str | None = None
    reviewed_at: datetime | None = None
    level: int | None = None
    comment: str = ""


@dataclass(frozen=True)
class Observation:
    """A level an instructor or manager saw a learner show, with the anchor behind it."""

    id: str
    learner_id: str
    competency_id: str
    author_id: str
    level: int
    anchor: str
    note: str
    observed_at: datetime
    as_manager: bool = False


@dataclass(frozen=True)
class SelfRating:
    """A learner's own rating of a competency, with the anchor they chose."""

    learner_id: str
    competency_id: str
    level: int
    anchor: str
    rated_at: datetime


def artifact_url(url: str) -> str:
    """The artifact link, checked: https, a host, no credentials, no spaces, not too long."""
    url = (url or "").strip()
    problems: list[str] = []
    if not url:
        problems.append("give a link to the artifact")
    elif len(url) > MAX_URL_LENGTH:
        problems.append(f"a link is at most {MAX_URL_LENGTH} characters")
    elif any(ch.isspace() or ord(ch) < 32 or ch in UNSAFE_IN_URL for ch in url):
        problems.append("a link has no spaces, quotes, angle brackets or control characters")
    else:
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        if parts is None or parts.scheme.lower() != "https" or not host:
            problems.append("the link must start with https:// and name a host")
        elif parts.username is not None or parts.password is not None:
            problems.append("a link must not carry a user name or password")
    if problems:
        raise InvalidInput(problems[0], {"url": problems})
    return url


def bounded_text(text: str, field: str, limit: int, *, required: bool = False) -> str:
    """`text` stripped; InvalidInput when over `limit` or (when required) empty."""
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput(f"{field} is required", {field: ["this field is required"]})
    if len(text) > limit:
        raise InvalidInput(f"{field} is at most {limit} characters",
                           {field: [f"at most {limit} characters"]})
    return text


def scale_level(framework: Framework, level: int | str | None, field: str = "level") -> int:
    """A level that exists on the framework's scale."""
    try:
        if isinstance(level, bool) or (isinstance(level, float) and not level.is_integer()):
            raise ValueError(level)
        value = int(level)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInput(f"{field} is a level of the scale",
                           {field: ["choose a level of the scale"]}) from None
    if value not in {lv.value for lv in framework.scale.levels}:
        allowed = ", ".join(str(lv.value) for lv in framework.scale.levels)
        raise InvalidInput(f"{field} {value} is not on the scale ({allowed})",
                           {field: [f"choose one of {allowed}"]})
    return value


def anchors_of(framework: Framework, competency_id: str) -> list[BehaviouralAnchor]:
    """The competency's behavioural anchors, lowest level first."""
    return sorted((a for a in framework.anchors if a.competency_id == competency_id),
                  key=lambda a: a.level)


def chosen_anchor(framework: Framework, competency_id: str, anchor_level: int | str | None,
                  level: int) -> str:
    """The text of the anchor picked (by its level); it must back the level given.

    A competency without anchors takes none (""); one with anchors needs one picked, at
    or below the level observed (an anchor above it would claim more than the level).
    """
    anchors = anchors_of(framework, competency_id)
    if not anchors:
        return ""
    if anchor_level in (None, ""):
        raise InvalidInput("pick the behavioural anchor you observed",
                           {"anchor_level": ["pick one of the competency's anchors"]})
    wanted = scale_level(framework, anchor_level, "anchor_level")
    for anchor in anchors:
        if anchor.level == wanted:
            if wanted > level:
                raise InvalidInput("the anchor describes a higher level than the one given",
                                   {"anchor_level": ["pick an anchor at or below the level"]})
            return anchor.text
    raise InvalidInput("that anchor is not one of the competency's",
                       {"anchor_level": ["pick one of the competency's anchors"]})


def calibration_gap(self_level: int | None, evidence_level: float | None) -> float | None:
    """Self rating minus the evidence-based level (positive: rates themselves higher)."""
    if self_level is None or evidence_level is None:
        return None
    return round(self_level - evidence_level, 2)


def accepted_items(rules: Iterable[EvidenceRule], competency_id: str) -> set[str]:
    """The LMS items whose "project accepted" condition a rule for the competency reads.

    An accepted project for a competency is the applied project those rules ask for, so
    acceptance also marks those items accepted and "completion + project accepted" fires.
    """
    found: set[str] = set()
    for rule in rules:
        if rule.competency_id == competency_id:
            found |= _accepted_in(rule.condition, rule.lms_item_id)
    return found


def _accepted_in(cond: Condition, own: str) -> set[str]:
    if isinstance(cond, AllOf | AnyOf):
        return set().union(*(_accepted_in(c, own) for c in cond.conditions))
    return {cond.item_id or own} if isinstance(cond, Accepted) else set()
