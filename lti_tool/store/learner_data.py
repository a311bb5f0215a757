"""Know when people data changed: evidence, rules, items, courses, memberships, people,
goals, the HRIS facts (role changes, openings) and people's evidence (projects, observations,
self-ratings, the tenant's evidence settings).

Figures computed over a whole course (rule previews, class aggregates) are kept per
version of this data and of the catalogue; every commit that writes one of these tables
moves the version on (`watch_people_data_changes`), so the next view recomputes.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from .models import (
    CourseRow,
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
from .table_changes import watch_people_changes

LEARNER_DATA_VERSION_KEY = "learner-data-version"
# courses too: deleting one deletes its memberships, items and rules with it in the database
# (ON DELETE CASCADE), which no watcher sees row by row
LEARNER_DATA_ROWS = (EvidenceRow, EvidenceRuleRow, LmsItemRow, MembershipRow, PersonRow, GoalRow,
                     RoleChangeRow, RoleOpeningRow, ProjectSubmissionRow, ObservationRow,
                     SelfRatingRow, TenantSettingsRow, CourseRow)


# the rows that belong to one person (in the named attribute); a change of any other learner
# data row may concern anyone
PERSON_OF: dict[type, str] = {
    PersonRow: "id", MembershipRow: "person_id", EvidenceRow: "person_id",
    GoalRow: "person_id", RoleChangeRow: "person_id", ProjectSubmissionRow: "person_id",
    ObservationRow: "person_id", SelfRatingRow: "person_id"}
SHARED_ROWS = tuple(row for row in LEARNER_DATA_ROWS if row not in PERSON_OF)
# moved on by a learner-data change whose people are not known (rules, items, settings,
# openings, a sync's bulk inserts, an erasure): with the person's own version below, it
# tells when what one person's pages show may have changed
ANYONES_DATA_VERSION_KEY = "anyones-data-version"


def person_data_version_key(person_id: int) -> str:
    """The shared cache's counter of changes of this person's own learner data."""
    return f"person-data-version:{int(person_id)}"


def watch_people_data_changes(sessions: sessionmaker[Session],
                              on_change: Callable[[frozenset[int] | None], None]) -> None:
    """Call `on_change(people)` after every commit that wrote learner data: the ids of the
    people whose own rows it wrote, or None when it may concern anyone."""
    watch_people_changes(sessions, PERSON_OF, SHARED_ROWS, "learner-data", on_change)
