"""What a verifier of the tenant's badges resolves: the issuer Profile, the signed revocation
status list and the tool's JWKS, and verifying an issued badge against them in process."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..badges import BadgeUrls, IssuerProfile, sign_credential, status_list_credential
from ..badges.credential import OB_CONTEXT, VC_CONTEXT
from ..badges.verification import Fetch, VerificationResult, verify_badge
from ..config import Settings
from ..domain.errors import NotFound
from ..store.database import Database
from ..store.records import Tenant
from ..store.repositories.badges import BadgeRepository, IssuedBadge
from ..store.repositories.tenants import TenantRepository
from .issued_badges import badge
from .tool_keys import published_jwks, signing_key


def issuer_profile(tenant: Tenant, urls: BadgeUrls) -> IssuerProfile:
    """The tenant as the issuer of its badges."""
    return IssuerProfile(urls.issuer(tenant.slug), tenant.name, tenant.url)


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
