"""A WSGI app that reports its worker's garbage-collector state (for the gunicorn tests)."""

from __future__ import annotations

import gc

from flask import Flask, jsonify


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/gc")
    def report():  # type: ignore[no-untyped-def]
        return jsonify(frozen=gc.get_freeze_count(), tracked=len(gc.get_objects()))

    return app
