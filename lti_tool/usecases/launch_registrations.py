"""Reading the platform registration a login or launch belongs to, for the LTI views."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.roles import RoleBlueprint
from ..records import PlatformRegistration
from ..store.database import Database
from ..store.repositories.lti import LtiRepository
from ..store.repositories.roles import RoleRepository


def registrations_of_issuer(database: Database, issuer: str) -> list[PlatformRegistration]:
    """Every registration of one issuer (a login that names no client_id)."""
    with database.read_session() as session:
        return [r for r in LtiRepository(session).registrations() if r.issuer == issuer]


def registration_by_id(database: Database, registration_id: int | str) -> PlatformRegistration:
    """One registration; `NotFound` when it is gone."""
    with database.read_session() as session:
        return LtiRepository(session).registration_by_id(registration_id)


@dataclass(frozen=True)
class PickerChoices:
    """What the deep-linking picker offers: the tenant's roles, and whose return URL to check."""

    roles: list[RoleBlueprint]
    registration: PlatformRegistration


def picker_choices(database: Database, tenant_id: int, registration_id: int | str
                   ) -> PickerChoices:
    """The roles an instructor may target and the registration of the deep-linking launch."""
    with database.read_session() as session:
        return PickerChoices(RoleRepository(session).list(tenant_id),
                             LtiRepository(session).registration_by_id(registration_id))
