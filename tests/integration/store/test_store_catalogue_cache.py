"""The per-process catalogue cache: reused while nothing changes, dropped on any change."""

from __future__ import annotations

from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.domain.roles import Requirement
from lti_tool.domain.scales import FOUR_POINT_RUBRIC
from lti_tool.store import Database
from lti_tool.store.repositories import RoleRepository, TaxonomyRepository, TenantRepository


def test_catalogue_is_cached_and_refreshed_after_a_change(migrated_db: Database) -> None:
    svc = services(create_app({"database_url": migrated_db.url.render_as_string(
        hide_password=False), "sync_on_launch": False}))
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


def test_a_rolled_back_change_keeps_the_cache(migrated_db: Database) -> None:
    svc = services(create_app({"database_url": migrated_db.url.render_as_string(
        hide_password=False), "sync_on_launch": False}))
    with svc.database.session() as session:
        tenant = TenantRepository(session).ensure("cache2", "Cache Org 2")
    with svc.database.session() as session:
        first = svc.catalogue.get(session, tenant.id)
    try:
        with svc.database.session() as session:
            RoleRepository(session).add(tenant.id, "Ghost", [])
            raise RuntimeError("abort the unit of work")
    except RuntimeError:
        pass
    with svc.database.session() as session:
        assert svc.catalogue.get(session, tenant.id) is first
