"""Fake repositories over `Tables`, each answering as its SQLAlchemy twin does (the contract
test in tests/integration/usecases runs one scenario against both)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from lti_tool.domain.errors import NotFound
from lti_tool.records import (
    ApiKeyRecord,
    Delivery,
    Person,
    PlatformRegistration,
    RegistrationInvitation,
    Subscription,
    Tenant,
    ToolKey,
)
from lti_tool.store.repositories.badge_keys import BadgeKey, SignedBadges
from lti_tool.store.repositories.people_evidence import TenantSettings

from .tables import Tables


class _Repository:
    def __init__(self, tables: Tables, writable: Callable[[], None]) -> None:
        self.tables, self._writable = tables, writable


class FakeTenants(_Repository):
    def get(self, tenant_id: int | str) -> Tenant:
        found = self.tables.tenants.get(int(tenant_id))
        if found is None:
            raise NotFound(f"tenant {tenant_id} does not exist")
        return found

    def by_slug(self, slug: str) -> Tenant | None:
        return next((t for t in self.tables.tenants.values() if t.slug == slug), None)

    def create(self, slug: str, name: str, url: str = "") -> Tenant | None:
        self._writable()
        if self.by_slug(slug) is not None:
            return None
        made = Tenant(self.tables.next_id(), slug, name, url, self.tables.clock())
        self.tables.tenants[made.id] = made
        return made

    def list(self) -> list[Tenant]:
        return sorted(self.tables.tenants.values(), key=lambda t: t.id)


class FakePeople(_Repository):
    def get(self, person_id: int | str) -> Person:
        found = self.tables.people.get(int(person_id))
        if found is None:
            raise NotFound(f"person {person_id} does not exist")
        return found


class FakeApiKeys(_Repository):
    def add(self, tenant_id: int | str, prefix: str, secret_hash: str, name: str,
            scopes: tuple[str, ...]) -> ApiKeyRecord:
        self._writable()
        key = ApiKeyRecord(self.tables.next_id(), int(tenant_id), prefix, secret_hash, name,
                           tuple(scopes), self.tables.clock(), None)
        self.tables.api_keys[key.id] = key
        return key

    def by_prefix(self, prefix: str) -> ApiKeyRecord | None:
        return next((k for k in self.tables.api_keys.values() if k.prefix == prefix), None)

    def list(self, tenant_id: int | str | None = None) -> list[ApiKeyRecord]:
        return [k for _, k in sorted(self.tables.api_keys.items())
                if tenant_id is None or k.tenant_id == int(tenant_id)]

    def revoke(self, key_id: int | str, when: datetime,
               tenant_id: int | str | None = None) -> ApiKeyRecord:
        key = self.tables.api_keys.get(int(key_id))
        if key is None or (tenant_id is not None and key.tenant_id != int(tenant_id)):
            raise NotFound(f"API key {key_id} does not exist")
        if key.revoked_at is None:
            self._writable()
            key = self.tables.api_keys[key.id] = replace(key, revoked_at=when)
        return key


class FakeInvitations(_Repository):
    def add(self, token_hash: str, tenant_id: int | None, deployment_ids: Sequence[str],
            created_by: str, expires_at: datetime) -> RegistrationInvitation:
        self._writable()
        made = RegistrationInvitation(self.tables.next_id(), tenant_id, tuple(deployment_ids),
                                      created_by, self.tables.clock(), expires_at, None, None)
        self.tables.invitations[made.id] = made
        self.tables.invitation_hashes[made.id] = token_hash
        return made

    def by_hash(self, token_hash: str) -> RegistrationInvitation | None:
        return next((self.tables.invitations[i] for i, h in
                     self.tables.invitation_hashes.items() if h == token_hash), None)

    def claim(self, invitation_id: int, now: datetime) -> bool:
        self._writable()
        found = self.tables.invitations.get(int(invitation_id))
        if found is None or found.used_at is not None or found.expires_at <= now:
            return False
        self.tables.invitations[found.id] = replace(found, used_at=now)
        return True

    def release(self, invitation_id: int) -> None:
        self._writable()
        found = self.tables.invitations.get(int(invitation_id))
        if found is not None and found.registration_id is None:
            self.tables.invitations[found.id] = replace(found, used_at=None)

    def list(self, tenant_id: int | None = None) -> list[RegistrationInvitation]:
        return [i for _, i in sorted(self.tables.invitations.items())
                if tenant_id is None or i.tenant_id == int(tenant_id)]


class FakeRegistrations(_Repository):
    def registration_by_id(self, registration_id: int | str) -> PlatformRegistration:
        found = self.tables.registrations.get(int(registration_id))
        if found is None:
            raise NotFound(f"registration {registration_id} does not exist")
        return found


class FakeServiceHosts(_Repository):
    def hosts(self, registration_id: int | str) -> list[str]:
        return sorted(self.tables.service_hosts.get(int(registration_id), ()))

    def add(self, registration_id: int | str, host: str) -> None:
        self._writable()
        self.tables.service_hosts.setdefault(int(registration_id), set()).add(host)

    def remove(self, registration_id: int | str, host: str) -> bool:
        self._writable()
        listed = self.tables.service_hosts.get(int(registration_id), set())
        if host not in listed:
            return False
        listed.discard(host)
        return True


class FakeEvidenceSettings(_Repository):
    def __init__(self, tables: Tables, writable: Callable[[], None], tenant_id: int) -> None:
        super().__init__(tables, writable)
        self.tenant_id = tenant_id

    def settings(self) -> TenantSettings:
        return self.tables.evidence_settings.get(self.tenant_id, TenantSettings())

    def save_settings(self, settings: TenantSettings) -> TenantSettings:
        self._writable()
        self.tables.evidence_settings[self.tenant_id] = settings
        return settings

    def add_manager(self, manager_id: int | str, person_id: int | str) -> None:
        self._writable()
        self.tables.reporting_lines.add((self.tenant_id, int(manager_id), int(person_id)))

    def remove_manager(self, manager_id: int | str, person_id: int | str) -> None:
        self._writable()
        self.tables.reporting_lines.discard((self.tenant_id, int(manager_id), int(person_id)))

    def manages(self, manager_id: int | str, person_id: int | str) -> bool:
        return (self.tenant_id, int(manager_id), int(person_id)) in self.tables.reporting_lines


class FakeWebhooks(_Repository):
    def add_subscription(self, tenant_id: int, url: str, event_types: Sequence[str],
                         encrypted_secret: str, description: str) -> Subscription:
        self._writable()
        made = Subscription(self.tables.next_id(), int(tenant_id), url,
                            tuple(sorted(set(event_types))), description, True, 0, "",
                            self.tables.clock())
        self.tables.subscriptions[made.id] = made
        self.tables.subscription_secrets[made.id] = encrypted_secret
        return made

    def subscriptions(self, tenant_id: int) -> list[Subscription]:
        return [s for _, s in sorted(self.tables.subscriptions.items())
                if s.tenant_id == int(tenant_id)]

    def subscription(self, tenant_id: int, subscription_id: int) -> Subscription:
        found = self.tables.subscriptions.get(int(subscription_id))
        if found is None or found.tenant_id != int(tenant_id):
            raise NotFound(f"webhook subscription {subscription_id} does not exist")
        return found

    def change_subscription(self, tenant_id: int, subscription_id: int, *,
                            url: str | None = None, event_types: Sequence[str] | None = None,
                            description: str | None = None, active: bool | None = None,
                            clear_failures: bool = False) -> Subscription:
        found = self.subscription(tenant_id, subscription_id)
        self._writable()
        found = replace(
            found, url=found.url if url is None else url,
            event_types=found.event_types if event_types is None
            else tuple(sorted(set(event_types))),
            description=found.description if description is None else description,
            active=found.active if active is None else active)
        if clear_failures:
            found = replace(found, consecutive_failures=0, disabled_reason="")
        self.tables.subscriptions[found.id] = found
        return found

    def delete_subscription(self, tenant_id: int, subscription_id: int) -> None:
        found = self.subscription(tenant_id, subscription_id)
        self._writable()
        del self.tables.subscriptions[found.id]
        self.tables.deliveries.pop(found.id, None)

    def deliveries(self, subscription_id: int, limit: int = 50) -> list[Delivery]:
        found = self.tables.deliveries.get(int(subscription_id), [])
        return sorted(found, key=lambda d: d.id, reverse=True)[:limit]


class FakeBadgeKeys(_Repository):
    def active(self) -> BadgeKey | None:
        active = [k for k in self.tables.badge_keys.values() if k.status == "active"]
        return max(active, key=lambda k: k.activated_at or k.created_at, default=None)

    def keys(self) -> list[BadgeKey]:
        return sorted(self.tables.badge_keys.values(), key=lambda k: (k.created_at, k.kid))

    def add(self, kid: str, private_key_encrypted: str, public_jwk: Mapping[str, Any],
            now: datetime) -> BadgeKey:
        self._writable()
        key = BadgeKey(kid, dict(public_jwk), "active", "badge", now, now, None,
                       private_key_encrypted)
        self.tables.badge_keys[kid] = key
        return key

    def retire(self, kid: str, now: datetime) -> BadgeKey:
        found = self.tables.badge_keys.get(kid)
        if found is None:
            raise NotFound(f"badge key {kid!r} does not exist")
        self._writable()
        key = replace(found, status="retired", retired_at=found.retired_at or now)
        self.tables.badge_keys[kid] = key
        return key

    def signed_badges(self) -> dict[str, SignedBadges]:
        return dict(self.tables.signed_badges)


class FakeToolKeys(_Repository):
    def active_key(self) -> ToolKey | None:
        active = [k for k in self.tables.tool_keys.values() if k.status == "active"]
        return max(active, key=lambda k: k.activated_at or k.created_at, default=None)

    def keys(self, statuses: Iterable[str] = ("active", "published", "retired")
             ) -> list[ToolKey]:
        wanted = set(statuses)
        return sorted((k for k in self.tables.tool_keys.values() if k.status in wanted),
                      key=lambda k: (k.created_at, k.kid))

    def add_key(self, kid: str, private_key_encrypted: str, public_jwk: Mapping[str, Any], *,
                status: str = "published", activated_at: datetime | None = None,
                retire_at: datetime | None = None) -> ToolKey:
        self._writable()
        key = ToolKey(kid, private_key_encrypted, dict(public_jwk), status,
                      self.tables.clock(), activated_at, retire_at)
        self.tables.tool_keys[kid] = key
        return key

    def set_key_status(self, kid: str, status: str, *, activated_at: datetime | None = None,
                       retire_at: datetime | None = None) -> ToolKey:
        found = self.tables.tool_keys.get(kid)
        if found is None:
            raise NotFound(f"key {kid!r} does not exist")
        self._writable()
        key = replace(found, status=status, activated_at=activated_at or found.activated_at,
                      retire_at=retire_at or found.retire_at)
        self.tables.tool_keys[kid] = key
        return key
