"""Attack: exhaust memory with huge bodies, on any endpoint and through the idempotency
fingerprint (which reads the body before the view does). Everything over 1 MB is refused
with 413; the imports keep their own 5 MB limit."""

from __future__ import annotations

import io
import json

from tests.security.world import World

ONE_MB = 1024 * 1024
BIG = 2 * ONE_MB


def api_headers(world: World, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.bearer['key_t1_all']}", **extra}


def test_an_oversized_json_body_is_refused(world: World) -> None:
    body = json.dumps({"url": "https://hooks-uniform.example/x", "event_types": ["badge.issued"],
                       "padding": "x" * BIG})
    before = world.row_counts()
    answer = world.app.test_client().post("/api/v1/webhooks", data=body, headers=api_headers(
        world, **{"Content-Type": "application/json", "Idempotency-Key": "big-1"}))
    assert answer.status_code == 413
    assert world.row_counts() == before  # no webhook, no idempotency slot kept


def test_an_oversized_form_is_refused_on_lti_and_widget_posts(world: World) -> None:
    client = world.app.test_client()
    for path in ("/lti/launch", "/lti/login", "/lti/deep_link", "/widgets/career_path/goals"):
        answer = client.post(path, data={"id_token": "x" * BIG, "state": "s"})
        assert answer.status_code == 413, (path, answer.status_code)


def test_a_body_without_length_is_read_only_up_to_the_limit(world: World) -> None:
    """Chunked (no Content-Length): the fingerprint stops reading past 1 MB with a 413."""
    endless = io.BytesIO(b'{"padding": "' + b"x" * BIG + b'"}')
    answer = world.app.test_client().post(
        "/api/v1/webhooks", input_stream=endless,
        headers=api_headers(world, **{"Content-Type": "application/json",
                                      "Idempotency-Key": "chunked-1"}),
        environ_overrides={"wsgi.input_terminated": True})
    assert answer.status_code == 413
    assert endless.tell() <= ONE_MB + 64 * 1024  # it stopped near the limit, not at the end


def test_imports_keep_their_larger_limit(world: World) -> None:
    """Control: a 2 MB CSV import is read (and judged on its content), not refused as large;
    6 MB is refused."""
    rows = "framework,id,name\n" + "".join(f"Big,{i},Competency {i}\n" for i in range(70000))
    assert ONE_MB < len(rows) < 5 * ONE_MB
    client = world.app.test_client()
    answer = client.post("/api/v1/imports/csv?kind=moodle", data=rows,
                         headers=api_headers(world, **{"Content-Type": "text/csv"}))
    assert answer.status_code != 413, answer.get_data(as_text=True)[:200]
    huge = client.post("/api/v1/imports/csv?kind=moodle", data="x" * (6 * ONE_MB),
                       headers=api_headers(world, **{"Content-Type": "text/csv"}))
    assert huge.status_code == 413
