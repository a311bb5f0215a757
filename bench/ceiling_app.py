"""The ceiling: a bare Flask endpoint that verifies one RS256 JWT per request.

Served exactly like the tool (`gunicorn -w 2 'bench.ceiling_app:create_app()'`), it is
what this machine can do per request with the cheapest honest work a launch must do
(one RS256 signature check), so launches/s ÷ its requests/s is comparable across machines.
The public key is read from the PEM file named by CEILING_PUBLIC_KEY.
"""

from __future__ import annotations

import os
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from flask import Flask, Response, request

AUDIENCE = "careerpath-ceiling"


def create_app(public_key_path: str | None = None) -> Flask:
    path = public_key_path or os.environ.get("CEILING_PUBLIC_KEY", "")
    if not path:
        raise RuntimeError("set CEILING_PUBLIC_KEY to the verifying key's PEM file")
    key = serialization.load_pem_public_key(Path(path).read_bytes())
    app = Flask(__name__)

    @app.post("/verify")
    def verify() -> Response:
        token = request.form.get("token", "")
        try:
            claims = jwt.decode(token, key, algorithms=["RS256"],  # type: ignore[arg-type]
                                audience=AUDIENCE, options={"require": ["exp", "iat", "sub"]})
        except jwt.PyJWTError as exc:
            return Response(f"refused: {exc}", status=401, mimetype="text/plain")
        return Response(f"ok {claims['sub']}", mimetype="text/plain")

    @app.get("/healthz")
    def healthz() -> Response:
        return Response("ok", mimetype="text/plain")

    return app
