"""The deep-linking return URL: https on the platform's own hosts, http only on loopback."""

from __future__ import annotations

import pytest

from lti_tool.lti.deep_linking import checked_return_url
from lti_tool.lti.errors import LaunchError

ISSUER = "https://canvas.instructure.com"
ORIGINS = ["https://school.instructure.com", "https://sso.canvaslms.com"]


@pytest.mark.parametrize("url", [
    "https://school.instructure.com/courses/1/deep_linking_response?modal=true",
    "https://canvas.instructure.com/return",
    "https://SCHOOL.instructure.com:443/x",
    "http://localhost:5001/deep_links/return",
    "http://127.0.0.1:8000/return",
])
def test_accepted(url: str) -> None:
    origins = [*ORIGINS, "http://localhost:5001", "http://127.0.0.1:8000"]
    assert checked_return_url({"deep_link_return_url": url}, ISSUER, origins) == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", " javascript:alert(1)", "data:text/html,x", "vbscript:x",
    "https://evil.example/return", "https://school.instructure.com.evil.example/",
    "https://user:pw@school.instructure.com/x", "http://school.instructure.com/x",
    "//school.instructure.com/x", "/relative", "", "ftp://school.instructure.com/x",
    "http://localhost:5001/x",  # loopback, but not a host this launch showed
])
def test_refused(url: str) -> None:
    with pytest.raises(LaunchError) as refused:
        checked_return_url({"deep_link_return_url": url}, ISSUER, ORIGINS)
    assert refused.value.status == 400


def test_missing_is_refused() -> None:
    with pytest.raises(LaunchError):
        checked_return_url({}, ISSUER, ORIGINS)
