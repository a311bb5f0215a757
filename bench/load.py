"""A small closed-loop load generator for loopback benchmarks (threads + plain sockets).

Each simulated user is a thread that runs one *iteration* after another (a launch is
login + launch). An iteration counts when it starts after the warm-up and ends before
the measured window closes. `drive_processes` runs each user in its own forked process
instead (issue 21's launch benchmark: 4 client processes). Latencies go into shared lists
preallocated to `max_iterations` slots (no list grows while measuring); the run also
stops at `max_iterations` measured iterations. Only 127.0.0.1 / localhost are ever contacted.

The generator shares the machine's cores with the servers it measures, so its own cost per
request is kept small: a request is written as bytes on a fresh socket and the reply read
to the end and split by hand (http.client's header parsing cost about as much again).
"""

from __future__ import annotations

import gc
import math
import os
import resource
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
TIMEOUT = 30.0


class LoadError(RuntimeError):
    """The load could not be driven (bad target, nothing measured)."""


class Headers(dict[str, str]):
    """A reply's headers by lower-case name; a repeated header's values joined by ", ".
    `cookies` keeps each Set-Cookie's `name=value` apart (an Expires date has a comma)."""

    def __init__(self) -> None:
        super().__init__()
        self.cookies: dict[str, str] = {}

    def get(self, name: str, default: str = "") -> str:  # type: ignore[override]
        return super().get(name.lower(), default)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Headers
    body: bytes
    ms: float


def parse_reply(raw: bytes) -> tuple[int, Headers, bytes]:
    """Status, headers and body of one complete HTTP/1.x response (the connection closed
    after it); a chunked body is decoded. LoadError when it is not a response."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if not separator or len(parts) < 2 or not parts[0].startswith("HTTP/") \
            or not parts[1].isdigit():
        raise LoadError(f"not an HTTP response: {raw[:60]!r}")
    headers = Headers()
    for line in lines[1:]:
        name, _, value = line.partition(":")
        key, value = name.strip().lower(), value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
        if key == "set-cookie":
            cookie_name, _, cookie_value = value.split(";", 1)[0].partition("=")
            headers.cookies[cookie_name.strip()] = cookie_value.strip()
    if "chunked" in headers.get("transfer-encoding").lower():
        body = _dechunk(body)
    return int(parts[1]), headers, body


def _dechunk(body: bytes) -> bytes:
    out, at = [], 0
    while True:
        line_end = body.index(b"\r\n", at)
        size = int(body[at:line_end].split(b";", 1)[0], 16)
        if size == 0:
            return b"".join(out)
        out.append(body[line_end + 2:line_end + 2 + size])
        at = line_end + 2 + size + 2


class Client:
    """HTTP/1.1 to one loopback origin; a new connection per request (gunicorn's sync
    workers close every connection anyway), so every request pays its TCP setup."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname not in LOOPBACK:
            raise LoadError(f"refusing to load {base_url!r}: only http://127.0.0.1 or "
                            "localhost targets")
        self.host, self.port = parts.hostname, parts.port or 80
        self.base = base_url.rstrip("/")
        self._host_header = f"Host: {self.host}:{self.port}\r\nConnection: close\r\n"

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Reply:
        lines = [f"{method} {path} HTTP/1.1\r\n", self._host_header]
        lines += [f"{name}: {value}\r\n" for name, value in (headers or {}).items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}\r\n")
        message = ("".join(lines) + "\r\n").encode("latin-1") + (body or b"")
        started = time.perf_counter()
        with socket.create_connection((self.host, self.port), timeout=TIMEOUT) as sock:
            sock.sendall(message)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        ms = (time.perf_counter() - started) * 1000
        status, reply_headers, data = parse_reply(b"".join(chunks))
        return Reply(status, reply_headers, data, ms)


class Outcome:
    """What one iteration reports back: its timed steps, or the reason it failed."""

    __slots__ = ("error", "steps")

    def __init__(self) -> None:
        self.steps: dict[str, float] = {}
        self.error: str | None = None

    def fail(self, reason: str) -> Outcome:
        self.error = reason
        return self


Iteration = Callable[[int, int], Outcome]  # (user index, iteration number) -> outcome


@dataclass
class LoadResult:
    """Counts and latency percentiles of one measured window."""

    users: int
    seconds: float
    completed: int
    errors: Counter[str] = field(default_factory=Counter)
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    generator_cpu_share: float = 0.0
    stopped_by_cap: bool = False
    wall_window: tuple[float, float] = (0.0, 0.0)  # the measured window, epoch seconds
    server_cpu_s: float = 0.0  # CPU the served app's workers used in the window
    iteration_ms: list[float] = field(default_factory=list, repr=False)  # every latency

    @property
    def rate(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for reason, n in self.errors.items() if reason.startswith("5"))

    def as_dict(self) -> dict[str, Any]:
        return {"users": self.users, "seconds": round(self.seconds, 3),
                "completed": self.completed, "per_second": round(self.rate, 2),
                "errors": dict(self.errors), "server_errors": self.server_errors,
                "latency_ms": self.latency_ms, "stopped_by_cap": self.stopped_by_cap,
                "generator_cpu_share_of_one_core": round(self.generator_cpu_share, 3),
                "server_cpu_ms_per_iteration": round(
                    1000 * self.server_cpu_s / self.completed, 3) if self.completed else None}


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99 (nearest rank) and the maximum, in the values' unit."""
    if not values:
        return {"p50": math.nan, "p95": math.nan, "p99": math.nan, "max": math.nan}
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {"p50": round(rank(50), 3), "p95": round(rank(95), 3), "p99": round(rank(99), 3),
            "max": round(ordered[-1], 3)}


class _Window:
    """Warm-up, then the measured window, with one preallocated slot per measured iteration;
    it closes early when every slot is taken (the iteration cap)."""

    def __init__(self, warmup: float, duration: float, cap: int,
                 names: tuple[str, ...]) -> None:
        self.start = time.perf_counter() + warmup
        self.end = self.start + duration
        self.timings = {name: [math.nan] * cap for name in names}
        self.used = 0
        self.capped_at: float | None = None
        self._lock = threading.Lock()

    def over(self) -> bool:
        return self.capped_at is not None or time.perf_counter() >= self.end

    def counts(self, started: float, ended: float) -> bool:
        return started >= self.start and ended <= self.end

    def slot(self) -> int:
        """The next free slot, or -1 (and the window closes) when all are taken."""
        with self._lock:
            if self.used >= len(self.timings["iteration"]):
                if self.capped_at is None:
                    self.capped_at = time.perf_counter()
                return -1
            self.used += 1
            return self.used - 1


class _User(threading.Thread):
    def __init__(self, index: int, iteration: Iteration, window: _Window,
                 steps: tuple[str, ...]) -> None:
        super().__init__(name=f"load-user-{index}", daemon=True)
        self.index, self.iteration, self.window, self.steps = index, iteration, window, steps
        self.errors: Counter[str] = Counter()

    def run(self) -> None:
        number, window = 0, self.window
        while not window.over():
            started = time.perf_counter()
            try:
                outcome = self.iteration(self.index, number)
            except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
                outcome = Outcome().fail(f"exception {type(exc).__name__}: {exc}"[:160])
            ended = time.perf_counter()
            number += 1
            if not window.counts(started, ended):
                continue
            if outcome.error is not None:
                self.errors[outcome.error] += 1
                continue
            slot = window.slot()
            if slot < 0:
                return
            window.timings["iteration"][slot] = sum(outcome.steps.values())
            for name in self.steps:
                window.timings[name][slot] = outcome.steps.get(name, math.nan)


def drive(iteration: Iteration, *, users: int = 16, warmup: float = 3.0,
          duration: float = 20.0, max_iterations: int = 100_000,
          steps: tuple[str, ...] = ()) -> LoadResult:
    """Run `users` closed-loop users for `warmup` + `duration` seconds (or until
    `max_iterations` measured iterations), and summarise the measured window.

    `steps` names the timed steps an iteration reports (e.g. "login", "launch"); the
    iteration latency is their sum (what the server took, without the generator's own work).
    """
    if users < 1 or duration <= 0 or max_iterations < 1:
        raise LoadError("users, duration and max_iterations must be positive")
    # the generator's own heap (it imported the tool to seed it) out of full GC passes:
    # one would pause every user thread for tens of ms, counted as server latency (done
    # before the window opens: collecting a large heap takes a while)
    gc.collect()
    gc.freeze()
    window = _Window(warmup, duration, max_iterations, ("iteration", *steps))
    to_wall = time.time() - time.perf_counter()
    crowd = [_User(i, iteration, window, steps) for i in range(users)]
    cpu_before = _cpu_seconds()
    for user in crowd:
        user.start()
    for user in crowd:
        user.join(timeout=warmup + duration + TIMEOUT + 5)
    alive = [u.name for u in crowd if u.is_alive()]
    if alive:
        raise LoadError(f"{len(alive)} load users did not finish (a request hung past "
                        f"{TIMEOUT:.0f} s)")
    seconds = max((window.capped_at or window.end) - window.start, 1e-9)
    cpu_share = (_cpu_seconds() - cpu_before) / (warmup + seconds)
    errors: Counter[str] = Counter()
    for user in crowd:
        errors.update(user.errors)
    latency = {name: percentiles(values[:window.used])
               for name, values in window.timings.items()}
    return LoadResult(users=users, seconds=seconds, completed=window.used, errors=errors,
                      latency_ms=latency, generator_cpu_share=cpu_share,
                      stopped_by_cap=window.capped_at is not None,
                      wall_window=(window.start + to_wall, window.start + seconds + to_wall))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load_average() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


# ---------------------------------------------------------------- client processes

def drive_processes(make_iteration: Callable[[], Iteration], *, clients: int = 4,
                    warmup: float = 1.0, duration: float = 10.0, steps: tuple[str, ...] = (),
                    server_cpu: Callable[[], float] | None = None) -> LoadResult:
    """`clients` forked processes, each one closed-loop user, for `warmup` + `duration` s.

    Each process builds its own iteration (`make_iteration()`, after the fork) and runs
    one iteration after another; those begun and ended inside the measured window count.
    `server_cpu()` (seconds of CPU the servers used so far) is read when the window opens
    and closes, so the result carries the servers' CPU over the window.
    """
    import multiprocessing

    if clients < 1 or duration <= 0:
        raise LoadError("clients and duration must be positive")
    context = multiprocessing.get_context("fork")
    start = time.time() + 0.5 + warmup  # 0.5 s for the processes to start
    end = start + duration
    pipes, children = [], []
    for index in range(clients):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_client_process, name=f"load-client-{index}",
                                args=(make_iteration, index, start, end, steps, sender),
                                daemon=True)
        child.start()
        sender.close()
        pipes.append(receiver)
        children.append(child)
    time.sleep(max(0.0, start - time.time()))
    cpu_before = server_cpu() if server_cpu else 0.0
    time.sleep(max(0.0, end - time.time()))
    cpu_used = (server_cpu() - cpu_before) if server_cpu else 0.0
    timings: dict[str, list[float]] = {name: [] for name in ("iteration", *steps)}
    errors: Counter[str] = Counter()
    client_cpu = 0.0
    for receiver, child in zip(pipes, children, strict=True):
        if not receiver.poll(TIMEOUT + 5):
            raise LoadError(f"{child.name} sent nothing (a request hung past {TIMEOUT:.0f} s)")
        theirs, their_errors, their_cpu = receiver.recv()
        for name, values in theirs.items():
            timings[name] += values
        errors.update(their_errors)
        client_cpu += their_cpu
        child.join(timeout=5)
    completed = len(timings["iteration"])
    result = LoadResult(users=clients, seconds=duration, completed=completed, errors=errors,
                        latency_ms={name: percentiles(values)
                                    for name, values in timings.items()},
                        generator_cpu_share=client_cpu / (warmup + duration),
                        wall_window=(start, end), server_cpu_s=cpu_used,
                        iteration_ms=timings["iteration"])
    return result


def _client_process(make_iteration: Callable[[], Iteration], index: int, start: float,
                    end: float, steps: tuple[str, ...], sender: Any) -> None:
    gc.collect()
    gc.freeze()  # the forked heap out of full collections (pauses counted as latency)
    iteration = make_iteration()
    timings: dict[str, list[float]] = {name: [] for name in ("iteration", *steps)}
    errors: Counter[str] = Counter()
    cpu_before, number = _cpu_seconds(), 0
    while time.time() < end:
        began = time.time()
        try:
            outcome = iteration(index, number)
        except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
            outcome = Outcome().fail(f"exception {type(exc).__name__}: {exc}"[:160])
        ended = time.time()
        number += 1
        if began < start or ended > end:
            continue
        if outcome.error is not None:
            errors[outcome.error] += 1
            continue
        timings["iteration"].append(sum(outcome.steps.values()))
        for name in steps:
            timings[name].append(outcome.steps.get(name, math.nan))
    sender.send((timings, errors, _cpu_seconds() - cpu_before))
    sender.close()


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of `pid`'s children that are alive now (gunicorn's
    workers), read from /proc; a worker that was replaced mid-window is not counted."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total
