"""Where a launch's latency goes: the tool's own work in a worker, or the wait for one.

The generator sees a request's whole round trip. Inside the tool, `RequestTimer` (a WSGI
wrapper around the app the benchmark serves) appends one line per request to a file of
its worker's own: the path, when the app began and ended it (wall clock) and the CPU the
worker's thread spent on it. The rest of the round trip is the wait in the listen queue
for a free worker, the HTTP parsing by gunicorn and the loopback. Each line is written
with one unbuffered `os.write` (a few microseconds beside the 1–4 ms a request takes here),
so nothing is lost when the workers stop.

Not a product component: the benchmark serves `bench.server_timing:timed_tool()` in place
of `lti_tool:create_app()`; the tool itself is unchanged.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load import percentiles

DIRECTORY_ENV = "BENCH_TIMING_DIR"
PREFIX = "server-timing-"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class RequestTimer:
    """Wraps a WSGI app; one line per request into `<directory>/server-timing-<pid>.log`."""

    def __init__(self, app: WsgiApp, directory: str | Path) -> None:
        self.app, self.directory = app, Path(directory)
        self._fd: int | None = None
        self._pid = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        started, cpu = time.time(), time.thread_time()
        try:
            return self.app(environ, start_response)
        finally:
            line = (f"{environ.get('PATH_INFO', '')} {started:.6f} {time.time():.6f} "
                    f"{time.thread_time() - cpu:.6f}\n")
            os.write(self._file(), line.encode())

    def _file(self) -> int:
        # opened in the worker that serves (gunicorn forks after the app is built)
        if self._fd is None or self._pid != os.getpid():
            self._pid = os.getpid()
            self._fd = os.open(self.directory / f"{PREFIX}{self._pid}.log",
                               os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return self._fd


def timed_tool() -> RequestTimer:
    """The tool's app, timed into the directory named by BENCH_TIMING_DIR (gunicorn app)."""
    from lti_tool import create_app

    return RequestTimer(create_app(), _directory())


def timed_bare() -> RequestTimer:
    """bench/bare_launch_app.py behind the same timer as the tool, so that both apps pay
    its cost (one line written per request) and the report can show both."""
    from bench.bare_launch_app import create_app

    return RequestTimer(create_app(), _directory())


def _directory() -> str:
    directory = os.environ.get(DIRECTORY_ENV, "")
    if not directory:
        raise RuntimeError(f"set {DIRECTORY_ENV} to the directory for the timing files")
    return directory


@dataclass(frozen=True)
class Served:
    """One request as a worker's app saw it."""

    path: str
    started: float
    ended: float
    cpu: float

    @property
    def ms(self) -> float:
        return (self.ended - self.started) * 1000


def read_served(directory: str | Path) -> Iterator[Served]:
    """Every request the workers recorded in `directory` (a torn last line is skipped)."""
    for path in sorted(Path(directory).glob(f"{PREFIX}*.log")):
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) == 4:
                yield Served(parts[0], float(parts[1]), float(parts[2]), float(parts[3]))


def in_worker(served: Iterable[Served], start: float, end: float,
              paths: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Percentiles (ms) of each path's time in the app, for requests begun in [start, end)
    (wall clock): "<path>" for wall time, "<path> cpu" for the thread's CPU time."""
    window = [s for s in served if start <= s.started < end]
    out = {}
    for path in paths:
        mine = [s for s in window if s.path == path]
        out[path] = percentiles([s.ms for s in mine])
        out[f"{path} cpu"] = percentiles([s.cpu * 1000 for s in mine])
    return out
