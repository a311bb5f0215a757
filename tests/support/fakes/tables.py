"""The in-memory database's tables: records kept in dicts, keyed by id."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

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


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Tables:
    """Every record the fakes keep; a unit of work works on a copy and commits by swap."""

    tenants: dict[int, Tenant] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    api_keys: dict[int, ApiKeyRecord] = field(default_factory=dict)
    invitations: dict[int, RegistrationInvitation] = field(default_factory=dict)
    invitation_hashes: dict[int, str] = field(default_factory=dict)
    registrations: dict[int, PlatformRegistration] = field(default_factory=dict)
    service_hosts: dict[int, set[str]] = field(default_factory=dict)
    evidence_settings: dict[int, TenantSettings] = field(default_factory=dict)
    # (tenant, manager, person)
    reporting_lines: set[tuple[int, int, int]] = field(default_factory=set)
    subscriptions: dict[int, Subscription] = field(default_factory=dict)
    subscription_secrets: dict[int, str] = field(default_factory=dict)  # encrypted
    deliveries: dict[int, list[Delivery]] = field(default_factory=dict)  # by subscription
    badge_keys: dict[str, BadgeKey] = field(default_factory=dict)
    signed_badges: dict[str, SignedBadges] = field(default_factory=dict)  # seeded by tests
    tool_keys: dict[str, ToolKey] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    clock: Callable[[], datetime] = _now

    def next_id(self) -> int:
        return next(self.ids)

    def copy(self) -> Tables:
        """A copy whose writes leave this one alone (records are frozen, so shallow copies of
        the dicts and sets do)."""
        return Tables(dict(self.tenants), dict(self.people), dict(self.api_keys),
                      dict(self.invitations), dict(self.invitation_hashes),
                      dict(self.registrations),
                      {k: set(v) for k, v in self.service_hosts.items()},
                      dict(self.evidence_settings), set(self.reporting_lines),
                      dict(self.subscriptions), dict(self.subscription_secrets),
                      {k: list(v) for k, v in self.deliveries.items()},
                      dict(self.badge_keys), dict(self.signed_badges), dict(self.tool_keys),
                      self.ids, self.clock)
