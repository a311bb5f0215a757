"""Issuing Open Badges 3.0: sign and store the badges a learner has reached and does not hold,
each with a free entry of the tenant's revocation status list."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ...badges import (
    MINIMUM_ENTRIES,
    BadgeSpec,
    BadgeUrls,
    EvidenceItem,
    open_badge_credential,
    sign_credential,
    status_entry,
)
from ...config import Settings
from ...domain.errors import InvalidInput
from ...domain.evidence import Evidence
from ...records import Tenant
from ...store.database import Database
from ...store.repositories.badges import BadgeRepository, IssuedBadge
from ...store.repositories.people import PersonRepository
from ...store.repositories.taxonomy import TaxonomyRepository
from ...store.repositories.tenants import TenantRepository
from ..badges.achievements import DueBadge, due_badges
from ..badges.issued import badge_event
from ..badges.keys import badge_signing_key
from ..badges.verification import issuer_profile
from ..events import BADGE_ISSUED, publish
from ..readiness import LearnerLevels, load_levels

log = logging.getLogger(__name__)
ISSUE_ATTEMPTS = 8


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
    due = [badge for badge in due_badges(learner, sources, urls, tenant, now)
           if badge.key not in held]
    if not due:
        return []
    key = badge_signing_key(database, settings.secret_key, now)
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
                    publish(session, tenant.id, BADGE_ISSUED, badge_event(record), now)
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
        if TaxonomyRepository(session).tenant_awards_competency_badges(tenant_id):
            return wanted
        with_goals = PersonRepository(session).with_goals(tenant_id, wanted)
    return [p for p in wanted if p in with_goals]


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
    compact = sign_credential(credential, key.kid, key.jwt_key(), urls.jwks(tenant.slug))
    return IssuedBadge(
        id=badge_id, tenant_id=tenant.id, person_id=learner.context.person.id,
        achievement_key=badge.key, kind=badge.kind, name=badge.achievement.name,
        status_index=index, credential=credential, compact_jwt=compact, kid=key.kid,
        valid_from=now, valid_until=spec.valid_until, revoked_at=None, revocation_reason="")


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
