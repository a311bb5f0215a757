"""A migrated tool with two tenants and API keys of every scope, in-process and live."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask

from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.store.repositories.tenants import TenantRepository
from lti_tool.usecases.api_keys import create_api_key
from tests.support.databases import migrated_sqlite_url
from tests.support.servers import LiveServer


@dataclass
class ApiWorld:
    app: Flask
    keys: dict[str, str] = field(default_factory=dict)

    def headers(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[key]}"}


def make_world(tmp_path: Path, **settings: object) -> ApiWorld:
    url = migrated_sqlite_url(tmp_path / "api.db")
    app = create_app({"database_url": url, "testing": True,
                      "secret_key": "test-secret-for-the-api", **settings})
    db = services(app).database
    with db.session() as session:
        TenantRepository(session).ensure("acme", "Acme")
        TenantRepository(session).ensure("globex", "Globex")
    world = ApiWorld(app)
    for name, tenant, scopes in (("all", "acme", "read,write,admin"), ("read", "acme", "read"),
                                 ("write", "acme", "write"), ("other", "globex",
                                                              "read,write,admin")):
        world.keys[name] = create_api_key(db, tenant, scopes, name).token
    return world


@pytest.fixture
def api_world(tmp_path: Path) -> ApiWorld:
    return make_world(tmp_path)


@pytest.fixture
def live_api(api_world: ApiWorld) -> Iterator[str]:
    server = LiveServer("127.0.0.1")
    server.start(api_world.app)
    try:
        yield server.url()
    finally:
        server.stop()
