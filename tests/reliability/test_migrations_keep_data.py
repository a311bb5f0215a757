"""Migrations from the first revision to the latest, on a database holding data, lose nothing.

Runs on SQLite and PostgreSQL (the `database_url` fixture). Rows are written with Core
against the schema of 0001_initial as reflected from the database, then every later
revision is applied one by one and every row is read back with the same values; then down to
0001 and up again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, insert, select
from sqlalchemy.engine import Engine

from lti_tool.store.database import create_database_engine
from lti_tool.store.migrate import alembic_config, current, downgrade, upgrade

FIRST = "0001_initial"
WHEN = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
LATER = datetime(2024, 6, 2, 14, 0, tzinfo=UTC)

ROWS: list[tuple[str, list[dict[str, Any]]]] = [
    ("tenants", [{"id": 1, "slug": "northwind", "name": "Northwind Learning",
                  "url": "https://northwind.example", "created_at": WHEN}]),
    ("tool_keys", [{"kid": "k-2023-12", "private_key_encrypted": "gAAAAB-old",
                    "public_jwk": "{}", "created_at": WHEN, "activated_at": WHEN,
                    "retire_at": LATER, "status": "published"},
                   {"kid": "k-2024-03", "private_key_encrypted": "gAAAAB-encrypted",
                    "public_jwk": json.dumps({"kty": "RSA", "kid": "k-2024-03", "n": "x",
                                              "e": "AQAB"}),
                    "created_at": WHEN, "activated_at": WHEN, "retire_at": None,
                    "status": "active"}]),
    ("platform_registrations", [{
        "id": 1, "tenant_id": 1, "issuer": "https://canvas.instructure.com",
        "client_id": "10000000000042", "name": "Canvas", "auth_login_url":
        "https://sso.canvaslms.com/api/lti/authorize_redirect", "auth_token_url":
        "https://sso.canvaslms.com/login/oauth2/token", "keyset_url":
        "https://sso.canvaslms.com/api/lti/security/jwks", "auth_audience": None,
        "registered_via": "manual", "created_at": WHEN}]),
    ("deployments", [{"id": 1, "registration_id": 1, "deployment_id": "dep-1", "enabled": True,
                      "created_at": WHEN},
                     {"id": 2, "registration_id": 1, "deployment_id": "dep-2",
                      "enabled": False, "created_at": LATER}]),
    ("roles", [{"id": 1, "tenant_id": 1, "name": "Analyst I", "family": "Data",
                "threshold": 0.8, "description": "Entry role"},
               {"id": 2, "tenant_id": 1, "name": "Analyst II", "family": "Data",
                "threshold": 0.85, "description": "Ünïcode and 'quotes'"}]),
    ("scales", [{"id": 1, "tenant_id": None, "key": "four_point", "name": "Four point"},
                {"id": 2, "tenant_id": 1, "key": "custom", "name": "Custom scale"}]),
    ("scale_levels", [{"scale_id": 1, "value": v, "label": f"Level {v}", "proficient": v >= 3}
                      for v in range(1, 5)]),
    ("frameworks", [{"id": 1, "tenant_id": 1, "name": "Data skills", "description": "D",
                     "scale_id": 1, "calculation_method": "decaying_average(0.65)",
                     "source_uri": "https://case.example/cfdoc/1", "created_at": WHEN}]),
    ("competencies", [{"id": 1, "framework_id": 1, "code": "SQL", "name": "SQL",
                       "description": "Queries", "parent_id": None,
                       "source_identifier": "c0ffee", "badge_level": 3},
                      {"id": 2, "framework_id": 1, "code": "SQL.JOIN", "name": "Joins",
                       "description": "", "parent_id": 1, "source_identifier": None,
                       "badge_level": None}]),
    ("behavioural_anchors", [{"id": 1, "competency_id": 1, "level": 1, "text": "Reads"},
                             {"id": 2, "competency_id": 1, "level": 3,
                              "text": "Writes window functions"}]),
    ("role_requirements", [{"id": 1, "role_id": 2, "competency_id": 1, "required_level": 3.0,
                            "weight": 2.0, "minimum_level": 2.0},
                           {"id": 2, "role_id": 2, "competency_id": 2, "required_level": 2.0,
                            "weight": 1.0, "minimum_level": None}]),
    ("role_transitions", [{"id": 1, "from_role_id": 1, "to_role_id": 2, "kind": "upward"}]),
    ("courses", [{"id": 1, "tenant_id": 1, "registration_id": 1, "context_id": "ctx-101",
                  "title": "Data Analytics Foundations", "label": "DA101",
                  "created_at": WHEN},
                 {"id": 2, "tenant_id": 1, "registration_id": None, "context_id": "api-1",
                  "title": "API course", "label": "", "created_at": LATER}]),
    ("people", [{"id": 1, "tenant_id": 1, "sub": "u-1", "name": "Ann Lee", "given_name": "Ann",
                 "family_name": "Lee", "email": "ann@example.com", "locale": "en-GB",
                 "current_role_id": 1, "created_at": WHEN},
                {"id": 2, "tenant_id": 1, "sub": "u-2", "name": "Bo", "given_name": "",
                 "family_name": "", "email": "", "locale": "", "current_role_id": None,
                 "created_at": WHEN}]),
    ("memberships", [{"id": 1, "course_id": 1, "person_id": 1, "roles": "Learner",
                      "status": "Active", "updated_at": WHEN},
                     {"id": 2, "course_id": 1, "person_id": 2, "roles": "Instructor Mentor",
                      "status": "Inactive", "updated_at": LATER}]),
    ("lms_items", [{"id": 1, "course_id": 1, "kind": "line_item",
                    "lms_id": "https://canvas.example/api/lti/courses/1/line_items/7",
                    "title": "Capstone", "score_maximum": 100.0, "effort": 2.5, "tag": "t1",
                    "resource_link_id": "rl-1"},
                   {"id": 2, "course_id": 1, "kind": "resource_link", "lms_id": "rl-2",
                    "title": "Reading", "score_maximum": None, "effort": 0.0, "tag": "",
                    "resource_link_id": "rl-2"}]),
    ("evidence_rules", [{"id": 1, "lms_item_id": 1, "competency_id": 1, "level": 3,
                         "condition": json.dumps({"type": "all", "of": [
                             {"type": "completed"}, {"type": "score_at_least", "value": 0.8}]})}]),
    ("evidence", [{"id": 1, "tenant_id": 1, "person_id": 1, "kind": "lms_score",
                   "competency_id": None, "lms_item_id": 1, "value": 0.875,
                   "observed_at": WHEN, "source_ref": "ags:1:u-1:score", "verifier": "",
                   "created_at": WHEN},
                  {"id": 2, "tenant_id": 1, "person_id": 1, "kind": "manager_endorsement",
                   "competency_id": 1, "lms_item_id": None, "value": None,
                   "observed_at": LATER, "source_ref": "api:abc", "verifier": "Mia (manager)",
                   "created_at": LATER}]),
    ("goals", [{"person_id": 1, "role_id": 2, "created_at": WHEN}]),
]
TABLES = [name for name, _ in ROWS]


def revisions_first_to_last() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    ordered = [rev.revision for rev in script.walk_revisions("base", "heads")]
    ordered.reverse()
    assert ordered[0] == FIRST
    return ordered


def normalise(value: Any) -> Any:
    """SQLite gives naive datetimes back, PostgreSQL aware ones: compare in UTC."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return value


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of the 0001 tables, only the columns 0001 defined, in key order (as ROWS)."""
    metadata = MetaData()
    metadata.reflect(engine, only=TABLES)
    found: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        for name, rows in ROWS:
            table = metadata.tables[name]
            columns = [table.c[c] for c in rows[0]]
            keys = list(table.primary_key.columns)
            found[name] = [{k: normalise(v) for k, v in row._mapping.items()} for row in
                           connection.execute(select(*columns).order_by(*keys))]
    return found


def expected_rows() -> dict[str, list[dict[str, Any]]]:
    return {name: [{k: normalise(v) for k, v in row.items()} for row in rows]
            for name, rows in ROWS}


def insert_rows(engine: Engine) -> None:
    metadata = MetaData()
    metadata.reflect(engine, only=TABLES)
    with engine.begin() as connection:
        for name, rows in ROWS:
            connection.execute(insert(metadata.tables[name]), rows)
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for name, rows in ROWS:
                if "id" in rows[0]:
                    connection.exec_driver_sql(  # table names from ROWS, not input
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {name}))")


def test_every_migration_keeps_every_row(database_url: str) -> None:
    revisions = revisions_first_to_last()
    assert len(revisions) >= 2
    upgrade(database_url, FIRST)
    engine = create_database_engine(database_url)
    try:
        insert_rows(engine)
        expected = expected_rows()
        assert snapshot(engine) == expected
        for revision in revisions[1:]:
            engine.dispose()
            upgrade(database_url, revision)
            assert current(database_url) == revision
            assert snapshot(engine) == expected, f"rows changed by {revision}"
        downgrade(database_url, FIRST)
        assert current(database_url) == FIRST
        assert snapshot(engine) == expected, "rows changed going down to 0001"
        upgrade(database_url)
        assert snapshot(engine) == expected, "rows changed going up again"
        _new_rows_still_insert(engine)
    finally:
        engine.dispose()


def _new_rows_still_insert(engine: Engine) -> None:
    """After the round trip, ids continue past the kept rows (sequences intact)."""
    metadata = MetaData()
    metadata.reflect(engine, only=["tenants", "people"])
    with engine.begin() as connection:
        tenant = connection.execute(insert(metadata.tables["tenants"]).values(
            slug="second", name="Second", url="", created_at=LATER).returning(
            metadata.tables["tenants"].c.id)).scalar_one()
        person = connection.execute(insert(metadata.tables["people"]).values(
            tenant_id=tenant, sub="u-3", name="C", given_name="", family_name="", email="",
            locale="", created_at=LATER).returning(metadata.tables["people"].c.id)).scalar_one()
    assert tenant == 2 and person == 3
