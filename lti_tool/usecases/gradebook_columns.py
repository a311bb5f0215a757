"""Gradebook columns CareerPath creates in a course: AGS line items it can then read back.

AGS shows a tool only the line items it made itself (Canvas filters on the developer key,
Moodle on the tool type), so an assessed CareerPath activity needs its own column: placed
through deep linking with a `lineItem`, or created here from the mapping page.
"""

from __future__ import annotations

from ..lms.ags import LINEITEM_SCOPE, AssignmentsGradesService
from ..lms.errors import LmsServiceError
from ..lms.tokens import AccessTokens
from ..lti.deep_linking import ASSESSED_ACTIVITIES, activity_resource_id
from ..records import LmsItem
from ..store.repositories.courses import CourseRepository
from ..store.repositories.lti import LtiRepository
from ..store.repositories.sync import SyncRepository
from .service_hosts import service_registration
from .sync.course import SyncPorts


class ColumnNotPossible(LmsServiceError):
    """The LMS gave this course no way to create a column (no AGS, or no line item scope)."""


def create_column(ports: SyncPorts, course_id: int, label: str, activity_key: str) -> LmsItem:
    """POST a line item (label, maximum, resourceId, tag) to the course and record it."""
    activity = ASSESSED_ACTIVITIES.get(activity_key)
    label = label.strip()
    if activity is None or not label:
        raise ColumnNotPossible("choose the kind of activity and give the column a name")
    with ports.database.session() as session:
        repo = SyncRepository(session)
        services = repo.service_endpoints(course_id)
        _tenant, registration_id = repo.course_tenant(course_id)
        registration = (LtiRepository(session).registration_by_id(registration_id)
                        if registration_id is not None else None)
    if services is None or not services.lineitems_url or registration is None:
        raise ColumnNotPossible("the LMS has not offered this course's gradebook to CareerPath "
                                "(no AGS in its launches): ask an LMS admin to enable grade "
                                "sync for the tool")
    if LINEITEM_SCOPE not in services.ags_scopes:
        raise ColumnNotPossible("the LMS lets CareerPath read grades here but not create "
                                "columns (Moodle: set the tool's grade sync to 'column "
                                "management')")
    tokens = AccessTokens(ports.http, ports.cache, ports.signing_key)
    ags = AssignmentsGradesService(
        ports.http, tokens, service_registration(ports.database, registration),
        services.lineitems_url, scopes=services.ags_scopes)
    item = ags.create_line_item(label, activity.score_maximum, tag=activity.tag,
                                resource_id=activity_resource_id(activity, label))
    with ports.database.session() as session:
        return CourseRepository(session).upsert_lms_item(
            course_id, "line_item", item.id, title=item.label, score_maximum=item.score_maximum,
            tag=item.tag or "", resource_link_id=item.resource_link_id or "")
