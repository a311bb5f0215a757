"""Assignment and Grade Services 2.0: line items, results and scores."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from .errors import LmsBadResponse, LmsServiceError
from .http import HttpClient, decode_json
from .paging import next_link
from .tokens import AccessTokens, ServiceClient, ServiceRegistration

AGS = "https://purl.imsglobal.org/spec/lti-ags/scope"
LINEITEM_SCOPE = f"{AGS}/lineitem"
LINEITEM_READ_SCOPE = f"{AGS}/lineitem.readonly"
RESULT_READ_SCOPE = f"{AGS}/result.readonly"
SCORE_SCOPE = f"{AGS}/score"
ALL_SCOPES = (LINEITEM_SCOPE, LINEITEM_READ_SCOPE, RESULT_READ_SCOPE, SCORE_SCOPE)
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


@dataclass(frozen=True)
class LineItem:
    """A gradebook column; `id` is its URL."""

    id: str
    label: str
    score_maximum: float
    resource_link_id: str | None = None
    resource_id: str | None = None
    tag: str | None = None


class Result(NamedTuple):
    """A learner's current result on a line item.

    A named tuple, not a dataclass: a course sync reads one per learner and line item
    (200,000 in the benchmark's course), and a tuple is several times cheaper to build.
    """

    id: str
    user_id: str
    result_score: float | None
    result_maximum: float | None
    timestamp: str | None
    comment: str | None


@dataclass(frozen=True)
class Score:
    """A score to publish for one learner; `timestamp` must be timezone-aware."""

    user_id: str
    score_given: float | None
    score_maximum: float | None
    activity_progress: str
    grading_progress: str
    timestamp: datetime
    comment: str | None = None


def service_url(item_url: str, segment: str) -> str:
    """`item_url` with `/segment` inserted before any query string (Moodle's `?type_id=`)."""
    base, mark, rest = item_url.partition("?")
    if not mark:
        base, mark, rest = item_url.partition("#")
    return f"{base.rstrip('/')}/{segment}{mark}{rest}"


def _number(value: Any) -> float | None:
    if type(value) is float:  # the common case, first
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def parse_line_item(body: Any, url: str = "") -> LineItem:
    """A LineItem from AGS JSON, or LmsBadResponse."""
    maximum = _number(body.get("scoreMaximum")) if isinstance(body, dict) else None
    if not isinstance(body, dict) or not body.get("id") or maximum is None:
        raise LmsBadResponse("a line item lacks id or scoreMaximum", url=url)
    return LineItem(str(body["id"]), str(body.get("label") or ""), maximum,
                    _text(body.get("resourceLinkId")), _text(body.get("resourceId")),
                    _text(body.get("tag")))


def parse_result(body: Any, url: str = "") -> Result:
    """A Result from AGS JSON, or LmsBadResponse."""
    return parse_results([body], url)[0]


def parse_results(entries: list[Any], url: str = "") -> list[Result]:
    """A page of Results from AGS JSON, or LmsBadResponse: one loop with the common types
    (text ids and stamps, float scores) taken as they are, no call per field (a course
    sync parses 200,000 in the benchmark's course)."""
    found: list[Result] = []
    add = found.append
    for body in entries:
        if not isinstance(body, dict) or not body.get("userId"):
            raise LmsBadResponse("a result lacks userId", url=url)
        get = body.get
        user_id, score, top = body["userId"], get("resultScore"), get("resultMaximum")
        stamp, comment = get("timestamp"), get("comment")
        add(Result(str(get("id") or ""), user_id if type(user_id) is str else str(user_id),
                   score if type(score) is float else _number(score),
                   top if type(top) is float else _number(top),
                   stamp if stamp is None or type(stamp) is str else str(stamp),
                   comment if comment is None or type(comment) is str else str(comment)))
    return found


def line_item_json(label: str, score_maximum: float, resource_link_id: str | None,
                   resource_id: str | None, tag: str | None) -> dict[str, Any]:
    """AGS JSON for a line item (unset optional fields left out)."""
    body: dict[str, Any] = {"label": label, "scoreMaximum": score_maximum}
    optional = {"resourceLinkId": resource_link_id, "resourceId": resource_id, "tag": tag}
    body.update({k: v for k, v in optional.items() if v is not None})
    return body


def score_json(score: Score) -> dict[str, Any]:
    """AGS JSON for a score; scoreGiven and scoreMaximum only when a score is given."""
    if score.timestamp.tzinfo is None or score.timestamp.utcoffset() is None:
        raise ValueError("a score's timestamp must carry a time zone")
    body: dict[str, Any] = {"userId": score.user_id, "activityProgress": score.activity_progress,
                            "gradingProgress": score.grading_progress,
                            "timestamp": score.timestamp.isoformat()}
    if score.score_given is not None:
        body["scoreGiven"] = score.score_given
        body["scoreMaximum"] = score.score_maximum
    if score.comment is not None:
        body["comment"] = score.comment
    return body


def _filters(**given: Any) -> dict[str, Any] | None:
    kept = {k: v for k, v in given.items() if v is not None}
    return kept or None


class AssignmentsGradesService:
    """The AGS endpoints of one context (lineitems URL) or one line item (lineitem URL)."""

    def __init__(self, http: HttpClient, tokens: AccessTokens, registration: ServiceRegistration,
                 lineitems_url: str | None, lineitem_url: str | None = None,
                 scopes: Sequence[str] = ()) -> None:
        self._client = ServiceClient(http, tokens, registration, scopes or ALL_SCOPES)
        self.lineitems_url = lineitems_url
        self.lineitem_url = lineitem_url

    def _container(self) -> str:
        if not self.lineitems_url:
            raise LmsServiceError("the launch gave no AGS lineitems URL for this context")
        return self.lineitems_url

    def _read_scope(self) -> None:
        if LINEITEM_SCOPE not in self._client.scopes:
            self._client.require(LINEITEM_READ_SCOPE)

    def line_items_page(self, url: str | None = None, *, tag: str | None = None,
                        resource_link_id: str | None = None, resource_id: str | None = None,
                        limit: int | None = None) -> tuple[list[LineItem], str | None]:
        """GET one page of the line item container; filters apply when `url` is None."""
        self._read_scope()
        params = None if url else _filters(tag=tag, resource_link_id=resource_link_id,
                                           resource_id=resource_id, limit=limit)
        response = self._client.call("GET", url or self._container(), accept=CONTAINER_TYPE,
                                     params=params, expected=(200,))
        body = decode_json(response)
        if not isinstance(body, list):
            raise LmsBadResponse("the line item container is not a JSON array",
                                 status=response.status_code, url=response.url)
        return [parse_line_item(entry, response.url) for entry in body], next_link(response)

    def line_items(self, *, tag: str | None = None, resource_link_id: str | None = None,
                   resource_id: str | None = None, limit: int | None = None
                   ) -> Iterator[LineItem]:
        """Every line item passing the filters, page by page."""
        items, url = self.line_items_page(tag=tag, resource_link_id=resource_link_id,
                                          resource_id=resource_id, limit=limit)
        yield from items
        while url:
            items, url = self.line_items_page(url)
            yield from items

    def create_line_item(self, label: str, score_maximum: float, *,
                         resource_link_id: str | None = None, resource_id: str | None = None,
                         tag: str | None = None) -> LineItem:
        """POST a new line item to the container."""
        self._client.require(LINEITEM_SCOPE)
        body = line_item_json(label, score_maximum, resource_link_id, resource_id, tag)
        return self._item_call("POST", self._container(), body)

    def update_line_item(self, item: LineItem) -> LineItem:
        """PUT a line item's label, maximum, link, resource and tag."""
        self._client.require(LINEITEM_SCOPE)
        body = line_item_json(item.label, item.score_maximum, item.resource_link_id,
                              item.resource_id, item.tag)
        return self._item_call("PUT", item.id, {"id": item.id, **body})

    def delete_line_item(self, item_id: str) -> None:
        """DELETE a line item (and, on the platform, its results)."""
        self._client.require(LINEITEM_SCOPE)
        self._client.call("DELETE", item_id, accept=LINEITEM_TYPE, expected=(200, 202, 204))

    def _item_call(self, method: str, url: str, body: dict[str, Any]) -> LineItem:
        response = self._client.call(method, url, accept=LINEITEM_TYPE,
                                     content_type=LINEITEM_TYPE, json_body=body,
                                     expected=(200, 201))
        return parse_line_item(decode_json(response), response.url)

    def results_page(self, line_item_id: str, url: str | None = None, *,
                     user_id: str | None = None, limit: int | None = None
                     ) -> tuple[list[Result], str | None]:
        """GET one page of a line item's results; filters apply when `url` is None."""
        self._client.require(RESULT_READ_SCOPE)
        params = None if url else _filters(user_id=user_id, limit=limit)
        response = self._client.call("GET", url or service_url(line_item_id, "results"),
                                     accept=RESULTS_TYPE, params=params, expected=(200,))
        body = decode_json(response)
        if not isinstance(body, list):
            raise LmsBadResponse("the result container is not a JSON array",
                                 status=response.status_code, url=response.url)
        return parse_results(body, response.url), next_link(response)

    def results(self, line_item_id: str, *, user_id: str | None = None,
                limit: int | None = None) -> Iterator[tuple[list[Result], str | None]]:
        """Each page of results with the URL of the next page (None after the last)."""
        page, url = self.results_page(line_item_id, user_id=user_id, limit=limit)
        yield page, url
        while url:
            page, url = self.results_page(line_item_id, url)
            yield page, url

    def post_score(self, line_item_id: str, score: Score) -> None:
        """POST a score to the line item's `/scores` endpoint."""
        self._client.require(SCORE_SCOPE)
        self._client.call("POST", service_url(line_item_id, "scores"), accept="application/json",
                          content_type=SCORE_TYPE, json_body=score_json(score),
                          expected=(200, 201, 202, 204))
