"""Imports (CASE, CSV) and the CASE export through the API and the SDK, in-process and live."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from careerpath_sdk import Client, ImportRejected, PermissionDenied, ValidationError

from lti_tool.api.imports import MAX_IMPORT_BYTES
from lti_tool.bootstrap import services
from tests.integration.api.conftest import ApiWorld, make_world
from tests.integration.interop.interchange_support import (
    MOODLE_FILE,
    ROLES_FILE,
    case_package,
    newer_version,
    row_counts,
)
from tests.support.servers import LiveServer

CASE_TITLE = "Product Management Career Framework"
BAD_ROLES = ("role,competency_code,required_level\n"
             "Analyst,DA-SQL,2\n"
             "Analyst,NO-SUCH-CODE,2\n")


def counts(world: ApiWorld) -> dict[str, int]:
    return row_counts(services(world.app).database)


def post_case(world: ApiWorld, body: Any, key: str = "write", **headers: str) -> Any:
    return world.app.test_client().post("/api/v1/imports/case", json=body,
                                        headers={**world.headers(key), **headers})


def post_csv(world: ApiWorld, text: str | bytes, key: str = "write", query: str = "",
             **headers: str) -> Any:
    data = text.encode() if isinstance(text, str) else text
    return world.app.test_client().post(f"/api/v1/imports/csv{query}", data=data,
                                        content_type="text/csv",
                                        headers={**world.headers(key), **headers})


def test_case_import_writes_the_framework_and_exports_it_back(api_world: ApiWorld) -> None:
    client = api_world.app.test_client()
    created = post_case(api_world, case_package())
    assert created.status_code == 201, created.json
    body = created.json
    assert body["frameworks"] == [CASE_TITLE] and body["competencies"] == 19
    assert body["tenant"] == "acme" and body["roles"] == 0
    assert body["not_stored"] == ["the CFItemType of 19 items"]
    framework_id = body["framework_ids"][0]
    got = client.get(f"/api/v1/frameworks/{framework_id}", headers=api_world.headers("read"))
    assert got.status_code == 200 and len(got.json["competencies"]) == 19

    exported = client.get(f"/api/v1/frameworks/{framework_id}/case",
                          headers=api_world.headers("read"))
    assert exported.status_code == 200
    package = exported.json
    original = {i["identifier"] for i in case_package()["CFItems"]}
    assert {i["identifier"] for i in package["CFItems"]} == original
    assert package["CFDocument"]["title"] == CASE_TITLE

    again = post_case(api_world, package, key="other")  # the round trip, into tenant globex
    assert again.status_code == 201, again.json
    assert again.json["tenant"] == "globex" and again.json["competencies"] == 19
    hidden = client.get(f"/api/v1/frameworks/{framework_id}/case",
                        headers=api_world.headers("other"))
    assert hidden.status_code == 404 and hidden.json["code"] == "not_found"


def test_csv_imports_frameworks_then_roles_with_the_kind_told_by_the_header(
        api_world: ApiWorld) -> None:
    frameworks = post_csv(api_world, MOODLE_FILE.read_bytes())
    assert frameworks.status_code == 201, frameworks.json
    assert frameworks.json["frameworks"] == ["Data Analytics", "Customer Success"]
    assert len(frameworks.json["framework_ids"]) == 2 and frameworks.json["competencies"] == 12
    roles = post_csv(api_world, ROLES_FILE.read_bytes(), query="?kind=roles")
    assert roles.status_code == 201, roles.json
    assert (roles.json["roles"], roles.json["transitions"]) == (4, 3)
    listed = api_world.app.test_client().get("/api/v1/roles", headers=api_world.headers("read"))
    assert {r["name"] for r in listed.json} >= {"Data Analyst", "Senior Analyst"}


def test_multipart_csv_import_with_an_idempotency_key_replays(api_world: ApiWorld) -> None:
    boundary = "cp-boundary-1"
    raw = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
           f"filename=\"frameworks.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() + \
        MOODLE_FILE.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    content_type = f"multipart/form-data; boundary={boundary}"

    def send() -> Any:
        return api_world.app.test_client().post(
            "/api/v1/imports/csv?kind=frameworks", data=raw, content_type=content_type,
            headers={**api_world.headers("write"), "Idempotency-Key": "import-1"})

    first = send()
    assert first.status_code == 201, first.json
    assert first.json["competencies"] == 12
    before = counts(api_world)
    replay = send()
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json == first.json and counts(api_world) == before


def test_multipart_without_a_file_is_refused(api_world: ApiWorld) -> None:
    response = api_world.app.test_client().post(
        "/api/v1/imports/csv", data={"other": "x"}, content_type="multipart/form-data",
        headers=api_world.headers("write"))
    assert response.status_code == 422 and "file" in response.json["errors"]


def test_a_bad_row_is_a_422_with_row_and_column_and_writes_nothing(
        api_world: ApiWorld) -> None:
    assert post_csv(api_world, MOODLE_FILE.read_bytes()).status_code == 201
    before = counts(api_world)
    refused = post_csv(api_world, BAD_ROLES)
    assert refused.status_code == 422
    assert refused.json["code"] == "import_rejected" and refused.json["status"] == 422
    assert refused.json["errors"] == {
        "row 3, column competency_code": ["no competency 'NO-SUCH-CODE' in this tenant"]}
    assert counts(api_world) == before

    package = case_package()
    package["CFItems"][2]["fullStatement"] = ""
    package["CFItems"][2].pop("abbreviatedStatement", None)
    bad_case = post_case(api_world, package)
    assert bad_case.status_code == 422 and bad_case.json["code"] == "import_rejected"
    assert any(key.startswith("row 3, column CFItems") for key in bad_case.json["errors"]), \
        bad_case.json
    assert counts(api_world) == before


def test_refused_bodies(api_world: ApiWorld) -> None:
    assert post_csv(api_world, "just,a,header\n").json["errors"] == {
        "row 1, column header": ["neither Moodle's framework columns (ID number, Is "
                                 "framework, ...) nor the roles columns (role, "
                                 "competency_code, ...)"]}
    assert post_csv(api_world, "role\nA\n", query="?kind=nope").status_code == 422
    assert post_csv(api_world, b"role\n\xff\xfe\n").json["errors"]["row 0, column file"]
    assert post_csv(api_world, "role\nA\x00B\n").json["code"] == "import_rejected"
    wrong_type = api_world.app.test_client().post(
        "/api/v1/imports/csv", data="role\nA\n", content_type="application/json",
        headers=api_world.headers("write"))
    assert wrong_type.status_code == 415 and wrong_type.json["code"] == "unsupported_media_type"
    not_json = api_world.app.test_client().post(
        "/api/v1/imports/case", data="{", content_type="application/json",
        headers=api_world.headers("write"))
    assert not_json.status_code == 422 and not_json.json["code"] == "import_rejected"
    assert post_case(api_world, [1, 2]).json["errors"] == {
        "row 0, column CFPackage": ["the package is not a JSON object"]}
    for url in ("file:///etc/passwd", "/etc/passwd", "ftp://example.org/x.json"):
        refused = post_case(api_world, {"url": url})
        assert refused.status_code == 422 and "url" in refused.json["errors"], url
    assert counts(api_world)["frameworks"] == 0


def test_a_read_key_may_export_but_not_import(api_world: ApiWorld) -> None:
    assert post_case(api_world, case_package(), key="read").status_code == 403
    refused = post_csv(api_world, MOODLE_FILE.read_bytes(), key="read")
    assert refused.status_code == 403 and refused.json["code"] == "forbidden"
    assert counts(api_world)["frameworks"] == 0
    created = post_case(api_world, case_package())
    framework_id = created.json["framework_ids"][0]
    exported = api_world.app.test_client().get(f"/api/v1/frameworks/{framework_id}/case",
                                               headers=api_world.headers("read"))
    assert exported.status_code == 200


@pytest.mark.parametrize("idempotency", [{}, {"Idempotency-Key": "big-1"}])
def test_a_body_over_the_limit_is_a_413(api_world: ApiWorld,
                                        idempotency: dict[str, str]) -> None:
    big = b"role\n" + b"x" * MAX_IMPORT_BYTES
    response = post_csv(api_world, big, **idempotency)
    assert response.status_code == 413
    assert response.json["code"] == "payload_too_large" and response.json["status"] == 413
    assert set(response.json) == {"code", "status", "message", "errors"}
    package = json.dumps({"CFDocument": {"title": "x" * MAX_IMPORT_BYTES}})
    too_big = api_world.app.test_client().post(
        "/api/v1/imports/case", data=package, content_type="application/json",
        headers=api_world.headers("write"))
    assert too_big.status_code == 413
    assert counts(api_world)["frameworks"] == 0


def test_case_import_from_a_url(api_world: ApiWorld) -> None:
    served = LiveServer("127.0.0.1")

    def package_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ["PATH_INFO"] == "/redirect":
            start_response("302 Found", [("Location", "/case.json")])
            return [b""]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(case_package()).encode()]

    served.start(package_app)
    try:
        # a redirect is followed through the outbound client (re-checked, loopback is on
        # the test allow-list)
        moved = post_case(api_world, {"url": f"{served.url()}/redirect"})
        assert moved.status_code == 201, moved.json
        assert moved.json["competencies"] == 19
    finally:
        served.stop()


def test_in_production_a_url_on_loopback_is_refused(tmp_path: Path) -> None:
    """Production configuration: no allow-list, so loopback is refused before any request
    (tests/security/test_outbound_ssrf.py shows that no request arrives)."""
    world = make_world(tmp_path, testing=False, base_url="https://careerpath.example")
    for url in ("http://127.0.0.1:9/case.json", "https://localhost/case.json",
                "https://[::1]/case.json"):
        refused = post_case(world, {"url": url})
        assert refused.status_code == 422, url
        assert "refused" in refused.json["message"] or "plain http" in refused.json["message"]


def test_sdk_imports_against_a_live_tool(api_world: ApiWorld, live_api: str,
                                         tmp_path: Path) -> None:
    client = Client(live_api, api_world.keys["all"])
    summary = client.imports.case(case_package())
    assert summary.frameworks == (CASE_TITLE,) and summary.competencies == 19
    assert summary.tenant == "acme" and "imported 1 framework" in summary.summary
    exported = client.frameworks.export_case(summary.framework_ids[0])
    assert len(exported["CFItems"]) == 19

    frameworks = client.imports.csv(MOODLE_FILE)  # a Path, kind from the header
    assert frameworks.frameworks == ("Data Analytics", "Customer Success")
    assert frameworks.framework_ids == tuple(f.id for f in client.frameworks.list()
                                             if f.name != CASE_TITLE)
    roles_file = tmp_path / "roles.csv"
    roles_file.write_text(ROLES_FILE.read_text())
    roles = client.imports.csv(str(roles_file), kind="roles")  # a path as a str
    assert (roles.roles, roles.transitions) == (4, 3)

    before = counts(api_world)
    with pytest.raises(ImportRejected) as refused:
        client.imports.csv(BAD_ROLES.replace("Analyst", "Junior"))  # CSV text
    assert refused.value.status == 422
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "competency_code")]
    assert "NO-SUCH-CODE" in str(refused.value.problems[0])
    with pytest.raises(ImportRejected) as duplicate:
        client.imports.case(case_package())
    assert duplicate.value.problems[0].column == "CFDocument.lastChangeDateTime"  # same version
    assert counts(api_world) == before

    reader = Client(live_api, api_world.keys["read"])
    with pytest.raises(PermissionDenied):
        reader.imports.case(case_package())
    with pytest.raises(PermissionDenied):
        reader.imports.csv(ROLES_FILE, kind="roles")
    assert len(reader.frameworks.export_case(summary.framework_ids[0])["CFItems"]) == 19
    with pytest.raises(TypeError):
        client.imports.case()


def test_sdk_imports_a_case_package_by_url(api_world: ApiWorld, live_api: str) -> None:
    client = Client(live_api, api_world.keys["all"])
    source = Client(live_api, api_world.keys["other"])
    first = source.imports.case(case_package())
    url = f"{live_api}/api/v1/frameworks/{first.framework_ids[0]}/case"
    # the export needs a key, so the tool cannot fetch it: a refused fetch is a 422
    with pytest.raises(ValidationError) as failed:
        client.imports.case(url=url)
    assert failed.value.status == 422 and "could not fetch" in failed.value.message
    assert not isinstance(failed.value, ImportRejected)


def test_a_newer_case_version_updates_the_framework(api_world: ApiWorld) -> None:
    first = post_case(api_world, case_package())
    assert first.status_code == 201 and first.json["updated"] is False
    assert (first.json["added"], first.json["changed"], first.json["retired"]) == ([], [], [])
    update = post_case(api_world, newer_version(case_package()))
    assert update.status_code == 201, update.json
    body = update.json
    assert body["updated"] is True and body["framework_ids"] == first.json["framework_ids"]
    assert (body["added"], sorted(body["changed"]), body["retired"]) == (
        ["PM.1.c"], ["AN.2", "SM.3"], ["DL.2"])
    assert body["summary"].startswith("updated framework Product Management Career "
                                      "Framework 2025 in tenant acme to a newer version")
    same = post_case(api_world, newer_version(case_package()))
    assert same.status_code == 422 and "row 0, column CFDocument.lastChangeDateTime" in \
        same.json["errors"]
