"""A verified launch becomes tenant, course, person and membership rows, and a launch session."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ..cache import Cache
from ..lti import claims as c
from ..lti.errors import LaunchError
from ..lti.roles import View, view_for
from ..store.database import Database
from ..store.records import PlatformRegistration
from ..store.repositories.courses import CourseRepository
from ..store.repositories.lti import LtiRepository
from ..store.repositories.people import PersonRepository
from ..store.repositories.sync import SyncRepository

LAUNCH_TTL = 8 * 3600


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

    @property
    def role_view(self) -> View:
        return View(self.view)


def accept_deployment(repo: LtiRepository, registration: PlatformRegistration,
                      deployment_id: str) -> None:
    """A listed, enabled deployment; a dynamic registration records a new one on first use."""
    deployment = repo.deployment(registration.id, deployment_id)
    if deployment is None and registration.registered_via == "dynamic":
        repo.ensure_deployment(registration.id, deployment_id)
        return
    if deployment is None or not deployment.enabled:
        state = "is not registered" if deployment is None else "is disabled"
        raise LaunchError(
            f"Deployment {deployment_id!s:.100} {state} for this platform.",
            "Add it with `careerpath platform add ... --deployment-id` or enable it on the "
            "admin pages.", status=403)


def record_launch(database: Database, cache: Cache, registration: PlatformRegistration,
                  claims: Mapping[str, Any], message_type: str,
                  platform_origins: list[str]) -> LaunchSession:
    """Upsert who and where the user is, idempotently, and open a launch session."""
    deployment_id = str(claims[c.DEPLOYMENT_ID])
    roles = [r for r in claims.get(c.ROLES, []) if isinstance(r, str)]
    context = _mapping(claims.get(c.CONTEXT))
    with database.session() as session:
        accept_deployment(LtiRepository(session), registration, deployment_id)
        person = PersonRepository(session).upsert_person(
            registration.tenant_id, str(claims["sub"]), **_person_claims(claims))
        course_id, course_title = None, ""
        if context.get("id"):
            courses = CourseRepository(session)
            course = courses.upsert_course(
                registration.tenant_id, str(context["id"]), registration_id=registration.id,
                title=str(context.get("title") or context.get("label") or context["id"]),
                label=str(context.get("label") or ""))
            courses.upsert_membership(course.id, person.id, roles, "Active")
            course_id, course_title = course.id, course.title
            _remember_services(SyncRepository(session), course.id, claims)
    custom = _mapping(claims.get(c.CUSTOM))
    launch = LaunchSession(
        launch_id=secrets.token_urlsafe(24), message_type=message_type,
        view=int(view_for(roles)), tenant_id=registration.tenant_id,
        registration_id=registration.id, deployment_id=deployment_id, person_id=person.id,
        person_name=person.name or person.email or "Anonymous user", course_id=course_id,
        course_title=course_title, widget=str(custom.get("widget", "")),
        locale=str(_mapping(claims.get(c.LAUNCH_PRESENTATION)).get("locale") or "en"),
        roles=roles, custom={str(k): str(v) for k, v in custom.items()},
        deep_linking=_mapping(claims.get(c.DEEP_LINKING_SETTINGS)),
        platform_origins=platform_origins, ags=_mapping(claims.get(c.AGS_ENDPOINT)),
        nrps_url=str(_mapping(claims.get(c.NRPS)).get("context_memberships_url") or ""),
    )
    cache.set(f"launch:{launch.launch_id}", asdict(launch), LAUNCH_TTL)
    return launch


def launch_session(cache: Cache, launch_id: str) -> LaunchSession:
    """The launch session named by `launch_id`, or a refusal asking for a relaunch."""
    raw = cache.get(f"launch:{launch_id}") if launch_id else None
    if raw is None:
        raise LaunchError("Your session in CareerPath has expired.",
                          "Relaunch the tool from the course.", status=401)
    return LaunchSession(**raw)


def _remember_services(repo: SyncRepository, course_id: int, claims: Mapping[str, Any]) -> None:
    """Keep the course's AGS/NRPS endpoints so syncs can run without a launch."""
    ags = _mapping(claims.get(c.AGS_ENDPOINT))
    nrps = _mapping(claims.get(c.NRPS))
    scopes = [s for s in ags.get("scope", []) if isinstance(s, str)]
    memberships = nrps.get("context_memberships_url")
    lineitems = ags.get("lineitems")
    if memberships or lineitems:
        repo.save_services(course_id, str(memberships or ""), str(lineitems or ""), scopes)


def _person_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    given, family = str(claims.get("given_name") or ""), str(claims.get("family_name") or "")
    name = str(claims.get("name") or f"{given} {family}".strip())
    locale = _mapping(claims.get(c.LAUNCH_PRESENTATION)).get("locale") or claims.get("locale")
    return {"name": name, "given_name": given, "family_name": family,
            "email": str(claims.get("email") or ""), "locale": str(locale or "")}


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}
