"""Two tenants, two courses, learners, instructors, admins and credentials of every kind.

LTI principals are opened with `record_launch` and crafted (already verified) claims: the
same code path a real launch ends in, without the signature round trip, so the matrix can
open hundreds of cells in a few seconds. Real signed launches are covered by
test_jwt_attacks.py and tests/integration/lti/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.domain.roles import Requirement
from lti_tool.domain.rules import Completed, EvidenceRule
from lti_tool.lti import claims as c
from lti_tool.store.models import Base
from lti_tool.store.models.cache import CacheEntryRow
from lti_tool.store.repositories import CourseRepository
from lti_tool.store.repositories.people_evidence import PeopleEvidenceRepository
from lti_tool.store.repositories.sync import SyncRepository
from lti_tool.usecases import catalogue
from lti_tool.usecases.api_keys import create_api_key
from lti_tool.usecases.launch import LaunchSession, record_launch
from lti_tool.usecases.platforms import PlatformInput, RegisteredPlatform, register_platform
from lti_tool.usecases.tenant_evidence_settings import change_evidence_settings
from lti_tool.usecases.widget_tokens import mint_widget_token
from lti_tool.web.launch_binding import BROWSER_COOKIE
from tests.support.databases import migrated_sqlite_url

SECRET = "security-suite-secret-key-4b1d"
# the binding cookie of the browser every LTI principal of the world launched in
BROWSER_KEY = "security-suite-browser-binding-cookie-value"
ADMIN_TOKEN = "security-suite-admin-token-77e1-a9c3f05d"
VOCAB = "http://purl.imsglobal.org/vocab/lis/v2/"
LEARNER = VOCAB + "membership#Learner"
INSTRUCTOR = VOCAB + "membership#Instructor"
ADMIN = VOCAB + "institution/person#Administrator"
MENTOR = VOCAB + "membership#Mentor"
WIDGETS = ("readiness", "career_path", "badges", "mapping", "class_view", "admin")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')

# Distinctive text per owner: a body may show only the markers its principal may see.
MARKERS = {
    "A": ("Alfa Learnerton", "alfa.learnerton@t1.example"),
    "B": ("Bravo Studentson", "bravo.studentson@t1.example"),
    "C": ("Charlie Yankeeson", "charlie.yankeeson@t1.example"),
    "X": ("Xavier Teachwell", "xavier.teachwell@t1.example"),
    "Y": ("Yolanda Lectern", "yolanda.lectern@t1.example"),
    "M": ("Mike Mentorson", "mike.mentorson@t1.example"),
    "ADMIN1": ("Ada Uniformadmin",),
    "D": ("Delta Zuluperson", "delta.zuluperson@t2.example"),
    "ADMIN2": ("Tango Zuluadmin",),
    "T1CAT": ("Uniform Skillset", "Uniform Analyst", "Uniform querying"),
    "T2CAT": ("Zulu Skillset", "Zulu Analyst", "Zulu querying"),
    "COURSE_X": ("Course Xray Basics",),
    "COURSE_Y": ("Course Yankee Advanced",),
    "COURSE_Z": ("Course Zulu Only",),
    "T1HOOK": ("hooks-uniform.example",),
}
T1 = {"A", "B", "C", "X", "Y", "M", "ADMIN1", "T1CAT", "COURSE_X", "COURSE_Y", "T1HOOK"}
T2 = {"D", "ADMIN2", "T2CAT", "COURSE_Z"}

# Who may see whose data (an upper bound: a page need not show all of it).
MAY_SEE: dict[str, set[str]] = {
    "anon": set(),
    "learner_a": {"A", "T1CAT", "COURSE_X"},
    "learner_b": {"B", "T1CAT", "COURSE_X"},
    "instructor_x": {"X", "A", "B", "T1CAT", "COURSE_X"},
    "instructor_y": {"Y", "C", "T1CAT", "COURSE_Y"},
    # the LMS Mentor of learner A (role_scope_mentor) in course X, where tenant 1 lets
    # managers observe: never learner B, though B learns in the same course
    "mentor_m": {"M", "A", "T1CAT", "COURSE_X"},
    "admin_t1": set(T1),
    "admin_t2": set(T2),
    "operator": T1 | T2,
    "key_t1_read": set(T1),
    "key_t1_all": set(T1),
    "key_t2_all": set(T2),
    "widget_a": {"A", "T1CAT"},
}
PRINCIPALS = tuple(MAY_SEE)
LTI_PRINCIPALS = ("learner_a", "learner_b", "instructor_x", "instructor_y", "mentor_m",
                  "admin_t1", "admin_t2")
PEOPLE = {  # principal: (tenant, sub, marker, roles, course context id or None)
    "learner_a": (1, "sub-alfa", "A", [LEARNER], "ctx-x"),
    "learner_b": (1, "sub-bravo", "B", [LEARNER], "ctx-x"),
    "learner_c": (1, "sub-charlie", "C", [LEARNER], "ctx-y"),
    "instructor_x": (1, "sub-xavier", "X", [INSTRUCTOR], "ctx-x"),
    "instructor_y": (1, "sub-yolanda", "Y", [INSTRUCTOR], "ctx-y"),
    "mentor_m": (1, "sub-mike", "M", [MENTOR], "ctx-x"),
    "admin_t1": (1, "sub-ada", "ADMIN1", [ADMIN], None),
    "learner_d": (2, "sub-delta", "D", [LEARNER], "ctx-z"),
    "admin_t2": (2, "sub-tango", "ADMIN2", [ADMIN], None),
}
COURSES = {"ctx-x": "COURSE_X", "ctx-y": "COURSE_Y", "ctx-z": "COURSE_Z"}
MENTEES = {"mentor_m": ["sub-alfa"]}  # each Mentor's role_scope_mentor claim


@dataclass
class World:
    app: Flask
    platforms: dict[int, RegisteredPlatform]
    ids: dict[str, Any] = field(default_factory=dict)
    launches: dict[str, dict[str, str]] = field(default_factory=dict)
    bearer: dict[str, str] = field(default_factory=dict)
    operator_cookie: str = ""

    def row_counts(self) -> dict[str, int]:
        """Rows of every table: a write refused must change none of them.

        The API's per-minute rate counters (`api:rate:…` cache entries) are left out: every
        request counts against its key, so the first one in a new minute adds a row whether
        it is refused or not (that made the matrix fail now and then at a minute boundary).
        """
        with services(self.app).database.session() as session:
            counts = {t.name: session.scalar(select(func.count()).select_from(t)) or 0
                      for t in Base.metadata.sorted_tables}
            counts["cache_entries"] -= session.scalar(select(func.count()).where(
                CacheEntryRow.key.like("api:rate:%"))) or 0
        return counts


def make_app(tmp: Path, **settings: Any) -> Flask:
    url = migrated_sqlite_url(tmp / "security.db")
    return create_app({"database_url": url, "testing": True, "sync_on_launch": False,
                       "secret_key": SECRET, "admin_token": ADMIN_TOKEN, **settings})


def build_world(tmp: Path, **settings: Any) -> World:
    app = make_app(tmp, **settings)
    db = services(app).database
    platforms = {n: register_platform(db, PlatformInput(
        issuer=f"https://lms-t{n}.example", client_id=f"client-t{n}",
        deployment_ids=[f"dep-t{n}"], auth_login_url=f"https://lms-t{n}.example/auth",
        auth_token_url=f"https://lms-t{n}.example/token",
        keyset_url=f"https://lms-t{n}.example/jwks", name=f"LMS of tenant {n}",
        tenant_slug=f"tenant-{n}")) for n in (1, 2)}
    world = World(app, platforms)
    ids = world.ids
    for n, prefix in ((1, "Uniform"), (2, "Zulu")):
        tenant_id = platforms[n].registration.tenant_id
        ids[f"tenant{n}"] = tenant_id
        made = catalogue.create_framework(db, tenant_id, catalogue.FrameworkInput(
            name=f"{prefix} Skillset", scale_key="four_point_rubric",
            competencies=[catalogue.CompetencyInput(f"{prefix[0]}Q", f"{prefix} querying")]))
        ids[f"fw{n}"] = int(made.framework.id)
        ids[f"comp{n}"] = int(made.framework.competencies[0].id)
        role = catalogue.create_role(db, tenant_id, catalogue.RoleInput(
            name=f"{prefix} Analyst", requirements=[Requirement(str(ids[f"comp{n}"]), 3)]))
        ids[f"role{n}"] = int(role.role.id)
        ids[f"dep{n}"] = platforms[n].deployments[0].id
        ids[f"reg{n}"] = platforms[n].registration.id
    change_evidence_settings(db, ids["tenant1"], managers_may_observe=True)
    for principal in PEOPLE:
        world.launches[principal] = {w: _launch(world, principal, w) for w in WIDGETS}
    _course_objects(world)
    _credentials(world)
    return world


def _launch(world: World, principal: str, widget: str) -> str:
    tenant, sub, marker, roles, context = PEOPLE[principal]
    names = MARKERS[marker]
    claims: dict[str, Any] = {
        "iss": f"https://lms-t{tenant}.example", "aud": f"client-t{tenant}", "sub": sub,
        "name": names[0], "email": names[1] if len(names) > 1 else "",
        c.DEPLOYMENT_ID: f"dep-t{tenant}", c.ROLES: roles,
        c.CUSTOM: {"widget": widget}, c.RESOURCE_LINK: {"id": f"link-{widget}"},
        c.LAUNCH_PRESENTATION: {"locale": "en"}}
    if principal in MENTEES:
        claims[c.ROLE_SCOPE_MENTOR] = MENTEES[principal]
    if context:
        claims[c.CONTEXT] = {"id": context, "label": context.upper(),
                             "title": MARKERS[COURSES[context]][0]}
    svc = services(world.app)
    launch = record_launch(svc.database, svc.cache, world.platforms[tenant].registration,
                           claims, "LtiResourceLinkRequest", [f"https://lms-t{tenant}.example"],
                           browser_key=BROWSER_KEY)
    world.ids[f"person_{principal}"] = launch.person_id
    if launch.course_id is not None:
        world.ids[f"course_{context}"] = launch.course_id
    return launch.launch_id


def _course_objects(world: World) -> None:
    ids = world.ids
    with services(world.app).database.session() as session:
        courses = CourseRepository(session)
        for ctx, n in (("ctx-x", 1), ("ctx-y", 1), ("ctx-z", 2)):
            item = courses.upsert_lms_item(ids[f"course_{ctx}"], "line_item", f"li-{ctx}",
                                           title=f"Module of {ctx}", score_maximum=100)
            ids[f"item_{ctx}"] = int(item.id)
            rule = courses.add_rule(EvidenceRule("", item.id, str(ids[f"comp{n}"]), 2,
                                                 Completed()))
            ids[f"rule_{ctx}"] = int(rule.id)
        ids["sync_run_x"] = int(SyncRepository(session).start_run(ids["course_ctx-x"],
                                                                  "manual").id)
        # learner A's project waiting for review and instructor X's observation of A
        evidence = PeopleEvidenceRepository(session, ids["tenant1"])
        when = datetime(2026, 3, 1, tzinfo=UTC)
        ids["project_a"] = int(evidence.add_submission(
            ids["person_learner_a"], ids["comp1"], f"{MARKERS['A'][0]} project",
            "https://portfolio.t1.example/alfa", when).id)
        ids["observation_a"] = evidence.add_observation(
            ids["person_learner_a"], ids["comp1"], ids["person_instructor_x"], 2, "",
            f"seen in {MARKERS['A'][0]}'s work", False, when).id


def _credentials(world: World) -> None:
    app, ids = world.app, world.ids
    db = services(app).database
    for name, tenant, scopes in (("key_t1_read", "tenant-1", "read"),
                                 ("key_t1_all", "tenant-1", "read,write,admin"),
                                 ("key_t2_all", "tenant-2", "read,write,admin")):
        made = create_api_key(db, tenant, scopes, name)
        world.bearer[name] = made.token
        ids[f"apikey_{name}"] = int(made.key.id)
    world.bearer["widget_a"] = mint_widget_token(
        db, SECRET, ids["tenant1"], ids["person_learner_a"], 900).token
    hook = app.test_client().post("/api/v1/webhooks", json={
        "url": "https://hooks-uniform.example/receive", "event_types": ["badge.issued"]},
        headers={"Authorization": f"Bearer {world.bearer['key_t1_all']}"})
    assert hook.status_code == 201, hook.text
    ids["webhook1"] = hook.json["id"]
    evidence = app.test_client().post(f"/api/v1/people/{ids['person_learner_a']}/evidence",
                                      json={"kind": "certification", "value": 2,
                                            "competency_id": ids["comp1"]},
                                      headers={"Authorization":
                                               f"Bearer {world.bearer['key_t1_all']}"})
    assert evidence.status_code == 201, evidence.text
    ids["evidence_a"] = evidence.json["id"]
    client = app.test_client()
    form = client.get("/admin/login")
    signed_in = client.post("/admin/login", data={
        "csrf": CSRF.search(form.text).group(1), "token": ADMIN_TOKEN})  # type: ignore[union-attr]
    assert signed_in.status_code == 303, signed_in.text
    cookie = next(v for v in signed_in.headers.getlist("Set-Cookie")
                  if v.startswith("careerpath_admin="))
    world.operator_cookie = cookie.split(";")[0].split("=", 1)[1]


def open_session(world: World, roles: list[str], *, widget: str = "", context: str | None = None,
                 sub: str = "sub-extra", message_type: str = "LtiResourceLinkRequest",
                 extra: dict[str, Any] | None = None, browser_key: str = BROWSER_KEY,
                 now: float | None = None) -> LaunchSession:
    """A launch session in tenant 1 with these roles (and claims), as a real launch ends."""
    claims: dict[str, Any] = {
        "iss": "https://lms-t1.example", "aud": "client-t1", "sub": sub, "name": "Extra Person",
        c.DEPLOYMENT_ID: "dep-t1", c.ROLES: roles, c.CUSTOM: {"widget": widget},
        c.RESOURCE_LINK: {"id": f"link-{widget or 'none'}"}, **(extra or {})}
    if context:
        claims[c.CONTEXT] = {"id": context, "label": context.upper(),
                             "title": MARKERS[COURSES[context]][0]}
    svc = services(world.app)
    return record_launch(svc.database, svc.cache, world.platforms[1].registration, claims,
                         message_type, ["https://lms-t1.example"], browser_key=browser_key,
                         now=now)


def browser_client(world: World, browser_key: str = BROWSER_KEY) -> FlaskClient:
    """A test client that is the browser holding `browser_key` as its binding cookie."""
    client = world.app.test_client()
    client.set_cookie(BROWSER_COOKIE, browser_key)
    return client
