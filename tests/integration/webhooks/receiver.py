"""A webhook receiver on loopback: verifies signatures with the SDK and de-duplicates by id."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from careerpath_sdk.webhooks import SignatureVerificationError, verify_signature
from flask import Flask, request

from tests.support.servers import LiveServer


@dataclass
class Receiver:
    """Fails the first `failures` requests (500), then accepts; applies each event once."""

    secret: str = ""
    failures: int = 0
    received: list[str] = field(default_factory=list)
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)
    rejected: int = 0
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Flask:
        app = Flask("receiver")

        @app.post("/hooks")
        def hooks() -> tuple[str, int]:
            with self.lock:
                try:
                    event = verify_signature(self.secret, request.headers, request.get_data())
                except SignatureVerificationError:
                    self.rejected += 1
                    return "bad signature", 400
                self.received.append(event["id"])
                if len(self.received) <= self.failures:
                    return "try later", 500
                self.applied.setdefault(event["id"], event)
                return "", 204

        return app


@contextmanager
def running(receiver: Receiver) -> Iterator[Receiver]:
    server = LiveServer("127.0.0.1")
    server.start(receiver.app())
    receiver.url = f"{server.url()}/hooks"
    try:
        yield receiver
    finally:
        server.stop()
