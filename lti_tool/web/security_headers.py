"""Headers every response carries: no referrer (launch ids travel in URLs), no sniffing."""

from __future__ import annotations

from flask import Flask, Response


def add_security_headers(response: Response) -> Response:
    """Launch-session ids ride in `?launch=` URLs inside the LMS frame, so no page may leak
    its URL to another site through the Referer header."""
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
