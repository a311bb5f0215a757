"""Open Badges 3.0: issue the badges a learner has earned, revoke them, publish the lists."""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..badges import (
    MINIMUM_ENTRIES,
    AchievementSpec,
    AlignmentTarget,
    BadgeSpec,
    BadgeUrls,
    EvidenceItem,
    IssuerProfile,
    ResultDescription,
    case_item_url,
    open_badge_credential,
    sign_credential,
    status_entry,
    status_list_credential,
)
from ..badges.credential import OB_CONTEXT, VC_CONTEXT
from ..badges.verification import Fetch, VerificationResult, verify_badge
from ..config import Settings
from ..domain.errors import InvalidInput, NotFound
from ..domain.evidence import Evidence
from ..store.database import Database
from ..store.models import CompetencyRow, FrameworkRow, GoalRow, PersonRow
from ..store.records import Tenant
from ..store.repositories.badges import AlignmentSource, BadgeRepository, IssuedBadge
from ..store.repositories.tenant_scope import TenantScope
from ..store.repositories.tenants import TenantRepository
from .events import BADGE_ISSUED, BADGE_REVOKED, publish
from .readiness import LearnerLevels, load_levels, readiness_report
from .tool_keys import published_jwks, signing_key

log = logging.getLogger(__name__)
EPSILON = 1e-9
ISSUE_ATTEMPTS = 8


@dataclass(frozen=True)
class DueBadge:
    """An achievement the learner has reached and does not hold yet."""

    key: str
    kind: str
    achievement: AchievementSpec
    results: tuple[tuple[str, str], ...]
    evidence: tuple[Evidence, ...]


def issue_due_badges(database: Database, settings: Settings, tenant_id: int, person_id: int,
                     now: datetime, valid_for: timedelta | None = None) -> list[IssuedBadge]:
    """Issue every competency and next-role readiness badge reached and not yet held."""
    learner = load_levels(database, tenant_id, person_id)
    urls = BadgeUrls(settings.base_url)
    with database.session() as session:
        repo = BadgeRepository(session)
        tenant = TenantRepository(session).get(tenant_id)
        held = repo.achievement_keys(person_id)
        sources = {source.id: source for source in repo.alignment_sources(tenant_id)}
    due = [badge for badge in _due_badges(learner, sources, urls, tenant, now)
           if badge.key not in held]
    if not due:
        return []
    key = signing_key(database, settings.secret_key, now)
    issued = []
    with database.session() as session:
        repo = BadgeRepository(session)
        subject = f"urn:uuid:{repo.subject_uuid(person_id)}"
        for badge in due:
            for _attempt in range(ISSUE_ATTEMPTS):
                record = _signed(badge, learner, tenant, subject, urls, key, now, valid_for,
                                 _free_index(repo.used_indexes(tenant.id)))
                if repo.add(record):
                    # badge.issued in the transaction that stores the badge: both or neither
                    publish(session, tenant.id, BADGE_ISSUED, _event(record), now)
                    issued.append(record)
                    break
                if badge.key in repo.achievement_keys(person_id):
                    break
    return issued


@dataclass(frozen=True)
class IssuingOutcome:
    """What issuing for several people did: badges issued, people whose issuing failed."""

    issued: int = 0
    errors: int = 0


def issue_badges_for(database: Database, settings: Settings, tenant_id: int,
                     person_ids: Iterable[int], now: datetime) -> IssuingOutcome:
    """Issue what each person has earned, each in their own units of work.

    Never raises: a failure for one person is logged and counted, and the others go on (the
    change that triggered issuing is committed already and must stand).
    """
    issued = errors = 0
    try:
        candidates = badge_candidates(database, tenant_id, person_ids)
    except Exception:
        log.exception("badge issuing for tenant %s could not start", tenant_id)
        return IssuingOutcome(0, 1)
    for person_id in candidates:
        try:
            issued += len(issue_due_badges(database, settings, tenant_id, person_id, now))
        except Exception:
            errors += 1
            log.exception("issuing badges to person %s of tenant %s failed", person_id,
                          tenant_id)
    return IssuingOutcome(issued, errors)


def badge_candidates(database: Database, tenant_id: int, person_ids: Iterable[int]
                     ) -> list[int]:
    """The people who could hold a badge: all when a competency has a badge level, else
    only those with goals (readiness badges); nobody is loaded for nothing."""
    wanted = sorted({int(p) for p in person_ids})
    if not wanted:
        return []
    with database.session() as session:
        levels = session.scalar(
            select(CompetencyRow.id).join(FrameworkRow,
                                          FrameworkRow.id == CompetencyRow.framework_id)
            .where(FrameworkRow.tenant_id == tenant_id, CompetencyRow.badge_level.is_not(None))
            .limit(1))
        if levels is not None:
            return wanted
        with_goals = set(session.scalars(
            select(GoalRow.person_id).join(PersonRow, PersonRow.id == GoalRow.person_id)
            .where(PersonRow.tenant_id == tenant_id, GoalRow.person_id.in_(wanted))))
    return [p for p in wanted if p in with_goals]


def revoke_badge(database: Database, badge_id: str, reason: str, now: datetime,
                 tenant_id: int | None = None) -> IssuedBadge:
    """Revoke the badge: its bit is set in the tenant's status list from now on.

    With `tenant_id`, another tenant's badge is NotFound. badge.revoked is published in the
    same transaction when the badge's state changes (first revocation or a new reason).
    """
    if not reason.strip():
        raise InvalidInput("a revocation needs a reason", {"reason": ["required"]})
    with database.session() as session:
        repo = BadgeRepository(session)
        before = _owned(repo, badge_id, tenant_id)
        revoked = repo.revoke(badge_id, reason.strip(), now)
        if not before.revoked or before.revocation_reason != revoked.revocation_reason:
            publish(session, revoked.tenant_id, BADGE_REVOKED, {
                **_event(revoked), "reason": revoked.revocation_reason,
                "revoked_at": revoked.revoked_at.isoformat() if revoked.revoked_at else None},
                now)
        return revoked


def _event(found: IssuedBadge) -> dict[str, Any]:
    """The payload of badge.issued / badge.revoked; `url` is the public badge page."""
    return {"badge_id": found.id, "person_id": found.person_id,
            "achievement_name": found.name, "kind": found.kind,
            "url": found.credential["id"]}


def _owned(repo: BadgeRepository, badge_id: str, tenant_id: int | None) -> IssuedBadge:
    found = repo.get(badge_id)
    if tenant_id is not None and found.tenant_id != tenant_id:
        raise NotFound(f"badge {badge_id} does not exist")
    return found


def badge_result(found: IssuedBadge) -> str:
    """The level reached (competency badges) or the readiness (role badges), as words."""
    results = found.credential.get("credentialSubject", {}).get("result", [])
    value = str(results[0].get("value", "")) if results else ""
    if found.kind == "role" and value:
        return f"readiness {value}%"
    return value


def _free_index(used: set[int]) -> int:
    """A random unused entry of the status list, so an index says nothing about order."""
    if len(used) >= MINIMUM_ENTRIES:
        raise InvalidInput("the tenant's status list is full")
    while True:
        index = secrets.randbelow(MINIMUM_ENTRIES)
        if index not in used:
            return index


def _signed(badge: DueBadge, learner: LearnerLevels, tenant: Tenant, subject: str,
            urls: BadgeUrls, key: Any, now: datetime, valid_for: timedelta | None,
            index: int) -> IssuedBadge:
    """The IssuedBadge for `badge`: its credential and that credential's VC-JWT."""
    badge_id = str(uuid.uuid4())
    credential_id = urls.credential(badge_id)
    spec = BadgeSpec(
        id=credential_id, issuer=issuer_profile(tenant, urls), subject_id=subject,
        achievement=badge.achievement, results=badge.results, valid_from=now,
        valid_until=None if valid_for is None else now + valid_for,
        credential_status=status_entry(urls.status_list(tenant.slug), index),
        evidence=tuple(_evidence_items(badge.evidence, learner, credential_id)))
    credential = open_badge_credential(spec)
    compact = sign_credential(credential, key.kid, key.jwt_key(), urls.jwks)
    return IssuedBadge(
        id=badge_id, tenant_id=tenant.id, person_id=learner.context.person.id,
        achievement_key=badge.key, kind=badge.kind, name=badge.achievement.name,
        status_index=index, credential=credential, compact_jwt=compact, kid=key.kid,
        valid_from=now, valid_until=spec.valid_until, revoked_at=None, revocation_reason="")


def issuer_profile(tenant: Tenant, urls: BadgeUrls) -> IssuerProfile:
    """The tenant as the issuer of its badges."""
    return IssuerProfile(urls.issuer(tenant.slug), tenant.name, tenant.url)


def _due_badges(learner: LearnerLevels, sources: dict[str, AlignmentSource], urls: BadgeUrls,
                tenant: Tenant, now: datetime) -> Iterator[DueBadge]:
    yield from _competency_badges(learner, sources, urls, tenant)
    yield from _role_badges(learner, sources, urls, tenant, now)


def _competency_badges(learner: LearnerLevels, sources: dict[str, AlignmentSource],
                       urls: BadgeUrls, tenant: Tenant) -> Iterator[DueBadge]:
    """A badge per competency whose level reached its `badge_level`."""
    for source in sources.values():
        level = learner.levels.get(source.id)
        if source.badge_level is None or level is None or level < source.badge_level - EPSILON:
            continue
        key = f"competency-{source.id}"
        achievement_id = urls.achievement(tenant.slug, key)
        target = dict(source.level_labels).get(source.badge_level, str(source.badge_level))
        rubric = ResultDescription(f"{achievement_id}#level", f"{source.name} level",
                                   "RubricCriterionLevel",
                                   tuple(label for _value, label in source.level_labels),
                                   target)
        achievement = AchievementSpec(
            id=achievement_id, name=f"{source.name}: {target}",
            description=source.description or f"The {source.name} competency at {target}.",
            criteria=f"Reach {target} (level {source.badge_level}) in {source.name}, "
                     f"as shown by the evidence the organisation's rules recognise.",
            achievement_type="Competency", alignments=(_alignment(source, urls, tenant),),
            result_descriptions=(rubric,))
        yield DueBadge(key, "competency", achievement,
                       ((rubric.id, _label_at(source, level)),),
                       _evidence_for(learner, {source.id}))


def _role_badges(learner: LearnerLevels, sources: dict[str, AlignmentSource], urls: BadgeUrls,
                 tenant: Tenant, now: datetime) -> Iterator[DueBadge]:
    """A next-role readiness badge per goal role the learner is ready for."""
    for role_id in learner.context.goals:
        try:
            report = readiness_report(learner, role_id, now)
        except (NotFound, InvalidInput):
            continue
        if not report.readiness.ready or report.readiness.failing_gates:
            continue
        role, key = report.role, f"role-{role_id}"
        achievement_id = urls.achievement(tenant.slug, key)
        readiness = ResultDescription(f"{achievement_id}#readiness", "Readiness", "Percent",
                                      required_value=_percent(role.threshold))
        needs = {r.competency_id for r in role.requirements}
        achievement = AchievementSpec(
            id=achievement_id, name=f"Ready for {role.name}",
            description=f"Ready for the next role: {role.name}.",
            criteria=f"Readiness for {role.name} of at least {_percent(role.threshold)}%, "
                     "with no required competency below its minimum level.",
            achievement_type="Badge",
            alignments=tuple(_alignment(sources[c], urls, tenant)
                             for c in sorted(needs) if c in sources),
            result_descriptions=(readiness,))
        yield DueBadge(key, "role", achievement,
                       ((readiness.id, _percent(report.readiness.score)),),
                       _evidence_for(learner, needs))


def _alignment(source: AlignmentSource, urls: BadgeUrls, tenant: Tenant) -> AlignmentTarget:
    """The CASE CFItem when the framework came from CASE, else the tool's competency URL."""
    if source.framework_source_uri and source.source_identifier:
        return AlignmentTarget(source.name, case_item_url(source.framework_source_uri,
                                                          source.source_identifier),
                               source.code, source.framework_name, "CFItem")
    return AlignmentTarget(source.name, urls.competency(tenant.slug, source.id), source.code,
                           source.framework_name)


def _label_at(source: AlignmentSource, level: float) -> str:
    """The label of the highest scale level the learner's level reaches."""
    reached = [label for value, label in source.level_labels if value <= level + EPSILON]
    return reached[-1] if reached else str(source.badge_level)


def _percent(fraction: float) -> str:
    return str(round(fraction * 100))


def _evidence_for(learner: LearnerLevels, competencies: set[str]) -> tuple[Evidence, ...]:
    """The learner's evidence on `competencies`, directly or through an evidence rule."""
    items = {rule.lms_item_id for rule in learner.context.rules
             if rule.competency_id in competencies}
    return tuple(e for e in learner.context.evidence
                 if e.competency_id in competencies or e.lms_item_id in items)


def _evidence_items(evidence: tuple[Evidence, ...], learner: LearnerLevels,
                    credential_id: str) -> Iterator[EvidenceItem]:
    titles = {module.item_id: module.title for module in learner.context.modules}
    for n, e in enumerate(evidence, start=1):
        kind = str(e.kind).replace("_", " ")
        subject = titles.get(e.lms_item_id or "", "") if e.lms_item_id else ""
        name = f"{kind.capitalize()}: {subject}" if subject else kind.capitalize()
        value = "" if e.value is None else f" (value {e.value:g})"
        yield EvidenceItem(f"{credential_id}#evidence-{e.id or n}", name,
                           f"{name}{value}, observed {e.observed_at.date().isoformat()}.")


def badge(database: Database, badge_id: str, tenant_id: int | None = None) -> IssuedBadge:
    """The issued badge `badge_id` (NotFound when there is none, or it is not `tenant_id`'s)."""
    with database.session() as session:
        return _owned(BadgeRepository(session), badge_id, tenant_id)


def badges_of(database: Database, person_id: int) -> list[IssuedBadge]:
    """Every badge issued to the person, oldest first."""
    with database.session() as session:
        return BadgeRepository(session).for_person(person_id)


def person_badges(database: Database, tenant_id: int, person_id: int) -> list[IssuedBadge]:
    """The badges of one of the tenant's people, oldest first (NotFound for anyone else)."""
    with database.session() as session:
        TenantScope(session, tenant_id).owned(PersonRow, person_id, "person")
        return BadgeRepository(session).for_person(person_id)


def tenant_badges(database: Database, tenant_id: int) -> list[tuple[IssuedBadge, str]]:
    """Every badge the tenant issued, newest first, with its holder's name."""
    with database.session() as session:
        found = BadgeRepository(session).for_tenant(tenant_id)
        names = _names(session, {b.person_id for b in found})
    return [(b, names.get(b.person_id, "")) for b in found]


def _names(session: Session, person_ids: set[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = session.execute(select(PersonRow.id, PersonRow.name, PersonRow.sub)
                           .where(PersonRow.id.in_(person_ids))).all()
    return {int(pid): name or sub for pid, name, sub in rows}


def issuer_json(database: Database, settings: Settings, tenant_slug: str) -> dict[str, Any]:
    """The tenant's issuer Profile as JSON-LD."""
    profile = issuer_profile(_tenant(database, tenant_slug), BadgeUrls(settings.base_url))
    return {"@context": [VC_CONTEXT, OB_CONTEXT], **profile.as_json()}


def status_list_jwt(database: Database, settings: Settings, tenant_slug: str,
                    now: datetime) -> str:
    """The tenant's revocation BitstringStatusListCredential, signed as a VC-JWT now."""
    urls = BadgeUrls(settings.base_url)
    tenant = _tenant(database, tenant_slug)
    with database.session() as session:
        revoked = BadgeRepository(session).revoked_indexes(tenant.id)
    document = status_list_credential(urls.status_list(tenant.slug), urls.issuer(tenant.slug),
                                      revoked, now)
    key = signing_key(database, settings.secret_key, now)
    return sign_credential(document, key.kid, key.jwt_key(), urls.jwks)


def verify_issued_badge(database: Database, settings: Settings, badge_id: str,
                        now: datetime) -> tuple[IssuedBadge, VerificationResult]:
    """The badge and how a verifier sees it, resolving the tool's own URLs in process."""
    found = badge(database, badge_id)
    return found, verify_badge(found.compact_jwt, local_fetch(database, settings, now), now)


def local_fetch(database: Database, settings: Settings, now: datetime) -> Fetch:
    """A fetch for the tool's own JWKS and status lists that makes no HTTP request."""
    urls = BadgeUrls(settings.base_url)
    prefix = urls.status_list("")

    def fetch(url: str) -> str:
        if url == urls.jwks:
            return json.dumps(published_jwks(database, now))
        if url.startswith(prefix) and "/" not in url[len(prefix):]:
            return status_list_jwt(database, settings, url[len(prefix):], now)
        raise OSError(f"{url} is not served by this tool")

    return fetch


def _tenant(database: Database, tenant_slug: str) -> Tenant:
    with database.session() as session:
        tenant = TenantRepository(session).by_slug(tenant_slug)
    if tenant is None:
        raise NotFound(f"issuer {tenant_slug} does not exist")
    return tenant
