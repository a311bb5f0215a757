"""Mint a widget token for one person and write a portal page that embeds their widgets.

CAREERPATH_URL and CAREERPATH_API_KEY (scope write) come from the environment;
CAREERPATH_PERSON_SUB names the person (created if absent). The page (examples/embed.html
with its placeholders filled) goes to stdout, or to a file with `--out portal.html`; open it
from any origin, e.g. `python -m http.server` in its folder. The token lasts at most 15
minutes: a real portal mints one on its server for each page view.
"""

from __future__ import annotations

import argparse
import html
import os
from pathlib import Path

from careerpath_sdk import Client

TEMPLATE = Path(__file__).with_name("embed.html")


def portal_page(tool_url: str, token: str, person_id: int, person_name: str) -> str:
    """examples/embed.html with the placeholders filled, every value HTML-escaped."""
    values = {"TOOL_URL": tool_url.rstrip("/"), "TOKEN": token, "PERSON_ID": str(person_id),
              "PERSON_NAME": person_name}
    page = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        page = page.replace("{{" + name + "}}", html.escape(value, quote=True))
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the page to this file")
    args = parser.parse_args()
    base_url = os.environ["CAREERPATH_URL"]
    client = Client(base_url, os.environ["CAREERPATH_API_KEY"])
    person = client.people.upsert(os.environ.get("CAREERPATH_PERSON_SUB", "portal-demo-user"))
    token = client.widget_tokens.create(person.id, ttl_seconds=600)
    page = portal_page(base_url, token.token, person.id, person.name or person.sub)
    if args.out:
        args.out.write_text(page, encoding="utf-8")
        print(f"wrote {args.out} (widget token expires {token.expires_at:%H:%M} UTC)")
    else:
        print(page)


if __name__ == "__main__":
    main()
