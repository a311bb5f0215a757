"""The in-memory unit of work answers as the SQLAlchemy one does: one scenario through the
use cases on both, so the fake that use-case unit tests rely on cannot drift."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from lti_tool.domain.errors import CareerPathError
from lti_tool.records import Subscription
from lti_tool.store.database import Database
from lti_tool.store.repositories.lti import LtiRepository
from lti_tool.store.repositories.people import PersonRepository
from lti_tool.store.repositories.people_evidence import TenantSettings
from lti_tool.usecases import (
    api_keys,
    invitations,
    service_hosts,
    tool_keys,
    webhook_subscriptions,
)
from lti_tool.usecases import tenant_evidence_settings as evidence_settings
from lti_tool.usecases.badges import keys as badge_keys
from lti_tool.usecases.ports import UnitsOfWork
from tests.support.databases import migrated_sqlite_url
from tests.support.fakes import InMemoryDatabase

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class Backend:
    """A units-of-work source and the seeding the converted use cases do not do."""

    def __init__(self, units: UnitsOfWork, person: Callable[[int, str], int],
                 registration: Callable[[int, str], int]) -> None:
        self.units, self.person, self.registration = units, person, registration


@pytest.fixture
def in_memory() -> Backend:
    db = InMemoryDatabase(clock=lambda: NOW)
    return Backend(db, lambda tenant, sub: db.add_person(tenant, sub).id,
                   lambda tenant, issuer: db.add_registration(tenant, issuer).id)


@pytest.fixture
def sqlalchemy(tmp_path: Path) -> Iterator[Backend]:
    db = Database(migrated_sqlite_url(tmp_path / "contract.db"))

    def person(tenant_id: int, sub: str) -> int:
        with db.session() as session:
            return PersonRepository(session).upsert_person(tenant_id, sub, name=sub).id

    def registration(tenant_id: int, issuer: str) -> int:
        with db.session() as session:
            return LtiRepository(session).add_registration(
                tenant_id, issuer, "tool", auth_login_url=f"{issuer}/auth",
                auth_token_url=f"{issuer}/token", keyset_url=f"{issuer}/jwks").id

    try:
        yield Backend(db, person, registration)
    finally:
        db.dispose()


def outcome(step: Callable[[], Any]) -> Any:
    """What a step gives, or the kind and message of the error it raises (numbers left out:
    the fake numbers all its records from one sequence)."""
    try:
        return step()
    except CareerPathError as refused:
        return (type(refused).__name__, re.sub(r"\d+", "#", str(refused)))


def _without_ids(subscription: Subscription) -> tuple[Any, ...]:
    return (subscription.url, subscription.event_types, subscription.description,
            subscription.active, subscription.consecutive_failures)


def scenario(backend: Backend) -> dict[str, Any]:
    """Tenants, API keys, invitations, service hosts and evidence settings, through the use
    cases; ids are left out (the fake numbers all its records from one sequence)."""
    db, seen = backend.units, {}
    acme = invitations.add_tenant(db, "acme", "Acme")
    other = invitations.add_tenant(db, "globex", "Globex")
    seen["duplicate tenant"] = outcome(lambda: invitations.add_tenant(db, "acme", "Again"))
    seen["tenants"] = [(t.slug, t.name) for t in invitations.list_tenants(db)]

    key = api_keys.create_api_key(db, "acme", "read write", "hris")
    seen["principal"] = sorted(api_keys.authenticate(db, key.token).scopes)
    seen["other tenant revokes"] = outcome(
        lambda: api_keys.revoke_api_key(db, key.key.id, other.id))
    seen["revoked"] = api_keys.revoke_api_key(db, key.key.id, acme.id).revoked_at is not None
    seen["after revoking"] = outcome(lambda: api_keys.authenticate(db, key.token))
    seen["acme keys"] = [(k.name, k.scopes) for k in api_keys.list_api_keys(db, "acme")]
    seen["globex keys"] = api_keys.tenant_api_keys(db, other.id)

    token = invitations.create_invitation(db, "https://t", NOW, tenant_slug="acme",
                                          deployment_ids=["d1"]).link.rsplit("/", 1)[1]
    first = invitations.claim_invitation(db, token, NOW)
    seen["second claim"] = outcome(lambda: invitations.claim_invitation(db, token, NOW))
    invitations.release_invitation(db, first)
    seen["claim after release"] = invitations.claim_invitation(db, token, NOW).deployment_ids
    short = invitations.create_invitation(db, "https://t", NOW, lifetime=timedelta(hours=1))
    seen["expired"] = outcome(lambda: invitations.claim_invitation(
        db, short.link.rsplit("/", 1)[1], NOW + timedelta(hours=2)))
    seen["invitations"] = [(i.tenant_id == acme.id, i.used_at is not None)
                           for i in invitations.list_invitations(db)]

    registration = backend.registration(acme.id, "https://lms.example")
    service_hosts.add_service_host(db, registration, "b.example")
    service_hosts.add_service_host(db, registration, "a.example")
    seen["hosts twice"] = service_hosts.add_service_host(db, registration, "a.example")
    seen["hosts removed"] = service_hosts.remove_service_host(db, registration, "b.example")
    seen["unknown registration"] = outcome(
        lambda: service_hosts.service_hosts(db, registration + 1000))

    hook = webhook_subscriptions.create_subscription(
        db, "key", acme.id, "https://hooks.example/x", ["badge.revoked", "badge.issued"], "hr")
    seen["hook"] = _without_ids(hook.subscription)
    seen["hook changed"] = _without_ids(webhook_subscriptions.update_subscription(
        db, acme.id, hook.subscription.id, active=False, description="paused"))
    seen["hook refused"] = outcome(lambda: webhook_subscriptions.update_subscription(
        db, acme.id, hook.subscription.id, url="http://hooks.example/"))
    seen["hook of another"] = outcome(lambda: webhook_subscriptions.get_subscription(
        db, other.id, hook.subscription.id))
    seen["hook log"] = webhook_subscriptions.delivery_log(db, acme.id, hook.subscription.id)
    webhook_subscriptions.delete_subscription(db, acme.id, hook.subscription.id)
    seen["hooks left"] = webhook_subscriptions.list_subscriptions(db, acme.id)

    first = badge_keys.ensure_badge_key(db, "key", NOW)
    seen["badge key made once"] = badge_keys.ensure_badge_key(db, "key", NOW) == first
    new, retired = badge_keys.rotate_badge_keys(db, "key", NOW + timedelta(days=1))
    seen["badge keys retired"] = retired == [first.kid]
    seen["badge keys"] = [(s.key.kid == new.kid, s.key.status, s.badges, s.until,
                           s.key.retired_at) for s in badge_keys.badge_key_states(db)]
    seen["badge jwks"] = [k["kid"] == new.kid for k in badge_keys.badge_jwks(db, NOW)["keys"]]

    lti_key = tool_keys.ensure_signing_key(db, "key", NOW)
    lti_new, _ = tool_keys.rotate_keys(db, "key", NOW, retire_after_days=1)
    seen["lti keys a day on"] = [k["kid"] == lti_new.kid for k in tool_keys.published_jwks(
        db, NOW + timedelta(days=1))["keys"]]
    seen["lti keys"] = sorted((k.kid == lti_key.kid, k.status, k.retire_at)
                              for k in tool_keys.tool_keys(db))

    boss, worker = backend.person(acme.id, "boss"), backend.person(acme.id, "worker")
    stranger = backend.person(other.id, "stranger")
    evidence_settings.set_manager(db, acme.id, worker, boss, True)
    seen["stranger"] = outcome(
        lambda: evidence_settings.set_manager(db, acme.id, worker, stranger, True))
    seen["settings"] = evidence_settings.change_evidence_settings(db, acme.id,
                                                                  self_ratings_count=True)
    seen["globex settings"] = evidence_settings.evidence_settings(db, other.id)
    with db.read_unit_of_work() as uow:
        seen["manages"] = (uow.evidence_settings(acme.id).manages(boss, worker),
                           uow.evidence_settings(acme.id).manages(worker, boss))
    return seen


def test_the_in_memory_unit_of_work_answers_as_the_database_does(
        in_memory: Backend, sqlalchemy: Backend) -> None:
    fake, real = scenario(in_memory), scenario(sqlalchemy)
    assert fake == real
    assert real["second claim"][1].endswith("this registration link has already been used.")
    assert real["hosts twice"] == ["a.example", "b.example"]
    assert real["settings"] == TenantSettings(False, True)
    assert real["manages"] == (True, False)


@pytest.mark.parametrize("backend", ["in_memory", "sqlalchemy"])
def test_a_unit_of_work_that_raises_keeps_none_of_its_writes(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = request.getfixturevalue(backend).units
    with pytest.raises(RuntimeError), db.unit_of_work() as uow:
        uow.tenants.create("acme", "Acme")
        raise RuntimeError("after the write")
    assert invitations.list_tenants(db) == []


@pytest.mark.parametrize("backend", ["in_memory", "sqlalchemy"])
def test_an_other_tenants_person_is_refused_alike(
        backend: str, request: pytest.FixtureRequest) -> None:
    chosen: Backend = request.getfixturevalue(backend)
    acme = invitations.add_tenant(chosen.units, "acme", "Acme")
    globex = invitations.add_tenant(chosen.units, "globex", "Globex")
    ours, theirs = chosen.person(acme.id, "ours"), chosen.person(globex.id, "theirs")
    refused = outcome(lambda: evidence_settings.set_manager(chosen.units, acme.id, ours,
                                                            theirs, True))
    assert refused == ("NotFound", "person # does not exist")
    with chosen.units.read_unit_of_work() as uow:
        assert not uow.evidence_settings(acme.id).manages(theirs, ours)
