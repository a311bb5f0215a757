"""The tool and the sandbox LMS live on loopback, the platform joined to the demo tenant."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.usecases.demo.seed import DEMO_SLUG, seed_demo
from tests.integration.conftest import LiveLti, running_lti
from tests.integration.widgets.scenario import Scenario, seed_role_peers, seed_scenario


@dataclass
class LiveDemo:
    live: LiveLti
    scenario: Scenario
    learner: str


@contextmanager
def running_demo(tool_app: Flask, peers: int = 5) -> Iterator[LiveDemo]:
    """Seed the catalogue, register the sandbox in tenant "northwind", give a learner evidence."""
    database = services(tool_app).database
    with database.session() as session:
        seed_demo(session)
    with running_lti(tool_app, DEMO_SLUG) as live:
        learner = live.users("learner")[0]
        scenario = seed_scenario(database, learner,
                                 registration_id=live.platform.registration.id)
        seed_role_peers(database, scenario, "Senior Data Analyst", peers)
        yield LiveDemo(live, scenario, learner)
