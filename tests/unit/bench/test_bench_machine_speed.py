"""The machine-speed reference does the same work on every run."""

from __future__ import annotations

from bench.machine_speed import reference_ms, workload


def test_the_machine_reference_does_fixed_work() -> None:
    assert workload(2_000) == workload(2_000) != workload(3_000)
    assert reference_ms(runs=3, scale=2_000) > 0
