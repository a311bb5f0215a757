"""The API fixtures (a migrated tool, two tenants, keys of every scope) for these tests."""

from tests.integration.api.conftest import api_world, live_api  # noqa: F401
