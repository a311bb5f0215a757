"""Canvas REST API: assignments, submissions, module completion, users by LTI id.

Shapes as Canvas writes them (instructure/canvas-lms):
- paging: `lib/api.rb` `Api.paginate` / `build_links_from_hash` (`Link: <url>; rel="next",...`,
  comma-joined; `per_page` capped);
- ids: `lib/api.rb` `SIS_MAPPINGS` (`courses` take `lti_context_id:`, `users` `lti_1_3_id:`
  mapped to `users.lti_id`, the LTI 1.3 `sub`);
- `app/controllers/assignments_api_controller.rb` (`id`, `name`, `points_possible`,
  `quiz_id`/`is_quiz_assignment`); `app/controllers/submissions_api_controller.rb#for_students`
  with `lib/api/v1/submission.rb` (`user_id`, `assignment_id`, `score`, `graded_at`,
  `submitted_at`, `workflow_state`, `excused`);
- `app/controllers/context_modules_api_controller.rb` with `lib/api/v1/context_module.rb`
  (`items[].completion_requirement.{type, min_score, completed}` when `student_id` is given,
  module `completed_at`);
- OAuth2: `app/controllers/oauth2_provider_controller.rb` and `lib/canvas/oauth/token.rb`
  (`access_token`, `token_type`, `user`, `refresh_token`, `expires_in`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from .errors import LmsAuthError, LmsBadResponse, LmsNotFound
from .http import HttpClient, Response, decode_json
from .native import NativeItem, NativeOutcome
from .paging import next_link

PER_PAGE = 100
GRADED_STATES = {"graded"}
COMPLETED_SUBMISSION_STATES = {"submitted", "graded", "pending_review"}
TokenSource = Callable[[bool], str]  # fresh=True: refresh the token first


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def course_ref(context_id: str) -> str:
    """The REST id of the course whose LTI `context_id` is given (Canvas's id mapping)."""
    return "lti_context_id:" + quote(context_id, safe="")


def assignment_item(body: Mapping[str, Any]) -> NativeItem:
    """A Canvas assignment (a classic quiz is an assignment with `quiz_id`)."""
    kind = "quiz" if body.get("is_quiz_assignment") or body.get("quiz_id") else "assignment"
    maximum = body.get("points_possible")
    return NativeItem(f"canvas:assignment:{body['id']}", str(body.get("name") or ""),
                      float(maximum) if isinstance(maximum, int | float) and maximum else None,
                      kind)


def module_item(body: Mapping[str, Any]) -> NativeItem | None:
    """A module item with a completion requirement that is not an assignment (a page, a
    file, a link): assignments and quizzes are read as assignments."""
    if not body.get("completion_requirement") or body.get("type") in {"Assignment", "Quiz"}:
        return None
    return NativeItem(f"canvas:module_item:{body['id']}", str(body.get("title") or ""), None,
                      str(body.get("type") or "module item"))


def submission_outcome(body: Mapping[str, Any]) -> NativeOutcome | None:
    """A submission: graded → completed with its score; submitted → completed, no score;
    unsubmitted or excused → nothing."""
    state, score = body.get("workflow_state"), body.get("score")
    if body.get("excused"):
        return None
    key, user = f"canvas:assignment:{body['assignment_id']}", str(body["user_id"])
    if state in GRADED_STATES and isinstance(score, int | float):
        return NativeOutcome(key, user, True, float(score), None, body.get("graded_at"))
    if state in COMPLETED_SUBMISSION_STATES and body.get("submitted_at"):
        return NativeOutcome(key, user, True, None, None, body.get("submitted_at"))
    return None


def module_outcomes(modules: Sequence[Mapping[str, Any]], user_id: str) -> list[NativeOutcome]:
    """Completed requirements of one student's modules, each on its item (an assignment
    module item counts on the assignment)."""
    found = []
    for module in modules:
        for item in module.get("items") or []:
            requirement = item.get("completion_requirement") or {}
            if not requirement.get("completed"):
                continue
            if item.get("type") == "Assignment":
                key = f"canvas:assignment:{item.get('content_id')}"
            elif item.get("type") == "Quiz":
                continue  # its assignment's submission says it (quiz ids are not assignments)
            else:
                key = f"canvas:module_item:{item['id']}"
            found.append(NativeOutcome(key, user_id, True, None, None,
                                       module.get("completed_at")))
    return found


class CanvasRest:
    """The Canvas REST calls a connector makes, with a Bearer token from `token`."""

    def __init__(self, http: HttpClient, base_url: str, token: TokenSource) -> None:
        self.http = http
        self.base = base_url.rstrip("/")
        self.token = token

    def page(self, url: str, params: Mapping[str, Any] | None = None
             ) -> tuple[list[Any], str | None]:
        """One page of a list endpoint and the next page's URL (the `Link` header)."""
        response = self._get(url, params)
        body = decode_json(response)
        if not isinstance(body, list):
            raise LmsBadResponse("Canvas answered a list request without a list",
                                 status=response.status_code, url=response.url)
        following = next_link(response)
        if following is not None and _origin(following) != _origin(self.base):
            raise LmsBadResponse("Canvas's next page points to another host; not followed",
                                 status=response.status_code, url=response.url)
        return body, following

    def all_pages(self, path: str, params: Mapping[str, Any]) -> Iterator[Any]:
        """Every element of every page, `Link: rel="next"` followed to the end."""
        url: str | None = self.base + path
        first = True
        while url:
            body, url = self.page(url, params if first else None)
            first = False
            yield from body

    def assignments(self, context_id: str) -> list[NativeItem]:
        """GET /api/v1/courses/:course_id/assignments"""
        return [assignment_item(a) for a in self.all_pages(
            f"/api/v1/courses/{course_ref(context_id)}/assignments", {"per_page": PER_PAGE})]

    def module_items(self, context_id: str) -> list[NativeItem]:
        """GET /api/v1/courses/:course_id/modules?include[]=items (items with requirements)"""
        found: list[NativeItem] = []
        for module in self.all_pages(f"/api/v1/courses/{course_ref(context_id)}/modules",
                                     {"include[]": "items", "per_page": PER_PAGE}):
            found.extend(i for i in map(module_item, self._items(module)) if i is not None)
        return found

    def submissions_page(self, context_id: str, url: str | None
                         ) -> tuple[list[NativeOutcome], str | None]:
        """GET /api/v1/courses/:course_id/students/submissions?student_ids[]=all, one page"""
        params = None if url else {"student_ids[]": "all", "per_page": PER_PAGE}
        body, following = self.page(url or (
            f"{self.base}/api/v1/courses/{course_ref(context_id)}/students/submissions"), params)
        return [o for o in map(submission_outcome, body) if o is not None], following

    def student_modules(self, context_id: str, user_id: str) -> list[NativeOutcome]:
        """GET /api/v1/courses/:course_id/modules?include[]=items&student_id=:id (all pages)"""
        modules = []
        for module in self.all_pages(
                f"/api/v1/courses/{course_ref(context_id)}/modules",
                {"include[]": "items", "student_id": user_id, "per_page": PER_PAGE}):
            modules.append({**module, "items": self._items(module, user_id)})
        return module_outcomes(modules, user_id)

    def user_id_for_sub(self, sub: str) -> str | None:
        """GET /api/v1/users/lti_1_3_id:<sub>: the Canvas user id of an LTI 1.3 `sub`."""
        try:
            body = decode_json(self._get(
                f"{self.base}/api/v1/users/lti_1_3_id:{quote(sub, safe='')}", None))
        except LmsNotFound:
            return None
        if not isinstance(body, dict) or "id" not in body:
            raise LmsBadResponse("Canvas answered a user request without an id")
        return str(body["id"])

    def _items(self, module: Mapping[str, Any], user_id: str | None = None) -> list[Any]:
        """A module's items: inline, or from its `items_url` when Canvas left them out
        (it does for modules with many items)."""
        if "items" in module:
            return list(module.get("items") or [])
        params: dict[str, Any] = {"per_page": PER_PAGE}
        if user_id:
            params["student_id"] = user_id
        url = module.get("items_url") or ""
        return list(self.all_pages(url[len(self.base):], params)) if url.startswith(
            self.base) else []

    def _get(self, url: str, params: Mapping[str, Any] | None) -> Response:
        """GET with the Bearer token; on 401 once more with a refreshed token."""
        for fresh in (False, True):
            try:
                return self.http.request("GET", url, params=params, headers={
                    "Authorization": f"Bearer {self.token(fresh)}",
                    "Accept": "application/json"})
            except LmsAuthError as exc:
                if fresh or exc.status != 401:
                    raise LmsAuthError(
                        "Canvas refused the connector's token (revoked or expired, without "
                        "the needed scopes, or its user may not read this course's grades): "
                        "an admin must run `careerpath platform connect` again, or an "
                        "instructor authorize again from the mapping page",
                        status=exc.status, url=exc.url) from None
        raise AssertionError("unreachable")  # pragma: no cover
