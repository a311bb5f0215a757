"""Which hosts a platform's AGS, NRPS and token URLs may be on.

A launch names the service URLs (AGS `lineitems`, NRPS `context_memberships_url`) and the
LMS's answers name more (line item ids, next-page links). The tool sends its access token
only to the registration's issuer host, its token URL's host, and the hosts an admin listed
for that platform here (a Canvas school's own domain, for instance).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..domain.errors import InvalidInput
from ..lms.tokens import ServiceRegistration
from ..outbound.addresses import AllowList
from ..records import PlatformRegistration
from .ports import UnitsOfWork


def normal_host(text: str) -> str:
    """`text` as a host name (lower case, no scheme, path or port), or InvalidInput."""
    raw = text.strip()
    try:
        host = (urlsplit(raw).hostname or "") if "://" in raw else raw.lower().rstrip(".")
        listed = AllowList.parse([host]) if host and "/" not in host else AllowList()
    except ValueError:
        listed = AllowList()
    if not listed:
        raise InvalidInput(f"{text!r} is not a host name", {"host": ["not a host name"]})
    return host


def issuer_host(registration: PlatformRegistration) -> str:
    """The host of the registration's issuer ('' when the issuer is not a URL)."""
    return (urlsplit(registration.issuer).hostname or "").lower() \
        if "://" in registration.issuer else ""


def service_hosts(database: UnitsOfWork, registration_id: int) -> list[str]:
    """The hosts an admin listed for the registration's services."""
    with database.unit_of_work() as uow:
        uow.registrations.registration_by_id(registration_id)
        return uow.service_hosts.hosts(registration_id)


def add_service_host(database: UnitsOfWork, registration_id: int, host: str) -> list[str]:
    """List `host` for the registration's services; the hosts now listed."""
    name = normal_host(host)
    with database.unit_of_work() as uow:
        uow.registrations.registration_by_id(registration_id)
        uow.service_hosts.add(registration_id, name)
        return uow.service_hosts.hosts(registration_id)


def remove_service_host(database: UnitsOfWork, registration_id: int, host: str) -> list[str]:
    """Stop allowing `host`; the hosts still listed."""
    name = normal_host(host)
    with database.unit_of_work() as uow:
        uow.registrations.registration_by_id(registration_id)
        uow.service_hosts.remove(registration_id, name)
        return uow.service_hosts.hosts(registration_id)


def service_registration(database: UnitsOfWork, registration: PlatformRegistration
                         ) -> ServiceRegistration:
    """What the AGS/NRPS clients need: client, token URL and the hosts they may call."""
    with database.unit_of_work() as uow:
        listed = uow.service_hosts.hosts(registration.id)
    hosts = frozenset(h for h in (issuer_host(registration), *listed) if h)
    return ServiceRegistration(registration.id, registration.client_id,
                               registration.auth_token_url, registration.auth_audience,
                               service_hosts=hosts)
