"""The bare reference of issue 21: the least a correct LTI 1.3 login + launch must do.

A plain Flask app, served like the tool (`gunicorn -w 2 'bench.bare_launch_app:create_app()'`)
and driven by the same load generator:

- `POST /login` (OIDC third-party initiated login) checks `iss` against the one platform and
  that `login_hint` is there, keeps a fresh state and nonce in Flask's signed cookie session
  and redirects to the platform's auth endpoint;
- `POST /launch` pops the state from the session and compares it with the form's, verifies
  the id_token (RS256 with the one pre-loaded platform public key; `aud` = our client id,
  `iss` = the platform; `exp`, `iat`, `nonce` and `sub` required), compares the nonce with
  the one it kept, and answers a one-line HTML page with the learner's escaped name.

Nothing else: no database, no shared store, no rendering engine. Not a product component:
the launch benchmark's ratio is the tool's launches/s ÷ this app's, measured in one run.

Settings come from the environment (each gunicorn worker builds its own app): the platform's
public key PEM file (BARE_PUBLIC_KEY), its issuer (BARE_ISSUER), the client id (BARE_CLIENT_ID)
and the session's signing secret (BARE_SECRET, 32+ characters, shared by the workers).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import serialization
from flask import Flask, Response, redirect, request, session
from markupsafe import escape

REQUIRED = ["exp", "iat", "nonce", "sub", "aud", "iss"]


def create_app(public_key_pem: bytes | None = None, issuer: str | None = None,
               client_id: str | None = None, secret: str | None = None) -> Flask:
    """The bare app; arguments override the environment (tests pass them in)."""
    pem = public_key_pem or Path(_setting("BARE_PUBLIC_KEY")).read_bytes()
    key = serialization.load_pem_public_key(pem)
    platform = issuer or _setting("BARE_ISSUER")
    audience = client_id or _setting("BARE_CLIENT_ID")
    app = Flask(__name__)
    app.secret_key = secret or _setting("BARE_SECRET")
    if len(str(app.secret_key)) < 32:
        raise RuntimeError("the session secret needs 32+ characters")
    # the launch runs in the LMS's iframe: a third-party cookie (as the tool's)
    app.config.update(SESSION_COOKIE_SAMESITE="None", SESSION_COOKIE_SECURE=True,
                      SESSION_COOKIE_HTTPONLY=True)

    @app.post("/login")
    def login() -> Response:
        hint = request.values.get("login_hint", "")
        if request.values.get("iss") != platform or not hint:
            return _refused("unknown issuer or no login_hint", 400)
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        session["state"], session["nonce"] = state, nonce
        query = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
                 "prompt": "none", "client_id": audience, "login_hint": hint,
                 "redirect_uri": request.values.get("target_link_uri", ""),
                 "state": state, "nonce": nonce}
        if "lti_message_hint" in request.values:
            query["lti_message_hint"] = request.values["lti_message_hint"]
        return redirect(f"{platform}/auth?{urlencode(query)}", code=302)  # type: ignore[return-value]

    @app.post("/launch")
    def launch() -> Response:
        state, nonce = session.pop("state", None), session.pop("nonce", None)
        if not state or not secrets.compare_digest(state, request.form.get("state", "")):
            return _refused("unknown or used state", 401)
        try:
            claims = jwt.decode(request.form.get("id_token", ""), key,  # type: ignore[arg-type]
                                algorithms=["RS256"], audience=audience, issuer=platform,
                                options={"require": REQUIRED})
        except jwt.PyJWTError as exc:
            return _refused(f"id_token refused: {type(exc).__name__}", 401)
        if not isinstance(claims["nonce"], str) or not secrets.compare_digest(
                claims["nonce"], nonce or ""):
            return _refused("nonce mismatch", 401)
        name = claims.get("name") or claims["sub"]
        return Response(f"<!doctype html><p>Welcome, {escape(name)}</p>\n",
                        mimetype="text/html")

    @app.get("/healthz")
    def healthz() -> Response:
        return Response("ok", mimetype="text/plain")

    return app


def _refused(reason: str, status: int) -> Response:
    return Response(f"{escape(reason)}\n", status=status, mimetype="text/plain")


def _setting(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(f"set {name} (see bench/bare_launch_app.py)")
    return value
