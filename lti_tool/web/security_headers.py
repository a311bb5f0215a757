"""Headers every response carries: one Content-Security-Policy, no referrer, no sniffing.

The CSP is written here and only here. A page framed by an LMS names the platform origins
it may be framed by in `g.platform_origins` (set from the launch session); every other
page may be framed by the tool itself only. No page runs inline script: scripts are
static files under /static.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, g

# what every page may load: its own origin only, no inline script, no plugins
_PAGE_SOURCES = ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                 "script-src 'self'; object-src 'none'; base-uri 'none'")
# a page that needs no script at all (public badge pages), framed by the tool only
NO_SCRIPT_PAGE_POLICY = ("default-src 'self'; style-src 'self'; script-src 'none'; "
                         "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                         "frame-ancestors 'self'")
# a page in a window of its own (an OAuth return): no script, never framed, posts nowhere
TOP_LEVEL_NOTICE_POLICY = ("default-src 'none'; style-src 'self'; frame-ancestors 'none'; "
                           "base-uri 'none'; form-action 'none'")
# documents that are not pages (JSON, files): nothing to run, never framed
_NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


def page_policy(platform_origins: Iterable[str] = (), any_frame: bool = False) -> str:
    """The CSP of an HTML page that the given LMS origins (never `*`) may frame.

    `any_frame` is for a refusal notice shown before any launch is known (text and a
    link, no form and no data): the LMS frame must be able to show it.
    """
    origins = [o for o in platform_origins if o and "*" not in o and " " not in o and ";" not in o]
    allowed = "'self' https: http:" if any_frame else " ".join(["'self'", *origins])
    return f"frame-ancestors {allowed}; {_PAGE_SOURCES}"


def frame_for(platform_origins: Iterable[str]) -> None:
    """Let this request's page be framed by the launch's platform origins."""
    g.platform_origins = list(platform_origins)
    g.pop("notice_any_frame", None)


def frame_notice() -> None:
    """This response comes before any launch is known: a refusal notice, or a step of the
    login (platform-storage relay, the "cookies blocked" link) that the LMS frame must show.

    The LMS page that frames the tool is the school's own domain (for Canvas, not the
    issuer's), unknown until a launch names it; these pages carry no data of the tool and
    no action a click could be tricked into, so any origin may frame them.
    """
    if not g.get("platform_origins"):
        g.notice_any_frame = True


def add_security_headers(response: Response) -> Response:
    """Launch-session ids ride in `?launch=` URLs inside the LMS frame, so no page may leak
    its URL to another site through the Referer header."""
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if "Content-Security-Policy" not in response.headers:
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = page_policy(
                g.get("platform_origins", []), g.get("notice_any_frame", False))
        else:
            response.headers["Content-Security-Policy"] = _NON_PAGE_POLICY
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
