"""/admin/mobility: the figures are the use case's, one chart mark per month, tenant isolation,
inline period errors, escaping, and no inline style or script (CSP)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lti_tool.admin.mobility import default_period
from lti_tool.bootstrap import services
from lti_tool.clock import utcnow
from lti_tool.domain.roles import Requirement
from lti_tool.usecases import catalogue
from lti_tool.usecases.goals import declare_goals
from lti_tool.usecases.hris import HrisBatch, OpeningInput, RoleChangeInput, record_hris_events
from lti_tool.usecases.mobility import MobilityReport, mobility_metrics
from tests.integration.admin.conftest import OpenLaunch, Tenant

XSS = '<script>alert("x")</script>'
YEAR = {"from": "2025-01", "to": "2025-12"}
START, END = date(2025, 1, 1), date(2025, 12, 31)


def seed_mobility(app: Flask, tenant: Tenant, internal: bool, senior_name: str) -> int:
    """Hires, promotions, a lateral move and openings in 2025; people aiming at the senior role.

    Returns the senior role's id.
    """
    database = services(app).database
    senior = int(catalogue.create_role(database, tenant.id, catalogue.RoleInput(
        name=senior_name, requirements=[Requirement(str(tenant.competency_id), 3)])).role.id)
    lead = int(catalogue.create_role(database, tenant.id, catalogue.RoleInput(
        name=f"Lead {tenant.id}")).role.id)
    first = tenant.role_id
    receipt = record_hris_events(database, tenant.id, HrisBatch(
        hires=(RoleChangeInput("hire", date(2025, 1, 1), sub="p1", to_role_id=first),
               RoleChangeInput("hire", date(2025, 3, 1), sub="p2", to_role_id=first)),
        role_changes=(
            RoleChangeInput("promotion", date(2025, 7, 1), sub="p1", from_role_id=first,
                            to_role_id=senior),
            RoleChangeInput("promotion", date(2025, 6, 15), sub="p2", from_role_id=first,
                            to_role_id=senior),
            RoleChangeInput("lateral", date(2025, 10, 1), sub="p1", from_role_id=senior,
                            to_role_id=lead)),
        openings=(OpeningInput(senior, date(2025, 5, 1), date(2025, 6, 15), internal, "R-1"),
                  OpeningInput(senior, date(2025, 7, 1), date(2025, 8, 20), False, "R-2"),
                  OpeningInput(lead, date(2025, 11, 1), opening_id="R-3"))))
    for person_id in receipt.person_ids:
        declare_goals(database, tenant.id, person_id, [str(senior)])
    return senior


@pytest.fixture
def worlds(tool_app: Flask, alpha: Tenant, beta: Tenant) -> dict[str, int]:
    """Alpha: 1 of 2 fills internal, a role named with a script; beta: 0 of 2 internal."""
    return {"alpha": seed_mobility(tool_app, alpha, True, f"Senior {XSS}"),
            "beta": seed_mobility(tool_app, beta, False, "Beta senior")}


def page_of(client: FlaskClient, launch: str, **query: str):  # noqa: ANN201
    return client.get("/admin/mobility", query_string={"launch": launch, **query})


def chart(page: str, chart_id: str) -> str:
    found = re.search(rf'<svg[^>]* id="{chart_id}".*?</svg>', page, re.S)
    assert found, f"no chart {chart_id}"
    return found.group(0)


def figure(page: str, metric: str) -> str:
    found = re.search(rf'id="metric-{metric}".*?data-value="([^"]*)"', page, re.S)
    assert found, metric
    return found.group(1)


def assert_figures(page: str, report: MobilityReport) -> None:
    for metric, value in (("fill-rate", report.fill_rate.rate),
                          ("time-to-promotion", report.time_to_promotion.days),
                          ("velocity", report.velocity.days)):
        shown = figure(page, metric)
        assert (shown == "" if value is None else float(shown) == pytest.approx(value)), metric
    rate = report.fill_rate
    if rate.total:
        assert f"{rate.internal} of {rate.total} filled openings filled internally" in page
        assert f"{rate.rate * 100:.0f} %" in page
    for found in report.readiness:
        if found.total:
            assert re.search(rf'data-role="{found.role_id}"><strong>{found.ready}</strong> of '
                             rf'{found.total} ready', page)


def test_the_figures_are_the_use_case_s_and_charts_have_a_mark_per_month(
        tool_app: Flask, client: FlaskClient, alpha: Tenant, worlds: dict[str, int],
        open_launch: OpenLaunch) -> None:
    answer = page_of(client, open_launch(alpha), **YEAR)
    assert answer.status_code == 200, answer.text
    page = answer.text
    report = mobility_metrics(services(tool_app).database, alpha.id, START, END)
    assert report.fill_rate.total == 2 and report.time_to_promotion.count == 2
    assert_figures(page, report)
    assert "144 days" in page, "median 143.5 days, shown whole"
    months = len(report.series)
    assert months == 12
    fill, moves = chart(page, "chart-fill"), chart(page, "chart-moves")
    for svg in (fill, moves):
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        assert 'viewBox="0 0 ' in svg and 'width="100%"' in svg
        assert svg.count('class="cp-chart-mark"') == months
        assert "Month" in svg
    with_fills = sum(1 for p in report.series if p.fill_rate.total)
    assert fill.count("<circle") == with_fills == 2
    assert "Filled internally (%)" in fill
    assert moves.count('class="cp-bar cp-bar--promotions"') == months
    assert moves.count('class="cp-bar cp-bar--moves"') == months
    for table_id in ("table-fill", "table-moves"):
        table = re.search(rf'<table id="{table_id}">.*?</table>', page, re.S).group(0)
        assert table.count('<th scope="row">') == months
    june = re.search(r'<th scope="row">Jun 2025</th>(.*?)</tr>', page).group(1)
    assert "<td>1</td><td>1</td><td>100 %</td>" in june
    readiness = chart(page, f"chart-readiness-{worlds['alpha']}")
    assert readiness.count('class="cp-bar cp-bar--people"') == 10
    assert "Readiness (%" in readiness and "<details>" in page


def test_the_default_period_is_the_last_twelve_months(client: FlaskClient, alpha: Tenant,
                                                      worlds: dict[str, int],
                                                      open_launch: OpenLaunch) -> None:
    page = page_of(client, open_launch(alpha)).text
    first, last = default_period(utcnow().date())
    assert f'value="{first:%Y-%m}"' in page and f'value="{last:%Y-%m}"' in page
    assert chart(page, "chart-fill").count('class="cp-chart-mark"') == 12


def test_a_role_filter_gives_the_role_s_figures(tool_app: Flask, client: FlaskClient,
                                                alpha: Tenant, worlds: dict[str, int],
                                                open_launch: OpenLaunch) -> None:
    senior = worlds["alpha"]
    page = page_of(client, open_launch(alpha), role_id=str(senior), **YEAR).text
    report = mobility_metrics(services(tool_app).database, alpha.id, START, END, senior)
    assert report.velocity.count == 1
    assert_figures(page, report)
    assert f'<option value="{senior}" selected>' in page


def test_each_tenant_sees_only_its_own_figures(tool_app: Flask, client: FlaskClient,
                                               alpha: Tenant, beta: Tenant,
                                               worlds: dict[str, int], open_launch: OpenLaunch,
                                               super_admin: FlaskClient) -> None:
    database = services(tool_app).database
    alpha_page = page_of(client, open_launch(alpha), **YEAR).text
    assert float(figure(alpha_page, "fill-rate")) == 0.5
    assert "Beta senior" not in alpha_page and "Beta analyst" not in alpha_page
    beta_page = page_of(client, open_launch(beta), **YEAR).text
    assert float(figure(beta_page, "fill-rate")) == 0.0
    assert_figures(beta_page, mobility_metrics(database, beta.id, START, END))
    assert "Senior &lt;script&gt;" not in beta_page
    other_role = page_of(client, open_launch(alpha), role_id=str(worlds["beta"]), **YEAR)
    assert other_role.status_code == 404, "another tenant's role is not named"
    picked = super_admin.get("/admin/mobility", query_string={"tenant": beta.id, **YEAR})
    assert picked.status_code == 200 and float(figure(picked.text, "fill-rate")) == 0.0
    assert f'name="tenant" value="{beta.id}"' in picked.text
    assert super_admin.get("/admin/mobility").status_code == 303, "pick a tenant first"


@pytest.mark.parametrize("view", [1, 2])
def test_learners_and_instructors_are_refused(client: FlaskClient, alpha: Tenant,
                                              worlds: dict[str, int], open_launch: OpenLaunch,
                                              view: int) -> None:
    answer = page_of(client, open_launch(alpha, view=view), **YEAR)
    assert answer.status_code == 403
    assert "chart-fill" not in answer.text


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"from": "2025-13", "to": "2025-12"}, "from", "a month as YYYY-MM"),
    ({"from": "2025-01", "to": "next year"}, "to", "a month as YYYY-MM"),
    ({"from": "2025-06", "to": "2025-01"}, "from", "the period starts after it ends"),
    ({"from": "2010-01", "to": "2025-12"}, "to", "the period is longer than ten years"),
    ({"from": "2025-01", "to": "2025-12", "role_id": "x"}, "role", "pick a role"),
])
def test_a_bad_period_is_an_inline_error(client: FlaskClient, alpha: Tenant,
                                         worlds: dict[str, int], open_launch: OpenLaunch,
                                         query: dict[str, str], field: str,
                                         message: str) -> None:
    answer = page_of(client, open_launch(alpha), **query)
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text and message in answer.text
    assert re.search(rf'id="period-{field}"[^>]*aria-invalid="true"', answer.text)
    assert f'id="period-{field}-error"' in answer.text
    assert "chart-fill" not in answer.text, "no figures for a bad period"
    assert f'value="{query["from"]}"' in answer.text, "the form keeps what was typed"


def test_ten_years_exactly_is_accepted(client: FlaskClient, alpha: Tenant,
                                       worlds: dict[str, int], open_launch: OpenLaunch) -> None:
    answer = page_of(client, open_launch(alpha), **{"from": "2016-01", "to": "2025-12"})
    assert answer.status_code == 200
    fill = chart(answer.text, "chart-fill")
    assert fill.count('class="cp-chart-mark"') == 120
    assert fill.count('class="cp-chart-tick" x=') <= 8 + 5, "month labels are thinned"


def test_role_names_are_escaped_and_the_page_keeps_the_csp(client: FlaskClient, alpha: Tenant,
                                                           worlds: dict[str, int],
                                                           open_launch: OpenLaunch) -> None:
    answer = page_of(client, open_launch(alpha), **YEAR)
    page = answer.text
    assert XSS not in page
    assert "Senior &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    readiness = chart(page, f"chart-readiness-{worlds['alpha']}")
    assert "<title" in readiness and "&lt;script&gt;" in readiness
    assert "<script" not in page and "style=" not in page and "<style" not in page
    assert "Content-Security-Policy" in answer.headers


def test_a_tenant_without_events_says_no_data(client: FlaskClient, alpha: Tenant,
                                              open_launch: OpenLaunch) -> None:
    page = page_of(client, open_launch(alpha), **YEAR).text
    for metric in ("fill-rate", "time-to-promotion", "velocity"):
        assert figure(page, metric) == ""
    assert "No opening was filled in the period." in page
    assert "No promotion with a known start in the period." in page
    assert "No internal move with a known start in the period." in page
    assert "no one has declared a role as a goal yet" in page
    fill = chart(page, "chart-fill")
    assert "<circle" not in fill and "cp-chart-line" not in fill
    assert fill.count('class="cp-chart-mark"') == 12


def test_the_nav_links_to_the_page_keeping_the_launch(client: FlaskClient, alpha: Tenant,
                                                      open_launch: OpenLaunch) -> None:
    launch = open_launch(alpha)
    page = client.get("/admin/roles", query_string={"launch": launch}).text
    assert f'href="/admin/mobility?launch={launch}"' in page
    mine = page_of(client, launch).text
    assert f'href="/admin/mobility?launch={launch}" aria-current="page"' in mine
    assert f'name="launch" value="{launch}"' in mine
