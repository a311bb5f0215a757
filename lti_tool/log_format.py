"""JSON-lines logging for production: one object per line, each with the request id.

gunicorn's access lines and the tool's own log records share the format; the request id is
the one the tool sends back as `X-Request-Id` (taken from the proxy's header when valid).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import g, has_request_context

ACCESS_LOGGER = "gunicorn.access"


def current_request_id() -> str | None:
    """The id of the request being handled, or None outside a request."""
    if not has_request_context():
        return None
    found = g.get("api_request_id")
    return found if isinstance(found, str) else None


class JsonLines(logging.Formatter):
    """Formats a record as one JSON object (time, level, logger, message, request_id...)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        if record.name == ACCESS_LOGGER and isinstance(record.args, Mapping):
            entry.update(_access_fields(record.args))
        else:
            entry["message"] = record.getMessage()
            entry["request_id"] = current_request_id()
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """gunicorn's access atoms, named; the query string is left out (it can carry tokens)."""
    status = str(atoms.get("s", ""))
    size = str(atoms.get("B", ""))
    return {
        "message": "request",
        "request_id": atoms.get("{x-request-id}o") or None,
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "status": int(status) if status.isdigit() else None,
        "bytes": int(size) if size.isdigit() else 0,
        "duration_ms": round(int(atoms.get("D", 0)) / 1000, 1),
        "remote": atoms.get("h"),
    }


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` that writes JSON lines to stdout (used by gunicorn)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json",
               "stream": "ext://sys.stdout"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonLines"}},
        "handlers": {"stdout": handler},
        "root": {"level": level, "handlers": ["stdout"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["stdout"], "propagate": False},
            ACCESS_LOGGER: {"level": "INFO", "handlers": ["stdout"], "propagate": False},
            "alembic": {"level": "WARNING"},  # /healthz reads the schema revision
        },
    }
