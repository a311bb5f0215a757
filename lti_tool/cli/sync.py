"""`careerpath sync` and `careerpath worker`: course syncs from the LMS, now or queued."""

from __future__ import annotations

import click

from .. import create_app
from ..bootstrap import services
from ..domain.errors import ConfigurationError
from ..jobs import QUEUE
from ..store.records import SyncRun
from ..store.repositories.sync import SyncRepository
from ..usecases.sync_jobs import run_sync


@click.command()
@click.option("--course", "course_id", type=int, help="The course to sync (its id in the tool).")
@click.option("--all", "all_courses", is_flag=True, help="Sync every course with known services.")
def sync(course_id: int | None, all_courses: bool) -> None:
    """Sync roster, line items and results from the LMS (AGS and NRPS) into evidence."""
    if (course_id is None) == (not all_courses):
        raise click.UsageError("give exactly one of --course COURSE_ID or --all")
    svc = services(create_app())
    if all_courses:
        with svc.database.session() as session:
            courses = SyncRepository(session).synced_courses()
    else:
        courses = [course_id]  # type: ignore[list-item]
    failed = 0
    for course in courses:
        failed += _sync_one(svc, course) != "succeeded"
    if not courses:
        click.echo("no course has LMS services yet (launch the tool from a course first)")
    if failed:
        raise click.ClickException(f"{failed} of {len(courses)} course syncs failed")


def _sync_one(svc: object, course_id: int) -> str:
    with click.progressbar(length=1, label=f"course {course_id}", show_pos=True) as bar:
        def progress(stage: str, amount: int) -> None:
            bar.label = f"course {course_id}: {stage}"
            if stage == "results":
                bar.length = max(bar.length or 1, bar.pos + amount + 1)
                bar.update(amount)

        run = run_sync(svc, course_id, "cli", progress)  # type: ignore[arg-type]
        bar.update((bar.length or 1) - bar.pos)
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
    svc = services(create_app())
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
