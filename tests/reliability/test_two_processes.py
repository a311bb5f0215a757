"""Two tool processes behind one (imaginary) balancer: state, nonces, keys and tokens shared."""

from __future__ import annotations

from lti_tool.sandbox import seed_load
from tests.reliability.conftest import Cluster, ToolProcess, cli
from tests.support.browser import Browser, parse

COURSE = "shared-course"


def test_login_at_one_process_launch_at_the_other(cluster: Cluster) -> None:
    seed_load(cluster.sandbox, 30, 2, course_id=COURSE)
    tool_a, tool_b = cluster.tool_urls
    first = cluster.launch(Browser(), f"{COURSE}-link", f"{COURSE}-u00000", COURSE)
    assert first.status_code == 200, first.text[:500]  # A fetched the LMS keys into Redis
    cluster.reset_stats()

    browser = Browser()
    frame = browser.get(cluster.launch_url(f"{COURSE}-link", f"{COURSE}-u00001", COURSE))
    auth_page = browser.submit(browser.frame(frame))  # login (state, nonce) handled by A
    assert auth_page.url.startswith(cluster.sandbox_url)
    fields = parse(auth_page.text).forms[0].fields
    at_b = browser.session.post(f"{tool_b}/lti/launch", data=fields, timeout=15)
    assert at_b.status_code == 200, at_b.text[:500]
    assert "Learner" in at_b.text
    # the nonce and state B consumed are gone for A too: a replay there is refused
    replay = browser.session.post(f"{tool_a}/lti/launch", data=fields, timeout=15)
    assert replay.status_code == 401, replay.text[:300]
    # B verified the id_token with the platform keys A cached: no second JWKS fetch
    assert cluster.stats()["requests"].get("jwks", 0) == 0, cluster.stats()


def test_access_token_of_one_process_is_reused_by_another(cluster: Cluster) -> None:
    seed_load(cluster.sandbox, 120, 3, course_id=COURSE)
    page = cluster.launch(Browser(), f"{COURSE}-link", f"{COURSE}-u00000", COURSE,
                          launch_at=cluster.tool_urls[1])
    assert page.status_code == 200, page.text[:500]
    course_id = cluster.course_id(COURSE)
    cluster.reset_stats()

    first = cli(cluster.env, "sync", "--course", str(course_id))  # process 1
    assert first.returncode == 0, first.stdout + first.stderr
    assert "succeeded" in first.stdout
    tokens_after_first = cluster.stats()["requests"].get("token", 0)
    assert tokens_after_first == 2, cluster.stats()  # one per scope set: NRPS, AGS

    second = cli(cluster.env, "sync", "--course", str(course_id))  # process 2
    assert second.returncode == 0, second.stdout + second.stderr
    stats = cluster.stats()
    assert stats["requests"].get("token", 0) == 2, stats  # both tokens came from Redis
    assert stats["tokens_issued"] == 2, stats
    assert cluster.evidence_count() == cluster.expected_evidence(COURSE)


def test_a_third_process_started_later_joins_the_shared_state(cluster: Cluster,
                                                              tmp_path: object) -> None:
    """A process started after a login was begun completes it (scale-out mid-flow)."""
    from tests.reliability.conftest import free_port

    seed_load(cluster.sandbox, 5, 1, course_id=COURSE)
    browser = Browser()
    frame = browser.get(cluster.launch_url(f"{COURSE}-link", f"{COURSE}-u00002", COURSE))
    auth_page = browser.submit(browser.frame(frame))
    port = free_port()
    late = ToolProcess({**cluster.env, "CAREERPATH_BASE_URL": f"http://127.0.0.1:{port}"},
                       "serve", "--port", str(port), log=tmp_path / "late.log")  # type: ignore[operator]
    try:
        late.wait_healthy(f"http://127.0.0.1:{port}")
        fields = parse(auth_page.text).forms[0].fields
        page = browser.session.post(f"http://127.0.0.1:{port}/lti/launch", data=fields,
                                    timeout=15)
        assert page.status_code == 200, page.text[:500]
    finally:
        late.stop()
