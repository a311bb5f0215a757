"""The unit of work a use case is handed, and the repositories it exposes, as protocols.

`store.database.Database` gives the SQLAlchemy implementation (`unit_of_work()`,
`read_unit_of_work()`); unit tests hand in an in-memory one (`tests/support/fakes/`).
A use case that takes `UnitsOfWork` opens one per transaction and reaches the data only
through the repositories below, so it never sees a session, a row or SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..records import (
        ApiKeyRecord,
        Delivery,
        Person,
        PlatformRegistration,
        RegistrationInvitation,
        Subscription,
        Tenant,
        ToolKey,
    )
    from ..store.repositories.badge_keys import BadgeKey, SignedBadges
    from ..store.repositories.people_evidence import TenantSettings


class Tenants(Protocol):
    def get(self, tenant_id: int | str) -> Tenant:
        """The tenant, or NotFound."""
        ...

    def by_slug(self, slug: str) -> Tenant | None: ...

    def create(self, slug: str, name: str, url: str = "") -> Tenant | None:
        """A new tenant with exactly `slug`; None when that slug is taken."""
        ...

    def list(self) -> list[Tenant]: ...


class People(Protocol):
    def get(self, person_id: int | str) -> Person:
        """The person (of any tenant), or NotFound."""
        ...


class ApiKeys(Protocol):
    def add(self, tenant_id: int | str, prefix: str, secret_hash: str, name: str,
            scopes: tuple[str, ...]) -> ApiKeyRecord: ...

    def by_prefix(self, prefix: str) -> ApiKeyRecord | None: ...

    def list(self, tenant_id: int | str | None = None) -> list[ApiKeyRecord]: ...

    def revoke(self, key_id: int | str, when: datetime,
               tenant_id: int | str | None = None) -> ApiKeyRecord:
        """Mark a key revoked (once); NotFound when absent or another tenant's."""
        ...


class Invitations(Protocol):
    def add(self, token_hash: str, tenant_id: int | None, deployment_ids: Sequence[str],
            created_by: str, expires_at: datetime) -> RegistrationInvitation: ...

    def by_hash(self, token_hash: str) -> RegistrationInvitation | None: ...

    def claim(self, invitation_id: int, now: datetime) -> bool:
        """Mark an unused, unexpired invitation used; False when another request won it."""
        ...

    def release(self, invitation_id: int) -> None:
        """Make a claimed invitation usable again unless a registration came of it."""
        ...

    def list(self, tenant_id: int | None = None) -> list[RegistrationInvitation]: ...


class Registrations(Protocol):
    def registration_by_id(self, registration_id: int | str) -> PlatformRegistration:
        """The registration, or NotFound."""
        ...


class ServiceHosts(Protocol):
    def hosts(self, registration_id: int | str) -> list[str]:
        """The hosts listed for the registration, in name order."""
        ...

    def add(self, registration_id: int | str, host: str) -> None:
        """List `host` (listing it twice changes nothing)."""
        ...

    def remove(self, registration_id: int | str, host: str) -> bool: ...


class EvidenceSettings(Protocol):
    """One tenant's settings for people's evidence, and its reporting lines."""

    def settings(self) -> TenantSettings: ...

    def save_settings(self, settings: TenantSettings) -> TenantSettings: ...

    def add_manager(self, manager_id: int | str, person_id: int | str) -> None: ...

    def remove_manager(self, manager_id: int | str, person_id: int | str) -> None: ...

    def manages(self, manager_id: int | str, person_id: int | str) -> bool: ...


class Webhooks(Protocol):
    """A tenant's webhook subscriptions and their deliveries."""

    def add_subscription(self, tenant_id: int, url: str, event_types: Sequence[str],
                         encrypted_secret: str, description: str) -> Subscription: ...

    def subscriptions(self, tenant_id: int) -> list[Subscription]: ...

    def subscription(self, tenant_id: int, subscription_id: int) -> Subscription:
        """The tenant's subscription, or NotFound (another tenant's is not visible)."""
        ...

    def change_subscription(self, tenant_id: int, subscription_id: int, *,
                            url: str | None = None, event_types: Sequence[str] | None = None,
                            description: str | None = None, active: bool | None = None,
                            clear_failures: bool = False) -> Subscription: ...

    def delete_subscription(self, tenant_id: int, subscription_id: int) -> None: ...

    def deliveries(self, subscription_id: int, limit: int = 50) -> list[Delivery]:
        """The newest deliveries first, each with its attempts."""
        ...


class BadgeKeys(Protocol):
    """The badge key set, and what the badges each key signed need of it."""

    def active(self) -> BadgeKey | None:
        """The newest active key, the one that signs."""
        ...

    def keys(self) -> list[BadgeKey]:
        """Every badge key, oldest first."""
        ...

    def add(self, kid: str, private_key_encrypted: str, public_jwk: Mapping[str, Any],
            now: datetime) -> BadgeKey:
        """A new active key."""
        ...

    def retire(self, kid: str, now: datetime) -> BadgeKey:
        """The key signs no more (NotFound when there is no such key)."""
        ...

    def signed_badges(self) -> dict[str, SignedBadges]:
        """By kid: the badges signed with it, revoked ones too."""
        ...


class ToolKeys(Protocol):
    """The tool's LTI signing keys: active (signs), published (verifies), retired."""

    def active_key(self) -> ToolKey | None:
        """The newest active key, the one that signs."""
        ...

    def keys(self, statuses: Iterable[str] = ("active", "published", "retired")
             ) -> list[ToolKey]:
        """The keys with those statuses, oldest first."""
        ...

    def add_key(self, kid: str, private_key_encrypted: str, public_jwk: Mapping[str, Any], *,
                status: str = "published", activated_at: datetime | None = None,
                retire_at: datetime | None = None) -> ToolKey: ...

    def set_key_status(self, kid: str, status: str, *, activated_at: datetime | None = None,
                       retire_at: datetime | None = None) -> ToolKey:
        """The new status (times given replace the stored ones); NotFound for no such key."""
        ...


class UnitOfWork(Protocol):
    """One transaction's repositories: all its writes are kept together or not at all."""

    @property
    def tenants(self) -> Tenants: ...

    @property
    def people(self) -> People: ...

    @property
    def api_keys(self) -> ApiKeys: ...

    @property
    def invitations(self) -> Invitations: ...

    @property
    def registrations(self) -> Registrations: ...

    @property
    def service_hosts(self) -> ServiceHosts: ...

    @property
    def webhooks(self) -> Webhooks: ...

    @property
    def badge_keys(self) -> BadgeKeys: ...

    @property
    def tool_keys(self) -> ToolKeys: ...

    def evidence_settings(self, tenant_id: int | str) -> EvidenceSettings: ...


class UnitsOfWork(Protocol):
    """Where units of work come from: the database, or an in-memory one in unit tests."""

    def unit_of_work(self) -> AbstractContextManager[UnitOfWork]:
        """Commit when the block ends normally, roll back when it raises."""
        ...

    def read_unit_of_work(self) -> AbstractContextManager[UnitOfWork]:
        """A unit of work that only reads (a write in it is a programming error)."""
        ...
