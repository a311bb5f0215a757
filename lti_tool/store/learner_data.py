"""Know when people data changed: evidence, rules, items, memberships, people, goals, the
HRIS facts (role changes, openings) and people's evidence (projects, observations,
self-ratings, the tenant's evidence settings).

Figures computed over a whole course (rule previews, class aggregates) are kept per
version of this data and of the catalogue; every commit that writes one of these tables
moves the version on (`watch_learner_data_changes`), so the next view recomputes.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from .models import (
    EvidenceRow,
    EvidenceRuleRow,
    GoalRow,
    LmsItemRow,
    MembershipRow,
    ObservationRow,
    PersonRow,
    ProjectSubmissionRow,
    RoleChangeRow,
    RoleOpeningRow,
    SelfRatingRow,
    TenantSettingsRow,
)
from .table_changes import watch_changes

LEARNER_DATA_VERSION_KEY = "learner-data-version"
LEARNER_DATA_ROWS = (EvidenceRow, EvidenceRuleRow, LmsItemRow, MembershipRow, PersonRow, GoalRow,
                     RoleChangeRow, RoleOpeningRow, ProjectSubmissionRow, ObservationRow,
                     SelfRatingRow, TenantSettingsRow)


def watch_learner_data_changes(sessions: sessionmaker[Session],
                               on_change: Callable[[], None]) -> None:
    """Call `on_change` after every commit that wrote learner data (ORM or Core DML)."""
    watch_changes(sessions, LEARNER_DATA_ROWS, "learner-data", on_change)
