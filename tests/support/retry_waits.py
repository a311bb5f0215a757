"""The tool's LMS client recording its waits between retries instead of sleeping them.

The sandbox's armed faults (`/_sandbox/faults`) count requests, not seconds: without the
waits the same requests are sent and retried in the same order with the same outcome, and
the waits themselves are still computed (backoff, jitter, Retry-After) and kept here. Up to
7.5 s of sleeping per failing call went. Not for the sandbox's Canvas throttle, whose
bucket refills with time: its test waits for real.
"""

from __future__ import annotations

from flask import Flask

from lti_tool.bootstrap import services


def record_retry_waits(tool: Flask) -> list[float]:
    """The list the waits of `tool`'s LMS client go to, in seconds, from now on."""
    waits: list[float] = []
    services(tool).http.sleep = waits.append
    return waits
