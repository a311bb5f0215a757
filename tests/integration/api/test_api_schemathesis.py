"""Property-based checks of every operation against /api/openapi.json (in-process).

Schemathesis's pytest plugin does not run under pytest 9, so each operation's strategy is
driven by Hypothesis directly: no 5xx, and every response matches the documented schema.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.api.conftest import make_world
from tests.integration.api.seed import seed

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
MAX_EXAMPLES = 15


def test_every_operation_matches_its_schema() -> None:
    world = make_world(Path(tempfile.mkdtemp(prefix="cp-schemathesis-")),
                       api_rate_limit_per_minute=1_000_000)
    seed(world.app.test_client(), world.headers("all"))
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", world.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 35
    for operation in operations:
        _check(operation, world.headers("all"))


def _check(operation: schemathesis.APIOperation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
