"""The address classifier and the operator allow-list: classification only, no sockets."""

from __future__ import annotations

import ipaddress

import pytest

from lti_tool.config import OUTBOUND_LOOPBACK, Settings
from lti_tool.outbound.addresses import AllowList, refusal

REFUSED = {
    "127.0.0.1": "loopback", "127.9.9.9": "loopback", "::1": "loopback",
    "10.1.2.3": "private", "172.16.0.1": "private", "172.31.255.254": "private",
    "192.168.1.1": "private", "169.254.169.254": "link-local", "fe80::1": "link-local",
    "100.64.0.1": "carrier-grade NAT", "100.127.255.254": "carrier-grade NAT",
    "224.0.0.1": "multicast", "ff02::1": "multicast", "240.0.0.1": "reserved",
    "0.0.0.0": "unspecified", "::": "unspecified",  # noqa: S104 - classified only
    "0.1.2.3": "this network",
    "255.255.255.255": "", "fc00::1": "private", "fd12:3456::1": "private",
    "fec0::1": "site-local", "198.18.0.1": "benchmarking", "192.0.2.1": "",
    "::ffff:127.0.0.1": "loopback", "::ffff:10.0.0.1": "private",
    "::ffff:169.254.169.254": "link-local", "::ffff:0.0.0.0": "unspecified",
    "2002:7f00:1::": "loopback", "64:ff9b::a00:1": "private", "::127.0.0.1": "loopback",
    "64:ff9b:1::1": "",
}
GLOBAL = ("8.8.8.8", "1.1.1.1", "151.101.1.69", "2606:4700:4700::1111",
          "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "100.128.0.1",
          "172.32.0.1", "11.0.0.1")


@pytest.mark.parametrize("text", sorted(REFUSED))
def test_non_global_addresses_are_refused(text: str) -> None:
    why = refusal(ipaddress.ip_address(text))
    assert why is not None
    assert REFUSED[text] in why


@pytest.mark.parametrize("text", GLOBAL)
def test_global_addresses_pass(text: str) -> None:
    assert refusal(ipaddress.ip_address(text)) is None


def test_allow_list_takes_hosts_and_networks() -> None:
    allow = AllowList.parse(" lms.example.edu , 10.20.0.0/16, ::1, [fd00::5] ,LOCALHOST.")
    assert allow.hosts == {"lms.example.edu", "localhost"}
    assert allow.allows_host("LMS.example.edu") and allow.allows_host("localhost")
    assert allow.allows_host("10.20.3.4") and not allow.allows_host("10.21.0.1")
    assert allow.allows_address(ipaddress.ip_address("::ffff:10.20.0.9"))
    assert allow.allows_host("[::1]") and allow.allows_host("fd00::5")
    assert not allow.allows_host("other.example.edu") and not allow.allows_host("127.0.0.1")
    assert not AllowList.parse("") and not AllowList.parse(None)


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "not a host", "http://x/", "a..b"])
def test_a_malformed_allow_list_entry_is_named(entry: str) -> None:
    with pytest.raises(ValueError, match="is n"):
        AllowList.parse(f"ok.example, {entry}")


def test_production_has_an_empty_allow_list_unless_set() -> None:
    production = Settings(base_url="https://careerpath.example.edu")
    assert production.outbound_allow_list == ()
    assert Settings(base_url="https://careerpath.example.edu",
                    testing=True).outbound_allow_list == OUTBOUND_LOOPBACK
    assert Settings().outbound_allow_list == OUTBOUND_LOOPBACK  # the demo on 127.0.0.1
    assert Settings.from_env({"CAREERPATH_BASE_URL": "https://careerpath.example.edu",
                              "CAREERPATH_OUTBOUND_ALLOW": "lms.internal, 10.0.0.0/8"}
                             ).outbound_allow_list == ("lms.internal", "10.0.0.0/8")
    assert Settings(outbound_allow="").outbound_allow_list == ()


def test_the_start_refuses_a_malformed_allow_list(tmp_path: object) -> None:
    from lti_tool.bootstrap import outbound_allow
    from lti_tool.domain.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="CAREERPATH_OUTBOUND_ALLOW"):
        outbound_allow(Settings(outbound_allow="lms.example.edu, 300.1.1.1/8"))
