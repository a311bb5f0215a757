"""A requests session that behaves like a browser for LTI flows: follows auto-submit forms
and keeps `Secure` cookies on loopback http, as browsers do for 127.0.0.1 and localhost."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

LOOPBACK = {"127.0.0.1", "localhost", "localhost.local", "[::1]"}


class LoopbackSession(requests.Session):
    """Keeps `Secure` cookies of loopback hosts usable over http, as browsers do.

    Cookies are stored after each response; marking the loopback ones usable right after
    (here, once per hop of a redirect chain) lets the next request send them.
    """

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:
        response = super().send(request, **kwargs)  # type: ignore[arg-type]
        self._loopback_cookies_usable()
        return response

    def rebuild_auth(self, prepared_request: requests.PreparedRequest,
                     response: requests.Response) -> None:
        """The hop after a redirect: its Cookie header was built before `send` could mark
        the cookies the redirect set; build it again as a browser would."""
        super().rebuild_auth(prepared_request, response)
        self._loopback_cookies_usable()
        prepared_request.headers.pop("Cookie", None)
        prepared_request.prepare_cookies(self.cookies)

    def _loopback_cookies_usable(self) -> None:
        for cookie in self.cookies:
            if cookie.secure and cookie.domain.strip(".").split(":")[0] in LOOPBACK:
                cookie.secure = False


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    id: str = ""


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.iframes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower(),
                                   id=a.get("id", "")))
        elif tag == "input" and self.forms and a.get("name"):
            kind = a.get("type", "text")
            if kind not in {"checkbox", "radio"} or "checked" in a:
                self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "iframe" and a.get("src"):
            self.iframes.append(a["src"])


def parse(html: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(html)
    return parser


class Browser:
    """Follows redirects and auto-submitting forms like a browser would."""

    def __init__(self) -> None:
        self.session = LoopbackSession()

    def get(self, url: str, **kwargs: object) -> requests.Response:
        return self.session.get(url, timeout=15, **kwargs)  # type: ignore[arg-type]

    def submit(self, response: requests.Response, form_index: int = 0,
               extra: dict[str, str] | None = None) -> requests.Response:
        """Submit the page's form (as its auto-submit script would)."""
        forms = parse(response.text).forms
        assert forms, f"no form on {response.url}: {response.text[:300]}"
        form = forms[form_index]
        data = {**form.fields, **(extra or {})}
        action = urljoin(response.url, form.action)
        if form.method == "post":
            return self.session.post(action, data=data, timeout=15)
        return self.session.get(action, params=data, timeout=15)

    def frame(self, response: requests.Response, index: int = 0) -> requests.Response:
        """Load the page's iframe document."""
        frames = parse(response.text).iframes
        assert frames, f"no iframe on {response.url}"
        return self.get(urljoin(response.url, frames[index]))
