"""Which addresses an outbound call may reach: global ones, and what the operator allowed.

Pure functions over `ipaddress`: no sockets. An IPv6 address that embeds an IPv4 one
(IPv4-mapped, 6to4, NAT64, IPv4-compatible) is judged by the IPv4 address it carries.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_BENCHMARK = ipaddress.ip_network("198.18.0.0/15")
LOOPBACK_ALLOW = ("localhost", "127.0.0.0/8", "::1/128")


def parse_address(text: str) -> IPAddress | None:
    """The address written in `text` (brackets and a zone id allowed), or None."""
    text = text.strip().strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, compatible), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if int(address) >> 32 == 0 and int(address) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(address))
    return None


def refusal(address: IPAddress) -> str | None:
    """Why `address` is not a global unicast address, or None when it is."""
    inner = embedded_ipv4(address)
    if inner is not None:
        why = refusal(inner)
        return f"it embeds {inner}, {why}" if why else None
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address in _CGNAT, "a carrier-grade NAT address"),
        (isinstance(address, ipaddress.IPv4Address) and address in _THIS_NETWORK,
         "a 'this network' address"),
        (address in _BENCHMARK, "a benchmarking address"),
        (isinstance(address, ipaddress.IPv6Address) and address in _NAT64_LOCAL,
         "a local NAT64 address"),
        (isinstance(address, ipaddress.IPv6Address) and address.is_site_local,
         "a site-local address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "not a global address"),
    )
    for refused, why in checks:
        if refused:
            return why
    return None


@dataclass(frozen=True)
class AllowList:
    """Hosts and networks the operator lets outbound calls reach, even over plain http."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, entries: str | tuple[str, ...] | list[str] | None) -> AllowList:
        """From "host, 10.1.2.0/24, ::1" (a string or its items); ValueError names a bad one."""
        if isinstance(entries, str):
            entries = entries.split(",")
        hosts, networks = set(), []
        for raw in entries or ():
            entry = raw.strip().lower()
            if not entry:
                continue
            if parse_address(entry) is not None or "/" in entry:
                try:
                    networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                except ValueError:
                    raise ValueError(f"{raw.strip()!r} is neither a host name nor an address "
                                     "or CIDR network") from None
            elif _looks_like_host(entry):
                hosts.add(entry.rstrip("."))
            else:
                raise ValueError(f"{raw.strip()!r} is not a host name, address or network")
        return cls(frozenset(hosts), tuple(networks))

    def __bool__(self) -> bool:
        return bool(self.hosts or self.networks)

    def allows_host(self, host: str) -> bool:
        """Whether `host` (a name or an address literal) is listed itself."""
        host = host.lower().rstrip(".")
        address = parse_address(host)
        if address is not None:
            return self.allows_address(address)
        return host in self.hosts

    def allows_address(self, address: IPAddress) -> bool:
        inner = embedded_ipv4(address)
        return any(address in net or (inner is not None and inner in net)
                   for net in self.networks)


def _looks_like_host(entry: str) -> bool:
    labels = entry.rstrip(".").split(".")
    return all(label and len(label) <= 63 and all(c.isalnum() or c in "-_" for c in label)
               for label in labels)
