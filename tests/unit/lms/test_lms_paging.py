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
