"""The hosts a platform's services may be on: its issuer's, its token URL's, and those listed."""

from __future__ import annotations

import pytest

from lti_tool.domain.errors import InvalidInput, NotFound
from lti_tool.usecases import service_hosts
from tests.support.fakes import InMemoryDatabase


@pytest.mark.parametrize(("text", "host"), [
    ("Canvas.School.EDU.", "canvas.school.edu"), ("https://lms.example:8443/x", "lms.example"),
    (" lms.example ", "lms.example")])
def test_a_host_is_read_from_a_name_or_a_url(text: str, host: str) -> None:
    assert service_hosts.normal_host(text) == host


@pytest.mark.parametrize("text", ["", "   ", "lms.example/path", "https://"])
def test_what_is_not_a_host_is_invalid(text: str) -> None:
    with pytest.raises(InvalidInput):
        service_hosts.normal_host(text)


def test_hosts_are_listed_once_in_name_order_and_removed(db: InMemoryDatabase) -> None:
    registration = db.add_registration(db.add_tenant("acme").id)
    service_hosts.add_service_host(db, registration.id, "b.example")
    assert service_hosts.add_service_host(db, registration.id, "A.example") == [
        "a.example", "b.example"]
    assert service_hosts.add_service_host(db, registration.id, "a.example") == [
        "a.example", "b.example"]
    assert service_hosts.remove_service_host(db, registration.id, "b.example") == ["a.example"]
    assert service_hosts.service_hosts(db, registration.id) == ["a.example"]


def test_an_unknown_registration_is_not_found(db: InMemoryDatabase) -> None:
    with pytest.raises(NotFound):
        service_hosts.add_service_host(db, 404, "a.example")
    with pytest.raises(NotFound):
        service_hosts.service_hosts(db, 404)
    assert not db.tables.service_hosts


def test_the_services_may_call_the_issuer_host_and_the_listed_ones(
        db: InMemoryDatabase) -> None:
    registration = db.add_registration(db.add_tenant("acme").id, "https://LMS.example")
    service_hosts.add_service_host(db, registration.id, "school.example")
    found = service_hosts.service_registration(db, registration)
    assert found.service_hosts == {"lms.example", "school.example"}
    assert (found.client_id, found.token_url) == (registration.client_id,
                                                  registration.auth_token_url)
