"""The per-process catalogue cache: reused while nothing changes, dropped on any change."""

from __future__ import annotations

import logging

import pytest

from lti_tool import create_app
from lti_tool.bootstrap import Services, services
from lti_tool.domain.roles import Requirement
from lti_tool.domain.scales import FOUR_POINT_RUBRIC
from lti_tool.store import Database
from lti_tool.store.catalogue import Catalogue
from lti_tool.store.repositories import RoleRepository, TaxonomyRepository, TenantRepository


def _services(database: Database) -> Services:
    return services(create_app({"database_url": database.url.render_as_string(
        hide_password=False), "sync_on_launch": False}))


def test_catalogue_is_cached_and_refreshed_after_a_change(migrated_db: Database) -> None:
    svc = _services(migrated_db)
    with svc.database.session() as session:
        tenant = TenantRepository(session).ensure("cache", "Cache Org")
        taxonomy = TaxonomyRepository(session)
        framework = taxonomy.add_framework(tenant.id, "F", taxonomy.ensure_scale(
            FOUR_POINT_RUBRIC))
        sql = taxonomy.add_competency(framework, "SQL", "SQL")
        role = RoleRepository(session).add(tenant.id, "Analyst", [Requirement(sql.id, 2, 1)])
    with svc.database.session() as session:
        first = svc.catalogue.get(session, tenant.id)
        assert svc.catalogue.get(session, tenant.id) is first  # reused
    with svc.database.session() as session:
        RoleRepository(session).set_requirements(role.id, [Requirement(sql.id, 3, 1)])
    with svc.database.session() as session:
        refreshed = svc.catalogue.get(session, tenant.id)
    assert refreshed is not first
    assert refreshed.lattice.role(role.id).requirements[0].required_level == 3


def _tenant_with_cached_catalogue(svc: Services, slug: str) -> tuple[int, Catalogue]:
    with svc.database.session() as session:
        tenant = TenantRepository(session).ensure(slug, slug.title())
    with svc.database.session() as session:
        return tenant.id, svc.catalogue.get(session, tenant.id)


def test_a_rolled_back_change_keeps_the_cache(migrated_db: Database) -> None:
    svc = _services(migrated_db)
    tenant_id, first = _tenant_with_cached_catalogue(svc, "cache2")
    try:
        with svc.database.session() as session:
            RoleRepository(session).add(tenant_id, "Ghost", [])
            raise RuntimeError("abort the unit of work")
    except RuntimeError:
        pass
    with svc.database.session() as session:
        assert svc.catalogue.get(session, tenant_id) is first


def test_a_change_is_seen_here_even_when_publishing_it_fails(
        migrated_db: Database, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    svc = _services(migrated_db)
    tenant_id, first = _tenant_with_cached_catalogue(svc, "cache3")

    def unreachable(_keys: list[str], _ttl: int) -> None:
        raise ConnectionError("shared cache down")

    monkeypatch.setattr(svc.cache, "bump", unreachable)
    # the commit is done when publishing fails: the unit of work succeeds, a warning says so
    with caplog.at_level(logging.WARNING, logger="lti_tool.bootstrap"), \
            svc.database.session() as session:
        RoleRepository(session).add(tenant_id, "Committed", [])
    assert "could not be announced to other processes" in caplog.text
    with svc.database.session() as session:
        refreshed = svc.catalogue.get(session, tenant_id)
    assert refreshed is not first
    assert [role.name for role in refreshed.lattice.roles] == ["Committed"]
