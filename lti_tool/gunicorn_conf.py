"""gunicorn settings for serving the tool in production; `careerpath serve --production`
runs it as

    gunicorn -c python:lti_tool.gunicorn_conf --bind HOST:PORT --workers N 'lti_tool:create_app()'

Workers default to 2 x the CPUs this process may use + 1. Logs are JSON lines on stdout,
access lines included, each with the request id (lti_tool/log_format.py). gunicorn trusts
`X-Forwarded-Proto` only from `forwarded_allow_ips` (the reverse proxy on the same host by
default; deploy/nginx.conf sets it).

Once a worker has built the app, everything allocated so far (modules, the app, ORM
mappers, compiled templates: about 140,000 objects) is moved out of the garbage
collector's sight with `gc.freeze()`. Otherwise every full collection walks all of them
while the worker answers nothing: 60–90 ms, measured under launch load, which made the
slowest 1 % of launches. Those objects live as long as the worker anyway; what requests
allocate later is collected as usual.
"""

from __future__ import annotations

import gc
import os
from typing import Any

from lti_tool.log_format import logging_config


def default_workers() -> int:
    """2 x the CPUs available to this process + 1 (gunicorn's advice for sync workers)."""
    try:
        cpus = len(os.sched_getaffinity(0))  # honours CPU pinning and container limits
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return 2 * cpus + 1


wsgi_app = "lti_tool:create_app()"
workers = default_workers()
forwarded_allow_ips = "127.0.0.1,::1"
logconfig_dict = logging_config()
timeout = 60
control_socket_disable = True  # gunicorn >= 27: no socket under $HOME per instance
graceful_timeout = 30


def post_worker_init(_worker: Any) -> None:
    """After the worker has loaded the app: collect once, then freeze what survived."""
    gc.collect()
    gc.freeze()
