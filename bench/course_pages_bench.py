"""Course pages at scale: a course of 5,000 learners with 50 rules, and 10,000 people's
mobility metrics.

Mapping page and class view: server time of the instructor pages through the app (test
client), median over repeated views with the data unchanged: the previews and the class
are computed once per version of the catalogue and learner data (the first, cold view is
reported as context). Mobility: the metrics use case and its JSON for a tenant of 10,000
people with goals, evidence and HRIS role changes, median over repeated requests (cold
run as context).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from bench.figures import context, figure
from bench.readiness_bench import BENCH_BROWSER
from lti_tool import create_app
from lti_tool.api.metrics import mobility_json
from lti_tool.bootstrap import Services, services
from lti_tool.domain.roles import Requirement
from lti_tool.domain.rules import AllOf, Completed, EvidenceRule, ScoreAtLeast
from lti_tool.domain.scales import FOUR_POINT_RUBRIC
from lti_tool.store import upgrade
from lti_tool.store.models import EvidenceRow, GoalRow, MembershipRow, PersonRow, RoleChangeRow
from lti_tool.store.repositories import (
    CourseRepository,
    RoleRepository,
    TaxonomyRepository,
    TenantRepository,
)
from lti_tool.usecases.launch import LaunchSession, browser_digest
from lti_tool.usecases.mobility import mobility_metrics
from lti_tool.web.launch_binding import BROWSER_COOKIE

LEARNERS, RULES, COMPETENCIES, ROLES, MOBILITY_PEOPLE = 5_000, 50, 20, 6, 10_000
TARGET_PAGE_MS, TARGET_MOBILITY_MS = 150.0, 300.0
RUNS = 30
START = datetime(2025, 1, 6, 9, tzinfo=UTC)


def _catalogue(svc: Services, slug: str, rng: random.Random) -> tuple[int, list[str],
                                                                      list[str]]:
    """A tenant with one framework of 20 competencies and six roles of 6 requirements."""
    with svc.database.session() as session:
        tenant = TenantRepository(session).ensure(slug, slug.title())
        taxonomy = TaxonomyRepository(session)
        framework = taxonomy.add_framework(tenant.id, "Bench", taxonomy.ensure_scale(
            FOUR_POINT_RUBRIC))
        ids = [taxonomy.add_competency(framework, f"B.{i:02d}", f"Competency {i}").id
               for i in range(COMPETENCIES)]
        roles = RoleRepository(session)
        role_ids = [roles.add(tenant.id, f"Role {r}", [
            Requirement(c, rng.randint(2, 3), 10) for c in rng.sample(ids, 6)]).id
            for r in range(ROLES)]
    return tenant.id, ids, role_ids


def _people(session: Any, tenant_id: int, count: int, prefix: str) -> list[int]:
    session.execute(insert(PersonRow), [
        {"tenant_id": tenant_id, "sub": f"{prefix}-{n}", "name": f"Person {n}"}
        for n in range(count)])
    return list(session.scalars(select(PersonRow.id).where(
        PersonRow.tenant_id == tenant_id).order_by(PersonRow.id)))


def _scores(tenant_id: int, person_id: int, items: list[str], rng: random.Random,
            tag: str) -> list[dict[str, Any]]:
    rows = []
    for n, item in enumerate(items):
        when = START + timedelta(days=rng.randint(0, 300))
        for kind, value in (("lms_completion", 1.0), ("lms_score", round(rng.random(), 3))):
            rows.append({"tenant_id": tenant_id, "person_id": person_id, "kind": kind,
                         "lms_item_id": int(item), "value": value, "observed_at": when,
                         "source_ref": f"{tag}:{n}:{kind}"})
    return rows


def seeded_course(svc: Services, rng: random.Random) -> tuple[int, int, int]:
    """5,000 active learners, 50 items each with a rule, ~10 scored items per learner."""
    tenant_id, competencies, _roles = _catalogue(svc, "course-bench", rng)
    with svc.database.session() as session:
        courses = CourseRepository(session)
        course = courses.upsert_course(tenant_id, "bench-course", title="Bench course")
        items = []
        for i in range(RULES):
            item = courses.upsert_lms_item(course.id, "line_item", f"li-{i}", title=f"M{i}",
                                           score_maximum=100)
            items.append(item.id)
            condition = AllOf((Completed(), ScoreAtLeast(rng.choice((60, 70, 80)))))
            courses.add_rule(EvidenceRule("", item.id, rng.choice(competencies),
                                          rng.randint(1, 3), condition))
        people = _people(session, tenant_id, LEARNERS, "learner")
        session.execute(insert(MembershipRow), [
            {"course_id": course.id, "person_id": p, "roles": "Learner", "status": "Active"}
            for p in people])
        for chunk in range(0, len(people), 500):
            session.execute(insert(EvidenceRow), [
                row for p in people[chunk:chunk + 500]
                for row in _scores(tenant_id, p, rng.sample(items, 10), rng, f"e{p}")])
    return tenant_id, course.id, people[0]


def seeded_mobility(svc: Services, rng: random.Random) -> int:
    """10,000 people: each with a goal and 3 scored items, a third with HRIS moves."""
    tenant_id, _competencies, role_ids = _catalogue(svc, "mobility-bench", rng)
    with svc.database.session() as session:
        course = CourseRepository(session).upsert_course(tenant_id, "hr-course", title="HR")
        items = []
        for i in range(10):
            item = CourseRepository(session).upsert_lms_item(course.id, "line_item", f"h-{i}",
                                                             title=f"H{i}")
            items.append(item.id)
            CourseRepository(session).add_rule(EvidenceRule(
                "", item.id, _competencies[i], 2, Completed()))
        people = _people(session, tenant_id, MOBILITY_PEOPLE, "staff")
        session.execute(insert(GoalRow), [{"person_id": p, "role_id": int(rng.choice(
            role_ids))} for p in people])
        for chunk in range(0, len(people), 1000):
            session.execute(insert(EvidenceRow), [
                row for p in people[chunk:chunk + 1000]
                for row in _scores(tenant_id, p, rng.sample(items, 3), rng, f"m{p}")])
        session.execute(insert(RoleChangeRow), [
            {"tenant_id": tenant_id, "person_id": p, "from_role_id": int(role_ids[0]),
             "to_role_id": int(rng.choice(role_ids[1:])), "kind": rng.choice(
                 ("promotion", "lateral")),
             "effective_date": date(2025, 1, 1) + timedelta(days=rng.randint(0, 360))}
            for p in people[::3]])
    return tenant_id


def _median_ms(call: Callable[[], Any], runs: int = RUNS) -> tuple[float, float]:
    """(cold ms, median ms of the runs after it)."""
    timings = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings[0], statistics.median(timings[1:])


def _note(text: str) -> None:
    print(f"[pages] {text}", file=sys.stderr, flush=True)


def _page(client: Any, path: str) -> Callable[[], None]:
    def get() -> None:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
    return get


def run() -> dict[str, Any]:
    rng = random.Random(20261207)
    workdir = Path(tempfile.mkdtemp(prefix="careerpath-bench-"))
    url = f"sqlite:///{workdir / 'course.db'}"
    upgrade(url)
    app = create_app({"database_url": url, "sync_on_launch": False})
    svc = services(app)
    started = time.perf_counter()
    tenant_id, course_id, person_id = seeded_course(svc, rng)
    mobility_tenant = seeded_mobility(svc, rng)
    _note(f"seeded in {time.perf_counter() - started:.1f} s")
    launch = LaunchSession(
        launch_id="bench-staff", message_type="LtiResourceLinkRequest", view=2,
        tenant_id=tenant_id, registration_id=0, deployment_id="bench", person_id=person_id,
        person_name="Bench Instructor", course_id=course_id, course_title="Bench course",
        widget="mapping", locale="en", roles=[], custom={"widget": "mapping"},
        browser=browser_digest(BENCH_BROWSER), created_at=time.time(), seen_at=time.time())
    svc.cache.set("launch:bench-staff", asdict(launch), 3600)
    client = app.test_client()
    client.set_cookie(BROWSER_COOKIE, BENCH_BROWSER)  # the session's browser (launch binding)
    mapping = _median_ms(_page(client, "/widgets/mapping?launch=bench-staff"))
    _note(f"mapping page: first {mapping[0]:.0f} ms, median {mapping[1]:.1f} ms")
    class_view = _median_ms(_page(client, "/widgets/class_view?launch=bench-staff"))
    _note(f"class view: first {class_view[0]:.0f} ms, median {class_view[1]:.1f} ms")
    mobility = _median_ms(lambda: mobility_json(mobility_metrics(
        svc.database, mobility_tenant, date(2025, 1, 1), date(2025, 12, 31), None,
        svc.local, svc.data_version())))
    _note(f"mobility: first {mobility[0]:.0f} ms, median {mobility[1]:.1f} ms")
    return {"name": "course_pages", "mapping_ms": mapping, "class_view_ms": class_view,
            "mobility_ms": mobility, "figures": [
                figure("pages", f"mapping page, {LEARNERS:,} learners × {RULES} rules, median",
                       mapping[1], TARGET_PAGE_MS, "ms"),
                context("pages", "mapping page, first view after a change", mapping[0], "ms"),
                figure("pages", f"class view, {LEARNERS:,} learners, median server time",
                       class_view[1], TARGET_PAGE_MS, "ms"),
                context("pages", "class view, first view after a change", class_view[0], "ms"),
                figure("pages", f"mobility metrics, {MOBILITY_PEOPLE:,} people, median",
                       mobility[1], TARGET_MOBILITY_MS, "ms"),
                context("pages", "mobility metrics, first request after a change",
                        mobility[0], "ms"),
            ]}


if __name__ == "__main__":
    from bench.run import print_table

    print_table(run()["figures"])
