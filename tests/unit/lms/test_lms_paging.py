"""Link header parsing: case-insensitive rel, several links, URLs kept byte for byte."""

from __future__ import annotations

from dataclasses import dataclass, field

from lti_tool.lms.paging import link, next_link, parse_links


@dataclass
class Reply:
    headers: dict[str, str] = field(default_factory=dict)
    url: str = "https://lms.example/api/members"


def test_next_matched_case_insensitively() -> None:
    reply = Reply({"Link": '<https://lms.example/p?pageToken=AbC>; rel="Next"'})
    assert next_link(reply) == "https://lms.example/p?pageToken=AbC"


def test_several_links_in_one_header() -> None:
    header = ('<https://lms.example/m?page=1>; rel="current", '
              '<https://lms.example/m?page=Xy2&Per_Page=10>; rel="next", '
              '<https://lms.example/m?since=QmF6>; rel="differences", '
              '<https://lms.example/m?page=9>; rel="last"')
    reply = Reply({"Link": header})
    assert next_link(reply) == "https://lms.example/m?page=Xy2&Per_Page=10"
    assert link(reply, "differences") == "https://lms.example/m?since=QmF6"
    assert link(reply, "LAST") == "https://lms.example/m?page=9"
    assert link(reply, "prev") is None


def test_mixed_case_query_kept_exactly() -> None:
    url = "https://LMS.example/api/Courses/7/memberships?pageToken=TWI6MTAw&Role=Learner%2Cx"
    assert next_link(Reply({"Link": f"<{url}>; rel=next"})) == url


def test_unquoted_and_multi_valued_rels_and_other_params() -> None:
    header = '<https://a/x?b=1,2>; title="a, b"; rel="prev NEXT", <https://a/y>; rel=last'
    assert parse_links(header) == [("https://a/x?b=1,2", frozenset({"prev", "next"})),
                                   ("https://a/y", frozenset({"last"}))]


def test_no_header_and_relative_url() -> None:
    assert next_link(Reply()) is None
    reply = Reply({"Link": '</api/members?pageToken=Zz>; rel="next"'})
    assert next_link(reply) == "https://lms.example/api/members?pageToken=Zz"


# The header exactly as Moodle's gradebook services write it (results.php and
# lineitems.php, get_json_for_get_request): typographic quotes around each rel, sent as
# UTF-8 bytes, and moodle_url::out() escaping `&` as `&amp;`.
MOODLE_RESULTS = ("https://moodle.example/mod/lti/services.php/7/lineitems/42/lineitem/results"
                  "?type_id=3&amp;limit=100&amp;from={}")
MOODLE_HEADER = ("<" + MOODLE_RESULTS.format(0) + ">; rel=\u201cfirst\u201d, <"
                 + MOODLE_RESULTS.format(100) + ">; rel=\u201ccanonical\u201d, <"
                 + MOODLE_RESULTS.format(200) + ">; rel=\u201cnext\u201d, <"
                 + MOODLE_RESULTS.format(2681) + ">; rel=\u201clast\u201d")


def test_moodle_gradebook_link_as_an_http_client_decodes_it() -> None:
    """requests (http.client) decodes header bytes as ISO-8859-1: the quotes arrive as
    mojibake; the next page is still found and its query separators are real `&`."""
    on_the_wire = MOODLE_HEADER.encode("utf-8").decode("iso-8859-1")
    assert "\u00e2\u0080\u009cnext" in on_the_wire
    expected = ("https://moodle.example/mod/lti/services.php/7/lineitems/42/lineitem/results"
                "?type_id=3&limit=100&from=200")
    assert next_link(Reply({"Link": on_the_wire})) == expected
    assert link(Reply({"Link": on_the_wire}), "last").endswith("&from=2681")


def test_moodle_gradebook_link_decoded_as_unicode() -> None:
    assert next_link(Reply({"Link": MOODLE_HEADER})).endswith("?type_id=3&limit=100&from=200")
    assert link(Reply({"Link": MOODLE_HEADER}), "first").endswith("&from=0")


def test_moodle_memberships_and_canvas_forms() -> None:
    moodle = ('<https://moodle.example/mod/lti/services.php/CourseSection/7/bindings/3/'
              'memberships?limit=50&from=50>; rel="next"')
    assert next_link(Reply({"Link": moodle})).endswith("memberships?limit=50&from=50")
    canvas = ('<https://c.example/api/lti/courses/5/line_items/9/results?page=1&per_page=100>;'
              ' rel="current",<https://c.example/api/lti/courses/5/line_items/9/results?'
              'page=bookmark:WzEwMF0&per_page=100>; rel="next",<https://c.example/api/lti/'
              'courses/5/line_items/9/results?page=1&per_page=100>; rel="first"')
    assert next_link(Reply({"Link": canvas})) == (
        "https://c.example/api/lti/courses/5/line_items/9/results?page=bookmark:WzEwMF0"
        "&per_page=100")
