"""Names and Role Provisioning Services 2.0: course members, page by page."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import LmsBadResponse
from .http import HttpClient, decode_json
from .paging import link, next_link
from .tokens import AccessTokens, ServiceClient, ServiceRegistration

NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Member:
    """One member of a context as NRPS gives it (absent fields are empty strings)."""

    user_id: str
    roles: tuple[str, ...]
    status: str
    name: str
    given_name: str
    family_name: str
    email: str


@dataclass(frozen=True)
class MembersPage:
    """One page of members, with the next page's URL and (on the last) the differences URL."""

    members: list[Member]
    next_url: str | None
    differences_url: str | None
    context_id: str | None


def parse_member(entry: Any) -> Member | None:
    """A Member from NRPS JSON; None when the entry has no user_id."""
    if not isinstance(entry, dict) or not isinstance(entry.get("user_id"), str | int):
        return None
    roles = entry.get("roles")
    return Member(
        user_id=str(entry["user_id"]),
        roles=tuple(str(r) for r in roles) if isinstance(roles, list) else (),
        status=str(entry.get("status") or "Active"),
        **{name: str(entry.get(name) or "")
           for name in ("name", "given_name", "family_name", "email")},
    )


class NamesRolesService:
    """The NRPS membership container of one context (GET context_memberships_url)."""

    def __init__(self, http: HttpClient, tokens: AccessTokens,
                 registration: ServiceRegistration) -> None:
        self._client = ServiceClient(http, tokens, registration, (NRPS_SCOPE,))

    def page(self, url: str, *, limit: int | None = None, role: str | None = None,
             rlid: str | None = None) -> MembersPage:
        """GET one page of members; filters apply to the first URL, next URLs are used as is."""
        params = {k: v for k, v in {"limit": limit, "role": role, "rlid": rlid}.items()
                  if v is not None}
        response = self._client.call("GET", url, accept=MEMBERSHIPS_TYPE, params=params or None,
                                     expected=(200,))
        body = decode_json(response)
        if not isinstance(body, dict) or not isinstance(body.get("members", []), list):
            raise LmsBadResponse("the membership container has no members list",
                                 status=response.status_code, url=response.url)
        members = [parse_member(entry) for entry in body.get("members", [])]
        if None in members:
            log.warning("skipped %d NRPS members without a user_id from %s",
                        members.count(None), url.split("?")[0])
        context = body.get("context")
        context_id = context.get("id") if isinstance(context, dict) else None
        return MembersPage([m for m in members if m is not None], next_link(response),
                           link(response, "differences"),
                           str(context_id) if context_id is not None else None)

    def pages(self, url: str, *, limit: int | None = None, role: str | None = None,
              rlid: str | None = None) -> Iterator[MembersPage]:
        """Every page in turn (one held at a time), following the next links."""
        page = self.page(url, limit=limit, role=role, rlid=rlid)
        yield page
        while page.next_url:
            if page.next_url == url:
                raise LmsBadResponse("the next page link points to the same page", url=url)
            url = page.next_url
            page = self.page(url)
            yield page
