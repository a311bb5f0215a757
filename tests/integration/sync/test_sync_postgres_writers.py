"""Course sync on PostgreSQL, where a results stage stores several pages at once (one
connection each) and commits them in order: the evidence is exact, and a page failing to
store leaves the pages before it, and only those, with their cursor."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.sandbox import platform_of
from lti_tool.store.models import EvidenceRow
from lti_tool.store.repositories.sync import SyncRepository
from lti_tool.usecases.sync.jobs import run_sync
from lti_tool.usecases.sync.stages import PAGE_WRITERS
from tests.integration.conftest import LiveLti, running_lti
from tests.integration.sync.conftest import load_course
from tests.support.databases import fresh_postgres_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_lti(tmp_path: Path) -> Iterator[LiveLti]:
    for url in fresh_postgres_database(migrated=True):
        app: Flask = create_app({"database_url": url, "testing": True, "sync_on_launch": False,
                                 "secret_key": "test-secret-key-for-launches"})
        try:
            with running_lti(app) as live:
                yield live
        finally:
            services(app).database.dispose()


def test_postgres_stores_pages_with_several_writers() -> None:
    assert PAGE_WRITERS["postgresql"] > 1 and PAGE_WRITERS["sqlite"] == 1


def test_several_writers_store_every_result_exactly_once(postgres_lti: LiveLti) -> None:
    course = load_course(postgres_lti, learners=2500, line_items=4)  # 3 pages per item
    state = platform_of(postgres_lti.sandbox).state
    with state.lock:
        results = sum(len(item.results) for item in
                      state.course(course.context_id).line_items.values())
    run = run_sync(services(postgres_lti.tool), course.course_id)
    assert run.status == "succeeded", run.error
    counts = course.table_counts()
    assert counts["evidence"] == course.expected_evidence() == run.counts["evidence_created"]
    assert run.counts["results"] == results
    again = run_sync(services(postgres_lti.tool), course.course_id)
    assert again.status == "succeeded", again.error
    assert again.counts.get("evidence_created", 0) == 0
    assert course.table_counts() == counts


def test_a_page_failing_among_several_writers_keeps_exactly_the_pages_before_it(
        postgres_lti: LiveLti, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fourth page fails while the pages after it are being stored beside it: they
    roll back at their turn, the cursor stays at the failed page, and the next run stores
    the rest exactly."""
    course = load_course(postgres_lti, learners=2500, line_items=3)  # 3 result pages per item
    svc = services(postgres_lti.tool)
    state = platform_of(postgres_lti.sandbox).state
    with state.lock:
        items = list(state.course(course.context_id).line_items.values())
        first_graded = sum(1 for r in items[0].results.values() if r.score is not None)
    real, calls = SyncRepository.add_item_evidence, []

    def failing_fourth(self: SyncRepository, *args: Any) -> None:
        calls.append(threading.current_thread().name)
        if len(calls) == 4:  # the first page of the second item; later ones run beside it
            raise RuntimeError("the database went away")
        real(self, *args)

    monkeypatch.setattr(SyncRepository, "add_item_evidence", failing_fourth)
    with pytest.raises(RuntimeError, match="went away"):
        run_sync(svc, course.course_id)
    # the pages after the failed one were written beside it by other writers (then undone)
    assert len(calls) == 3 + PAGE_WRITERS["postgresql"] and len(set(calls)) > 1
    with svc.database.read_session() as session:
        failed = SyncRepository(session).runs(course.course_id, limit=1)[0]
        by_item = dict(session.execute(select(EvidenceRow.lms_item_id, func.count())
                                       .group_by(EvidenceRow.lms_item_id)).all())
    assert failed.status == "failed"
    assert failed.cursor == {"stage": "results", "item_index": 1}
    assert list(by_item.values()) == [2 * first_graded]  # the first item's, nothing after
    assert failed.counts["evidence_created"] == 2 * first_graded
    monkeypatch.undo()
    resumed = run_sync(svc, course.course_id)
    assert resumed.status == "succeeded", resumed.error
    assert course.table_counts()["evidence"] == course.expected_evidence()
    assert failed.counts["evidence_created"] + resumed.counts["evidence_created"] == \
        course.expected_evidence()
