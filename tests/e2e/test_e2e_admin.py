"""Admin pages in Chromium: an admin signs in with the token and rotates a key; axe-core on
every page (no serious or critical violation); no sideways scroll at 320 px; screenshots."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.e2e.test_e2e_widgets import serious_violations
from tests.integration.admin.conftest import ADMIN_TOKEN, Tenant, make_app, seed_tenant
from tests.support.servers import LiveServer

WIDTHS = (320, 1280)


@pytest.fixture
def admin_app(tmp_path: Path) -> Flask:
    return make_app(tmp_path, admin_token=ADMIN_TOKEN)


@pytest.fixture
def live_admin(admin_app: Flask) -> Iterator[tuple[str, Tenant]]:
    """The tool on loopback with one tenant (registration, framework, role, API key)."""
    tenant = seed_tenant(admin_app, "northwind")
    server = LiveServer("127.0.0.1")
    url = server.url()
    server.start(admin_app)
    try:
        yield url, tenant
    finally:
        server.stop()


def sign_in(page: Any, url: str) -> None:
    """Type the admin token into the sign-in form, by keyboard, and submit."""
    page.goto(f"{url}/admin/login")
    page.get_by_label("Admin token").fill(ADMIN_TOKEN)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Dashboard").wait_for()


def test_an_admin_rotates_a_key(live_admin: tuple[str, Tenant], page: Any,
                                screenshots: Path) -> None:
    url, _ = live_admin
    sign_in(page, url)
    before = {k["kid"] for k in json.loads(page.request.get(f"{url}/lti/jwks").text())["keys"]}
    page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Keys").click()
    page.get_by_label("Retire the current key after (days)").fill("2")
    page.get_by_role("button", name="Rotate now").click()
    page.get_by_role("status").filter(has_text="A new signing key is active").wait_for()
    new_kid = re.search(r"kid=([^&]+)", page.url).group(1)
    assert new_kid not in before
    row = page.locator("tr", has_text=new_kid)
    assert row.count() == 1 and "active" in row.inner_text()
    published = {k["kid"] for k in json.loads(page.request.get(f"{url}/lti/jwks").text())["keys"]}
    assert published == before | {new_kid}
    page.screenshot(path=str(screenshots / "admin-keys-rotated.png"), full_page=True)


def test_admin_pages_are_accessible_and_fit(live_admin: tuple[str, Tenant], page: Any,
                                            screenshots: Path) -> None:
    url, tenant = live_admin
    pages = {"sign-in": "/admin/login", "dashboard": f"/admin/?tenant={tenant.id}",
             "platforms": "/admin/platforms", "keys": "/admin/keys",
             "frameworks": "/admin/frameworks",
             "framework": f"/admin/frameworks/{tenant.framework_id}",
             "roles": "/admin/roles", "role": f"/admin/roles/{tenant.role_id}",
             "api-keys": "/admin/api-keys",
             "remove-platform": f"/admin/platforms/{tenant.registration_id}/remove",
             "platform-hosts": f"/admin/platforms/{tenant.registration_id}/hosts"}
    page.goto(f"{url}/admin/login")
    check(page, "sign-in", screenshots)
    sign_in(page, url)
    for name, path in pages.items():
        if name == "sign-in":
            continue
        joiner = "&" if "?" in path else "?"
        page.goto(f"{url}{path}" if "tenant=" in path else
                  f"{url}{path}{joiner}tenant={tenant.id}")
        check(page, name, screenshots)


def test_form_errors_are_announced_and_accessible(live_admin: tuple[str, Tenant], page: Any,
                                                  screenshots: Path) -> None:
    url, tenant = live_admin
    sign_in(page, url)
    page.goto(f"{url}/admin/platforms?tenant={tenant.id}")
    page.get_by_role("button", name="Register platform").click()
    page.get_by_role("alert").first.wait_for()
    assert page.locator('[aria-invalid="true"]').count() >= 1
    check(page, "platforms-errors", screenshots)
    page.goto(f"{url}/admin/api-keys?tenant={tenant.id}")
    page.get_by_label("Name").fill("HRIS sync")
    page.get_by_role("button", name="Create key").click()
    shown = page.get_by_role("textbox", name="API key").input_value()
    assert shown.startswith("cp_")
    check(page, "api-key-created", screenshots)


def check(page: Any, name: str, screenshots: Path) -> None:
    """axe-core finds nothing serious; no sideways scroll at 320 px; screenshots at both widths."""
    serious = serious_violations(page.main_frame)
    assert not serious, (name, serious)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        page.screenshot(path=str(screenshots / f"admin-{name}-{width}.png"), full_page=True)


def test_the_mobility_dashboard_is_accessible_and_fits(admin_app: Flask,
                                                       live_admin: tuple[str, Tenant],
                                                       page: Any, screenshots: Path) -> None:
    """With HRIS data: SVG charts drawn, tables behind <details>, axe clean, no sideways scroll."""
    from tests.integration.admin.test_admin_mobility import seed_mobility

    url, tenant = live_admin
    seed_mobility(admin_app, tenant, True, "Senior analyst")
    sign_in(page, url)
    page.goto(f"{url}/admin/?tenant={tenant.id}")
    page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Mobility").click()
    page.get_by_role("heading", name="Mobility", exact=True).wait_for()
    page.get_by_label("From month").fill("2025-01")
    page.get_by_label("To month").fill("2025-12")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("img", name="Internal fill rate by month").wait_for()
    assert "from=2025-01" in page.url and f"tenant={tenant.id}" in page.url
    assert page.locator("#chart-fill circle").count() == 2
    assert page.locator("#chart-moves .cp-chart-mark").count() == 12
    assert page.locator("#metric-fill-rate .cp-count").inner_text() == "50 %"
    page.get_by_text("Data table: internal fill rate by month").click()
    assert page.locator("#table-fill tbody tr").count() == 12
    width = page.evaluate("() => document.querySelector('#chart-fill').getBoundingClientRect()"
                          ".width")
    assert width > 0
    check(page, "mobility", screenshots)
    assert (screenshots / "admin-mobility-1280.png").exists()
