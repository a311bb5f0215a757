"""The SQLAlchemy unit of work behind `usecases.ports.UnitOfWork`: one session, the
repositories over it, each made when first asked for."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.orm import Session

from .repositories.api_keys import ApiKeyRepository
from .repositories.badge_keys import BadgeKeyRepository
from .repositories.events import EventRepository
from .repositories.invitations import InvitationRepository
from .repositories.lti import LtiRepository
from .repositories.people import PersonRepository
from .repositories.people_evidence import PeopleEvidenceRepository
from .repositories.service_hosts import ServiceHostRepository
from .repositories.tenants import TenantRepository


class SqlUnitOfWork:
    """The repositories of one session; `Database.unit_of_work()` commits or rolls it back."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @cached_property
    def tenants(self) -> TenantRepository:
        return TenantRepository(self.session)

    @cached_property
    def people(self) -> PersonRepository:
        return PersonRepository(self.session)

    @cached_property
    def api_keys(self) -> ApiKeyRepository:
        return ApiKeyRepository(self.session)

    @cached_property
    def invitations(self) -> InvitationRepository:
        return InvitationRepository(self.session)

    @cached_property
    def registrations(self) -> LtiRepository:
        return LtiRepository(self.session)

    @cached_property
    def service_hosts(self) -> ServiceHostRepository:
        return ServiceHostRepository(self.session)

    @cached_property
    def webhooks(self) -> EventRepository:
        return EventRepository(self.session)

    @cached_property
    def badge_keys(self) -> BadgeKeyRepository:
        return BadgeKeyRepository(self.session)

    @property
    def tool_keys(self) -> LtiRepository:
        return self.registrations  # the LTI repository keeps both

    def evidence_settings(self, tenant_id: int | str) -> PeopleEvidenceRepository:
        return PeopleEvidenceRepository(self.session, tenant_id)
