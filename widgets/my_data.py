"""The learner's own personal-data export, downloaded from the readiness or badges widget."""

from __future__ import annotations

import json

from flask import Response, current_app

from lti_tool.bootstrap import services
from lti_tool.lti.errors import LaunchError
from lti_tool.usecases.person_export import export_person

from .frame import bp, current_launch

WIDGETS_WITH_THE_LINK = ("readiness", "badges")


@bp.get("/<widget>/my-data.json")
def my_data(widget: str) -> Response:
    """Everything stored about the launching person (never anyone else) as a JSON file."""
    if widget not in WIDGETS_WITH_THE_LINK:
        raise LaunchError("This widget offers no data download.",
                          "Use the link on the readiness or badges widget.", status=404)
    launch = current_launch(widget)
    found = export_person(services(current_app).database, launch.tenant_id, launch.person_id)
    response = Response(json.dumps(found, indent=2, ensure_ascii=False),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="careerpath-my-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response
