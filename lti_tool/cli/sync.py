"""`careerpath sync` and `careerpath worker`: course syncs from the LMS, now or queued."""

from __future__ import annotations

from typing import Any

import click

from ..config import Settings
from ..domain.errors import ConfigurationError
from ..jobs import QUEUE
from ..records import SyncRun
from ..services import build_services
from ..usecases.sync.jobs import run_sync, synced_courses


@click.command()
@click.option("--course", "course_id", type=int, help="The course to sync (its id in the tool).")
@click.option("--all", "all_courses", is_flag=True, help="Sync every course with known services.")
def sync(course_id: int | None, all_courses: bool) -> None:
    """Sync roster, line items and results from the LMS (AGS and NRPS) into evidence."""
    if (course_id is None) == (not all_courses):
        raise click.UsageError("give exactly one of --course COURSE_ID or --all")
    svc = build_services(Settings.from_env())
    if all_courses:
        courses = synced_courses(svc.database)
    else:
        courses = [course_id]  # type: ignore[list-item]
    failed = 0
    for course in courses:
        failed += _sync_one(svc, course) != "succeeded"
    if not courses:
        click.echo("no course has LMS services yet (launch the tool from a course first)")
    if failed:
        raise click.ClickException(f"{failed} of {len(courses)} course syncs failed")


class SyncProgress:
    """Drives a progress bar against the known total: the course's line items, once the
    line-items stage has counted them; each line item whose results are all stored is one
    step (the roster stage only names itself: its size is not known ahead)."""

    def __init__(self, bar: Any, course_id: int) -> None:
        self.bar, self.course_id = bar, course_id
        self.done = self.total = 0

    def __call__(self, stage: str, amount: int) -> None:
        if stage == "line_items":
            self.total = max(amount, 0)
            self.bar.length = max(self.total, 1)
        elif stage == "results" and self.done < self.total:
            step = min(amount, self.total - self.done)
            self.done += step
            self.bar.update(step)
        shown = f" {self.done}/{self.total} line items" if self.total else ""
        self.bar.label = f"course {self.course_id}: {stage}{shown}"

    def finish(self) -> None:
        self.bar.update(max((self.bar.length or 1) - self.bar.pos, 0))


def _sync_one(svc: object, course_id: int) -> str:
    with click.progressbar(length=1, label=f"course {course_id}", show_pos=True) as bar:
        progress = SyncProgress(bar, course_id)
        run = run_sync(svc, course_id, "cli", progress)  # type: ignore[arg-type]
        progress.finish()
    click.echo(summary(run))
    return run.status


def summary(run: SyncRun) -> str:
    """One line per run: status, counts and time taken."""
    took = (run.finished_at - run.started_at).total_seconds() \
        if run.finished_at and run.started_at else 0.0
    counts = ", ".join(f"{k} {v}" for k, v in sorted(run.counts.items()))
    text = f"sync {run.id} of course {run.course_id}: {run.status} in {took:.1f} s ({counts})"
    return text + (f"\n  error: {run.error}" if run.error else "")


@click.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for cron or tests).")
def worker(burst: bool) -> None:
    """Run a background worker for queued syncs (needs CAREERPATH_REDIS_URL)."""
    svc = build_services(Settings.from_env())
    if not svc.settings.redis_url:
        raise ConfigurationError("`careerpath worker` needs CAREERPATH_REDIS_URL; without "
                                 "Redis, syncs run in the tool's own process")
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(svc.settings.redis_url)
    click.echo(f"worker listening on queue {QUEUE!r}")
    Worker([Queue(QUEUE, connection=connection)], connection=connection).work(burst=burst)


def register(cli: click.Group) -> None:
    cli.add_command(sync)
    cli.add_command(worker)
