"""The results stage's page writers, on each database: SQLite stores one page at a time
beside the reading; PostgreSQL stores several at once (one connection each) and commits
them in page order. Either way the evidence is exact, and a page failing to store leaves
the pages before it, and only those, with their cursor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.usecases.sync.jobs import run_sync
from lti_tool.usecases.sync.stages import PAGE_WRITERS
from tests.integration.conftest import LiveLti, running_lti
from tests.integration.sync.conftest import fail_page_store, load_course
from tests.support.databases import fresh_postgres_database, migrated_sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend_lti(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveLti]:
    urls = (iter([migrated_sqlite_url(tmp_path / "tool.db")]) if request.param == "sqlite"
            else fresh_postgres_database(migrated=True))
    for url in urls:
        app: Flask = create_app({"database_url": url, "testing": True, "sync_on_launch": False,
                                 "secret_key": "test-secret-key-for-launches"})
        try:
            with running_lti(app) as live:
                yield live
        finally:
            services(app).database.dispose()


def writers(live: LiveLti) -> int:
    return PAGE_WRITERS[services(live.tool).database.dialect]


def test_postgres_stores_pages_with_several_writers() -> None:
    assert PAGE_WRITERS["postgresql"] > 1 and PAGE_WRITERS["sqlite"] == 1


def test_the_writers_store_every_result_exactly_once(backend_lti: LiveLti) -> None:
    course = load_course(backend_lti, learners=2500, line_items=4)  # 3 pages per item
    results = course.results_in_lms()
    run = run_sync(services(backend_lti.tool), course.course_id)
    assert run.status == "succeeded", run.error
    counts = course.table_counts()
    assert counts["evidence"] == course.expected_evidence() == run.counts["evidence_created"]
    assert run.counts["results"] == results
    again = run_sync(services(backend_lti.tool), course.course_id)
    assert again.status == "succeeded", again.error
    assert again.counts.get("evidence_created", 0) == 0
    assert course.table_counts() == counts


def test_a_page_failing_to_store_keeps_exactly_the_pages_before_it(
        backend_lti: LiveLti, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fourth page fails to store. The pages before it stay stored with their cursor
    and counts; with several writers the pages after it, written beside it, roll back at
    their turn; the next run resumes at the page that failed and stores the rest exactly."""
    course = load_course(backend_lti, learners=2500, line_items=3)  # 3 result pages per item
    svc = services(backend_lti.tool)
    first_graded = course.graded_on_first_item()
    calls = fail_page_store(monkeypatch, 4)  # the first page of the second item
    with pytest.raises(RuntimeError, match="went away"):
        run_sync(svc, course.course_id)
    assert all(name.startswith("sync-writer") for name in calls)  # never the reading thread
    # with several writers the pages after the failed one were written beside it
    assert len(calls) == 3 + writers(backend_lti)
    assert len(set(calls)) == min(writers(backend_lti), len(calls))
    failed = course.last_run()
    assert failed.status == "failed"
    assert failed.cursor == {"stage": "results", "item_index": 1}
    assert list(course.evidence_by_item().values()) == [2 * first_graded]  # nothing after
    assert failed.counts["evidence_created"] == 2 * first_graded
    monkeypatch.undo()
    resumed = run_sync(svc, course.course_id)
    assert resumed.status == "succeeded", resumed.error
    assert course.table_counts()["evidence"] == course.expected_evidence()
    assert failed.counts["evidence_created"] + resumed.counts["evidence_created"] == \
        course.expected_evidence()
