"""The bare sync client (issue 21's reference) follows every platform's paging as the tool
does, and stores one row per graded result."""

from __future__ import annotations

from pathlib import Path

import requests

from bench.bare_sync_client import (
    command_line,
    next_link,
    open_store,
    parser,
    results_url,
    store_page,
    throttled,
)

MOODLE_RESULTS = ("https://moodle.example/mod/lti/services.php/7/lineitems/42/lineitem/results"
                  "?type_id=3&amp;limit=100&amp;from={}")
MOODLE_HEADER = ", ".join(
    f"<{MOODLE_RESULTS.format(start)}>; rel=\u201c{rel}\u201d"
    for start, rel in ((0, "first"), (100, "canonical"), (200, "next"), (2681, "last")))
NEXT_MOODLE = ("https://moodle.example/mod/lti/services.php/7/lineitems/42/lineitem/results"
               "?type_id=3&limit=100&from=200")


def test_moodle_gradebook_link_as_requests_decodes_it() -> None:
    """Typographic quotes as UTF-8 bytes read as ISO-8859-1, `&amp;` separators."""
    on_the_wire = MOODLE_HEADER.encode("utf-8").decode("iso-8859-1")
    assert next_link(on_the_wire) == NEXT_MOODLE
    assert next_link(MOODLE_HEADER) == NEXT_MOODLE


def test_moodle_memberships_and_canvas_bare_comma_forms() -> None:
    moodle = ('<https://moodle.example/mod/lti/services.php/CourseSection/7/bindings/3/'
              'memberships?limit=50&from=50>; rel="next"')
    assert next_link(moodle) == ("https://moodle.example/mod/lti/services.php/CourseSection/7/"
                                 "bindings/3/memberships?limit=50&from=50")
    canvas = ('<https://c.example/api/lti/courses/5/line_items/9/results?page=first&per_page=100>;'
              ' rel="current",<https://c.example/api/lti/courses/5/line_items/9/results?'
              'page=bookmark:WzEwMF0&per_page=100>; rel="next",<https://c.example/api/lti/'
              'courses/5/line_items/9/results?page=first&per_page=100>; rel="first"')
    assert next_link(canvas) == ("https://c.example/api/lti/courses/5/line_items/9/results?"
                                 "page=bookmark:WzEwMF0&per_page=100")


def test_rel_case_several_values_and_near_misses() -> None:
    assert next_link('<https://x.example/p?page=2>; rel="prev NEXT"') == \
        "https://x.example/p?page=2"
    assert next_link("<https://x.example/p?page=2>; REL=Next") == "https://x.example/p?page=2"
    assert next_link('<https://x.example/p?page=2>; rel="nextpage"') is None
    assert next_link('<https://x.example/d>; rel="differences"') is None
    assert next_link(None) is None
    assert next_link("") is None


def test_results_url_goes_before_the_query() -> None:
    assert results_url("https://m.example/services.php/7/lineitems/4/lineitem?type_id=3") == \
        "https://m.example/services.php/7/lineitems/4/lineitem/results?type_id=3"
    assert results_url("https://c.example/api/lti/courses/5/line_items/9") == \
        "https://c.example/api/lti/courses/5/line_items/9/results"


def _response(status: int, headers: dict[str, str], body: str = "") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers)
    response._content = body.encode()
    return response


def test_canvas_403_throttle_and_429_are_waited_out_other_refusals_are_not() -> None:
    assert throttled(_response(403, {"X-Rate-Limit-Remaining": "0.0"}))
    assert throttled(_response(403, {}, "403 Forbidden (Rate Limit Exceeded)\n"))
    assert throttled(_response(429, {"Retry-After": "1"}))
    assert not throttled(_response(403, {"X-Rate-Limit-Remaining": "12.0"}, "forbidden"))
    assert not throttled(_response(401, {}))


def test_one_row_per_graded_result_and_a_page_again_changes_nothing(tmp_path: Path) -> None:
    db = open_store(str(tmp_path / "bare.db"))
    page = [{"userId": "u1", "resultScore": 8.0, "resultMaximum": 10.0,
             "timestamp": "2026-12-07T01:00:00+00:00"},
            {"userId": "u2"},  # ungraded: not stored
            {"userId": 3, "resultScore": 0.0}]
    assert store_page(db, "item-1", page) == 2
    assert store_page(db, "item-1", page) == 2
    rows = db.execute("SELECT line_item, user_id, score FROM graded_results "
                      "ORDER BY user_id").fetchall()
    assert rows == [("item-1", "3", 0.0), ("item-1", "u1", 8.0)]
    db.close()


def test_a_key_id_starting_with_a_dash_reaches_the_client() -> None:
    """Key ids are base64url thumbprints: one in 32 starts with "-", which broke a bench run
    (argparse took `--kid -fjx...` for a missing value and another option)."""
    args = parser().parse_args(command_line(
        token_url="http://127.0.0.1:1/token", client_id="c", key="k.pem", kid="-fjxTA9n",
        memberships_url="http://127.0.0.1:1/m", lineitems_url="http://127.0.0.1:1/l",
        database="x.db", roster_limit=500, results_limit=1000))
    assert args.kid == "-fjxTA9n"
    assert (args.roster_limit, args.results_limit) == (500, 1000)
