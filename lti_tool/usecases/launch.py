"""A verified launch becomes tenant, course, person and membership rows, and a launch session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from ..cache import Cache
from ..domain.errors import NotFound
from ..lti import claims as c
from ..lti.errors import LaunchError
from ..lti.roles import LaunchView, view_for
from ..records import Course, Person, PlatformRegistration
from ..store.database import Database
from ..store.repositories.courses import CourseRepository
from ..store.repositories.launches import LaunchFacts, recorded_launch
from ..store.repositories.lti import LtiRepository
from ..store.repositories.people import PersonRepository
from ..store.repositories.sync import SyncRepository
from .erasure import set_person_entry
from .evidence_authors import MENTOR, context_roles
from .mentoring import keep_mentees

LAUNCH_TTL = 8 * 3600
IDLE_SECONDS = 60 * 60
# how often a session's last-seen time is written back (not on every request)
SEEN_RESOLUTION_SECONDS = 60
MAX_MENTEES = 500  # of a role_scope_mentor claim kept with the session


@dataclass(frozen=True)
class LaunchSession:
    """What later requests in the LMS frame may rely on (looked up by `launch_id`)."""

    launch_id: str
    message_type: str
    view: int
    tenant_id: int
    registration_id: int
    deployment_id: str
    person_id: int
    person_name: str
    course_id: int | None
    course_title: str
    widget: str
    locale: str
    roles: list[str]
    custom: dict[str, Any] = field(default_factory=dict)
    deep_linking: dict[str, Any] = field(default_factory=dict)
    platform_origins: list[str] = field(default_factory=list)
    ags: dict[str, Any] = field(default_factory=dict)
    nrps_url: str = ""
    # a Mentor's mentees as the platform's signed role_scope_mentor claim named them (`sub`s)
    mentees: list[str] = field(default_factory=list)
    # the digest of the browser's binding cookie: the launch id alone opens nothing
    browser: str = ""
    created_at: float = 0.0
    seen_at: float = 0.0

    @property
    def role_view(self) -> LaunchView:
        return LaunchView(self.view)

    def age(self, now: float | None = None) -> float:
        """Seconds since the launch (how fresh the platform's word about the user is)."""
        return (time.time() if now is None else now) - self.created_at


def browser_digest(browser_key: str) -> str:
    """What a launch session keeps of its browser's binding cookie."""
    return hashlib.sha256(b"careerpath-browser:" + browser_key.encode()).hexdigest()


def check_approved(registration: PlatformRegistration) -> None:
    """Refuse logins and launches of a Dynamic Registration an admin has not approved."""
    if not registration.active:
        raise LaunchError(
            f"This platform's registration ({registration.name or registration.issuer!s:.200}) "
            "is waiting for an administrator's approval.",
            "A CareerPath administrator approves it on the admin Platforms page (Admin → "
            "Platforms and deployments → Approve) or with `careerpath platform approve "
            f"{registration.id}`; then launch again.", status=403)


def accept_deployment(repo: LtiRepository, registration: PlatformRegistration,
                      deployment_id: str) -> None:
    """A listed, enabled deployment; a registration whose policy is `announced` (Dynamic
    Registration without deployments named at invitation) records a new one on first use."""
    deployment = repo.deployment(registration.id, deployment_id)
    if deployment is None and registration.deployment_policy == "announced":
        repo.ensure_deployment(registration.id, deployment_id)
        return
    if deployment is None or not deployment.enabled:
        state = "is not registered" if deployment is None else "is disabled"
        raise LaunchError(
            f"Deployment {deployment_id!s:.100} {state} for this platform.",
            "Add it with `careerpath platform add ... --deployment-id` or enable it on the "
            "admin pages (a Dynamic Registration accepts only the deployments its "
            "registration link listed, when it listed some).", status=403)


@dataclass
class ReadAlong:
    """Shared-cache keys read in the launch session's own round trip: `keys_for(launch)`
    names them once the session is known; `values` holds what was read, by key."""

    keys_for: Callable[[LaunchSession], Sequence[str]]
    values: dict[str, Any] = field(default_factory=dict)


def record_launch(database: Database, cache: Cache, registration: PlatformRegistration | int,
                  claims: Mapping[str, Any], message_type: str,
                  platform_origins: list[str], browser_key: str = "",
                  now: float | None = None, read_along: ReadAlong | None = None
                  ) -> LaunchSession:
    """Upsert who and where the user is, idempotently, and open a launch session.

    The session is bound to `browser_key`, the value of the browser's binding cookie: a
    request naming the launch id is served only with that cookie (see launch_session).

    `registration` is the platform's registration or its id (read afresh either way, by
    the launch's own read). A repeat launch that would change no row (the usual
    case) is answered by one read-only statement outside any unit of work: on SQLite it takes
    no write lock.
    `read_along`: shared-cache keys read in the same round trip as the session's write.
    """
    facts = launch_facts(claims)
    started = time.time() if now is None else now
    registration_id = registration if isinstance(registration, int) else registration.id
    try:  # one statement, outside any unit of work
        recorded = recorded_launch(database, registration_id, facts)
    except NotFound:  # removed since the login (which a process may answer from a copy)
        raise LaunchError(
            "This platform is no longer registered with CareerPath.",
            "An administrator removed its registration after this launch began; "
            "register it again with `careerpath platform add` or Dynamic Registration.",
            status=403) from None
    check_approved(recorded.registration)
    found = recorded.unchanged
    if found is None:
        with database.session() as session:
            found = _upsert(session, recorded.registration, facts)
    person, course = found
    mentees = _mentees(claims.get(c.ROLE_SCOPE_MENTOR))
    if course is not None and c.ROLE_SCOPE_MENTOR in claims and \
            MENTOR in context_roles(facts.roles):
        # the REST API sees no launch: it reads the Mentor's links this keeps
        keep_mentees(database, recorded.registration.tenant_id, course.id, person.id,
                     mentees, datetime.fromtimestamp(started, UTC))
    custom = _mapping(claims.get(c.CUSTOM))
    launch = LaunchSession(
        launch_id=secrets.token_urlsafe(24), message_type=message_type,
        view=int(view_for(facts.roles)), tenant_id=recorded.registration.tenant_id,
        registration_id=registration_id, deployment_id=facts.deployment_id,
        person_id=person.id, person_name=person.name or person.email or "Anonymous user",
        course_id=None if course is None else course.id,
        course_title="" if course is None else course.title,
        widget=str(custom.get("widget", "")),
        locale=str(_mapping(claims.get(c.LAUNCH_PRESENTATION)).get("locale") or "en"),
        roles=list(facts.roles), custom={str(k): str(v) for k, v in custom.items()},
        deep_linking=_mapping(claims.get(c.DEEP_LINKING_SETTINGS)),
        platform_origins=platform_origins, ags=_mapping(claims.get(c.AGS_ENDPOINT)),
        nrps_url=str(_mapping(claims.get(c.NRPS)).get("context_memberships_url") or ""),
        mentees=mentees,
        browser=browser_digest(browser_key) if browser_key else "",
        created_at=started, seen_at=started,
    )
    # its fields are already plain JSON values: a shallow copy, not asdict's deep one
    read = () if read_along is None else tuple(read_along.keys_for(launch))
    values = set_person_entry(cache, launch.tenant_id, launch.person_id,
                              f"launch:{launch.launch_id}", dict(vars(launch)), LAUNCH_TTL, read)
    if read_along is not None:
        read_along.values = dict(zip(read, values, strict=True))
    return launch


def launch_facts(claims: Mapping[str, Any]) -> LaunchFacts:
    """What a launch's claims ask to record."""
    context = _mapping(claims.get(c.CONTEXT))
    ags, nrps = _mapping(claims.get(c.AGS_ENDPOINT)), _mapping(claims.get(c.NRPS))
    context_id = str(context["id"]) if context.get("id") else ""
    return LaunchFacts(
        deployment_id=str(claims[c.DEPLOYMENT_ID]), sub=str(claims["sub"]),
        person=_person_claims(claims),
        roles=tuple(r for r in claims.get(c.ROLES, []) if isinstance(r, str)),
        context_id=context_id,
        course_title=str(context.get("title") or context.get("label") or context_id),
        course_label=str(context.get("label") or ""),
        memberships_url=str(nrps.get("context_memberships_url") or ""),
        lineitems_url=str(ags.get("lineitems") or ""),
        scopes=tuple(s for s in ags.get("scope", []) if isinstance(s, str)))


def _upsert(session: Session, registration: PlatformRegistration,
            facts: LaunchFacts) -> tuple[Person, Course | None]:
    accept_deployment(LtiRepository(session), registration, facts.deployment_id)
    person = PersonRepository(session).upsert_person(registration.tenant_id, facts.sub,
                                                     **facts.person)
    if not facts.context_id:
        return person, None
    courses = CourseRepository(session)
    course = courses.upsert_course(
        registration.tenant_id, facts.context_id, registration_id=registration.id,
        title=facts.course_title, label=facts.course_label)
    courses.upsert_membership(course.id, person.id, facts.roles, "Active")
    if facts.memberships_url or facts.lineitems_url:
        SyncRepository(session).save_services(course.id, facts.memberships_url,
                                              facts.lineitems_url, facts.scopes)
    return person, course


def launch_session(cache: Cache, launch_id: str, browser_key: str,
                   idle_seconds: int = IDLE_SECONDS, now: float | None = None,
                   handed_off: bool = False) -> LaunchSession:
    """The launch session named by `launch_id`, if `browser_key` is the cookie of the
    browser that launched it and it was used within `idle_seconds`; else a refusal asking
    for a relaunch. A launch id copied into another browser opens nothing.

    `handed_off`: the request instead spent a one-time handoff made for this session by a
    page of the bound browser (see web.launch_binding.handoff_url).
    """
    key = f"launch:{launch_id}"
    raw = cache.get(key) if launch_id else None
    if raw is None:
        raise LaunchError("Your session in CareerPath has expired.",
                          "Relaunch the tool from the course.", status=401)
    launch = LaunchSession(**raw)
    if not handed_off and not (launch.browser and browser_key and hmac.compare_digest(
            launch.browser, browser_digest(browser_key))):
        raise LaunchError(
            "This CareerPath session was opened in another browser (or this browser did "
            "not keep CareerPath's cookie).",
            "Relaunch the tool from the course; if this keeps happening, the browser blocks "
            "cookies in the LMS frame: open CareerPath in a new window.", status=401)
    current = time.time() if now is None else now
    if current - launch.seen_at > idle_seconds:
        cache.pop(key)
        raise LaunchError("Your session in CareerPath has expired (unused for too long).",
                          "Relaunch the tool from the course.", status=401)
    if current - launch.seen_at > SEEN_RESOLUTION_SECONDS:
        remaining = int(LAUNCH_TTL - launch.age(current))
        if remaining <= 0:
            raise LaunchError("Your session in CareerPath has expired.",
                              "Relaunch the tool from the course.", status=401)
        launch = replace(launch, seen_at=current)
        cache.set(key, dict(vars(launch)), remaining)
    return launch


def _person_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    given, family = str(claims.get("given_name") or ""), str(claims.get("family_name") or "")
    name = str(claims.get("name") or f"{given} {family}".strip())
    locale = _mapping(claims.get(c.LAUNCH_PRESENTATION)).get("locale") or claims.get("locale")
    return {"name": name, "given_name": given, "family_name": family,
            "email": str(claims.get("email") or ""), "locale": str(locale or "")}


def _mentees(value: Any) -> list[str]:
    """The claim's user ids (strings only, at most MAX_MENTEES)."""
    if not isinstance(value, list):
        return []
    return [str(v)[:255] for v in value if isinstance(v, str) and v][:MAX_MENTEES]


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}
