"""Erasure that holds: a sync or a launch never brings an erased person back, and nothing in
the database names them afterwards (events, webhook deliveries, replays, launch sessions)."""

from __future__ import annotations

import json
import re
import sqlite3

from sqlalchemy import func, select, update

from lti_tool.bootstrap import services
from lti_tool.store.models import (
    CourseServicesRow,
    ErasedSubjectRow,
    EventRow,
    EvidenceRow,
    LmsItemRow,
    PersonRow,
    TenantRow,
    WebhookDeliveryRow,
)
from lti_tool.usecases.api_keys import create_api_key
from lti_tool.usecases.erasure import person_index
from lti_tool.usecases.events import PERSON_READY_FOR_ROLE, SYNC_COMPLETED, publish
from lti_tool.usecases.sync.jobs import run_sync
from lti_tool.usecases.webhook_subscriptions import create_subscription
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_launch_flow import launch
from tests.integration.sync.conftest import load_course
from tests.support.browser import Browser

CONTEXT = "erasure-course"
LEARNER = f"{CONTEXT}-u00000"  # the learner load_course launches as


def _person(live: LiveLti, sub: str) -> PersonRow | None:
    with services(live.tool).database.session() as session:
        row = session.scalar(select(PersonRow).where(PersonRow.sub == sub))
        if row is not None:
            session.expunge(row)
        return row


def _count(live: LiveLti, model: type, *where: object) -> int:
    with services(live.tool).database.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _dump(live: LiveLti) -> str:
    path = services(live.tool).settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return "\n".join(connection.iterdump())


def _api_key(live: LiveLti) -> dict[str, str]:
    db = services(live.tool).database
    with db.session() as session:
        slug = session.scalar(select(TenantRow.slug).where(
            TenantRow.id == live.platform.registration.tenant_id))
    token = create_api_key(db, slug, "read,write", "erasure test").token
    return {"Authorization": f"Bearer {token}"}


def _name_the_person(live: LiveLti, person: PersonRow, headers: dict[str, str]) -> str:
    """Events and a pending webhook delivery naming the person, and an idempotent reply."""
    svc = services(live.tool)
    create_subscription(svc.database, svc.settings.secret_key, person.tenant_id,
                        "https://hooks.example/careerpath", [PERSON_READY_FOR_ROLE,
                                                             SYNC_COMPLETED])
    with svc.database.session() as session:
        publish(session, person.tenant_id, PERSON_READY_FOR_ROLE, {
            "person_id": person.id, "sub": person.sub, "role_id": 1, "role_name": "Analyst",
            "score": 0.9})
        publish(session, person.tenant_id, SYNC_COMPLETED, {"course_id": 1, "run_id": 1})
    reply = live.tool.test_client().post(
        f"/api/v1/people/{person.id}/evidence", headers={**headers, "Idempotency-Key": "k-1"},
        json=_certificate(live))
    assert reply.status_code == 201, reply.get_data(as_text=True)
    return reply.get_data(as_text=True)


def _certificate(live: LiveLti) -> dict[str, object]:
    with services(live.tool).database.session() as session:
        item = session.scalar(select(func.min(LmsItemRow.id)))
    return {"kind": "certification", "lms_item_id": item, "value": 1.0, "source_ref": "cert-1"}


def test_erased_person_stays_erased_through_syncs_and_nothing_names_them(
        live_lti: LiveLti) -> None:
    course = load_course(live_lti, learners=6, line_items=3, context_id=CONTEXT)
    svc = services(live_lti.tool)
    assert run_sync(svc, course.course_id).status == "succeeded"
    person = _person(live_lti, LEARNER)
    assert person is not None and person.email
    theirs = _count(live_lti, EvidenceRow, EvidenceRow.person_id == person.id)
    evidence_before = _count(live_lti, EvidenceRow)
    assert theirs > 0
    headers = _api_key(live_lti)
    _name_the_person(live_lti, person, headers)
    index = svc.cache.get(person_index(person.tenant_id, person.id))
    assert any(k.startswith("launch:") for k in index), index
    assert any(k.startswith("api:idem:") for k in index), index
    assert _count(live_lti, WebhookDeliveryRow) == 2

    erased = live_lti.tool.test_client().delete(f"/api/v1/people/{person.id}", headers=headers)
    assert erased.status_code == 204, erased.get_data(as_text=True)
    assert all(svc.cache.get(k) is None for k in index)  # launch sessions and replays gone
    assert _count(live_lti, WebhookDeliveryRow) == 1  # only the sync.completed one is left
    with svc.database.session() as session:
        left = [json.loads(d) for d in session.scalars(select(EventRow.data))]
    assert left and all(d.get("person_id") != person.id for d in left)

    with svc.database.session() as session:  # a full roster and every result, as a first sync
        session.execute(update(CourseServicesRow).values(differences_url="",
                                                         last_synced_at=None))
    again = run_sync(svc, course.course_id)
    assert again.status == "succeeded", again.error
    assert again.counts.get("members_erased") == 1
    assert again.counts.get("results_unknown_user", 0) > 0
    assert again.counts.get("people_created", 0) == 0
    assert _person(live_lti, LEARNER) is None
    assert _count(live_lti, EvidenceRow) == evidence_before - theirs
    replay = live_lti.tool.test_client().post(
        f"/api/v1/people/{person.id}/evidence", headers={**headers, "Idempotency-Key": "k-1"},
        json=_certificate(live_lti))
    assert replay.status_code == 404 and "Idempotent-Replayed" not in replay.headers
    dump = _dump(live_lti)
    for trace in (LEARNER, person.email):
        assert trace not in dump, f"{trace} is still in the database"
    assert _count(live_lti, ErasedSubjectRow) == 1


def test_erased_person_launching_sees_the_erased_page_and_may_start_afresh(
        live_lti: LiveLti) -> None:
    course = load_course(live_lti, learners=3, line_items=3, context_id=CONTEXT)
    person = _person(live_lti, LEARNER)
    assert person is not None
    headers = _api_key(live_lti)
    assert live_lti.tool.test_client().delete(f"/api/v1/people/{person.id}",
                                              headers=headers).status_code == 204

    page = launch(Browser(), live_lti, f"{CONTEXT}-link", LEARNER, course=CONTEXT)
    assert page.status_code == 200, page.text[:300]
    assert "Your CareerPath data was erased" in page.text
    assert "frame-ancestors 'self' " + live_lti.sandbox_url in page.headers[
        "Content-Security-Policy"]
    assert "<script" not in page.text and "style=" not in page.text
    assert _person(live_lti, LEARNER) is None  # the launch recorded nothing
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token is not None
    browser = Browser()
    refused = browser.session.post(f"{live_lti.tool_url}/lti/fresh-start",
                                   data={"token": "forged", "confirm": "yes"}, timeout=10)
    assert refused.status_code == 400 and _person(live_lti, LEARNER) is None

    fresh = browser.session.post(f"{live_lti.tool_url}/lti/fresh-start",
                                 data={"token": token.group(1), "confirm": "yes"}, timeout=10)
    assert fresh.status_code == 200, fresh.text[:300]
    again = _person(live_lti, LEARNER)
    assert again is not None
    assert _count(live_lti, ErasedSubjectRow) == 0
    assert _count(live_lti, EvidenceRow, EvidenceRow.person_id == again.id) == 0
    reused = browser.session.post(f"{live_lti.tool_url}/lti/fresh-start",
                                  data={"token": token.group(1), "confirm": "yes"}, timeout=10)
    assert reused.status_code == 400
    assert run_sync(services(live_lti.tool), course.course_id).status == "succeeded"
    assert _count(live_lti, EvidenceRow, EvidenceRow.person_id == again.id) > 0
