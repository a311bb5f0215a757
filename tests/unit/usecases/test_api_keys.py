"""API keys: shown once, stored as a hash, scoped to a tenant, refused once revoked."""

from __future__ import annotations

import pytest

from lti_tool.domain.errors import InvalidInput, NotFound
from lti_tool.usecases import api_keys
from lti_tool.usecases.api_keys import InvalidApiKey
from tests.support.fakes import InMemoryDatabase


def test_a_new_key_authenticates_with_its_tenant_and_scopes(db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    made = api_keys.create_api_key(db, "acme", "write,read", name="hris")
    principal = api_keys.authenticate(db, made.token)
    assert (principal.key_id, principal.tenant_id) == (made.key.id, tenant.id)
    assert principal.scopes == {"read", "write"}
    assert made.key.scopes == ("read", "write")  # in the order of SCOPES


def test_only_the_hash_of_the_secret_is_stored(db: InMemoryDatabase) -> None:
    db.add_tenant("acme")
    made = api_keys.create_api_key(db, "acme", "read")
    secret = made.token.split("_", 2)[2]
    (stored,) = db.tables.api_keys.values()
    assert stored.secret_hash == api_keys.hash_secret(secret)
    assert secret not in repr(stored)


@pytest.mark.parametrize("token", ["", "cp_", "cp_abc", "xx_abc_def", "no-underscores"])
def test_a_malformed_token_is_refused_without_a_lookup(db: InMemoryDatabase,
                                                       token: str) -> None:
    with pytest.raises(InvalidApiKey, match="malformed"):
        api_keys.authenticate(db, token)


def test_a_wrong_secret_or_an_unknown_prefix_is_refused(db: InMemoryDatabase) -> None:
    db.add_tenant("acme")
    made = api_keys.create_api_key(db, "acme", "read")
    with pytest.raises(InvalidApiKey, match="unknown"):
        api_keys.authenticate(db, made.token[:-2] + "zz")
    with pytest.raises(InvalidApiKey, match="unknown"):
        api_keys.authenticate(db, f"cp_000000000000_{made.token.split('_', 2)[2]}")


def test_a_revoked_key_no_longer_authenticates(db: InMemoryDatabase) -> None:
    db.add_tenant("acme")
    made = api_keys.create_api_key(db, "acme", "admin")
    revoked = api_keys.revoke_api_key(db, made.key.id)
    assert revoked.revoked_at is not None
    with pytest.raises(InvalidApiKey, match="revoked"):
        api_keys.authenticate(db, made.token)
    again = api_keys.revoke_api_key(db, made.key.id)
    assert again.revoked_at == revoked.revoked_at  # the first revocation's time stays


def test_a_tenant_cannot_revoke_another_tenants_key(db: InMemoryDatabase) -> None:
    db.add_tenant("acme")
    other = db.add_tenant("globex")
    made = api_keys.create_api_key(db, "acme", "read")
    with pytest.raises(NotFound):
        api_keys.revoke_api_key(db, made.key.id, tenant_id=other.id)
    api_keys.authenticate(db, made.token)  # still good


@pytest.mark.parametrize("key_id", [0, -1, 2**31])
def test_a_key_id_out_of_range_is_not_found(db: InMemoryDatabase, key_id: int) -> None:
    with pytest.raises(NotFound):
        api_keys.revoke_api_key(db, key_id)


@pytest.mark.parametrize("scopes", ["", "read,root", ["write", "delete"]])
def test_unknown_or_no_scopes_are_refused(db: InMemoryDatabase, scopes: str) -> None:
    db.add_tenant("acme")
    with pytest.raises(InvalidInput):
        api_keys.create_api_key(db, "acme", scopes)
    assert not db.tables.api_keys


def test_keys_of_an_unknown_tenant_are_not_found(db: InMemoryDatabase) -> None:
    with pytest.raises(NotFound, match="nowhere"):
        api_keys.create_api_key(db, "nowhere", "read")
    with pytest.raises(NotFound, match="nowhere"):
        api_keys.list_api_keys(db, "nowhere")


def test_listing_is_per_tenant_oldest_first(db: InMemoryDatabase) -> None:
    acme, globex = db.add_tenant("acme"), db.add_tenant("globex")
    first = api_keys.create_tenant_key(db, acme.id, ["read"], "first")
    api_keys.create_tenant_key(db, globex.id, ["read"], "theirs")
    second = api_keys.create_api_key(db, "acme", "write", "second")
    assert [k.id for k in api_keys.list_api_keys(db, "acme")] == [first.key.id, second.key.id]
    assert [k.name for k in api_keys.tenant_api_keys(db, globex.id)] == ["theirs"]
    assert len(api_keys.list_api_keys(db)) == 3
