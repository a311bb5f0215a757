"""`Client`: the entry point, with one namespace per resource."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from .badges import Badges
from .courses import Cohorts, Courses, Rules, WidgetTokens
from .imports import Imports
from .mobility import Hris, Metrics
from .operations import ApiKeys, Syncs
from .people_evidence import (
    CurrentRoles,
    EvidenceSettingsResource,
    Observations,
    Projects,
    ReportingLines,
    SelfRatings,
)
from .resources import (
    EvidenceRecords,
    Frameworks,
    GoalsResource,
    People,
    ReadinessResource,
    Roles,
    Scales,
)
from .transport import Transport
from .webhooks import Webhooks


class Client:
    """A CareerPath API client: `Client("https://tool", "cp_...")`."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0,
                 max_retries: int = 3, session: requests.Session | None = None,
                 sleep: Callable[[float], None] | None = None,
                 max_retry_after: float = 60.0) -> None:
        """`max_retry_after`: the longest Retry-After (seconds) the client sleeps through; a
        longer one raises RateLimitError (or ServerError for a 503) at once."""
        options: dict[str, Any] = {} if sleep is None else {"sleep": sleep}
        self.transport = Transport(base_url, api_key, timeout=timeout, max_retries=max_retries,
                                   session=session, max_retry_after=max_retry_after, **options)
        self.frameworks = Frameworks(self.transport)
        self.scales = Scales(self.transport)
        self.roles = Roles(self.transport)
        self.people = People(self.transport)
        self.evidence = EvidenceRecords(self.transport)
        self.goals = GoalsResource(self.transport)
        self.readiness = ReadinessResource(self.transport)
        self.courses = Courses(self.transport)
        self.rules = Rules(self.transport)
        self.cohorts = Cohorts(self.transport)
        self.widget_tokens = WidgetTokens(self.transport)
        self.webhooks = Webhooks(self.transport)
        self.hris = Hris(self.transport)
        self.metrics = Metrics(self.transport)
        self.badges = Badges(self.transport)
        self.imports = Imports(self.transport)
        self.syncs = Syncs(self.transport)
        self.api_keys = ApiKeys(self.transport)
        self.projects = Projects(self.transport)
        self.observations = Observations(self.transport)
        self.self_ratings = SelfRatings(self.transport)
        self.current_roles = CurrentRoles(self.transport)
        self.reporting_lines = ReportingLines(self.transport)
        self.evidence_settings = EvidenceSettingsResource(self.transport)
