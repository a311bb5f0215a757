"""The demo catalogue data file: shipped, read through importlib.resources, checked."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from lti_tool.usecases.demo.catalogue import (
    DATA_FILE,
    BadDemoData,
    demo_catalogue,
    parse_demo_catalogue,
)


def _shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("lti_tool").joinpath(DATA_FILE).read_text(encoding="utf-8"))
    return data


def test_the_shipped_file_holds_the_demo_organisation() -> None:
    found = demo_catalogue()
    assert [f.name for f in found.frameworks] == ["Product & Data", "Customer & Delivery"]
    assert sum(len(g.children) for f in found.frameworks for g in f.groups) == 28
    assert len(found.roles) == 9 and len(found.transitions) == 9
    lead = next(r for r in found.roles if r.name == "Delivery Lead")
    assert lead.requirements[0] == ("CD.CUS.CPT", 3.0, 25.0, 2.0)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.pop("roles"), r"^catalogue\.roles: missing$"),
    (lambda d: d["frameworks"][0].update(name=7), r"frameworks\[0\]\.name: expected text"),
    (lambda d: d["frameworks"][1]["groups"][0]["competencies"][2].update(colour="red"),
     r"frameworks\[1\]\.groups\[0\]\.competencies\[2\]: unknown field 'colour'"),
    (lambda d: d["roles"][3]["requirements"].append(["XX.YYY.ZZZ", 2, 10, None]),
     r"roles\[3\]\.requirements\[6\]: no competency has the code 'XX.YYY.ZZZ'"),
    (lambda d: d["roles"][0]["requirements"].append(["PD.ANL.SQL", "3", 10, None]),
     r"roles\[0\]\.requirements\[6\]: expected \[competency code"),
    (lambda d: d["transitions"][0].update(to="Astronaut"),
     r"transitions\[0\]\.to: no role is named 'Astronaut'"),
    (lambda d: d["transitions"][0].update(kind="sideways"),
     r"transitions\[0\]\.kind: expected one of upward, lateral"),
])
def test_bad_data_is_refused_with_the_field_named(change: Any, message: str) -> None:
    data = _shipped()
    change(data)
    with pytest.raises(BadDemoData, match=message):
        parse_demo_catalogue(json.dumps(data), "catalogue")


def test_text_that_is_not_json_is_refused() -> None:
    with pytest.raises(BadDemoData, match="catalogue is not valid JSON"):
        parse_demo_catalogue("{frameworks: []", "catalogue")
