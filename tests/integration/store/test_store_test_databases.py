"""The test suite's migrated databases: at the newest revision, and each one its own."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from lti_tool.store import Database
from lti_tool.store.migrate import current, latest
from lti_tool.store.models import TenantRow
from tests.support.databases import migrated_sqlite_url


def test_a_migrated_copy_is_at_the_newest_revision(migrated_database_url: str) -> None:
    assert current(migrated_database_url) == latest()


def test_copies_of_the_template_share_nothing(tmp_path: Path) -> None:
    first = Database(migrated_sqlite_url(tmp_path / "first.db"))
    second = Database(migrated_sqlite_url(tmp_path / "second.db"))
    try:
        with first.session() as session:
            session.add(TenantRow(slug="only-here", name="Only here"))
        with second.session() as session:
            assert session.scalar(select(func.count()).select_from(TenantRow)) == 0
        with first.session() as session:
            assert session.scalar(select(func.count()).select_from(TenantRow)) == 1
    finally:
        first.dispose()
        second.dispose()
