"""The protocol floor: the cheapest tool that still plays a whole LTI launch.

Served like the tool (`gunicorn -w 2 'bench.floor_app:create_app()'`) and driven by the
same launcher as the tool (bench/launch_scenario.py), it answers the OIDC login with a 302
carrying an HMAC-signed state and nonce and the state cookie, and the launch by checking
the cookie and the state's MAC, verifying the id_token (RS256, aud, exp, nonce) and
returning a one-line page with the widget marker. It stores nothing, reads no database
and computes no readiness: what it reaches, as a share of the ceiling, is the most any
tool can reach on this machine with this generator (two HTTP round trips and the
platform's RS256 signing per launch, against one round trip per ceiling request).

The platform's public key is read from the PEM file named by FLOOR_PUBLIC_KEY, the
state's MAC key from FLOOR_STATE_SECRET.
Not a product component: it exists only to put the launch figures in proportion.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import serialization
from flask import Flask, Response, redirect, request
from markupsafe import escape

CLIENT_ID = "careerpath-sandbox"
COOKIE = "lti1p3-state-"
TTL = 600


def create_app(public_key_path: str | None = None) -> Flask:
    path = public_key_path or os.environ.get("FLOOR_PUBLIC_KEY", "")
    if not path:
        raise RuntimeError("set FLOOR_PUBLIC_KEY to the platform's public key PEM file")
    key = serialization.load_pem_public_key(Path(path).read_bytes())
    # each gunicorn worker builds its own app: the workers share the secret through the env
    secret = os.environ.get("FLOOR_STATE_SECRET", "").encode()
    if len(secret) < 32:
        raise RuntimeError("set FLOOR_STATE_SECRET (32+ characters) for the state's MAC")
    app = Flask(__name__)

    def mac(body: str) -> str:
        return hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()[:32]

    @app.post("/lti/login")
    def login() -> Response:
        nonce = secrets.token_urlsafe(24)
        body = f"{int(time.time()) + TTL}.{nonce}"
        state = f"{body}.{mac(body)}"
        query = urlencode({"state": state, "nonce": nonce, "client_id": CLIENT_ID,
                           "login_hint": request.form.get("login_hint", "")})
        response = redirect(f"{request.form['iss']}/auth?{query}", code=302)
        response.set_cookie(COOKIE + state, state, max_age=TTL, secure=True, httponly=True,
                            samesite="None")
        return response

    @app.post("/lti/launch")
    def launch() -> Response:
        state = request.form.get("state", "")
        expires, nonce, signature = (state.split(".") + ["", "", ""])[:3]
        if (request.cookies.get(COOKIE + state) != state
                or not hmac.compare_digest(signature, mac(f"{expires}.{nonce}"))
                or not expires.isdigit() or int(expires) < time.time()):
            return Response("bad state", status=401)
        try:
            claims = jwt.decode(request.form.get("id_token", ""), key,  # type: ignore[arg-type]
                                algorithms=["RS256"], audience=CLIENT_ID,
                                options={"require": ["exp", "iat", "nonce"]})
        except jwt.PyJWTError:
            return Response("bad id_token", status=401)
        if claims.get("nonce") != nonce:
            return Response("bad nonce", status=401)
        return Response(f'<!doctype html><div data-readiness="1">{escape(claims["sub"])}'
                        "</div>", mimetype="text/html")

    @app.get("/healthz")
    def healthz() -> Response:
        return Response("ok", mimetype="text/plain")

    return app
