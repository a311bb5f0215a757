"""Project submissions, observations, self-ratings, reporting lines and tenant settings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound
from lti_tool.domain.people_evidence import (
    Observation,
    ProjectSubmission,
    SelfRating,
    SubmissionState,
)

from ..models import EvidenceRow, MembershipRow
from ..models.people_evidence import (
    ObservationRow,
    ProjectSubmissionRow,
    ReportingLineRow,
    SelfRatingRow,
    TenantSettingsRow,
)
from .statements import insert_if_absent, pk


@dataclass(frozen=True)
class TenantSettings:
    """What the tenant turned on (both off by default)."""

    managers_may_observe: bool = False
    self_ratings_count: bool = False


def submission_record(row: ProjectSubmissionRow) -> ProjectSubmission:
    return ProjectSubmission(
        id=str(row.id), learner_id=str(row.person_id), competency_id=str(row.competency_id),
        title=row.title, url=row.url, state=SubmissionState(row.state),
        submitted_at=row.submitted_at,
        reviewer_id=None if row.reviewer_id is None else str(row.reviewer_id),
        reviewed_at=row.reviewed_at, level=row.level, comment=row.comment)


def observation_record(row: ObservationRow) -> Observation:
    return Observation(
        id=str(row.id), learner_id=str(row.person_id), competency_id=str(row.competency_id),
        author_id="" if row.author_id is None else str(row.author_id), level=row.level,
        anchor=row.anchor, note=row.note, observed_at=row.observed_at,
        as_manager=row.as_manager)


class PeopleEvidenceRepository:
    """The rows behind evidence that people give, always confined to one tenant."""

    def __init__(self, session: Session, tenant_id: int | str) -> None:
        self.session = session
        self.tenant_id = pk(tenant_id)

    # project submissions

    def has_submission(self, person_id: int) -> bool:
        """Whether the person ever submitted a project."""
        return self.session.scalar(select(ProjectSubmissionRow.id).where(
            ProjectSubmissionRow.person_id == person_id).limit(1)) is not None

    def add_submission(self, person_id: int | str, competency_id: int | str, title: str,
                       url: str, when: datetime) -> ProjectSubmission:
        row = ProjectSubmissionRow(tenant_id=self.tenant_id, person_id=pk(person_id),
                                   competency_id=pk(competency_id), title=title, url=url,
                                   state=SubmissionState.SUBMITTED.value, submitted_at=when,
                                   comment="")
        self.session.add(row)
        self.session.flush()
        return submission_record(row)

    def submission(self, submission_id: int | str) -> ProjectSubmission:
        """The tenant's submission, or NotFound (ValueError: not a number)."""
        return submission_record(self._submission_row(submission_id))

    def _submission_row(self, submission_id: int | str) -> ProjectSubmissionRow:
        row = self.session.get(ProjectSubmissionRow, pk(submission_id))
        if row is None or row.tenant_id != self.tenant_id:
            raise NotFound(f"submission {submission_id} does not exist")
        return row

    def review_submission(self, submission_id: int | str, state: SubmissionState,
                          reviewer_id: int, when: datetime, *, level: int | None = None,
                          evidence_id: int | None = None,
                          comment: str | None = None) -> ProjectSubmission:
        """Record the review of a submission: accepted (level, evidence) or returned."""
        row = self._submission_row(submission_id)
        row.state, row.reviewer_id, row.reviewed_at = state.value, reviewer_id, when
        if level is not None:
            row.level = level
        if evidence_id is not None:
            row.evidence_id = evidence_id
        if comment is not None:
            row.comment = comment
        self.session.flush()
        return submission_record(row)

    def submissions_of(self, person_id: int | str) -> list[ProjectSubmission]:
        """A learner's submissions, newest first."""
        rows = self.session.scalars(select(ProjectSubmissionRow).where(
            ProjectSubmissionRow.tenant_id == self.tenant_id,
            ProjectSubmissionRow.person_id == pk(person_id))
            .order_by(ProjectSubmissionRow.submitted_at.desc(), ProjectSubmissionRow.id.desc()))
        return [submission_record(row) for row in rows]

    def waiting_in_course(self, course_id: int | str) -> list[ProjectSubmission]:
        """Submissions waiting for review by the course's active members, oldest first."""
        members = select(MembershipRow.person_id).where(
            MembershipRow.course_id == pk(course_id), MembershipRow.status == "Active")
        rows = self.session.scalars(select(ProjectSubmissionRow).where(
            ProjectSubmissionRow.tenant_id == self.tenant_id,
            ProjectSubmissionRow.state == SubmissionState.SUBMITTED.value,
            ProjectSubmissionRow.person_id.in_(members))
            .order_by(ProjectSubmissionRow.submitted_at, ProjectSubmissionRow.id))
        return [submission_record(row) for row in rows]

    # observations
    def add_observation(self, person_id: int | str, competency_id: int | str,
                        author_id: int | str, level: int, anchor: str, note: str,
                        as_manager: bool, when: datetime) -> ObservationRow:
        row = ObservationRow(tenant_id=self.tenant_id, person_id=pk(person_id),
                             competency_id=pk(competency_id), author_id=pk(author_id),
                             level=level, anchor=anchor, note=note, as_manager=as_manager,
                             observed_at=when)
        self.session.add(row)
        self.session.flush()
        return row

    def observation_row(self, observation_id: int | str) -> ObservationRow:
        row = self.session.get(ObservationRow, pk(observation_id))
        if row is None or row.tenant_id != self.tenant_id or row.withdrawn_at is not None:
            raise NotFound(f"observation {observation_id} does not exist")
        return row

    def observations_of(self, person_id: int | str) -> list[Observation]:
        """A learner's observations that stand (not withdrawn), newest first."""
        rows = self.session.scalars(select(ObservationRow).where(
            ObservationRow.tenant_id == self.tenant_id,
            ObservationRow.person_id == pk(person_id), ObservationRow.withdrawn_at.is_(None))
            .order_by(ObservationRow.observed_at.desc(), ObservationRow.id.desc()))
        return [observation_record(row) for row in rows]

    def observations_by(self, author_id: int | str,
                        person_ids: Iterable[int]) -> list[Observation]:
        """The author's standing observations of these people, newest first."""
        rows = self.session.scalars(select(ObservationRow).where(
            ObservationRow.tenant_id == self.tenant_id, ObservationRow.withdrawn_at.is_(None),
            ObservationRow.author_id == pk(author_id),
            ObservationRow.person_id.in_(list(person_ids)))
            .order_by(ObservationRow.observed_at.desc(), ObservationRow.id.desc()))
        return [observation_record(row) for row in rows]

    def observations_in_course(self, course_id: int | str) -> list[Observation]:
        """Standing observations of the course's active members, newest first."""
        members = select(MembershipRow.person_id).where(
            MembershipRow.course_id == pk(course_id), MembershipRow.status == "Active")
        rows = self.session.scalars(select(ObservationRow).where(
            ObservationRow.tenant_id == self.tenant_id, ObservationRow.withdrawn_at.is_(None),
            ObservationRow.person_id.in_(members))
            .order_by(ObservationRow.observed_at.desc(), ObservationRow.id.desc()))
        return [observation_record(row) for row in rows]

    def drop_evidence(self, evidence_id: int | None) -> None:
        if evidence_id is not None:
            self.session.execute(delete(EvidenceRow).where(
                EvidenceRow.id == evidence_id, EvidenceRow.tenant_id == self.tenant_id))

    # self-ratings
    def rate(self, person_id: int | str, competency_id: int | str, level: int, anchor: str,
             when: datetime) -> SelfRating:
        row = self.session.get(SelfRatingRow, (pk(person_id), pk(competency_id)))
        if row is None:
            row = SelfRatingRow(person_id=pk(person_id), competency_id=pk(competency_id),
                                tenant_id=self.tenant_id)
            self.session.add(row)
        row.level, row.anchor, row.rated_at = level, anchor, when
        self.session.flush()
        return SelfRating(str(row.person_id), str(row.competency_id), level, anchor, when)

    def self_ratings_of(self, person_id: int | str) -> dict[str, SelfRating]:
        rows = self.session.scalars(select(SelfRatingRow).where(
            SelfRatingRow.tenant_id == self.tenant_id, SelfRatingRow.person_id == pk(person_id)))
        return {str(r.competency_id): SelfRating(str(r.person_id), str(r.competency_id),
                                                 r.level, r.anchor, r.rated_at) for r in rows}

    # reporting lines (HRIS) and settings
    def add_manager(self, manager_id: int | str, person_id: int | str) -> None:
        insert_if_absent(self.session, ReportingLineRow, {
            "manager_id": pk(manager_id), "person_id": pk(person_id),
            "tenant_id": self.tenant_id})

    def remove_manager(self, manager_id: int | str, person_id: int | str) -> None:
        self.session.execute(delete(ReportingLineRow).where(
            ReportingLineRow.manager_id == pk(manager_id),
            ReportingLineRow.person_id == pk(person_id),
            ReportingLineRow.tenant_id == self.tenant_id))

    def manages(self, manager_id: int | str, person_id: int | str) -> bool:
        return self.session.scalar(select(ReportingLineRow.person_id).where(
            ReportingLineRow.manager_id == pk(manager_id),
            ReportingLineRow.person_id == pk(person_id),
            ReportingLineRow.tenant_id == self.tenant_id)) is not None

    def reports_of(self, manager_id: int | str) -> list[int]:
        """The people the HRIS says `manager_id` manages."""
        return list(self.session.scalars(select(ReportingLineRow.person_id).where(
            ReportingLineRow.manager_id == pk(manager_id),
            ReportingLineRow.tenant_id == self.tenant_id)))

    def settings(self) -> TenantSettings:
        row = self.session.get(TenantSettingsRow, self.tenant_id)
        if row is None:
            return TenantSettings()
        return TenantSettings(row.managers_may_observe, row.self_ratings_count)

    def save_settings(self, settings: TenantSettings) -> TenantSettings:
        row = self.session.get(TenantSettingsRow, self.tenant_id)
        if row is None:
            row = TenantSettingsRow(tenant_id=self.tenant_id)
            self.session.add(row)
        row.managers_may_observe = settings.managers_may_observe
        row.self_ratings_count = settings.self_ratings_count
        self.session.flush()
        return settings
