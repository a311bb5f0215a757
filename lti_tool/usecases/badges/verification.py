"""What a verifier of the tenant's badges resolves: the issuer Profile, the signed revocation
status list and the badge key set, and verifying an issued badge against them in process."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ...badges import BadgeUrls, IssuerProfile, sign_credential, status_list_credential
from ...badges.credential import OB_CONTEXT, VC_CONTEXT
from ...badges.verification import Fetch, VerificationResult, verify_badge
from ...config import Settings
from ...domain.errors import NotFound
from ...records import Tenant
from ...store.database import Database
from ...store.repositories.badges import BadgeRepository, IssuedBadge
from ...store.repositories.tenants import TenantRepository
from ..badges.issued import badge
from ..badges.keys import badge_jwks, badge_signing_key
from ..tool_keys import published_jwks


def issuer_profile(tenant: Tenant, urls: BadgeUrls) -> IssuerProfile:
    """The tenant as the issuer of its badges."""
    return IssuerProfile(urls.issuer(tenant.slug), tenant.name, tenant.url)


def issuer_json(database: Database, settings: Settings, tenant_slug: str,
                now: datetime) -> dict[str, Any]:
    """The tenant's issuer Profile as JSON-LD, with the badge keys published at `now` as
    verification methods (JsonWebKey, as a W3C controlled identifier document lists them)."""
    urls = BadgeUrls(settings.base_url)
    profile = issuer_profile(_tenant(database, tenant_slug), urls)
    methods = [{"id": f"{profile.id}#{jwk['kid']}", "type": "JsonWebKey",
                "controller": profile.id, "publicKeyJwk": jwk}
               for jwk in badge_jwks(database, now)["keys"]]
    return {"@context": [VC_CONTEXT, OB_CONTEXT], **profile.as_json(),
            "verificationMethod": methods,
            "assertionMethod": [method["id"] for method in methods]}


def issuer_jwks(database: Database, tenant_slug: str, now: datetime) -> dict[str, Any]:
    """The badge key set under the tenant's issuer (the same set for every issuer)."""
    _tenant(database, tenant_slug)
    return badge_jwks(database, now)


def legacy_jwks(database: Database, now: datetime) -> dict[str, Any]:
    """`/.well-known/jwks.json`, named by the `jku` of badges issued before badges had keys
    of their own: the LTI keys published now and the badge key set."""
    keys = {jwk["kid"]: jwk for jwk in published_jwks(database, now)["keys"]}
    keys.update({jwk["kid"]: jwk for jwk in badge_jwks(database, now)["keys"]})
    return {"keys": list(keys.values())}


def status_list_jwt(database: Database, settings: Settings, tenant_slug: str,
                    now: datetime) -> str:
    """The tenant's revocation BitstringStatusListCredential, signed as a VC-JWT now."""
    urls = BadgeUrls(settings.base_url)
    tenant = _tenant(database, tenant_slug)
    with database.session() as session:
        revoked = BadgeRepository(session).revoked_indexes(tenant.id)
    document = status_list_credential(urls.status_list(tenant.slug), urls.issuer(tenant.slug),
                                      revoked, now)
    key = badge_signing_key(database, settings.secret_key, now)
    return sign_credential(document, key.kid, key.jwt_key(), urls.jwks(tenant.slug))


def verify_issued_badge(database: Database, settings: Settings, badge_id: str,
                        now: datetime) -> tuple[IssuedBadge, VerificationResult]:
    """The badge and how a verifier sees it, resolving the tool's own URLs in process."""
    found = badge(database, badge_id)
    return found, verify_badge(found.compact_jwt, local_fetch(database, settings, now), now)


def local_fetch(database: Database, settings: Settings, now: datetime) -> Fetch:
    """A fetch for the tool's own key sets and status lists that makes no HTTP request."""
    urls = BadgeUrls(settings.base_url)
    status_prefix, issuer_prefix = urls.status_list(""), urls.issuer("")

    def fetch(url: str) -> str:
        if url == urls.legacy_jwks:
            return json.dumps(legacy_jwks(database, now))
        slug = url[len(issuer_prefix):].removesuffix("/jwks.json")
        if url.startswith(issuer_prefix) and url == urls.jwks(slug) and "/" not in slug:
            return json.dumps(issuer_jwks(database, slug, now))
        if url.startswith(status_prefix) and "/" not in url[len(status_prefix):]:
            return status_list_jwt(database, settings, url[len(status_prefix):], now)
        raise OSError(f"{url} is not served by this tool")

    return fetch


def _tenant(database: Database, tenant_slug: str) -> Tenant:
    with database.session() as session:
        tenant = TenantRepository(session).by_slug(tenant_slug)
    if tenant is None:
        raise NotFound(f"issuer {tenant_slug} does not exist")
    return tenant
