"""Webhook subscriptions: checked URLs and event types, the secret shown once and stored
encrypted, one tenant's subscriptions invisible to another."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from lti_tool.domain.errors import InvalidInput, NotFound
from lti_tool.records import Delivery
from lti_tool.sealing import unseal
from lti_tool.usecases import webhook_subscriptions as webhooks
from lti_tool.usecases.events import BADGE_ISSUED, BADGE_REVOKED
from tests.support.fakes import InMemoryDatabase

KEY = "a secret key for the tests"
HOOK = "https://hooks.example/careerpath"


def test_the_secret_is_shown_once_and_stored_encrypted(db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    made = webhooks.create_subscription(db, KEY, tenant.id, HOOK, [BADGE_ISSUED], "hr")
    stored = db.tables.subscription_secrets[made.subscription.id]
    assert made.secret.startswith("whsec_") and made.secret not in stored
    assert unseal(stored, KEY) == made.secret.encode()
    assert webhooks.get_subscription(db, tenant.id, made.subscription.id) == made.subscription


@pytest.mark.parametrize(("url", "says"), [
    ("ftp://hooks.example/x", "absolute https"), ("http://hooks.example/x", "loopback"),
    ("https://user:pw@hooks.example/x", "credentials"), ("not a url", "absolute https")])
def test_a_url_that_cannot_receive_webhooks_is_refused(db: InMemoryDatabase, url: str,
                                                       says: str) -> None:
    tenant = db.add_tenant("acme")
    with pytest.raises(InvalidInput, match=says) as refused:
        webhooks.create_subscription(db, KEY, tenant.id, url, [BADGE_ISSUED])
    assert "url" in refused.value.errors
    assert not db.tables.subscriptions


def test_loopback_http_is_allowed(db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    made = webhooks.create_subscription(db, KEY, tenant.id, "http://127.0.0.1:9000/h",
                                        [BADGE_ISSUED])
    assert made.subscription.url == "http://127.0.0.1:9000/h"


@pytest.mark.parametrize("types", [[], ["badge.eaten"], [BADGE_ISSUED, "nope"]])
def test_unknown_or_no_event_types_are_refused(db: InMemoryDatabase,
                                               types: list[str]) -> None:
    tenant = db.add_tenant("acme")
    with pytest.raises(InvalidInput) as refused:
        webhooks.create_subscription(db, KEY, tenant.id, HOOK, types)
    assert "event_types" in refused.value.errors


def test_an_update_changes_what_is_given_and_checks_the_result(db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    made = webhooks.create_subscription(db, KEY, tenant.id, HOOK, [BADGE_ISSUED], "hr")
    changed = webhooks.update_subscription(db, tenant.id, made.subscription.id,
                                           event_types=[BADGE_REVOKED, BADGE_ISSUED])
    assert (changed.url, changed.description) == (HOOK, "hr")
    assert changed.event_types == (BADGE_ISSUED, BADGE_REVOKED)
    with pytest.raises(InvalidInput):
        webhooks.update_subscription(db, tenant.id, made.subscription.id,
                                     url="http://hooks.example/")
    assert webhooks.get_subscription(db, tenant.id, made.subscription.id).url == HOOK


def test_reactivating_forgets_the_failures_and_deactivating_keeps_them(
        db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    made = webhooks.create_subscription(db, KEY, tenant.id, HOOK, [BADGE_ISSUED])
    sub_id = made.subscription.id
    db.tables.subscriptions[sub_id] = replace(  # the delivery runner gave up on it
        made.subscription, active=False, consecutive_failures=9,
        disabled_reason="too many failures")
    kept = webhooks.update_subscription(db, tenant.id, sub_id, active=False)
    assert (kept.consecutive_failures, kept.disabled_reason) == (9, "too many failures")
    again = webhooks.update_subscription(db, tenant.id, sub_id, active=True)
    assert (again.active, again.consecutive_failures, again.disabled_reason) == (True, 0, "")


def test_another_tenants_subscription_is_not_found(db: InMemoryDatabase) -> None:
    acme, globex = db.add_tenant("acme"), db.add_tenant("globex")
    made = webhooks.create_subscription(db, KEY, acme.id, HOOK, [BADGE_ISSUED])
    sub_id = made.subscription.id
    for step in (lambda: webhooks.get_subscription(db, globex.id, sub_id),
                 lambda: webhooks.update_subscription(db, globex.id, sub_id, active=False),
                 lambda: webhooks.delete_subscription(db, globex.id, sub_id),
                 lambda: webhooks.delivery_log(db, globex.id, sub_id)):
        with pytest.raises(NotFound):
            step()
    assert webhooks.list_subscriptions(db, globex.id) == []
    assert webhooks.get_subscription(db, acme.id, sub_id).active


def test_the_delivery_log_is_newest_first_and_goes_with_its_subscription(
        db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    sub_id = webhooks.create_subscription(db, KEY, tenant.id, HOOK,
                                          [BADGE_ISSUED]).subscription.id
    when = datetime(2026, 3, 2, tzinfo=UTC)
    db.tables.deliveries[sub_id] = [Delivery(n, f"evt_{n}", BADGE_ISSUED, "pending", (),
                                             when, None) for n in (1, 2, 3)]
    assert [d.id for d in webhooks.delivery_log(db, tenant.id, sub_id, limit=2)] == [3, 2]
    webhooks.delete_subscription(db, tenant.id, sub_id)
    with pytest.raises(NotFound):
        webhooks.delivery_log(db, tenant.id, sub_id)
    assert sub_id not in db.tables.deliveries
