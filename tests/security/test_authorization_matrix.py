"""Authorization matrix: every endpoint of the URL map × every kind of principal.

Principals (see world.py): anonymous; learners A and B of course X; the instructors of
courses X and Y; learner A's LMS Mentor M in course X (tenant 1 lets managers observe); the
LTI admins of tenants 1 and 2; the operator (admin-token cookie); a
read-only API key and a full key of tenant 1; a full key of tenant 2; a widget token for A.
LTI principals are launch sessions opened with `record_launch` and crafted claims.

Every cell asserts the status, that the body shows no data its principal may not see, and,
for a write, that no table gained or lost a row. A write the principal may make on its own
data is not executed here (the world stays the same for every cell); those are covered by
tests/integration/{api,admin,instructor,widgets}. A new endpoint without an entry in
MATRIX or PUBLIC makes `test_every_endpoint_is_in_the_matrix` fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from werkzeug.test import TestResponse

from lti_tool.web.csrf import csrf_token
from lti_tool.web.launch_binding import BROWSER_COOKIE
from tests.security.world import (
    BROWSER_KEY,
    LTI_PRINCIPALS,
    MARKERS,
    MAY_SEE,
    PEOPLE,
    PRINCIPALS,
    SECRET,
    World,
)

OK = frozenset({200})
DENIED = frozenset({401, 403, 404})
TO_SIGN_IN = frozenset({302, 303})
LEARNERS = ("learner_a", "learner_b")
MENTORS = ("mentor_m",)  # no course role of their own beyond Mentor: a learner's rights
INSTRUCTORS = ("instructor_x", "instructor_y")
ADMINS = ("admin_t1", "admin_t2")
KEYS = ("key_t1_read", "key_t1_all", "key_t2_all")


@dataclass(frozen=True)
class Spec:
    """One request against one endpoint; `policy` says who may do it."""

    family: str  # api | widget | admin | deep_link
    policy: str
    method: str
    path: str
    body: dict[str, Any] = field(default_factory=dict)
    widget: str = "readiness"
    cross: frozenset[int] = frozenset({404})  # instructor Y on course X's objects


def api(policy: str, method: str, path: str, body: dict[str, Any] | None = None) -> Spec:
    return Spec("api", policy, method, "/api/v1" + path, body or {})


A, B, X = "{person_learner_a}", "{person_learner_b}", "{course_ctx-x}"
NO_BADGE = "00000000-0000-4000-8000-00000000beef"
MATRIX: dict[str, list[Spec]] = {
    # REST API: targets are tenant 1's objects (person A, course X)
    "readiness.list_api_keys": [api("admin-list", "GET", "/api-keys")],
    "readiness.create_api_key": [api("write-new", "POST", "/api-keys",
                                     {"name": "n", "scopes": ["read"]})],
    "readiness.revoke_api_key": [api("write", "DELETE", "/api-keys/{apikey_key_t1_read}")],
    "courses.list_courses": [api("read-list", "GET", "/courses")],
    "courses.create_course": [api("write-new", "POST", "/courses",
                                  {"context_id": "new", "title": "New"})],
    "courses.get_course": [api("read", "GET", f"/courses/{X}")],
    "courses.delete_course": [api("write", "DELETE", f"/courses/{X}")],
    "courses.list_items": [api("read", "GET", f"/courses/{X}/items")],
    "courses.upsert_item": [api("write", "POST", f"/courses/{X}/items",
                                {"lms_id": "li-new", "title": "New item"})],
    "courses.get_item": [api("read", "GET", f"/courses/{X}/items/{{item_ctx-x}}")],
    "courses.delete_item": [api("write", "DELETE", f"/courses/{X}/items/{{item_ctx-x}}")],
    "courses.list_members": [api("read", "GET", f"/courses/{X}/members")],
    "courses.enrol": [api("write", "PUT", f"/courses/{X}/members/{A}")],
    "courses.cohort_readiness": [api("read", "GET", f"/courses/{X}/readiness/{{role1}}")],
    "courses.list_rules": [api("read", "GET", f"/courses/{X}/rules")],
    "courses.create_rule": [api("write", "POST", f"/courses/{X}/rules", {
        "lms_item_id": "{item_ctx-x}", "competency_id": "{comp1}", "level": 2,
        "condition": {"type": "completed"}})],
    "courses.get_rule": [api("read", "GET", f"/courses/{X}/rules/{{rule_ctx-x}}")],
    "courses.delete_rule": [api("write", "DELETE", f"/courses/{X}/rules/{{rule_ctx-x}}")],
    "courses.update_rule": [api("write", "PUT", f"/courses/{X}/rules/{{rule_ctx-x}}", {
        "lms_item_id": "{item_ctx-x}", "competency_id": "{comp1}", "level": 3,
        "condition": {"type": "completed"}})],
    "sync_jobs.start_sync": [api("write", "POST", f"/courses/{X}/syncs")],
    "sync_jobs.list_syncs": [api("read", "GET", f"/courses/{X}/syncs")],
    "sync_jobs.get_sync": [api("read", "GET", f"/courses/{X}/syncs/{{sync_run_x}}")],
    "frameworks.list_frameworks": [api("read-list", "GET", "/frameworks")],
    "frameworks.create_framework": [api("write-new", "POST", "/frameworks", {
        "name": "New", "scale_key": "four_point_rubric", "competencies": []})],
    "frameworks.get_framework": [api("read", "GET", "/frameworks/{fw1}")],
    "frameworks.delete_framework": [api("write", "DELETE", "/frameworks/{fw1}")],
    "frameworks.add_competency": [api("write", "POST", "/frameworks/{fw1}/competencies",
                                      {"code": "NEW", "name": "New"})],
    "frameworks.update_competency": [api("write", "PATCH", "/frameworks/{fw1}/competencies/{comp1}",
                                         {"name": "Renamed", "badge_level": 2})],
    "frameworks.delete_competency": [api("write", "DELETE",
                                         "/frameworks/{fw1}/competencies/{comp1}")],
    "frameworks.create_scale": [api("write-new", "POST", "/scales", {
        "key": "new-scale", "name": "New", "levels": [
            {"value": 1, "label": "One"}, {"value": 2, "label": "Two", "mastery": True}]})],
    "frameworks.list_scales": [api("read-any", "GET", "/scales")],
    "frameworks.get_scale": [api("read-any", "GET", "/scales/four_point_rubric")],
    "imports.import_case_package": [api("write-new", "POST", "/imports/case", {
        "CFDocument": {"title": "New"}})],
    "imports.import_csv_file": [api("write-new", "POST", "/imports/csv")],
    "imports.export_case_package": [api("read", "GET", "/frameworks/{fw1}/case")],
    "hris.post_hris_events": [api("write-new", "POST", "/hris/events", {})],
    "metrics.get_mobility": [api("read-list", "GET", "/metrics/mobility",
                                  {"from": "2026-01-01", "to": "2026-12-31"})],
    "people.list_people": [api("read-list", "GET", "/people")],
    "people.import_person": [api("write-new", "POST", "/people", {"sub": "new", "name": "N"})],
    "people.get_person": [api("read", "GET", f"/people/{A}")],
    "people.erase_person": [api("write", "DELETE", f"/people/{A}")],
    "people.list_evidence": [api("read", "GET", f"/people/{A}/evidence")],
    "people.add_evidence": [api("write", "POST", f"/people/{A}/evidence", {
        "kind": "certification", "competency_id": "{comp1}", "value": 2})],
    "people.export_person": [api("read", "GET", f"/people/{A}/export")],
    "people.delete_evidence": [api("write", "DELETE", f"/people/{A}/evidence/{{evidence_a}}")],
    "people.get_goals": [api("widget", "GET", f"/people/{A}/goals"),
                         api("widget-b", "GET", f"/people/{B}/goals")],
    "people.declare_goal": [api("write", "PUT", f"/people/{A}/goals/{{role1}}")],
    "people.withdraw_goal": [api("write", "DELETE", f"/people/{A}/goals/{{role1}}")],
    "readiness.get_next_roles": [api("widget", "GET", f"/people/{A}/next-roles"),
                                 api("widget-b", "GET", f"/people/{B}/next-roles")],
    "readiness.get_readiness": [api("widget", "GET", f"/people/{A}/readiness/{{role1}}"),
                                api("widget-b", "GET", f"/people/{B}/readiness/{{role1}}")],
    "roles.list_roles": [api("read-list", "GET", "/roles")],
    "roles.create_role": [api("write-new", "POST", "/roles", {"name": "New role"})],
    "roles.get_role": [api("read", "GET", "/roles/{role1}")],
    "roles.replace_role": [api("write", "PUT", "/roles/{role1}", {"name": "Renamed"})],
    "roles.delete_role": [api("write", "DELETE", "/roles/{role1}")],
    "roles.delete_transition": [api("write", "DELETE", "/roles/{role1}/transitions/{role1}")],
    "roles.add_transition": [api("write", "POST", "/roles/{role1}/transitions",
                                 {"to_role_id": "{role1}"})],
    "webhooks.list_webhooks": [api("admin-list", "GET", "/webhooks")],
    "webhooks.create_webhook": [api("write-new", "POST", "/webhooks", {
        "url": "https://new.example/hook", "event_types": ["badge.issued"]})],
    "webhooks.get_webhook": [api("admin-read", "GET", "/webhooks/{webhook1}")],
    "webhooks.update_webhook": [api("write", "PATCH", "/webhooks/{webhook1}",
                                    {"active": False})],
    "webhooks.delete_webhook": [api("write", "DELETE", "/webhooks/{webhook1}")],
    "webhooks.list_deliveries": [api("admin-read", "GET", "/webhooks/{webhook1}/deliveries")],
    "badges.list_person_badges": [api("widget", "GET", f"/people/{A}/badges"),
                                  api("widget-b", "GET", f"/people/{B}/badges")],
    # no badge exists in this world: an unknown badge must be 404 (or 401/403) for everyone
    "badges.get_badge": [api("absent", "GET", f"/badges/{NO_BADGE}")],
    "badges.revoke_badge": [api("absent", "POST", f"/badges/{NO_BADGE}/revoke",
                                {"reason": "test"})],
    "readiness.mint_widget_token": [api("write", "POST", "/widget-tokens",
                                        {"person_id": A})],
    # people's evidence: projects, observations, self-ratings, current role, reporting lines
    "people_evidence.list_projects": [api("widget", "GET", f"/people/{A}/projects"),
                                      api("widget-b", "GET", f"/people/{B}/projects")],
    "people_evidence.submit_project": [
        api(policy, "POST", f"/people/{who}/projects",
            {"competency_id": "{comp1}", "url": "https://portfolio.t1.example/new"})
        for policy, who in (("widget-write", A), ("widget-b-write", B))],
    "people_evidence.project_queue": [api("read", "GET", f"/courses/{X}/project-queue")],
    "people_evidence.accept_project": [api("write", "POST", "/projects/{project_a}/accept", {
        "reviewer_id": "{person_instructor_x}", "level": 3})],
    "people_evidence.return_project": [api("write", "POST", "/projects/{project_a}/return", {
        "reviewer_id": "{person_instructor_x}", "comment": "again"})],
    "people_evidence.list_observations": [api("read", "GET", f"/people/{A}/observations")],
    "people_evidence.record_observation": [api("write", "POST", f"/people/{A}/observations", {
        "author_id": "{person_instructor_x}", "competency_id": "{comp1}", "level": 2})],
    "people_evidence.withdraw_observation": [api(
        "write", "POST", "/observations/{observation_a}/withdraw",
        {"author_id": "{person_instructor_x}"})],
    "people_evidence.list_self_ratings": [api("widget", "GET", f"/people/{A}/self-ratings"),
                                          api("widget-b", "GET", f"/people/{B}/self-ratings")],
    "people_evidence.rate_self": [
        api(policy, "PUT", f"/people/{who}/self-ratings/{{comp1}}", {"level": 2})
        for policy, who in (("widget-write", A), ("widget-b-write", B))],
    "people_evidence.get_current_role": [api("widget", "GET", f"/people/{A}/current-role"),
                                         api("widget-b", "GET", f"/people/{B}/current-role")],
    "people_evidence.choose_current_role": [
        api(policy, "PUT", f"/people/{who}/current-role", {"role_id": "{role1}"})
        for policy, who in (("widget-write", A), ("widget-b-write", B))],
    "people_evidence.add_manager": [api("write", "PUT",
                                        f"/people/{A}/managers/{{person_instructor_x}}")],
    "people_evidence.remove_manager": [api("write", "DELETE",
                                           f"/people/{A}/managers/{{person_instructor_x}}")],
    "people_evidence.get_evidence_settings": [api("read-list", "GET", "/settings/evidence")],
    "people_evidence.change_evidence_settings": [api("write-new", "PATCH",
                                                     "/settings/evidence",
                                                     {"managers_may_observe": True})],
    # widget and instructor pages inside the LMS frame (the principal's own launch)
    "widgets.show": [Spec("widget", "learner-page", "GET", f"/widgets/{w}", widget=w)
                     for w in ("readiness", "career_path", "badges")]
    + [Spec("widget", "staff-page", "GET", f"/widgets/{w}", widget=w)
       for w in ("mapping", "class_view")],
    "widgets.my_data": [Spec("widget", "learner-page", "GET", f"/widgets/{w}/my-data.json",
                             widget=w) for w in ("readiness", "badges")],
    "widgets.save_goals": [Spec("widget", "goals-post", "POST", "/widgets/career_path/goals",
                                {"goal": "{role2}"}, widget="career_path")],
    "widgets.submit_project_form": [Spec("widget", "own-post", "POST",
                                         "/widgets/readiness/projects", {
        "competency": "{comp1}", "url": "https://portfolio.t1.example/new"})],
    "widgets.rate_self_form": [Spec("widget", "own-post", "POST", "/widgets/readiness/self_rating",
                                    {"competency": "{comp1}", "level": "2"})],
    "widgets.choose_role_form": [Spec("widget", "own-post", "POST",
                                      "/widgets/career_path/current_role",
                                      {"current_role": "{role1}"}, widget="career_path")],
    "widgets.review_project_form": [
        Spec("widget", "staff-post", "POST", "/widgets/class_view/projects/{project_a}", body,
             widget="class_view", cross=frozenset({303}))
        for body in ({"decision": "accept", "level": "3"},
                     {"decision": "return", "comment": "again"})],
    "widgets.observe_form": [Spec("widget", "staff-post", "POST",
                                  "/widgets/class_view/observations",
                                  {"learner": A, "competency": "{comp1}", "level": "2"},
                                  widget="class_view", cross=frozenset({303}))],
    "widgets.withdraw_form": [Spec("widget", "staff-post", "POST",
                                   "/widgets/class_view/observations/{observation_a}/withdraw",
                                   widget="class_view", cross=frozenset({303}))],
    # the Mentor's page: only a Mentor launch, only its mentees (A), only its own observations
    "widgets.show_mentor": [Spec("widget", "mentor-page", "GET", "/widgets/mentor")],
    "widgets.mentor_observe_form": [
        Spec("widget", policy, "POST", "/widgets/mentor/observations",
             {"learner": who, "competency": "{comp1}", "level": "2"})
        for policy, who in (("mentor-own", A), ("mentor-post", B))],
    "widgets.mentor_withdraw_form": [Spec(
        "widget", "mentor-post", "POST", "/widgets/mentor/observations/{observation_a}/withdraw")],
    "widgets.show_class_view": [Spec("widget", "staff-page", "GET", "/widgets/class_view",
                                     widget="class_view")],
    "widgets.class_csv": [Spec("widget", "staff-page", "GET", "/widgets/class_view.csv",
                               widget="class_view")],
    "widgets.sync_now": [Spec("widget", "staff-own-course", "POST", "/widgets/class_view/sync",
                              widget="class_view")],
    "widgets.show_mapping": [Spec("widget", "staff-page", "GET", "/widgets/mapping",
                                  widget="mapping")],
    "widgets.add_rule": [Spec("widget", "staff-post", "POST", "/widgets/mapping/rules", {
        "item": "{item_ctx-x}", "competency": "{comp1}", "level": "{fw1}:2", "intent": "save",
        "cond_type_1": "completed", "combinator": "all"}, widget="mapping",
        cross=frozenset({404, 422}))],
    "widgets.delete_rule": [Spec("widget", "staff-post", "POST",
                                 "/widgets/mapping/rules/{rule_ctx-x}/delete", widget="mapping")],
    "widgets.authorize_connector": [Spec("widget", "staff-no-connector", "GET",
                                         "/widgets/mapping/connector/authorize",
                                         widget="mapping")],
    "widgets.add_column": [Spec("widget", "staff-own-course", "POST", "/widgets/mapping/columns",
                                {"activity": "checkpoint", "label": "Matrix column"},
                                widget="mapping")],
    "deep_linking.respond": [Spec("deep_link", "dl", "POST", "/lti/deep_link",
                                  {"widget": "readiness"})],
    # admin pages: tenant 1's objects
    **{f"admin.{name}": [Spec("admin", "admin-page", "GET", path)] for name, path in (
        ("dashboard", "/admin/"), ("api_keys", "/admin/api-keys"),
        ("frameworks", "/admin/frameworks"), ("roles", "/admin/roles"),
        ("platforms", "/admin/platforms"), ("keys", "/admin/keys"),
        ("badges", "/admin/badges"), ("mobility", "/admin/mobility"))},
    **{f"admin.{name}": [Spec("admin", "admin-object", "GET", path)] for name, path in (
        ("framework", "/admin/frameworks/{fw1}"), ("role", "/admin/roles/{role1}"),
        ("confirm_removal", "/admin/platforms/{reg1}/remove"),
        ("platform_hosts", "/admin/platforms/{reg1}/hosts"))},
    **{f"admin.{name}": [Spec("admin", "admin-post-new", "POST", path, body)]
       for name, path, body in (
        ("create_key", "/admin/api-keys", {"name": "n", "scopes": "read"}),
        ("create_framework", "/admin/frameworks", {"name": "New fw",
                                                   "scale_key": "four_point_rubric"}),
        ("create_role", "/admin/roles", {"name": "New role", "threshold": "0.8"}),
        ("add_platform", "/admin/platforms", {
            "issuer": "https://new.example", "client_id": "c", "deployment_id": "d",
            "auth_login_url": "https://new.example/a", "auth_token_url": "https://new.example/t",
            "keyset_url": "https://new.example/k"}),
        ("invite_platform", "/admin/platforms/invitations", {"expires_days": "7"}))},
    **{f"admin.{name}": [Spec("admin", "admin-post-object", "POST", path, body)]
       for name, path, body in (
        ("revoke_key", "/admin/api-keys/{apikey_key_t1_read}/revoke", {}),
        ("switch_deployment", "/admin/deployments/{dep1}/enabled", {"enabled": "0"}),
        ("add_competency", "/admin/frameworks/{fw1}/competencies", {"code": "N", "name": "N"}),
        ("save_anchor", "/admin/frameworks/{fw1}/anchors", {
            "competency_id": "{comp1}", "level": "2", "text": "anchor"}),
        ("save_requirement", "/admin/roles/{role1}/requirements", {
            "competency_id": "{comp1}", "required_level": "2", "weight": "1"}),
        ("drop_requirement", "/admin/roles/{role1}/requirements/{comp1}/remove", {}),
        ("add_transition", "/admin/roles/{role1}/transitions", {
            "to_role_id": "{role1}", "kind": "lateral"}),
        ("remove", "/admin/platforms/{reg1}/remove", {"confirm": "yes"}),
        ("approve", "/admin/platforms/{reg1}/approve", {}),
        ("connect", "/admin/platforms/{reg1}/connector", {
            "platform": "moodle", "base_url": "https://moodle.example", "token": "t"}),
        ("disconnect", "/admin/platforms/{reg1}/connector/remove", {}),
        ("add_platform_host", "/admin/platforms/{reg1}/hosts", {"host": "school.example"}),
        ("remove_platform_host", "/admin/platforms/{reg1}/hosts/remove",
         {"host": "school.example"}),
        ("revoke_issued_badge", f"/admin/badges/{NO_BADGE}/revoke", {"reason": "test"}))},
    "admin.rotate": [Spec("admin", "operator-only", "POST", "/admin/keys/rotate")],
}

# Endpoints anyone may call (LTI protocol, public keys, docs, badges, admin sign-in): each is
# requested anonymously and must answer without a 5xx and without anyone's data.
PUBLIC: dict[str, tuple[str, str]] = {
    "health.healthz": ("GET", "/healthz"),
    "lti.login": ("GET", "/lti/login"),
    "lti.launch": ("POST", "/lti/launch"),
    "lti.launch_from_storage": ("POST", "/lti/launch/storage"),
    "lti.jwks": ("GET", "/lti/jwks"),
    "fresh_start.confirm": ("POST", "/lti/fresh-start"),
    "well_known.well_known_jwks": ("GET", "/.well-known/jwks.json"),
    "lti_registration.canvas_config": ("GET", "/lti/config.json"),
    "lti_registration.register": ("GET", "/lti/register"),
    "static": ("GET", "/static/careerpath-widgets.js"),
    "badge_pages.badge_page": ("GET", "/badges/00000000-0000-4000-8000-000000000000"),
    "badge_pages.badge_json": ("GET", "/badges/00000000-0000-4000-8000-000000000000.json"),
    "badge_pages.badge_jwt": ("GET", "/badges/00000000-0000-4000-8000-000000000000.jwt"),
    "badge_pages.issuer": ("GET", "/badges/issuers/tenant-1"),
    "badge_pages.issuer_jwks": ("GET", "/badges/issuers/tenant-1/jwks.json"),
    "badge_pages.status_list": ("GET", "/badges/status/tenant-1"),
    "api-docs.openapi_json": ("GET", "/api/openapi.json"),
    "api_docs_page.api_docs": ("GET", "/api/docs"),
    "admin.sign_in": ("GET", "/admin/login"),
    "admin.sign_in_submitted": ("POST", "/admin/login"),
    "admin.sign_out_submitted": ("POST", "/admin/logout"),
    "widgets.connector_callback": ("GET", "/widgets/connectors/canvas/callback"),
}


def expected(spec: Spec, who: str) -> frozenset[int] | None:
    """The statuses this principal must get, or None for an owner's write (not executed)."""
    return {"api": _api, "widget": _widget, "admin": _admin, "deep_link": _deep_link}[
        spec.family](spec, who)


def _api(spec: Spec, who: str) -> frozenset[int] | None:
    if spec.policy == "absent":
        found = _api(Spec("api", "read" if spec.method == "GET" else "write", spec.method,
                          spec.path), who)
        return frozenset({404}) if found in (OK, None) else found
    read, policy = spec.method == "GET", spec.policy
    if who not in KEYS and who != "widget_a":
        return frozenset({401})  # launches and the admin cookie do not open the API
    if who == "widget_a":
        if policy == "widget-write":
            return None  # the widget's own person: covered in tests/integration/api
        return OK if policy == "widget" else frozenset(
            {404 if policy in {"widget-b", "widget-b-write"} else 403})
    if who == "key_t1_read":
        return OK if read and not policy.startswith("admin") else frozenset({403})
    if who == "key_t1_all":
        return OK if read else None
    if policy in {"read-list", "read-any", "admin-list"}:
        return OK  # its own tenant's list: the body check proves tenant 1 is absent
    return None if policy == "write-new" else frozenset({404})


def _widget(spec: Spec, who: str) -> frozenset[int] | None:
    if who not in LTI_PRINCIPALS:
        return frozenset({401})
    if spec.policy.startswith("mentor-"):
        if who not in MENTORS:
            return frozenset({403})  # not a Mentor's launch
        return OK if spec.policy == "mentor-page" else (
            None if spec.policy == "mentor-own" else frozenset({403}))
    if spec.policy == "learner-page":
        return OK
    if spec.policy == "own-post":  # tenant 1's competency or role: refused for tenant 2
        return frozenset({303}) if who == "admin_t2" else None
    if spec.policy == "goals-post":  # a goal role of tenant 2: ignored or refused
        return None if who == "admin_t2" else frozenset({303, 400, 403, 404, 422})
    if who in LEARNERS or who in MENTORS:
        return frozenset({403})
    if who in ADMINS:
        return frozenset({400})  # an admin launch outside a course has no class
    if spec.policy == "staff-page":
        return OK
    if spec.policy == "staff-no-connector":  # the world's platforms have no Canvas OAuth2
        return frozenset({409})
    if who == "instructor_y" and spec.policy == "staff-post":
        return spec.cross  # course X's rule or item, from course Y
    return None


def _admin(spec: Spec, who: str) -> frozenset[int] | None:
    if who not in LTI_PRINCIPALS and who != "operator":
        return TO_SIGN_IN if spec.method == "GET" else frozenset({401, 403})
    if who in LEARNERS or who in INSTRUCTORS or who in MENTORS:
        return frozenset({403})
    if spec.policy == "operator-only":
        return None if who == "operator" else frozenset({403})
    if spec.method != "GET":
        return frozenset({404}) if (who, spec.policy) == ("admin_t2", "admin-post-object") \
            else None
    if who == "admin_t2" and spec.policy == "admin-object":
        return frozenset({404})
    return OK


def _deep_link(spec: Spec, who: str) -> frozenset[int] | None:
    # no principal holds a deep-linking launch: every one is refused
    return frozenset({403}) if who in LTI_PRINCIPALS else frozenset({401})


CELLS = [(endpoint, n, who) for endpoint, specs in sorted(MATRIX.items())
         for n, _spec in enumerate(specs) for who in PRINCIPALS]


def _request(world: World, spec: Spec, who: str) -> TestResponse:
    path = spec.path.format(**world.ids)
    body = {k: v.format(**world.ids) if isinstance(v, str) else v for k, v in spec.body.items()}
    headers: dict[str, str] = {}
    values: dict[str, str] = {}
    if who in world.bearer:
        headers["Authorization"] = f"Bearer {world.bearer[who]}"
    if who == "operator":
        headers["Cookie"] = f"careerpath_admin={world.operator_cookie}"
        values["tenant"] = str(world.ids["tenant1"])
    if who in LTI_PRINCIPALS:
        launch = world.launches[who]["admin" if spec.family == "admin" else spec.widget]
        values["launch"] = launch
        secret_subject = f"admin:launch:{launch}" if spec.family == "admin" else launch
        values["csrf"] = csrf_token(SECRET, secret_subject)
        headers["Cookie"] = f"{BROWSER_COOKIE}={BROWSER_KEY}"
    client = world.app.test_client(use_cookies=False)
    if spec.family == "api":
        json_body = {k: int(v) if isinstance(v, str) and v.isdigit() else v
                     for k, v in body.items()}
        if spec.method == "GET":
            return client.get(path, headers=headers, query_string={**json_body, **values})
        return client.open(path, method=spec.method, headers=headers, query_string=values,
                           json=json_body)
    if spec.method == "GET":
        return client.get(path, headers=headers, query_string=values)
    return client.open(path, method=spec.method, headers=headers, data={**body, **values})


def _foreign_markers(who: str, text: str) -> list[str]:
    return [f"{owner}:{m}" for owner, marks in MARKERS.items() if owner not in MAY_SEE[who]
            for m in marks if m in text]


def test_every_endpoint_is_in_the_matrix(world: World) -> None:
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules()}
    covered = set(MATRIX) | set(PUBLIC)
    assert not endpoints - covered, f"endpoints without a matrix entry: {endpoints - covered}"
    assert not covered - endpoints, f"matrix entries of no endpoint: {covered - endpoints}"
    assert not set(MATRIX) & set(PUBLIC)


@pytest.mark.parametrize(("endpoint", "variant", "who"), CELLS,
                         ids=[f"{e}[{n}]-{w}" for e, n, w in CELLS])
def test_cell(world: World, endpoint: str, variant: int, who: str) -> None:
    spec = MATRIX[endpoint][variant]
    statuses = expected(spec, who)
    if statuses is None:
        pytest.skip("a write of the principal's own data: covered in tests/integration")
    before = world.row_counts() if spec.method != "GET" else None
    response = _request(world, spec, who)
    text = response.get_data(as_text=True)
    assert response.status_code in statuses, (spec.path, who, response.status_code, text[:300])
    if statuses == TO_SIGN_IN:
        assert response.headers["Location"].split("?")[0].endswith("/admin/login")
    assert not _foreign_markers(who, text), (who, _foreign_markers(who, text))
    assert "Traceback" not in text
    if statuses == OK and who in LTI_PRINCIPALS and not spec.path.endswith(".csv"):
        own = MARKERS[PEOPLE[who][2]][0]
        assert own in text, f"{who} does not see their own name on {spec.path}"
    if before is not None:
        assert world.row_counts() == before, f"{who} changed rows with {spec.method} {spec.path}"


@pytest.mark.parametrize("endpoint", sorted(PUBLIC))
def test_public_endpoint(world: World, endpoint: str) -> None:
    method, path = PUBLIC[endpoint]
    response = world.app.test_client(use_cookies=False).open(path, method=method)
    text = response.get_data(as_text=True)
    response.close()
    assert response.status_code < 500, (path, response.status_code, text[:300])
    assert not _foreign_markers("anon", text), _foreign_markers("anon", text)
