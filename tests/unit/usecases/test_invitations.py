"""Registration by invitation: a link is good once, until it expires, for its tenant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lti_tool.domain.errors import Conflict, InvalidInput, NotFound
from lti_tool.lti.errors import LaunchError
from lti_tool.usecases import invitations
from tests.support.fakes import InMemoryDatabase

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # the fake clock's time (conftest)

BASE = "https://tool.example"


def _token(link: str) -> str:
    return link.rsplit("/", 1)[1]


def test_a_link_names_the_register_page_and_stores_only_a_hash(db: InMemoryDatabase) -> None:
    issued = invitations.create_invitation(db, BASE + "/", NOW)
    token = _token(issued.link)
    assert issued.link == f"{BASE}/lti/register/{token}"
    assert issued.invitation.expires_at == NOW + invitations.DEFAULT_LIFETIME
    assert list(db.tables.invitation_hashes.values()) == [invitations.token_hash(token)]


def test_a_link_is_good_for_one_registration(db: InMemoryDatabase) -> None:
    token = _token(invitations.create_invitation(db, BASE, NOW).link)
    claimed = invitations.claim_invitation(db, token, NOW)
    assert claimed.used_at is None  # the record as it was found
    assert db.tables.invitations[claimed.id].used_at == NOW
    with pytest.raises(LaunchError, match="already been used") as refused:
        invitations.claim_invitation(db, token, NOW + timedelta(minutes=1))
    assert refused.value.status == 403


def test_a_released_link_can_be_used_again(db: InMemoryDatabase) -> None:
    token = _token(invitations.create_invitation(db, BASE, NOW).link)
    claimed = invitations.claim_invitation(db, token, NOW)
    invitations.release_invitation(db, claimed)
    assert invitations.claim_invitation(db, token, NOW).id == claimed.id


def test_an_expired_link_is_refused_with_its_expiry(db: InMemoryDatabase) -> None:
    token = _token(invitations.create_invitation(db, BASE, NOW,
                                                 lifetime=timedelta(hours=1)).link)
    with pytest.raises(LaunchError, match="expired on 2026-03-02 10:30"):
        invitations.claim_invitation(db, token, NOW + timedelta(hours=1))
    assert all(i.used_at is None for i in db.tables.invitations.values())


@pytest.mark.parametrize(("token", "says"), [
    ("", "carries no registration link"), ("made-up", "not known")])
def test_a_missing_or_unknown_link_is_refused(db: InMemoryDatabase, token: str,
                                              says: str) -> None:
    with pytest.raises(LaunchError, match=says):
        invitations.claim_invitation(db, token, NOW)


def test_a_link_joins_the_named_tenant(db: InMemoryDatabase) -> None:
    acme = db.add_tenant("acme")
    by_slug = invitations.create_invitation(db, BASE, NOW, tenant_slug="acme")
    by_id = invitations.create_invitation(db, BASE, NOW, tenant_id=acme.id)
    new_one = invitations.create_invitation(db, BASE, NOW)
    assert by_slug.tenant == by_id.tenant == acme
    assert (by_slug.invitation.tenant_id, new_one.invitation.tenant_id) == (acme.id, None)
    assert [i.id for i in invitations.list_invitations(db, acme.id)] == [
        by_slug.invitation.id, by_id.invitation.id]
    with pytest.raises(NotFound, match="nowhere"):
        invitations.create_invitation(db, BASE, NOW, tenant_slug="nowhere")


def test_deployment_ids_are_trimmed_deduplicated_and_checked(db: InMemoryDatabase) -> None:
    issued = invitations.create_invitation(db, BASE, NOW,
                                           deployment_ids=[" d1 ", "d2", "d1", " "])
    assert issued.invitation.deployment_ids == ("d1", "d2")
    with pytest.raises(InvalidInput, match="deployment id"):
        invitations.create_invitation(db, BASE, NOW, deployment_ids=["has space"])
    with pytest.raises(InvalidInput, match="deployment id"):
        invitations.create_invitation(db, BASE, NOW, deployment_ids=["x" * 256])


@pytest.mark.parametrize("lifetime", [timedelta(0), timedelta(days=91)])
def test_a_lifetime_beyond_the_bounds_is_refused(db: InMemoryDatabase,
                                                 lifetime: timedelta) -> None:
    with pytest.raises(InvalidInput, match="90 days"):
        invitations.create_invitation(db, BASE, NOW, lifetime=lifetime)
    assert not db.tables.invitations


@pytest.mark.parametrize(("text", "lifetime"), [
    ("30m", timedelta(minutes=30)), (" 12h ", timedelta(hours=12)), ("90d", timedelta(days=90))])
def test_lifetimes_are_read_with_their_unit(text: str, lifetime: timedelta) -> None:
    assert invitations.parse_lifetime(text) == lifetime


@pytest.mark.parametrize("text", ["", "7", "7w", "0d", "91d", "-1d"])
def test_a_lifetime_without_unit_or_out_of_bounds_is_invalid(text: str) -> None:
    with pytest.raises(InvalidInput):
        invitations.parse_lifetime(text)


def test_a_tenant_slug_is_taken_once(db: InMemoryDatabase) -> None:
    made = invitations.add_tenant(db, "acme", "", "https://acme.example")
    assert (made.slug, made.name) == ("acme", "acme")
    with pytest.raises(Conflict):
        invitations.add_tenant(db, "acme", "Acme again")
    assert [t.name for t in invitations.list_tenants(db)] == ["acme"]


@pytest.mark.parametrize("slug", ["", "Acme", "-acme", "acme-", "a_b", "x" * 65])
def test_a_bad_tenant_slug_is_refused(db: InMemoryDatabase, slug: str) -> None:
    with pytest.raises(InvalidInput):
        invitations.add_tenant(db, slug, "name")
