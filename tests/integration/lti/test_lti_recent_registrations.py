"""The registration a login names: kept a few seconds, forgotten at once on a local change."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from lti_tool.lti.registrations import TTL, RecentRegistrations
from lti_tool.store.database import Database
from lti_tool.store.models import PlatformRegistrationRow
from lti_tool.usecases.platforms import PlatformInput, register_platform, remove_platform
from tests.support.clock import Clock
from tests.support.databases import migrated_sqlite_url

ISSUER, CLIENT = "https://lms.example.edu", "careerpath"


def database_at(tmp_path: Path) -> Database:
    url = migrated_sqlite_url(tmp_path / "tool.db")
    return Database(url)


def register(database: Database, client_id: str = CLIENT) -> int:
    return register_platform(database, PlatformInput(
        issuer=ISSUER, client_id=client_id, deployment_ids=["d1"],
        auth_login_url=f"{ISSUER}/auth", auth_token_url=f"{ISSUER}/token",
        keyset_url=f"{ISSUER}/jwks", name="LMS")).registration.id


def rename_elsewhere(url: str, name: str) -> None:
    """A change committed by another process: this process's sessions never see it."""
    other = Database(url)
    with other.session() as session:
        session.execute(update(PlatformRegistrationRow).values(name=name))
    other.dispose()


def test_a_registration_is_read_once_per_period(tmp_path: Path) -> None:
    database, clock = database_at(tmp_path), Clock()
    recent = RecentRegistrations(database, clock)
    register(database)
    assert recent.find(ISSUER, CLIENT).name == "LMS"
    rename_elsewhere(str(database.url), "Renamed elsewhere")
    assert recent.find(ISSUER, CLIENT).name == "LMS"  # kept: another process changed it
    clock.now += TTL
    assert recent.find(ISSUER, CLIENT).name == "Renamed elsewhere"


def test_a_change_in_this_process_is_seen_at_once(tmp_path: Path) -> None:
    database, clock = database_at(tmp_path), Clock()
    recent = RecentRegistrations(database, clock)
    registration_id = register(database)
    assert recent.find(ISSUER, CLIENT) is not None
    remove_platform(database, registration_id)
    assert recent.find(ISSUER, CLIENT) is None


def test_an_unknown_platform_is_not_remembered(tmp_path: Path) -> None:
    database, clock = database_at(tmp_path), Clock()
    recent = RecentRegistrations(database, clock)
    assert recent.find(ISSUER, "not-yet") is None
    other = Database(database.url)
    register(other, client_id="not-yet")  # registered by another process
    other.dispose()
    assert recent.find(ISSUER, "not-yet") is not None  # no wait: misses are not kept


def test_a_rolled_back_change_keeps_what_is_known(tmp_path: Path) -> None:
    database, clock = database_at(tmp_path), Clock()
    recent = RecentRegistrations(database, clock)
    register(database)
    kept = recent.find(ISSUER, CLIENT)
    try:
        with database.session() as session:
            session.execute(update(PlatformRegistrationRow).values(name="never saved"))
            raise RuntimeError("the unit of work fails")
    except RuntimeError:
        pass
    assert recent.find(ISSUER, CLIENT) is kept
