"""A live tool with a tenant whose learner has earned a competency and a readiness badge."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import requests
from flask import Flask

from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.config import Settings
from lti_tool.domain.calculation import CalculationMethod
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.domain.roles import Requirement
from lti_tool.domain.scales import DEVELOPING_PROFICIENT_ADVANCED
from lti_tool.store import Database, upgrade
from lti_tool.store.repositories import (
    EvidenceRepository,
    PersonRepository,
    RoleRepository,
    TaxonomyRepository,
    TenantRepository,
)
from lti_tool.web import badge_pages
from tests.support.servers import LiveServer

XSS = "<script>alert('x')</script>"
CASE_URI = "https://case.example/ims/case/v1p0/CFItems/"


@dataclass
class BadgeWorld:
    app: Flask
    url: str
    tenant_id: int
    learner_id: int
    late_learner_id: int
    competency_id: str
    role_id: str

    @property
    def database(self) -> Database:
        return services(self.app).database

    @property
    def settings(self) -> Settings:
        return services(self.app).settings


def fetch(url: str) -> bytes:
    """What a verifier anywhere would do: an HTTP GET."""
    response = requests.get(url, timeout=10)
    response.raise_for_status()
    return response.content


def _seed(db: Database) -> tuple[int, int, int, str, str]:
    with db.session() as s:
        tenant = TenantRepository(s).ensure("acme", f"Acme {XSS}", "https://acme.example")
        taxonomy = TaxonomyRepository(s)
        framework = taxonomy.add_framework(
            tenant.id, "Product skills", taxonomy.ensure_scale(DEVELOPING_PROFICIENT_ADVANCED),
            CalculationMethod.highest(), source_uri=CASE_URI)
        local = taxonomy.add_framework(
            tenant.id, "Local skills", taxonomy.ensure_scale(DEVELOPING_PROFICIENT_ADVANCED))
        analytics = taxonomy.add_competency(framework, "AN-1", f"Analytics {XSS}",
                                            source_identifier="item-an-1", badge_level=2)
        sql = taxonomy.add_competency(local, "SQL-1", "SQL", badge_level=3)
        role = RoleRepository(s).add(tenant.id, "Senior Analyst",
                                     [Requirement(analytics.id, 2), Requirement(sql.id, 2)])
        people = PersonRepository(s)
        learner_ids = []
        for sub in ("learner", "late-learner"):
            person = people.upsert_person(tenant.id, sub)
            people.add_goal(person.id, role.id)
            for competency_id in (analytics.id, sql.id):
                EvidenceRepository(s).record(tenant.id, Evidence(
                    EvidenceKind.MANAGER_ENDORSEMENT, str(person.id),
                    datetime(2024, 1, 8, tzinfo=UTC), 2.0, competency_id=competency_id,
                    source_ref=f"endorse-{competency_id}"))
            learner_ids.append(person.id)
        return tenant.id, learner_ids[0], learner_ids[1], analytics.id, role.id


@pytest.fixture
def badge_world(database_url: str) -> Iterator[BadgeWorld]:
    # the migrations run here, not from the template: some tests take `database_url` too
    # and downgrade and upgrade this same database
    upgrade(database_url)
    server = LiveServer("127.0.0.1")
    app = create_app({"database_url": database_url, "testing": True, "sync_on_launch": False,
                      "secret_key": "test-secret-key-for-badges", "base_url": server.url()})
    if "badge_pages" not in app.blueprints:
        badge_pages.init_app(app)
    ids = _seed(services(app).database)
    server.start(app)
    try:
        yield BadgeWorld(app, server.url(), *ids)
    finally:
        server.stop()
        services(app).database.dispose()


def now() -> datetime:
    return datetime.now(UTC)


def long_ago() -> datetime:
    return now() - timedelta(days=400)
