"""Mint a widget token for one person and print the HTML that embeds their readiness widget.

CAREERPATH_URL and CAREERPATH_API_KEY (scopes read, write) come from the environment;
CAREERPATH_PERSON_SUB names the person (created if absent).
"""

from __future__ import annotations

import os
from pathlib import Path

from careerpath_sdk import Client


def main() -> None:
    base_url = os.environ["CAREERPATH_URL"]
    client = Client(base_url, os.environ["CAREERPATH_API_KEY"])
    person = client.people.upsert(os.environ.get("CAREERPATH_PERSON_SUB", "portal-demo-user"))
    token = client.widget_tokens.create(person.id, ttl_seconds=600)
    template = (Path(__file__).with_name("embed.html")).read_text(encoding="utf-8")
    print(f"widget token (expires {token.expires_at:%H:%M} UTC): {token.token}")
    print(template.replace("{{TOOL_URL}}", base_url).replace("{{TOKEN}}", token.token)
          .replace("{{PERSON_ID}}", str(person.id)))


if __name__ == "__main__":
    main()
