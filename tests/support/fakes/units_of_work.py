"""An in-memory `usecases.ports.UnitsOfWork`: each unit of work writes to a copy of the
tables, swapped in when the block ends normally and dropped when it raises."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from lti_tool.records import Person, PlatformRegistration, Tenant
from lti_tool.usecases.ports import UnitsOfWork

from .repositories import (
    FakeApiKeys,
    FakeBadgeKeys,
    FakeEvidenceSettings,
    FakeInvitations,
    FakePeople,
    FakeRegistrations,
    FakeServiceHosts,
    FakeTenants,
    FakeToolKeys,
    FakeWebhooks,
)
from .tables import Tables


class WriteInReadUnitOfWork(RuntimeError):
    """A write inside `read_unit_of_work()` (the database refuses it too)."""


class InMemoryUnitOfWork:
    """The fake repositories over one copy of the tables."""

    def __init__(self, tables: Tables, read_only: bool = False) -> None:
        self.tables, self.read_only = tables, read_only
        self.tenants = FakeTenants(tables, self._writable)
        self.people = FakePeople(tables, self._writable)
        self.api_keys = FakeApiKeys(tables, self._writable)
        self.invitations = FakeInvitations(tables, self._writable)
        self.registrations = FakeRegistrations(tables, self._writable)
        self.service_hosts = FakeServiceHosts(tables, self._writable)
        self.webhooks = FakeWebhooks(tables, self._writable)
        self.badge_keys = FakeBadgeKeys(tables, self._writable)
        self.tool_keys = FakeToolKeys(tables, self._writable)

    def evidence_settings(self, tenant_id: int | str) -> FakeEvidenceSettings:
        return FakeEvidenceSettings(self.tables, self._writable, int(tenant_id))

    def _writable(self) -> None:
        if self.read_only:
            raise WriteInReadUnitOfWork("a read-only unit of work cannot write")


class InMemoryDatabase:
    """Stands where `store.database.Database` stands for a use case; `tables` is what is
    committed. The `add_*` helpers seed records the converted use cases do not make."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.tables = Tables() if clock is None else Tables(clock=clock)
        self.commits, self._writing = 0, False

    @contextmanager
    def unit_of_work(self) -> Iterator[InMemoryUnitOfWork]:
        if self._writing:  # the later commit would silently drop the earlier one's writes
            raise RuntimeError("the in-memory database keeps one writing unit of work at a "
                               "time; a use case opened one inside another")
        work, self._writing = self.tables.copy(), True
        try:
            yield InMemoryUnitOfWork(work)
        finally:
            self._writing = False
        self.tables, self.commits = work, self.commits + 1

    @contextmanager
    def read_unit_of_work(self) -> Iterator[InMemoryUnitOfWork]:
        yield InMemoryUnitOfWork(self.tables.copy(), read_only=True)

    def add_tenant(self, slug: str, name: str = "") -> Tenant:
        with self.unit_of_work() as uow:
            made = uow.tenants.create(slug, name or slug)
        assert made is not None, f"tenant {slug!r} exists"
        return made

    def add_person(self, tenant_id: int, sub: str, name: str = "") -> Person:
        person = Person(self.tables.next_id(), tenant_id, sub, name, "", "", "", "", None,
                        self.tables.clock())
        self.tables.people[person.id] = person
        return person

    def add_registration(self, tenant_id: int, issuer: str = "https://lms.example",
                         client_id: str = "tool") -> PlatformRegistration:
        registration = PlatformRegistration(
            self.tables.next_id(), tenant_id, issuer, client_id, "LMS", f"{issuer}/auth",
            f"{issuer}/token", f"{issuer}/jwks", None, "manual", datetime.now(UTC))
        self.tables.registrations[registration.id] = registration
        return registration


def _conforms(database: InMemoryDatabase) -> UnitsOfWork:
    return database  # mypy checks the fake against the port here
