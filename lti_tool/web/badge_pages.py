"""Public Open Badges pages: a badge with its verification, its JSON and VC-JWT, the
issuer Profile and the revocation status list. No sign-in: verifiers are strangers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue

from ..bootstrap import services
from ..domain.errors import NotFound
from ..records import IssuedBadge
from ..usecases.badges import issued as issued_badges
from ..usecases.badges import verification as badge_verification
from .security_headers import NO_SCRIPT_PAGE_POLICY

bp = Blueprint("badge_pages", __name__)
PAGE_POLICY = NO_SCRIPT_PAGE_POLICY
STATUS_TEXT = {"valid": "Valid", "revoked": "Revoked", "expired": "Expired",
               "invalid": "Signature invalid"}


def _now() -> datetime:
    return datetime.now(UTC)


@bp.get("/badges/<uuid:badge_id>")
def badge_page(badge_id: uuid.UUID) -> ResponseReturnValue:
    """The badge for people: what it recognises, who holds it and whether it verifies."""
    svc = services(current_app)
    try:
        found, result = badge_verification.verify_issued_badge(svc.database, svc.settings,
                                                               str(badge_id), _now())
    except NotFound:
        return _policy(Response(render_template("badges/not_found.html"), 404))
    verdict = STATUS_TEXT[result.status]
    if result.status == "revoked" and found.revocation_reason:
        verdict = f"Revoked: {found.revocation_reason}"
    subject = found.credential["credentialSubject"]
    html = render_template("badges/badge.html", badge=found, result=result, verdict=verdict,
                           credential=found.credential, achievement=subject["achievement"],
                           results=subject.get("result", []))
    return _policy(Response(html, 200))


@bp.get("/badges/<uuid:badge_id>.json")
def badge_json(badge_id: uuid.UUID) -> ResponseReturnValue:
    """The OpenBadgeCredential document."""
    found = _badge_or_404(badge_id)
    return _public(jsonify(found.credential), "application/ld+json")


@bp.get("/badges/<uuid:badge_id>.jwt")
def badge_jwt(badge_id: uuid.UUID) -> ResponseReturnValue:
    """The credential's compact VC-JWT."""
    found = _badge_or_404(badge_id)
    return _public(Response(found.compact_jwt), "application/jwt")


@bp.get("/badges/issuers/<slug>")
def issuer(slug: str) -> ResponseReturnValue:
    """The issuer's Profile."""
    svc = services(current_app)
    try:
        profile = badge_verification.issuer_json(svc.database, svc.settings, slug, _now())
    except NotFound:
        abort(404)
    return _public(jsonify(profile), "application/ld+json")


@bp.get("/badges/issuers/<slug>/jwks.json")
def issuer_jwks(slug: str) -> ResponseReturnValue:
    """The badge key set: the active key and the retired keys a valid badge still needs."""
    try:
        keys = badge_verification.issuer_jwks(services(current_app).database, slug, _now())
    except NotFound:
        abort(404)
    response = _public(jsonify(keys), "application/jwk-set+json")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/badges/status/<slug>")
def status_list(slug: str) -> ResponseReturnValue:
    """The issuer's revocation BitstringStatusListCredential as a VC-JWT."""
    svc = services(current_app)
    try:
        token = badge_verification.status_list_jwt(svc.database, svc.settings, slug, _now())
    except NotFound:
        abort(404)
    response = _public(Response(token), "application/vc+jwt")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _badge_or_404(badge_id: uuid.UUID) -> IssuedBadge:
    try:
        return issued_badges.badge(services(current_app).database, str(badge_id))
    except NotFound:
        abort(404)


def _public(response: Response, mimetype: str) -> Response:
    """A machine-readable response any origin may read."""
    response.mimetype = mimetype
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _policy(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
