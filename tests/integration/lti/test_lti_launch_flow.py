"""Full launches through the sandbox LMS with a requests session as the browser."""

from __future__ import annotations

from sqlalchemy import func, select

from lti_tool.bootstrap import services
from lti_tool.store.models import MembershipRow, PersonRow
from tests.integration.conftest import LiveLti
from tests.support.browser import Browser


def launch(browser: Browser, live: LiveLti, link: str, user: str, **extra: str):  # noqa: ANN201
    """Course frame → iframe login form → tool login → LMS auth → id_token form → tool."""
    frame = browser.get(live.launch_url(link, user, **extra))
    assert frame.status_code == 200, frame.text
    login_form = browser.frame(frame)
    auth_page = browser.submit(login_form)  # tool login redirects to the LMS auth endpoint
    assert auth_page.status_code == 200, auth_page.text[:500]
    return browser.submit(auth_page)  # the LMS posts id_token + state to /lti/launch


def test_learner_launch_shows_who_and_where(live_lti: LiveLti, browser: Browser) -> None:
    learner = live_lti.users("learner")[0]
    page = launch(browser, live_lti, "link-readiness", learner)
    assert page.status_code == 200, page.text
    assert "Data Analytics Foundations" in page.text
    assert "Learner" in page.text
    assert "Next-role readiness" in page.text
    csp = page.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {live_lti.sandbox_url}" in csp
    assert "*" not in csp.split(";")[0]


def test_state_cookie_is_partitioned_secure_samesite_none(live_lti: LiveLti,
                                                         browser: Browser) -> None:
    learner = live_lti.users("learner")[0]
    frame = browser.get(live_lti.launch_url("link-readiness", learner))
    login = browser.session.post(
        browser.frame(frame).url and f"{live_lti.tool_url}/lti/login",
        data=_login_fields(browser, frame), allow_redirects=False, timeout=10)
    assert login.status_code == 302
    cookie = login.headers["Set-Cookie"]
    for attribute in ("Secure", "HttpOnly", "SameSite=None", "Partitioned"):
        assert attribute in cookie


def test_instructor_and_admin_views(live_lti: LiveLti) -> None:
    instructor = live_lti.users("instructor")[0]
    admin = live_lti.users("admin")[0]
    page = launch(Browser(), live_lti, "link-mapping", instructor)
    assert page.status_code == 200 and "Instructor" in page.text
    page = launch(Browser(), live_lti, "link-career-path", admin)
    assert page.status_code == 200 and "Admin" in page.text


def test_replayed_launch_is_refused(live_lti: LiveLti, browser: Browser) -> None:
    learner = live_lti.users("learner")[0]
    frame = browser.get(live_lti.launch_url("link-readiness", learner))
    auth_page = browser.submit(browser.frame(frame))
    first = browser.submit(auth_page)
    assert first.status_code == 200
    replay = browser.submit(auth_page)
    assert replay.status_code == 401
    assert "expired or already used" in replay.text
    assert "Traceback" not in replay.text


def test_launch_without_state_cookie_offers_new_window(live_lti: LiveLti,
                                                       browser: Browser) -> None:
    learner = live_lti.users("learner")[0]
    frame = browser.get(live_lti.launch_url("link-readiness", learner))
    auth_page = browser.submit(browser.frame(frame))
    browser.session.cookies.clear()  # the browser dropped the third-party cookie
    page = browser.submit(auth_page)
    assert page.status_code == 200
    assert "Open CareerPath in a new window" in page.text
    assert "lti1p3_new_window=1" in page.text


def test_platform_storage_login_renders_put_data_page(live_lti: LiveLti,
                                                      browser: Browser) -> None:
    learner = live_lti.users("learner")[0]
    frame = browser.get(live_lti.launch_url("link-readiness", learner, storage="1"))
    page = browser.submit(browser.frame(frame))
    assert page.status_code == 200
    assert 'data-mode="put"' in page.text and "lti-storage.js" in page.text


def test_cookieless_launch_completes_through_platform_storage(live_lti: LiveLti,
                                                              browser: Browser) -> None:
    learner = live_lti.users("learner")[0]
    frame = browser.get(live_lti.launch_url("link-readiness", learner, storage="1"))
    storage_page = browser.submit(browser.frame(frame))
    nonce = _attribute(storage_page.text, "data-value")
    auth_url = _attribute(storage_page.text, "data-next").replace("&amp;", "&")
    auth_page = browser.get(auth_url)
    browser.session.cookies.clear()
    get_page = browser.submit(auth_page)
    assert 'data-mode="get"' in get_page.text
    done = browser.submit(get_page, extra={"stored_nonce": nonce})
    assert done.status_code == 200, done.text
    assert "Data Analytics Foundations" in done.text


def test_concurrent_first_launches_leave_one_person(live_lti: LiveLti) -> None:
    from concurrent.futures import ThreadPoolExecutor

    learner = live_lti.users("learner")[1]
    with ThreadPoolExecutor(max_workers=20) as pool:
        pages = list(pool.map(lambda _: launch(Browser(), live_lti, "link-readiness", learner),
                              range(20)))
    assert [p.status_code for p in pages] == [200] * 20
    with services(live_lti.tool).database.session() as session:
        people = session.scalar(select(func.count()).select_from(PersonRow)
                                .where(PersonRow.sub == learner))
        memberships = session.scalar(select(func.count()).select_from(MembershipRow))
    assert people == 1
    assert memberships == 1


def _login_fields(browser: Browser, frame) -> dict[str, str]:  # noqa: ANN001
    from tests.support.browser import parse

    return parse(browser.frame(frame).text).forms[0].fields


def _attribute(html: str, name: str) -> str:
    start = html.index(f'{name}="') + len(name) + 2
    return html[start:html.index('"', start)]


def test_a_platform_removed_between_login_and_launch_is_refused(live_lti: LiveLti,
                                                               browser: Browser) -> None:
    """The login found the registration (this process may keep it for a few seconds); the
    launch reads it afresh and refuses with a page, not a server error."""
    from lti_tool.usecases.platforms import remove_platform

    learner = live_lti.users("learner")[0]
    frame = browser.get(live_lti.launch_url("link-readiness", learner))
    auth_page = browser.submit(browser.frame(frame))  # the tool's login is done
    remove_platform(services(live_lti.tool).database, live_lti.platform.registration.id)
    page = browser.submit(auth_page)
    assert page.status_code == 403, page.text[:300]
    assert "no longer registered" in page.text and "Traceback" not in page.text
