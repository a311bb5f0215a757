"""The public URLs of badges, issuers and status lists under the tool's base URL."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BadgeUrls:
    """Where each badge resource lives; the pages in `web.badge_pages` serve them."""

    base_url: str

    @property
    def root(self) -> str:
        return self.base_url.rstrip("/")

    @property
    def legacy_jwks(self) -> str:
        """The key set badges issued before 0008_badge_keys name in their `jku`."""
        return f"{self.root}/.well-known/jwks.json"

    def jwks(self, tenant_slug: str) -> str:
        """The badge key set, published under the issuer it verifies."""
        return f"{self.root}/badges/issuers/{tenant_slug}/jwks.json"

    def credential(self, badge_id: str) -> str:
        return f"{self.root}/badges/{badge_id}"

    def issuer(self, tenant_slug: str) -> str:
        return f"{self.root}/badges/issuers/{tenant_slug}"

    def status_list(self, tenant_slug: str) -> str:
        return f"{self.root}/badges/status/{tenant_slug}"

    def achievement(self, tenant_slug: str, achievement_key: str) -> str:
        return f"{self.root}/badges/issuers/{tenant_slug}/achievements/{achievement_key}"

    def competency(self, tenant_slug: str, competency_id: str) -> str:
        return f"{self.root}/badges/issuers/{tenant_slug}/competencies/{competency_id}"
