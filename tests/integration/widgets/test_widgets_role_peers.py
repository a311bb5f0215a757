"""Social proof as a use case: nothing below five people, modules most of them completed."""

from __future__ import annotations

from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.cache import MemoryCache
from lti_tool.store.repositories import PersonRepository
from lti_tool.usecases.role_peers import (
    PEERS_TTL,
    CompletedModule,
    RolePeers,
    modules_completed_in_role,
    recent_role_peers,
)
from tests.integration.widgets.scenario import Scenario, seed_role_peers


def test_no_social_proof_below_five_people(tool_app: Flask, scenario: Scenario) -> None:
    database = services(tool_app).database
    role = scenario.roles["Senior Data Analyst"]
    assert modules_completed_in_role(database, scenario.tenant_id, role) is None
    seed_role_peers(database, scenario, "Senior Data Analyst", 4)
    assert modules_completed_in_role(database, scenario.tenant_id, role) is None


def test_modules_completed_by_most_people_in_the_role(tool_app: Flask,
                                                      scenario: Scenario) -> None:
    database = services(tool_app).database
    role = scenario.roles["Senior Data Analyst"]
    seed_role_peers(database, scenario, "Senior Data Analyst", 6)
    peers = modules_completed_in_role(database, scenario.tenant_id, role)
    assert peers is not None and peers.people == 6
    assert peers.modules == (CompletedModule("Data modelling workshop", 6),
                             CompletedModule("Advanced SQL lab", 3))


def test_other_roles_and_the_learner_do_not_count(tool_app: Flask, scenario: Scenario) -> None:
    database = services(tool_app).database
    seed_role_peers(database, scenario, "Delivery Lead", 5)
    role = scenario.roles["Senior Data Analyst"]
    assert modules_completed_in_role(database, scenario.tenant_id, role) is None


def test_a_role_is_recounted_at_most_once_per_period(tool_app: Flask,
                                                     scenario: Scenario) -> None:
    database, now = services(tool_app).database, [0.0]
    memo = MemoryCache(lambda: now[0])
    role = scenario.roles["Senior Data Analyst"]

    def recent() -> RolePeers | None:
        with database.read_session() as session:
            return recent_role_peers(session, memo, scenario.tenant_id, role)

    assert recent() is None  # nobody yet: "no social proof" is remembered too
    seed_role_peers(database, scenario, "Senior Data Analyst", 6)
    assert recent() is None
    now[0] += PEERS_TTL
    counted = recent()
    assert counted is not None and counted.people == 6
    with database.read_session() as session:  # the memo is keyed by tenant and role
        assert recent_role_peers(session, memo, scenario.tenant_id + 1000, role) is None


def test_only_moves_into_the_role_count_not_hires_or_current_holders(
        tool_app: Flask, scenario: Scenario) -> None:
    database = services(tool_app).database
    role = scenario.roles["Senior Data Analyst"]
    seed_role_peers(database, scenario, "Senior Data Analyst", 6, kind="hire")
    with database.session() as session:  # five more hold the role with no recorded move
        people = PersonRepository(session)
        for n in range(5):
            holder = people.upsert_person(scenario.tenant_id, f"holder-{n}")
            people.set_current_role(holder.id, role)
    assert modules_completed_in_role(database, scenario.tenant_id, role) is None
    seed_role_peers(database, scenario, "Senior Data Analyst", 3, kind="promotion")
    seed_role_peers(database, scenario, "Senior Data Analyst", 2, kind="lateral")
    peers = modules_completed_in_role(database, scenario.tenant_id, role)
    assert peers is not None and peers.people == 5
    assert peers.modules == (CompletedModule("Data modelling workshop", 5),)


def test_a_mover_who_moved_on_still_counts(tool_app: Flask, scenario: Scenario) -> None:
    database = services(tool_app).database
    role = scenario.roles["Senior Data Analyst"]
    seed_role_peers(database, scenario, "Senior Data Analyst", 5)
    with database.session() as session:
        people = PersonRepository(session)
        moved_on = people.by_sub(scenario.tenant_id, "peer-Senior Data Analyst-promotion-0")
        people.set_current_role(moved_on.id, scenario.roles["Delivery Lead"])
    peers = modules_completed_in_role(database, scenario.tenant_id, role)
    assert peers is not None and peers.people == 5
